import { containersOf } from '../../pod-template';
import { PSS_SINCE, SELINUX_TYPES_V1_0, SELINUX_TYPES_V1_31 } from '../../pss-allow-lists';
import { defineRule, Violation } from '../../rule';
import { containerSecurityContext, isSet, podSecurityContext, recordField, show } from './pss-fields';

const TYPES_V1_0 = new Set(SELINUX_TYPES_V1_0);
const TYPES_V1_31 = new Set(SELINUX_TYPES_V1_31);
const TEXT_V1_0 = 'container_t, container_init_t, container_kvm_t or unset';
const TEXT_V1_31 = 'container_t, container_init_t, container_kvm_t, container_engine_t or unset';

/** Upstream check `seLinuxOptions` (v1.0, v1.31): pod and container `seLinuxOptions`. */
export const pssBaselineSelinux = defineRule({
  id: 'pss-baseline-selinux',
  title: 'Custom SELinux users, roles and types are disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'baseline' },
  references: {
    pss: 'baseline: SELinux',
    nsa: ['Kubernetes Pod security: Hardening container environments'],
    owasp: ['K01'],
  },
  remediation:
    'Remove seLinuxOptions.user and seLinuxOptions.role, and leave seLinuxOptions.type unset or set it to container_t (container_init_t, container_kvm_t).',
  check(pod, ctx) {
    const newer = ctx.pssVersion >= PSS_SINCE.selinuxContainerEngine;
    const types = newer ? TYPES_V1_31 : TYPES_V1_0;
    const typesText = newer ? TEXT_V1_31 : TEXT_V1_0;
    const out: Violation[] = [];
    const inspect = (opts: Record<string, unknown> | undefined, who: string, path: string, container?: string) => {
      if (!opts) return;
      const type = opts.type ?? '';
      if (!types.has(type as string)) {
        out.push({
          message: `${who} sets securityContext.seLinuxOptions.type=${show(type)}; allowed: ${typesText}`,
          path: `${path}.securityContext.seLinuxOptions.type`,
          ...(container !== undefined ? { container } : {}),
        });
      }
      for (const field of ['user', 'role'] as const) {
        if (!isSet(opts[field]) || opts[field] === '') continue;
        out.push({
          message: `${who} sets securityContext.seLinuxOptions.${field}=${show(opts[field])}; allowed: unset`,
          path: `${path}.securityContext.seLinuxOptions.${field}`,
          ...(container !== undefined ? { container } : {}),
        });
      }
    };
    inspect(recordField(podSecurityContext(pod), 'seLinuxOptions'), 'pod', pod.specPath);
    for (const c of containersOf(pod)) {
      inspect(recordField(containerSecurityContext(c), 'seLinuxOptions'), `container '${c.name}'`, c.path, c.name);
    }
    return out;
  },
});
