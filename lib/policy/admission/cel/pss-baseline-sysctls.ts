import { celStringList } from '../cel-literal';
import { CelTranslationOptions, defineCelTranslation } from '../cel-translation';
import { atLeast } from '../pss-cel';

/** Namespaced, node-isolated sysctls upstream allows, by the version that added them (check_sysctls.go). */
const ALLOWED_SINCE: readonly (readonly [number, readonly string[]])[] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

export function allowedSysctls(options: CelTranslationOptions): string[] {
  return ALLOWED_SINCE.filter(([minor]) => atLeast(options, minor)).flatMap(([, names]) => names);
}

/** Upstream check `sysctls` (v1.0+, allow-list grows in v1.27, v1.29, v1.32, v1.37). */
export const pssBaselineSysctlsCel = defineCelTranslation({
  ruleId: 'pss-baseline-sysctls',
  translate: (options) => {
    const allowed = allowedSysctls(options);
    const ok = `s.?name.orValue('') in ${celStringList(allowed)}`;
    const sysctls = 'variables.podSpec.?securityContext.?sysctls.orValue([])';
    return [
      {
        expression: `${sysctls}.all(s, ${ok})`,
        detail: `'pod sets forbidden sysctls ' + ${sysctls}.filter(s, !(${ok})).map(s, "'" + s.?name.orValue('') + "'").join(', ') + ' in ' + variables.specPath + '.securityContext.sysctls (allowed: ${allowed.join(', ')})'`,
      },
    ];
  },
});
