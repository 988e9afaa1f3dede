import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { unlessUserNamespace } from '../../admission/pss-cel';

const POD = 'variables.podSpec.?securityContext.?runAsNonRoot';

/**
 * Upstream check `runAsNonRoot` (v1.0+): the pod must not set runAsNonRoot=false, and every container must set
 * runAsNonRoot=true or inherit it from the pod. From v1.35 pods in a user namespace (spec.hostUsers: false) are exempt.
 */
export const pssRestrictedRunAsNonRootCel = defineCelTranslation({
  ruleId: 'pss-restricted-run-as-non-root',
  translate: (options) =>
    [
      {
        expression: `${POD}.orValue(true) != false`,
        detail: "'pod sets ' + variables.specPath + '.securityContext.runAsNonRoot=false'",
      },
      everyContainer(
        `c.?securityContext.?runAsNonRoot.orValue(${POD}.orValue(false)) == true`,
        'must set securityContext.runAsNonRoot=true (or the pod must set it and the container not override it)',
      ),
    ].map((c) => ({ ...c, expression: unlessUserNamespace(options, c.expression) })),
});
