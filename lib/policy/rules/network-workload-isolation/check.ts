import { anyNetworkPolicySelects, networkPoliciesIn } from '../../../k8s/network-policy';
import { defineRule, NO_VIOLATIONS } from '../../rule';
import { podNamespace } from '../../../k8s/pod-namespace';

export const networkWorkloadIsolation = defineRule({
  id: 'network-workload-isolation',
  title: 'Pods should be selected by a NetworkPolicy',
  severity: 'warning',
  group: 'network',
  scope: 'pod',
  references: {
    cis: ['5.3.2'],
    nsa: ['Network separation and hardening: network policies'],
    owasp: ['K07'],
  },
  remediation:
    "Add a NetworkPolicy in the pod's namespace whose podSelector matches the pod's labels and that allows only the ingress and egress the workload needs (a namespace-wide podSelector: {} default-deny also counts).",
  check(pod, ctx) {
    const namespace = podNamespace(pod);
    const labels = pod.metadata.labels;
    if (anyNetworkPolicySelects(ctx.index, namespace, labels)) return NO_VIOLATIONS;
    const policies = networkPoliciesIn(ctx.index, namespace);
    const shown = JSON.stringify(labels ?? {});
    return [
      {
        message: `no NetworkPolicy in namespace '${namespace}' (${policies.length} in the input) selects the pod labels ${shown}, so its traffic is not restricted; add a NetworkPolicy whose podSelector matches them`,
        path: pod.specPath.replace(/spec$/, 'metadata.labels'),
      },
    ];
  },
});
