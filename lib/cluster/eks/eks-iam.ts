/** An IAM or KMS policy document. */
export function policyDocument(statements: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Trust policy of a role assumed by one Kubernetes service account through IRSA (the cluster's OIDC provider). */
export function irsaTrustPolicy(
  oidcProviderArn: string,
  issuerHost: string,
  namespace: string,
  account: string,
): string {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Federated: oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${issuerHost}:sub`]: `system:serviceaccount:${namespace}:${account}`,
          [`${issuerHost}:aud`]: 'sts.amazonaws.com',
        },
      },
    },
  ]);
}
