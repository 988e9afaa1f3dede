import { networkPoliciesSelecting } from '../../../k8s/network-policy';
import { podNamespace } from '../../../k8s/pod-namespace';
import { exemptionRequestsOf } from '../../exemption-annotations';
import { defineRule, NO_VIOLATIONS } from '../../rule';

const NAMESPACE_DEFAULT_DENY = 'network-workload-namespace-default-deny';

export const networkEgressIsolation = defineRule({
  id: 'network-egress-isolation',
  title: 'Pods selected by NetworkPolicies should have their egress restricted too',
  severity: 'warning',
  group: 'network',
  scope: 'pod',
  references: {
    cis: ['5.3.2'],
    nsa: ['Network separation and hardening: network policies'],
    owasp: ['K07'],
  },
  remediation:
    'Add Egress to the policyTypes of a NetworkPolicy that selects the pod (with egress rules for what it must reach, DNS included), or a namespace-wide default-deny with policyTypes [Ingress, Egress].',
  check(pod, ctx) {
    const namespace = podNamespace(pod);
    const selecting = networkPoliciesSelecting(ctx.index, namespace, pod.metadata.labels);
    // A pod no policy selects is reported by network-workload-isolation; this rule is about the half-isolated ones.
    if (selecting.length === 0 || selecting.some((p) => p.policyTypes.has('Egress'))) return NO_VIOLATIONS;
    // The namespace has no default-deny for egress either (else a policy selecting the pod would have Egress):
    // network-workload-namespace-default-deny reports the open egress of this pod in one message, with one fix (the
    // namespace's default-deny). This rule speaks only when the workload asks to be exempted from that one (its
    // namespace is managed elsewhere), so that its own policies' gap is still reported.
    if (!exemptionRequestsOf(pod.object, pod.metadata).has(NAMESPACE_DEFAULT_DENY)) return NO_VIOLATIONS;
    const names = [...new Set(selecting.map((p) => `'${p.name}'`))].join(', ');
    return [
      {
        message: `the NetworkPolicies selecting the pod in namespace '${namespace}' (${names}) restrict only ingress, so its egress is open to any destination; add a policy with policyTypes Egress`,
        path: pod.specPath.replace(/spec$/, 'metadata.labels'),
      },
    ];
  },
});
