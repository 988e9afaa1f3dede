import { anyNetworkPolicySelects, defaultDenyGaps, networkPoliciesSelecting } from '../../../k8s/network-policy';
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
    // The pod's own policies leave its egress open too (network-egress-isolation defers to this rule then): say so.
    const selecting = networkPoliciesSelecting(ctx.index, namespace, pod.metadata.labels);
    const egressOpen = gaps.includes('Egress') && !selecting.some((p) => p.policyTypes.has('Egress'));
    const own = selecting.map((p) => `'${p.name}'`).join(', ');
    const consequence = egressOpen
      ? `so the pod's egress is open to any destination (its NetworkPolicies ${own} restrict only ingress), and any traffic of pods added to the namespace later is allowed`
      : `so ${open} the pod's own policies do not restrict is allowed, and so is any traffic of pods added to the namespace later`;
    return [
      {
        message: `namespace '${namespace}' has no default-deny NetworkPolicy for ${open} in the input (podSelector: {} with policyTypes ${gaps.join(
          ' and ',
        )}), ${consequence}; add a DefaultDenyNamespace('${namespace}') or a default-deny NetworkPolicy, or exempt the workload when the namespace is managed elsewhere`,
        path: 'metadata.namespace',
      },
    ];
  },
});
