import { podNamespace } from '../../../k8s/pod-namespace';
import { podServiceAccount } from '../../../k8s/service-account';
import { defineRule, NO_VIOLATIONS } from '../../rule';

/**
 * Semantics (what the API server does when it admits the pod): the pod's spec.automountServiceAccountToken wins when
 * set; otherwise the ServiceAccount's automountServiceAccountToken applies; otherwise the token is mounted.
 * - pod sets false: pass;
 * - pod sets true: violation (it overrides whatever the ServiceAccount says);
 * - pod leaves it unset: pass only when the pod's ServiceAccount is part of the input (same namespace and name) and
 *   sets automountServiceAccountToken: false; a violation when it does not, or when it is not in the input (the
 *   audit cannot see it, so it cannot tell that the token stays unmounted).
 */
export const workloadSaTokenAutomount = defineRule({
  id: 'workload-sa-token-automount',
  title: 'Pods should not automount a ServiceAccount token',
  severity: 'warning',
  group: 'workload',
  scope: 'pod',
  references: {
    cis: ['5.1.6'],
    nsa: ['Pod security: protecting Pod service account tokens'],
    owasp: ['K01', 'K03'],
  },
  remediation:
    'Set spec.automountServiceAccountToken: false on the pod (or on its ServiceAccount); pods that call the Kubernetes API should mount a short-lived projected token with an audience instead.',
  check(pod, ctx) {
    const path = `${pod.specPath}.automountServiceAccountToken`;
    const value = pod.spec.automountServiceAccountToken;
    if (value === false) return NO_VIOLATIONS;
    const sa = podServiceAccount(pod);
    const namespace = podNamespace(pod);
    const ref = `ServiceAccount ${namespace}/${sa.name}`;
    if (value !== undefined) {
      return [
        {
          message: `pod sets spec.automountServiceAccountToken=${JSON.stringify(value)}, so the token of ${ref} is mounted into every container whatever the ServiceAccount says; set it to false`,
          path,
        },
      ];
    }
    const account = ctx.index.inNamespace('ServiceAccount', namespace).find((o) => o.metadata?.name === sa.name);
    if (account?.automountServiceAccountToken === false) return NO_VIOLATIONS;
    return [
      {
        message: account
          ? `pod does not set spec.automountServiceAccountToken and ${ref} does not set automountServiceAccountToken: false, so its token is mounted; set it to false on the pod or the ServiceAccount`
          : `pod does not set spec.automountServiceAccountToken and ${ref} is not in the input, so its token is mounted unless that ServiceAccount disables it; set spec.automountServiceAccountToken: false`,
        path,
      },
    ];
  },
});
