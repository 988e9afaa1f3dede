import { DefaultDenyNamespace } from '../../lib';
import { audit } from '../../lib/policy';
import { find, shopChart, synth } from '../helpers/charts';

describe('DefaultDenyNamespace', () => {
  const objects = (() => {
    const { chart } = shopChart();
    new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    return synth(chart);
  })();

  it('enforces, audits and warns Pod Security restricted at a pinned version', () => {
    const ns = find(objects, 'Namespace', 'shop');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.30',
    });
  });

  it('denies all ingress and egress for every pod, except DNS to kube-dns', () => {
    const deny = find(objects, 'NetworkPolicy', 'default-deny-all');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = find(objects, 'NetworkPolicy', 'allow-dns');
    expect(dns.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
  });

  it('bounds resources with a ResourceQuota (no NodePorts, no LoadBalancers) and a LimitRange', () => {
    const quota = find(objects, 'ResourceQuota', 'default-quota');
    expect(quota.metadata.namespace).toBe('shop');
    expect(quota.spec.hard).toMatchObject({ 'services.nodeports': '0', 'services.loadbalancers': '0', pods: '100' });
    const limits = find(objects, 'LimitRange', 'default-limits');
    expect(limits.spec.limits[0]).toMatchObject({
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      default: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
    });
    // Its spec is what a LimitRange has: no stray apiVersion or kind (the API server refuses unknown fields).
    expect(Object.keys(limits.spec)).toEqual(['limits']);
    expect(audit(objects, { only: ['schema'] }).findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`)).toEqual([]);
  });

  it("turns off token automount on the namespace's default ServiceAccount", () => {
    const sa = find(objects, 'ServiceAccount', 'default');
    expect(sa.metadata.namespace).toBe('shop');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it('can leave DNS closed, pin another version and raise quotas', () => {
    const { chart } = shopChart();
    new DefaultDenyNamespace(chart, 'batch', {
      allowDns: false,
      podSecurityVersion: 'v1.33',
      quota: { pods: '500', 'requests.cpu': '32' },
    });
    const out = synth(chart);
    expect(out.some((o) => o.metadata.name === 'allow-dns')).toBe(false);
    expect(find(out, 'Namespace', 'batch').metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    expect(find(out, 'ResourceQuota').spec.hard).toMatchObject({
      pods: '500',
      'requests.cpu': '32',
      'limits.cpu': '16',
    });
  });
});
