import { anyNetworkPolicySelects, defaultDenyGaps } from '../../../k8s/network-policy';
import { podNamespace } from '../../../k8s/pod-namespace';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const networkWorkloadNamespaceDefaultDeny = defineRule({
  id: 'network-workload-namespace-default-deny',
  title: "A workload's namespace should deny traffic by default",
  severity: 'warning',
  group: 'network',
  scope: 'pod',
  references: {
    cis: ['5.3.2'],
    nsa: ['Network separation and hardening: network policies'],
    owasp: ['K07'],
  },
  remediation:
    "Deploy the workload's namespace with a default-deny NetworkPolicy (podSelector: {}, policyTypes [Ingress, Egress]; bulwark's DefaultDenyNamespace writes one with DNS allowed) in the same input; when the namespace is provisioned elsewhere (a platform repository), exempt the workload with a reason that says where.",
  check(pod, ctx) {
    const namespace = podNamespace(pod);
    // A pod no policy selects is reported by network-workload-isolation: its traffic is not restricted at all.
    if (!anyNetworkPolicySelects(ctx.index, namespace, pod.metadata.labels)) return NO_VIOLATIONS;
    const gaps = defaultDenyGaps(ctx.index, namespace);
    if (gaps.length === 0) return NO_VIOLATIONS;
    const open = gaps.map((t) => t.toLowerCase()).join(' and ');
    return [
      {
        message: `namespace '${namespace}' has no default-deny NetworkPolicy for ${open} in the input (podSelector: {} with policyTypes ${gaps.join(
          ' and ',
        )}), so ${open} the pod's own policies do not restrict is allowed, and so is any traffic of pods added to the namespace later; add a DefaultDenyNamespace('${namespace}') or a default-deny NetworkPolicy, or exempt the workload when the namespace is managed elsewhere`,
        path: 'metadata.namespace',
      },
    ];
  },
});
