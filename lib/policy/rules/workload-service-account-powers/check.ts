import { podNamespace } from '../../../k8s/pod-namespace';
import { defineRule, NO_VIOLATIONS } from '../../rule';
import { podServiceAccount } from '../../../k8s/service-account';
import { serviceAccountPowers } from '../../service-account-powers';

export const workloadServiceAccountPowers = defineRule({
  id: 'workload-service-account-powers',
  title: "A pod's ServiceAccount must not hold permissions the RBAC rules forbid",
  severity: 'error',
  group: 'rbac',
  scope: 'pod',
  references: {
    cis: ['5.1.1', '5.1.2', '5.1.3'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    "Give the workload its own ServiceAccount bound to a role with only the permissions it uses (fix the role's findings), or set automountServiceAccountToken: false if it needs no API access; anyone who runs code in the pod holds these permissions.",
  check(pod, ctx) {
    const namespace = podNamespace(pod);
    const account = podServiceAccount(pod);
    const powers = serviceAccountPowers(ctx.index, namespace, account.name, ctx.exemptionCounts);
    if (powers.length === 0) return NO_VIOLATIONS;
    const path = `${pod.specPath}.${account.field ?? 'serviceAccountName'}`;
    return powers.map((p) => ({
      message: `runs as ServiceAccount '${namespace}/${account.name}', which ${p.binding} binds to ${p.role}: it grants what ${p.ruleIds.join(', ')} forbid${p.ruleIds.length === 1 ? 's' : ''}`,
      path,
    }));
  },
});
