import { LeastPrivilegeServiceAccount } from '../../lib';
import { errorOf, find, shopChart, synth } from '../helpers/charts';

describe('LeastPrivilegeServiceAccount', () => {
  it('without rules is a ServiceAccount with automount off and no RBAC objects', () => {
    const { chart } = shopChart();
    const sa = new LeastPrivilegeServiceAccount(chart, 'worker');
    const objects = synth(chart);
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount']);
    expect(find(objects, 'ServiceAccount', 'worker').automountServiceAccountToken).toBe(false);
    expect(sa.hasApiRules).toBe(false);
  });

  it('grants its rules through a namespaced Role and RoleBinding only', () => {
    const { chart } = shopChart();
    const sa = new LeastPrivilegeServiceAccount(chart, 'api-sa', {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['api-config'] }],
    });
    const objects = synth(chart);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
    expect(objects.some((o) => o.kind.startsWith('Cluster'))).toBe(false);
    expect(find(objects, 'Role', 'api-sa')).toMatchObject({
      metadata: { namespace: 'shop' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['api-config'] }],
    });
    expect(find(objects, 'RoleBinding', 'api-sa')).toMatchObject({
      metadata: { namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'api-sa' },
      subjects: [{ kind: 'ServiceAccount', name: 'api-sa', namespace: 'shop' }],
    });
    expect(sa.hasApiRules).toBe(true);
  });

  it('accepts a refused rule only with a named exemption, recorded on the Role', () => {
    const { chart } = shopChart();
    new LeastPrivilegeServiceAccount(chart, 'operator', {
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
      exemptions: [{ rule: 'rbac-secrets-read', reason: 'cert-rotator lists TLS secrets it owns; reviewed SEC-7' }],
    });
    const role = find(synth(chart), 'Role', 'operator');
    expect(role.metadata.annotations).toEqual({
      'exempt.bulwark.dev/rbac-secrets-read': 'cert-rotator lists TLS secrets it owns; reviewed SEC-7',
    });
  });

  // Issue 14: the RBAC gaps the catalog now has rules for are refused when written, the same rule ids.
  it.each([
    ['rbac-port-forward-proxy', { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }],
    ['rbac-port-forward-proxy', { apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] }],
    ['rbac-workload-create', { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }],
    ['rbac-workload-create', { apiGroups: [''], resources: ['pods'], verbs: ['create'] }],
    ['rbac-policy-write', { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] }],
    [
      'rbac-policy-write',
      {
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['validatingadmissionpolicybindings'],
        verbs: ['patch'],
      },
    ],
    [
      'rbac-csr-approval',
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
    ],
  ])('refuses what %s forbids, unless exempted', (rule, apiRule) => {
    const { chart } = shopChart();
    const message = errorOf(() => new LeastPrivilegeServiceAccount(chart, 'ops', { rules: [apiRule] }));
    expect(message).toMatch(
      new RegExp(`^LeastPrivilegeServiceAccount at 'shop/ops': prop 'rules\\[0\\]\\.\\w+' received .* \\(${rule}: `),
    );
    const ok = shopChart();
    new LeastPrivilegeServiceAccount(ok.chart, 'ops', {
      rules: [apiRule],
      exemptions: [{ rule, reason: 'break-glass role, reviewed in SEC-9' }],
    });
    expect(() => synth(ok.chart)).not.toThrow();
  });
});
