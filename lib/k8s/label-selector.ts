import { asArray, isRecord } from './k8s-object';

/**
 * Kubernetes label selectors (`metav1.LabelSelector`), matched the way the API server does:
 * matchLabels and every matchExpression must all hold; an empty selector (`{}`) matches every object.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements
 */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Reads an untrusted value as a label selector; undefined when it is not one the API server would accept
 * (not an object, non-string label values, an unknown operator, In/NotIn without values, Exists/DoesNotExist with).
 */
export function parseLabelSelector(value: unknown): LabelSelector | undefined {
  if (!isRecord(value)) return undefined;
  const matchLabels: Record<string, string> = {};
  if (value.matchLabels !== undefined && value.matchLabels !== null) {
    if (!isRecord(value.matchLabels)) return undefined;
    for (const [k, v] of Object.entries(value.matchLabels)) {
      if (typeof v !== 'string') return undefined;
      matchLabels[k] = v;
    }
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (value.matchExpressions !== undefined && value.matchExpressions !== null) {
    if (!Array.isArray(value.matchExpressions)) return undefined;
    for (const e of value.matchExpressions) {
      if (!isRecord(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return undefined;
      if (!OPERATORS.includes(e.operator)) return undefined;
      const values = asArray(e.values);
      if (!values.every((v): v is string => typeof v === 'string')) return undefined;
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      if (needsValues !== values.length > 0) return undefined;
      matchExpressions.push({ key: e.key, operator: e.operator as LabelSelectorOperator, values });
    }
  }
  return { matchLabels, matchExpressions };
}

/** True when the selector has no requirement at all, so it selects every object (`podSelector: {}`). */
export function selectsEverything(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

function requirementHolds(req: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(labels[req.key]);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(labels[req.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** True when the labels satisfy every requirement of the selector. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const actual = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(actual, k) || actual[k] !== v) return false;
  }
  return (selector.matchExpressions ?? []).every((req) => requirementHolds(req, actual));
}

/**
 * Matches an untrusted selector value against labels. A missing selector (undefined/null) is read as `{}` (as the
 * API server decodes NetworkPolicy `podSelector`), so it matches everything; a malformed one matches nothing.
 */
export function selectorMatches(value: unknown, labels: Readonly<Record<string, string>> | undefined): boolean {
  const selector = value === undefined || value === null ? {} : parseLabelSelector(value);
  return selector !== undefined && matchesLabels(selector, labels);
}
