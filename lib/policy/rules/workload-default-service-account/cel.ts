import { defineCelTranslation } from '../../admission/cel-translation';

/** The ServiceAccount as lib/k8s/service-account.ts podServiceAccount resolves it. */
const SERVICE_ACCOUNT =
  "(variables.podSpec.?serviceAccountName.orValue('') != '' ? variables.podSpec.serviceAccountName : " +
  "variables.podSpec.?serviceAccount.orValue('') != '' ? variables.podSpec.serviceAccount : 'default')";

/**
 * workload-default-service-account: the pod names a ServiceAccount other than `default`. (For Pods the ServiceAccount
 * admission plugin has already filled in `default` when the manifest named none; the verdict is the same.)
 */
export const workloadDefaultServiceAccountCel = defineCelTranslation({
  ruleId: 'workload-default-service-account',
  translate: () => [
    {
      expression: `${SERVICE_ACCOUNT} != 'default'`,
      detail:
        "'pod runs as the default ServiceAccount (' + variables.specPath + '.serviceAccountName is unset or default); set it to a dedicated ServiceAccount'",
    },
  ],
});
