import { defineRule, NO_VIOLATIONS } from '../../rule';

const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';

export const secretServiceAccountToken = defineRule({
  id: 'secret-service-account-token',
  title: 'Service account tokens should not be long-lived Secrets',
  severity: 'warning',
  group: 'secret',
  scope: 'object',
  kinds: ['Secret'],
  references: {
    cis: ['5.1.6'],
    nsa: ['Authentication and authorization: service account tokens'],
    owasp: ['K03', 'K06'],
  },
  remediation:
    'Let pods get short-lived, audience-bound tokens from the TokenRequest API (the projected serviceAccountToken volume, the default since v1.22), or `kubectl create token` for a person; delete the Secret so the token it holds stops working.',
  check(object) {
    if (object.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return NO_VIOLATIONS;
    const account = object.metadata?.annotations?.['kubernetes.io/service-account.name'];
    const whose = typeof account === 'string' && account !== '' ? `ServiceAccount '${account}'` : 'a ServiceAccount';
    return [
      {
        message: `Secret of type ${SERVICE_ACCOUNT_TOKEN_TYPE} asks the token controller for a token of ${whose} that never expires and is not bound to a pod; use TokenRequest (projected) tokens instead`,
        path: 'type',
      },
    ];
  },
});
