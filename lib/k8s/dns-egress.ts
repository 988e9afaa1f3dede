/**
 * The NetworkPolicy egress rule every default-deny namespace keeps open: DNS (UDP and TCP 53) to the cluster's
 * kube-dns pods in kube-system, and nothing else. Shared by DefaultDenyNamespace and the add-ons' namespaces, whose
 * pods must resolve names and reach nothing more by it. Frozen: it is rendered and compared, never changed.
 */
export const DNS_EGRESS_RULE = Object.freeze({
  to: Object.freeze([
    Object.freeze({
      namespaceSelector: Object.freeze({
        matchLabels: Object.freeze({ 'kubernetes.io/metadata.name': 'kube-system' }),
      }),
      podSelector: Object.freeze({ matchLabels: Object.freeze({ 'k8s-app': 'kube-dns' }) }),
    }),
  ]),
  ports: Object.freeze([Object.freeze({ protocol: 'UDP', port: 53 }), Object.freeze({ protocol: 'TCP', port: 53 })]),
});
