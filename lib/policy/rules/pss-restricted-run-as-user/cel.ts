import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';
import { PSS_SINCE } from '../../pss-allow-lists';
import { atLeast, unlessUserNamespace } from '../../admission/pss-cel';

/** Upstream check `runAsUser` (v1.23+): runAsUser of the pod and every container must not be 0;
 * from v1.35 pods in a user namespace (spec.hostUsers: false) are exempt. */
export const pssRestrictedRunAsUserCel = defineCelTranslation({
  ruleId: 'pss-restricted-run-as-user',
  translate: (options) =>
    atLeast(options, PSS_SINCE.runAsUser)
      ? [
          {
            expression: 'variables.podSpec.?securityContext.?runAsUser.orValue(1) != 0',
            detail: "'pod sets ' + variables.specPath + '.securityContext.runAsUser=0'",
          },
          everyContainer('c.?securityContext.?runAsUser.orValue(1) != 0', 'must not set securityContext.runAsUser=0'),
        ].map((c) => ({ ...c, expression: unlessUserNamespace(options, c.expression) }))
      : undefined,
});
