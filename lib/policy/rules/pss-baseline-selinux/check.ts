import { PSS_SINCE, SELINUX_TYPES_V1_0, SELINUX_TYPES_V1_31 } from '../../pss-allow-lists';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';
import {
  containerSecurityContext,
  isSet,
  podContainers,
  podSecurityContext,
  recordField,
  show,
} from '../../pss-fields';

interface AllowedTypes {
  readonly set: ReadonlySet<string>;
  readonly text: string;
}
const V1_0: AllowedTypes = {
  set: new Set(SELINUX_TYPES_V1_0),
  text: 'container_t, container_init_t, container_kvm_t or unset',
};
const V1_31: AllowedTypes = {
  set: new Set(SELINUX_TYPES_V1_31),
  text: 'container_t, container_init_t, container_kvm_t, container_engine_t or unset',
};

const USER_AND_ROLE = ['user', 'role'] as const;

/** Appends the violations of one seLinuxOptions (pod or container): a type outside the list, any user or role. */
function seLinuxViolations(
  opts: Record<string, unknown> | undefined,
  allowed: AllowedTypes,
  path: string,
  who: string,
  container?: string,
  out?: Violation[],
): Violation[] | undefined {
  if (!opts) return out;
  const where = container !== undefined ? { container } : {};
  const type = opts.type ?? '';
  if (!allowed.set.has(type as string)) {
    (out ??= []).push({
      message: `${who} sets securityContext.seLinuxOptions.type=${show(type)}; allowed: ${allowed.text}`,
      path: `${path}.securityContext.seLinuxOptions.type`,
      ...where,
    });
  }
  for (const field of USER_AND_ROLE) {
    if (!isSet(opts[field]) || opts[field] === '') continue;
    (out ??= []).push({
      message: `${who} sets securityContext.seLinuxOptions.${field}=${show(opts[field])}; allowed: unset`,
      path: `${path}.securityContext.seLinuxOptions.${field}`,
      ...where,
    });
  }
  return out;
}

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
    const allowed = ctx.pssVersion >= PSS_SINCE.selinuxContainerEngine ? V1_31 : V1_0;
    let out = seLinuxViolations(recordField(podSecurityContext(pod), 'seLinuxOptions'), allowed, pod.specPath, 'pod');
    for (const c of podContainers(pod)) {
      const opts = recordField(containerSecurityContext(c), 'seLinuxOptions');
      if (opts) out = seLinuxViolations(opts, allowed, c.path, `container '${c.name}'`, c.name, out);
    }
    return out ?? NO_VIOLATIONS;
  },
});
