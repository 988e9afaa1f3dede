import { defineCelTranslation } from '../../admission/cel-translation';

export const workloadServiceAccountPowersCel = defineCelTranslation({
  ruleId: 'workload-service-account-powers',
  untranslatable:
    "the verdict depends on the RoleBindings, ClusterRoleBindings and roles that name the pod's ServiceAccount, which a ValidatingAdmissionPolicy cannot read (CEL sees only the request, its params and namespace); the RBAC rules judge those roles at admission themselves",
});
