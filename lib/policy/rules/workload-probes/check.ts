import { asArray, isRecord } from '../../../k8s/k8s-object';
import { containersOf, PodView } from '../../../k8s/pod-template';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';

const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];

/**
 * Pods that run to completion: Job and CronJob templates, Pods created by a Job (owner reference or the job-name
 * labels the Job controller sets) and any pod whose restartPolicy is Never or OnFailure.
 */
function runsToCompletion(pod: PodView): boolean {
  if (pod.object.kind === 'Job' || pod.object.kind === 'CronJob') return true;
  if (pod.spec.restartPolicy === 'Never' || pod.spec.restartPolicy === 'OnFailure') return true;
  if (pod.object.kind !== 'Pod') return false;
  const owners = asArray(pod.object.metadata?.ownerReferences);
  if (owners.some((o) => isRecord(o) && o.kind === 'Job')) return true;
  const labels = pod.metadata.labels ?? {};
  return JOB_NAME_LABELS.some((l) => l in labels);
}

export const workloadProbes = defineRule({
  id: 'workload-probes',
  title: 'Long-running containers should have readiness and liveness probes',
  severity: 'warning',
  group: 'workload',
  scope: 'pod',
  references: {
    nsa: ['Upgrading and application security practices'],
    owasp: ['K01'],
  },
  remediation:
    'Add a readinessProbe (traffic only reaches ready pods) and a livenessProbe (hung containers are restarted) to every regular container of long-running workloads, e.g. httpGet on a health endpoint.',
  check(pod) {
    if (runsToCompletion(pod)) return NO_VIOLATIONS;
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      if (c.kind !== 'containers') continue;
      const missing = (['readinessProbe', 'livenessProbe'] as const).filter((p) => !isRecord(c.container[p]));
      if (missing.length === 0) continue;
      out.push({
        message: `container '${c.name}' has no ${missing.join(' and no ')}; add ${
          missing.length === 2 ? 'both probes' : `a ${missing[0]}`
        }`,
        container: c.name,
        path: `${c.path}.${missing[0]}`,
      });
    }
    return out;
  },
});
