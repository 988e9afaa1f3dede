import { defineRule, Violation } from '../../rule';

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Upstream check `hostNamespaces` (v1.0+). */
export const pssBaselineHostNamespaces = defineRule({
  id: 'pss-baseline-host-namespaces',
  title: 'Sharing the host network, PID or IPC namespace is disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: Host Namespaces',
    cis: ['5.2.3', '5.2.4', '5.2.5'],
    nsa: ['Kubernetes Pod security: Pod security enforcement'],
    owasp: ['K01', 'K07'],
  },
  remediation:
    'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false); expose the workload through a Service instead of the node network.',
  check(pod) {
    const out: Violation[] = [];
    for (const field of HOST_NAMESPACE_FIELDS) {
      if (pod.spec[field] === true) {
        out.push({ message: `pod sets ${field}=true; allowed: false or unset`, path: `${pod.specPath}.${field}` });
      }
    }
    return out;
  },
});
