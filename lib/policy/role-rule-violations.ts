import { asArray, isRecord, K8sObject } from '../k8s/k8s-object';
import { PolicyRuleLike, policyRuleProblems } from '../k8s/rbac';
import { Violation } from './rule';

/**
 * The problems of kind `ruleId` in every entry of a Role's or ClusterRole's `rules`, as violations whose message
 * names the rule index, the field and the value, and ends with the fix.
 */
export function roleRuleViolations(object: K8sObject, ruleId: string): Violation[] {
  const out: Violation[] = [];
  asArray(object.rules).forEach((rule, i) => {
    if (!isRecord(rule)) return;
    for (const p of policyRuleProblems(rule as PolicyRuleLike)) {
      if (p.ruleId !== ruleId) continue;
      out.push({ message: `rules[${i}] ${p.message}; ${p.fix}`, path: `rules[${i}].${p.field}` });
    }
  });
  return out;
}
