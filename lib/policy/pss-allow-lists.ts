/**
 * The allow-lists and version thresholds of the Pod Security Standards, as upstream
 * (kubernetes/pod-security-admission, `policy/check_*.go`) defines them. Versions are minor numbers (see
 * pss-version.ts); a behaviour applies to a policy version `v` when `v >= threshold`. The catalog rules in
 * the pss-* rule folders and the CEL admission policies both read these, so that the two cannot drift apart.
 */
export const PSS_SINCE = {
  /** `allowPrivilegeEscalation` (restricted) exists. */
  privilegeEscalation: 8,
  /** seccomp: baseline checks the seccompProfile fields instead of the alpha annotations; restricted seccomp exists. */
  seccompFields: 19,
  /** `capabilities_restricted` exists. */
  restrictedCapabilities: 22,
  /** `runAsUser` (restricted) exists. */
  runAsUser: 23,
  /** Restricted allowPrivilegeEscalation, seccomp and capabilities exempt Windows pods (`spec.os.name: windows`). */
  windowsExemption: 25,
  /** SELinux type `container_engine_t` is allowed. */
  selinuxContainerEngine: 31,
  /** `hostProbesAndHostLifecycle` (baseline) exists. */
  hostProbes: 34,
  /**
   * `spec.hostUsers: false` exempts a pod from runAsNonRoot, runAsUser and baseline procMount; `procMount_restricted`
   * keeps restricted strict.
   */
  userNamespaceRelaxation: 35,
} as const;

/** Capabilities a baseline container may add (exact, case-sensitive names: `chown` and `CAP_CHOWN` are not allowed). */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/** The only capability a restricted container may add; it must also drop `ALL`. */
export const RESTRICTED_ALLOWED_CAPABILITY = 'NET_BIND_SERVICE';

/** Prefix of the per-container AppArmor annotation (deprecated, still checked at every version). */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** Allowed `appArmorProfile.type` values (unset is allowed too). */
export const APPARMOR_ALLOWED_TYPES: readonly string[] = ['RuntimeDefault', 'Localhost'];

/** Allowed `seLinuxOptions.type` values from v1.0 (the empty string is unset). */
export const SELINUX_TYPES_V1_0: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
/** Allowed `seLinuxOptions.type` values from v1.31. */
export const SELINUX_TYPES_V1_31: readonly string[] = [...SELINUX_TYPES_V1_0, 'container_engine_t'];

/** Seccomp alpha annotations, checked by baseline before v1.19. */
export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
/** Allowed `seccompProfile.type` values: restricted requires one of them, baseline also allows unset. */
export const SECCOMP_ALLOWED_TYPES: readonly string[] = ['RuntimeDefault', 'Localhost'];

/** Safe sysctls by the policy version that first allows them; the list only grows. */
export const SAFE_SYSCTLS_BY_VERSION: readonly { readonly since: number; readonly names: readonly string[] }[] = [
  {
    since: 0,
    names: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    since: 29,
    names: [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

/** Every safe sysctl of a policy version, in upstream order. */
export function safeSysctlsAt(version: number): readonly string[] {
  return SAFE_SYSCTLS_BY_VERSION.filter((s) => version >= s.since).flatMap((s) => s.names);
}

/**
 * Volume sources restricted allows. `image` was added to the v1.0 check in place (Kubernetes 1.33), so it is allowed
 * at every policy version. A volume with no source at all is defaulted to emptyDir by the API server.
 */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
