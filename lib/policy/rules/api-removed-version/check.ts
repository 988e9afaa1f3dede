import { apiVersionChange, KINDS_WITH_VERSION_CHANGES } from '../../api-versions';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const apiRemovedVersion = defineRule({
  id: 'api-removed-version',
  title: 'Objects must use an API version the target Kubernetes release serves',
  severity: 'error',
  group: 'api',
  scope: 'object',
  kinds: KINDS_WITH_VERSION_CHANGES,
  references: {
    nsa: ['Upgrading and application security practices'],
    owasp: ['K10'],
  },
  remediation:
    'Rewrite the object in the replacement API version (`kubectl convert` or the chart’s newer release); an object of a removed version is refused by the API server, and a refused NetworkPolicy or PodDisruptionBudget protects nothing.',
  check(object, ctx) {
    const change = apiVersionChange(object.apiVersion, object.kind);
    if (!change || ctx.kubernetesVersion < change.removedIn) return NO_VIOLATIONS;
    return [
      {
        message: `${object.kind} ${object.apiVersion} was removed in Kubernetes v1.${change.removedIn} (target v1.${ctx.kubernetesVersion}): the API server refuses it; use ${change.replacement}`,
        path: 'apiVersion',
      },
    ];
  },
});
