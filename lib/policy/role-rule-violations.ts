import { asArray, isRecord, K8sObject } from '../k8s/k8s-object';
import type { ObjectIndex } from '../k8s/object-index';
import { PolicyRuleLike, policyRuleProblems } from '../k8s/rbac';
import { RuleContext, Violation } from './rule';

/** Every problem of every entry of a role's `rules`, each as the violation of its rule id. */
type RoleProblems = readonly (Violation & { readonly ruleId: string })[];

/**
 * The problems of each role in one audit, keyed by its index of objects: the eight rbac-* role rules each ask for
 * theirs, and policyRuleProblems finds all kinds at once. The index lives as long as the objects it indexes stay
 * unchanged (object-index.ts), so does this.
 */
const problemsByAudit = new WeakMap<ObjectIndex, WeakMap<K8sObject, RoleProblems>>();

function roleProblems(object: K8sObject): RoleProblems {
  const out: (Violation & { ruleId: string })[] = [];
  asArray(object.rules).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    for (const p of policyRuleProblems(rule as PolicyRuleLike)) {
      out.push({ ruleId: p.ruleId, message: `rules[${i}] ${p.message}; ${p.fix}`, path: `rules[${i}].${p.field}` });
    }
  });
  return out;
}

/**
 * The problems of kind `ruleId` in every entry of a Role's or ClusterRole's `rules`, as violations whose message
 * names the rule index, the field and the value, and ends with the fix. Given the rule context, a role's entries are
 * judged once per audit for all the rbac-* rules.
 */
export function roleRuleViolations(object: K8sObject, ruleId: string, ctx?: RuleContext): Violation[] {
  let problems: RoleProblems | undefined;
  if (ctx) {
    let byObject = problemsByAudit.get(ctx.index);
    if (!byObject) problemsByAudit.set(ctx.index, (byObject = new WeakMap()));
    problems = byObject.get(object);
    if (!problems) byObject.set(object, (problems = roleProblems(object)));
  } else {
    problems = roleProblems(object);
  }
  const out: Violation[] = [];
  for (const p of problems) if (p.ruleId === ruleId) out.push({ message: p.message, path: p.path });
  return out;
}
