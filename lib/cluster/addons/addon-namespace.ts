import type { K8sObject } from '../../k8s/k8s-object';

/**
 * The objects every privileged add-on (falco, kube-bench) runs in: its own namespace, labelled Pod Security
 * `privileged` to enforce (what it needs is outside baseline) and `restricted` to warn and audit, so bulwark's admission
 * policies, which admit only the granted workload, are what holds it; a ServiceAccount without an API token; and a
 * deny-all NetworkPolicy (the add-ons write to standard output and need no network).
 */
export function addonNamespaceObjects(addon: string, namespace: string, name: string): K8sObject[] {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'bulwark' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          'bulwark.dev/addon': addon,
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-all', namespace, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}
