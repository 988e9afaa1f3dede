import { apiVersionChange, KINDS_WITH_VERSION_CHANGES } from '../../api-versions';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const apiDeprecatedVersion = defineRule({
  id: 'api-deprecated-version',
  title: 'Objects should not use an API version deprecated in the target Kubernetes release',
  severity: 'warning',
  group: 'api',
  scope: 'object',
  kinds: KINDS_WITH_VERSION_CHANGES,
  references: {
    nsa: ['Upgrading and application security practices'],
    owasp: ['K10'],
  },
  remediation:
    'Move the object to the replacement API version now, before the release that removes the old one (the upgrade would otherwise refuse it).',
  check(object, ctx) {
    const change = apiVersionChange(object.apiVersion, object.kind);
    if (!change || ctx.kubernetesVersion < change.deprecatedIn || ctx.kubernetesVersion >= change.removedIn) {
      return NO_VIOLATIONS;
    }
    return [
      {
        message: `${object.kind} ${object.apiVersion} is deprecated since Kubernetes v1.${change.deprecatedIn} and removed in v1.${change.removedIn} (target v1.${ctx.kubernetesVersion}); use ${change.replacement}`,
        path: 'apiVersion',
      },
    ];
  },
});
