import { byCodePoint } from '../util/by-code-point';
import { Rule, RULE_GROUPS, RuleGroup } from './rule';
import { RULE_FOLDERS } from './rules/rule-folders';

function isRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && 'id' in value && 'check' in value && 'scope' in value;
}

/**
 * Every rule of the catalog, sorted by id: the rule of each folder of lib/policy/rules (`<id>/check.ts`). The one
 * list synth-time validation, the CLI and admission share.
 */
export const RULES: readonly Rule[] = RULE_FOLDERS.flatMap((folder) => Object.values(folder.check).filter(isRule)).sort(
  (a, b) => byCodePoint(a.id, b.id),
);

/** The rules a run without `--only` applies: all but the opt-in ones (the OpenAPI schema group). */
export const DEFAULT_RULES: readonly Rule[] = RULES.filter((r) => r.optIn !== true);

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

export function isRuleGroup(name: string): name is RuleGroup {
  return (RULE_GROUPS as readonly string[]).includes(name);
}

export class UnknownRuleError extends Error {}

/**
 * Resolves `--only` style selectors (rule ids or group names) into rules of the catalog (by default the built-in one;
 * with custom rules, RULES plus them); without selectors, every rule that is not opt-in (the schema group).
 * Throws UnknownRuleError naming the selector and what is allowed.
 */
export function selectRules(
  selectors: readonly string[] | undefined,
  catalog: readonly Rule[] = RULES,
): readonly Rule[] {
  if (!selectors || selectors.length === 0) {
    return catalog === RULES ? DEFAULT_RULES : catalog.filter((r) => r.optIn !== true);
  }
  const byId = catalog === RULES ? BY_ID : new Map(catalog.map((r) => [r.id, r]));
  const chosen = new Set<Rule>();
  for (const s of selectors) {
    if (isRuleGroup(s)) {
      for (const r of catalog) if (r.group === s) chosen.add(r);
      continue;
    }
    const rule = byId.get(s);
    if (!rule) {
      throw new UnknownRuleError(
        `unknown rule or group '${s}': use a group (${RULE_GROUPS.join(', ')}) or a rule id (see docs/rules.md)`,
      );
    }
    chosen.add(rule);
  }
  return catalog.filter((r) => chosen.has(r));
}
