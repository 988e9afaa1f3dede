import { celStringList } from '../cel-literal';
import { defineCelTranslation } from '../cel-translation';
import { everyContainer } from '../pod-cel';
import { unlessOverriddenForWindows } from '../pss-cel';

/** The default capability set of container runtimes: adding these is baseline-safe (upstream capabilities_allowed_1_0). */
const ALLOWED = [
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

/**
 * Upstream check `capabilities_baseline` (v1.0+): capabilities.add only from the default set. Replaced by
 * capabilities_restricted at restricted level, which exempts Windows pods from v1.25.
 */
export const pssBaselineCapabilitiesCel = defineCelTranslation({
  ruleId: 'pss-baseline-capabilities',
  translate: (options) =>
    [
      everyContainer(
        `c.?securityContext.?capabilities.?add.orValue([]).all(a, a in ${celStringList(ALLOWED)})`,
        `must not add capabilities beyond ${ALLOWED.join(', ')} in securityContext.capabilities.add`,
      ),
    ].map((c) => ({ ...c, expression: unlessOverriddenForWindows(options, c.expression) })),
});
