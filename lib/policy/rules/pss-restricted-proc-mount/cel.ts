import { defineCelTranslation } from '../../admission/cel-translation';
import { PSS_SINCE } from '../../pss-allow-lists';
import { atLeast } from '../../admission/pss-cel';
import { procMountDefault } from '../pss-baseline-proc-mount/cel';

/** Upstream check `procMount_restricted` (v1.35+): procMount unset or Default, even in a user namespace. */
export const pssRestrictedProcMountCel = defineCelTranslation({
  ruleId: 'pss-restricted-proc-mount',
  translate: (options) => (atLeast(options, PSS_SINCE.userNamespaceRelaxation) ? [procMountDefault()] : undefined),
});
