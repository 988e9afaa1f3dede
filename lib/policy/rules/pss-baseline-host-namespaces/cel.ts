import { defineCelTranslation } from '../../admission/cel-translation';

const FIELDS = "['hostNetwork', 'hostPID', 'hostIPC']";

/** Upstream check `hostNamespaces` (v1.0+): hostNetwork, hostPID and hostIPC must not be true. */
export const pssBaselineHostNamespacesCel = defineCelTranslation({
  ruleId: 'pss-baseline-host-namespaces',
  translate: () => [
    {
      expression: `${FIELDS}.all(f, variables.podSpec[?f].orValue(false) != true)`,
      detail: `'pod sets ' + ${FIELDS}.filter(f, variables.podSpec[?f].orValue(false) == true).map(f, variables.specPath + '.' + f + '=true').join(', ')`,
    },
  ],
});
