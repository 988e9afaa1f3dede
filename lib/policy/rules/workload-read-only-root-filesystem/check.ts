import { asRecord } from '../../../k8s/k8s-object';
import { containersOf } from '../../../k8s/pod-template';
import { defineRule, Violation } from '../../rule';

export const workloadReadOnlyRootFilesystem = defineRule({
  id: 'workload-read-only-root-filesystem',
  title: 'Containers must have a read-only root filesystem',
  severity: 'error',
  group: 'workload',
  scope: 'pod',
  references: {
    cis: ['5.7.3'],
    nsa: ['Pod security: immutable container file systems'],
    owasp: ['K01'],
  },
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir volume at each path the process writes to (e.g. /tmp).',
  check(pod) {
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      const value = asRecord(c.container.securityContext).readOnlyRootFilesystem;
      if (value === true) continue;
      out.push({
        message:
          value === undefined
            ? `container '${c.name}' does not set securityContext.readOnlyRootFilesystem; set it to true`
            : `container '${c.name}' sets securityContext.readOnlyRootFilesystem=${JSON.stringify(value)}; set it to true`,
        container: c.name,
        path: `${c.path}.securityContext.readOnlyRootFilesystem`,
      });
    }
    return out;
  },
});
