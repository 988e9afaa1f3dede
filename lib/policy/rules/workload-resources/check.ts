import { asRecord } from '../../../k8s/k8s-object';
import { containersOf } from '../../../k8s/pod-template';
import { parseQuantity } from '../../../k8s/quantity';
import { defineRule, Violation } from '../../rule';

const RESOURCES = ['cpu', 'memory'] as const;

/**
 * The largest limit that still bounds a container, per resource: above it a limit is larger than any node (the
 * biggest cloud instances have under 1,000 cores and 32 TiB of memory), so it bounds nothing, the same as no limit.
 */
export const LIMIT_CEILING: Readonly<Record<'cpu' | 'memory' | 'ephemeral-storage', { value: number; text: string }>> =
  {
    cpu: { value: 1024, text: '1024 (cores)' },
    memory: { value: 32 * 2 ** 40, text: '32Ti' },
    'ephemeral-storage': { value: 64 * 2 ** 40, text: '64Ti' },
  };

/**
 * Why a parsed limit bounds nothing, or undefined when it bounds the container: 0 (the kubelet sets no cgroup limit
 * for it, so the container may use the whole node) or a value above LIMIT_CEILING.
 */
export function unboundedLimitProblem(resource: keyof typeof LIMIT_CEILING, value: number): string | undefined {
  if (value === 0) return 'a limit of 0 means no limit at all: the container may use the whole node';
  if (value > LIMIT_CEILING[resource].value) return 'larger than any node: the same as no limit';
  return undefined;
}

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
    'Set resources.requests and resources.limits for cpu and memory on every container and init container (e.g. requests {cpu: 100m, memory: 128Mi}, limits {cpu: 500m, memory: 256Mi}), with each limit at least its request, above 0 (a limit of 0 is no limit) and no larger than a node.',
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
          const unbounded = section === 'limits' ? unboundedLimitProblem(r, q) : undefined;
          if (unbounded !== undefined) {
            out.push({
              message: `container '${c.name}' ${field} '${shown(raw)}' bounds nothing (${unbounded}); set the most the container may use, at most ${LIMIT_CEILING[r].text}`,
              container: c.name,
              path: `${c.path}.${field}`,
            });
          }
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
