import { podServiceAccount } from '../../../k8s/service-account';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const workloadDefaultServiceAccount = defineRule({
  id: 'workload-default-service-account',
  title: 'Pods should not run as the default ServiceAccount',
  severity: 'warning',
  group: 'workload',
  scope: 'pod',
  references: {
    cis: ['5.1.5'],
    nsa: ['Authentication and authorization: role-based access control'],
    owasp: ['K03'],
  },
  remediation:
    'Create a ServiceAccount per workload (with only the RBAC it needs) and set spec.serviceAccountName to it; permissions granted to `default` leak to every pod of the namespace.',
  check(pod) {
    const sa = podServiceAccount(pod);
    if (sa.name !== 'default') return NO_VIOLATIONS;
    if (sa.field === undefined) {
      return [
        {
          message: `pod sets no spec.serviceAccountName, so it runs as the namespace's 'default' ServiceAccount; set it to a dedicated ServiceAccount`,
          path: `${pod.specPath}.serviceAccountName`,
        },
      ];
    }
    return [
      {
        message: `pod sets spec.${sa.field}='default'; set spec.serviceAccountName to a dedicated ServiceAccount`,
        path: `${pod.specPath}.${sa.field}`,
      },
    ];
  },
});
