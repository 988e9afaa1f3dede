import type {
  NamedRuleWithOperations,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  Validation,
  Variable,
} from 'kubernetes-types/admissionregistration/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { RULES, selectRules } from '../catalog';
import { exemptionAnnotationKey } from '../exemption-annotations';
import { GRANT_API_VERSION, GRANT_SET_KIND, GRANT_SET_NAME } from '../exemption-grants';
import { K8sObject } from '../../k8s/k8s-object';
import { formatPssVersion, parsePssVersion, PssLevel, PSS_LEVELS } from '../pss-version';
import { PodRule, Rule } from '../rule';
import { celString } from './cel-literal';
import { CelCheck, CelTranslationOptions, isUntranslatable } from './cel-translation';
import { AdmissionPolicyError } from './admission-errors';
import { CustomAdmissionRule, customTranslationOf, guardedTranslate } from './custom-rule-cel';
import { CHANGED_ON_UPDATE_EXPRESSION, POD_VARIABLES } from './pod-cel';
import { exemptionNoteExpression, notExemptExpression } from './grant-cel';
import { admissionTranslation } from './translations';

/** How a binding enforces failed validations (admissionregistration.k8s.io/v1 validationActions). */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';
export const VALIDATION_ACTIONS: readonly ValidationAction[] = ['Deny', 'Warn', 'Audit'];

export interface AdmissionPolicyOptions {
  /** Pod Security Standards version the PSS rules follow (`v1.30`, `latest`). @default 'latest' */
  readonly pssVersion?: string;
  /** Pod Security level; restricted includes baseline. @default 'restricted' */
  readonly level?: PssLevel;
  /**
   * What the bindings of error-severity rules do on a violation. Use `['Warn', 'Audit']` for a dry-run rollout, then
   * switch to `['Deny']`. @default ['Deny']
   */
  readonly validationActions?: readonly ValidationAction[];
  /** What the bindings of warning-severity rules do on a violation. @default ['Warn', 'Audit'] */
  readonly warningValidationActions?: readonly ValidationAction[];
  /**
   * Namespaces the bindings apply to. The default leaves out kube-system: the control plane, CNI and CSI pods there
   * legitimately need host namespaces, hostPath and privileges, are managed by the platform rather than by workload
   * owners, and refusing them can make nodes unable to join or upgrade.
   * @default every namespace except kube-system
   */
  readonly namespaceSelector?: LabelSelector;
  /** Rule ids or groups to enforce (like `bulwark audit --only`). @default every pod rule of the catalog */
  readonly only?: readonly string[];
  /** Registries images may come from (host or host/path prefix), for image-registry. @default any */
  readonly allowedRegistries?: readonly string[];
  /**
   * A team's own rules (`policy.loadCustomRules(['policies'], process.cwd())`, the folders `bulwark audit --rules`
   * reads), enforced like the catalog's: each pod rule by the CEL of its folder's cel.ts (a pod rule without one is an
   * error, as for the catalog's); `only` selects them by id. @default none
   */
  readonly customRuleFolders?: readonly CustomAdmissionRule[];
}

/**
 * Namespaces the default bindings leave out (see `namespaceSelector`): nothing in them is checked at admission, so
 * bulwark constructs refuse to place objects there and the posture report lists them.
 */
export const EXCLUDED_NAMESPACES: readonly string[] = ['kube-system'];

export const DEFAULT_NAMESPACE_SELECTOR: LabelSelector = {
  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...EXCLUDED_NAMESPACES] }],
};

/**
 * A resource rule of matchConstraints. kubernetes-types 1.30.0 leaves `resources` and `scope` out of
 * NamedRuleWithOperations although the API has them (RuleWithOperations is inlined there).
 */
export type ResourceRule = NamedRuleWithOperations & { resources: string[]; scope?: string };

/** Pods and every workload kind with a pod template (lib/k8s/pod-template.ts), on create and update. */
export const POD_RESOURCE_RULES: readonly ResourceRule[] = [
  {
    apiGroups: [''],
    apiVersions: ['v1'],
    operations: ['CREATE', 'UPDATE'],
    // pods/ephemeralcontainers: `kubectl debug` adds containers to a running pod through this subresource.
    resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'],
  },
  {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    operations: ['CREATE', 'UPDATE'],
    resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
  },
  { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'] },
];

/** Kinds the generated policies match (the objects of POD_RESOURCE_RULES). */
export const ADMISSION_KINDS: readonly string[] = [
  'Pod',
  'ReplicationController',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
];

export const POLICY_NAME_PREFIX = 'bulwark-';

/** Name of the policy (and of its binding) that enforces a rule. */
export function admissionPolicyName(ruleId: string): string {
  return `${POLICY_NAME_PREFIX}${ruleId}`;
}

export { AdmissionPolicyError };
export type { CustomAdmissionRule };

function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function resolveOptions(options: AdmissionPolicyOptions): CelTranslationOptions {
  const version = parsePssVersion(options.pssVersion ?? 'latest');
  if (version === undefined) {
    throw new AdmissionPolicyError(
      `admission policies: invalid pssVersion '${options.pssVersion}': use vX.Y (v1.0 to v1.37) or latest`,
    );
  }
  const level = options.level ?? 'restricted';
  if (!PSS_LEVELS.includes(level)) {
    throw new AdmissionPolicyError(`admission policies: invalid level '${level}': use ${PSS_LEVELS.join(' or ')}`);
  }
  return { pssVersion: version, level, allowedRegistries: options.allowedRegistries };
}

function checkActions(field: string, actions: readonly string[]): readonly ValidationAction[] {
  const bad = actions.filter((a) => !(VALIDATION_ACTIONS as readonly string[]).includes(a));
  if (actions.length === 0 || bad.length > 0 || new Set(actions).size !== actions.length) {
    throw new AdmissionPolicyError(
      `admission policies: invalid ${field} [${actions.join(', ')}]: use a non-empty set of ${VALIDATION_ACTIONS.join(', ')} without duplicates (e.g. ['Deny'], or ['Warn', 'Audit'] for a dry run)`,
    );
  }
  if (actions.includes('Deny') && actions.includes('Warn')) {
    throw new AdmissionPolicyError(
      `admission policies: invalid ${field} [${actions.join(', ')}]: Deny and Warn may not be combined (a denial already returns the message); use ['Deny'] or ['Deny', 'Audit']`,
    );
  }
  return actions as readonly ValidationAction[];
}

function validationOf(rule: Rule, check: CelCheck): Validation {
  const exemption = exemptionAnnotationKey(rule.id);
  const suffix =
    ` [${rule.id}] fix: ${singleLine(rule.remediation)} To exempt, annotate the pod template with ${exemption}: <reason>` +
    ` and have the platform team grant it in ${GRANT_SET_KIND} ${GRANT_SET_NAME}.`;
  return {
    expression: check.expression,
    message: singleLine(`${rule.title}${suffix}`),
    messageExpression:
      "object.kind + ' ' + object.?metadata.?name.orValue(object.?metadata.?generateName.orValue('')) + ': ' + " +
      `(${check.detail}) + ${celString(suffix)} + variables.exemptionNote`,
    reason: 'Forbidden',
  };
}

/** The ValidatingAdmissionPolicy `bulwark-<rule-id>` that runs a rule's CEL checks. */
export function admissionPolicyOf(
  rule: PodRule,
  checks: readonly CelCheck[],
  options: CelTranslationOptions,
  variables?: readonly Variable[],
): ValidatingAdmissionPolicy {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: {
      name: admissionPolicyName(rule.id),
      labels: { 'app.kubernetes.io/managed-by': 'bulwark', 'bulwark.dev/rule': rule.id },
      annotations: {
        'bulwark.dev/title': rule.title,
        'bulwark.dev/severity': rule.severity,
        ...(rule.pss
          ? { 'bulwark.dev/pss-level': options.level, 'bulwark.dev/pss-version': formatPssVersion(options.pssVersion) }
          : {}),
      },
    },
    spec: {
      failurePolicy: 'Fail',
      // The exemption grants: one cluster-scoped object only cluster admins can write (exemption-grant-objects.ts).
      paramKind: { apiVersion: GRANT_API_VERSION, kind: GRANT_SET_KIND },
      matchConstraints: { resourceRules: POD_RESOURCE_RULES.map((r) => ({ ...r })) },
      matchConditions: [
        { name: 'not-exempt', expression: notExemptExpression(rule.id) },
        { name: 'pod-changed-on-update', expression: CHANGED_ON_UPDATE_EXPRESSION },
      ],
      variables: [
        ...POD_VARIABLES,
        ...(variables ?? []),
        { name: 'exemptionNote', expression: exemptionNoteExpression(rule.id) },
      ].map((v) => ({ ...v })),
      validations: checks.map((c) => validationOf(rule, c)),
    },
  };
}

/** The binding of a rule's policy: how violations are enforced and in which namespaces. */
export function admissionBindingOf(
  rule: PodRule,
  actions: readonly ValidationAction[],
  namespaceSelector: LabelSelector,
): ValidatingAdmissionPolicyBinding {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: {
      name: admissionPolicyName(rule.id),
      labels: { 'app.kubernetes.io/managed-by': 'bulwark', 'bulwark.dev/rule': rule.id },
    },
    spec: {
      policyName: admissionPolicyName(rule.id),
      validationActions: [...actions],
      // Deny when the grant set is missing: deleting it must never turn exemption annotations into exemptions.
      paramRef: { name: GRANT_SET_NAME, parameterNotFoundAction: 'Deny' },
      matchResources: { namespaceSelector },
    },
  };
}

/** A pod rule with its CEL at the chosen level and version. */
export interface TranslatedRule {
  readonly rule: PodRule;
  readonly checks: readonly CelCheck[];
  /** Extra variables of the rule's policy. */
  readonly variables?: readonly Variable[];
}

/**
 * The pod rules admission enforces at these options, with their CEL: the selected pod rules, without restricted PSS
 * rules at baseline (as the engine), rules that do not apply at that PSS version and rules that need other objects.
 * Throws when a pod rule has no translation at all, so that a new rule cannot silently go unenforced.
 */
export function translatedRules(options: AdmissionPolicyOptions = {}): readonly TranslatedRule[] {
  const resolved = resolveOptions(options);
  const custom = new Map((options.customRuleFolders ?? []).map((c) => [c.rule.id, c] as const));
  const catalog = custom.size > 0 ? [...RULES, ...customRulesOf(options.customRuleFolders ?? [])] : RULES;
  const out: TranslatedRule[] = [];
  for (const rule of selectRules(options.only, catalog)) {
    if (rule.scope !== 'pod') continue;
    if (rule.pss?.level === 'restricted' && resolved.level === 'baseline') continue;
    const own = custom.get(rule.id);
    if (own) {
      const translation = customTranslationOf(own);
      if (isUntranslatable(translation)) continue;
      const checks = guardedTranslate(own, translation, resolved);
      if (checks && checks.length > 0) out.push({ rule, checks, variables: translation.variables });
      continue;
    }
    const translation = admissionTranslation(rule.id);
    if (!translation) {
      throw new AdmissionPolicyError(
        `admission policies: pod rule '${rule.id}' has no CEL translation: add lib/policy/rules/${rule.id}/cel.ts (a CelRuleTranslation, or an UntranslatableRule with the reason) and run 'npm run docs'`,
      );
    }
    if (isUntranslatable(translation)) continue;
    const checks = translation.translate(resolved);
    if (checks && checks.length > 0) out.push({ rule, checks, variables: translation.variables });
  }
  return out;
}

/** The custom rules, refused when one takes a catalog rule's id or repeats another's (ids name policies). */
function customRulesOf(customRules: readonly CustomAdmissionRule[]): Rule[] {
  const seen = new Set<string>();
  return customRules.map((c) => {
    const where = c.checkFile ?? `custom rule '${c.rule.id}'`;
    if (RULES.some((r) => r.id === c.rule.id)) {
      throw new AdmissionPolicyError(
        `admission policies: ${where}: id '${c.rule.id}' is a built-in rule's (docs/rules.md): choose another id`,
      );
    }
    if (seen.has(c.rule.id)) {
      throw new AdmissionPolicyError(
        `admission policies: ${where}: id '${c.rule.id}' is given twice: rule ids are unique`,
      );
    }
    seen.add(c.rule.id);
    return c.rule;
  });
}

/**
 * ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, Kubernetes >= 1.30) and their bindings that enforce
 * the catalog's pod rules in the cluster: one policy `bulwark-<rule-id>` per rule, as plain objects.
 */
export function admissionPolicies(options: AdmissionPolicyOptions = {}): K8sObject[] {
  const errorActions = checkActions('validationActions', options.validationActions ?? ['Deny']);
  const warningActions = checkActions(
    'warningValidationActions',
    options.warningValidationActions ?? ['Warn', 'Audit'],
  );
  const resolved = resolveOptions(options);
  const namespaceSelector = options.namespaceSelector ?? DEFAULT_NAMESPACE_SELECTOR;
  const out: K8sObject[] = [];
  for (const { rule, checks, variables } of translatedRules(options)) {
    out.push(admissionPolicyOf(rule, checks, resolved, variables) as K8sObject);
    out.push(
      admissionBindingOf(
        rule,
        rule.severity === 'error' ? errorActions : warningActions,
        namespaceSelector,
      ) as K8sObject,
    );
  }
  return out;
}
