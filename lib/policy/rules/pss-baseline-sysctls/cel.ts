import { safeSysctlsAt } from '../../pss-allow-lists';
import { celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';

/** Upstream check `sysctls` (v1.0+; the allow-list grows in v1.27, v1.29, v1.32 and v1.37). */
export const pssBaselineSysctlsCel = defineCelTranslation({
  ruleId: 'pss-baseline-sysctls',
  translate: (options) => {
    const allowed = safeSysctlsAt(options.pssVersion);
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
