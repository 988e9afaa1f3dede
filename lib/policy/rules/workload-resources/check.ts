import { asRecord } from '../../../k8s/k8s-object';
import { containersOf } from '../../../k8s/pod-template';
import { parseQuantity } from '../../../k8s/quantity';
import { defineRule, Violation } from '../../rule';

const RESOURCES = ['cpu', 'memory'] as const;

/** A value as the manifest wrote it: strings bare, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const workloadResources = defineRule({
  id: 'workload-resources',
  title: 'Containers must set cpu and memory requests and limits',
  severity: 'error',
  group: 'workload',
  scope: 'pod',
  references: {
    nsa: ['Network separation and hardening: resource policies'],
    owasp: ['K01'],
  },
  remediation:
    'Set resources.requests and resources.limits for cpu and memory on every container and init container (e.g. requests {cpu: 100m, memory: 128Mi}, limits {cpu: 500m, memory: 256Mi}), with each limit at least its request.',
  check(pod) {
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      // Ephemeral containers may not set resources (the API server refuses them).
      if (c.kind === 'ephemeralContainers') continue;
      const resources = asRecord(c.container.resources);
      const missing: string[] = [];
      const parsed: Record<string, number | undefined> = {};
      for (const section of ['requests', 'limits'] as const) {
        const values = asRecord(resources[section]);
        for (const r of RESOURCES) {
          const field = `resources.${section}.${r}`;
          const raw = values[r];
          if (raw === undefined || raw === null) {
            missing.push(field);
            continue;
          }
          const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
          if (q === undefined || q < 0) {
            out.push({
              message: `container '${c.name}' ${field} '${shown(raw)}' is not a valid quantity; use e.g. ${
                r === 'cpu' ? "'250m' or '1'" : "'128Mi' or '1Gi'"
              }`,
              container: c.name,
              path: `${c.path}.${field}`,
            });
            continue;
          }
          parsed[field] = q;
        }
      }
      if (missing.length > 0) {
        out.push({
          message: `container '${c.name}' does not set ${missing.join(', ')}; set cpu and memory requests and limits`,
          container: c.name,
          path: `${c.path}.resources`,
        });
      }
      for (const r of RESOURCES) {
        const request = parsed[`resources.requests.${r}`];
        const limit = parsed[`resources.limits.${r}`];
        if (request === undefined || limit === undefined || limit >= request) continue;
        const values = asRecord(resources.limits);
        const requests = asRecord(resources.requests);
        out.push({
          message: `container '${c.name}' resources.limits.${r} '${shown(values[r])}' is below resources.requests.${r} '${shown(requests[r])}'; raise the limit to at least the request`,
          container: c.name,
          path: `${c.path}.resources.limits.${r}`,
        });
      }
    }
    return out;
  },
});
