import { BASELINE_CONTROLS } from '../../lib/cluster/baseline/baseline-posture';
import { getPath, PlannedResource, PlanView } from '../../lib/cluster/posture/planned-resource';
import {
  control,
  evaluatePosture,
  expect as want,
  prop,
  ref,
  related,
} from '../../lib/cluster/posture/posture-control';

let seq = 0;
function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}) {
  seq += 1;
  return {
    urn: `urn:pulumi:s::p::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    state: {},
    id: `id-${seq}`,
    ...extra,
  };
}

describe('posture model', () => {
  it('reads dotted, indexed and quoted paths', () => {
    const v = { a: { b: [{ c: 1 }] }, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } };
    expect(getPath(v, 'a.b[0].c')).toBe(1);
    expect(getPath(v, 'labels["pod-security.kubernetes.io/enforce"]')).toBe('restricted');
    expect(getPath(v, 'a.x.y')).toBeUndefined();
  });

  const rotation = control({
    id: 'key-rotation',
    title: 'key rotates',
    references: ['test'],
    targets: [
      {
        resourceType: 'x:cluster',
        checks: [ref('keyArn', 'x:key', 'arn', [prop('rotate', want.equals(true))])],
      },
    ],
  });

  it('fails a control that finds nothing to check: no evidence is not a pass', () => {
    const [result] = evaluatePosture([rotation], new PlanView([]));
    expect(result.status).toBe('fail');
    expect(result.evidence).toEqual([
      {
        resource: '(no x:cluster)',
        property: '-',
        actual: undefined,
        expected: 'at least one registered',
        pass: false,
      },
    ]);
  });

  it('follows a reference to the registered resource that owns the value and checks it there', () => {
    const key = res('x:key', 'k', { rotate: true }, { state: { arn: 'arn:k' } });
    const cluster = res('x:cluster', 'c', { keyArn: 'arn:k' });
    const [ok] = evaluatePosture([rotation], new PlanView([key, cluster]));
    expect(ok.status).toBe('pass');
    expect(ok.evidence.map((e) => [e.resource, e.property, e.actual, e.pass])).toEqual([
      ['x:cluster c', 'keyArn', 'arn:k', true],
      ['x:key k', 'rotate', true, true],
    ]);

    const other = res('x:cluster', 'c', { keyArn: 'arn:elsewhere' });
    const [unknownKey] = evaluatePosture([rotation], new PlanView([key, other]));
    expect(unknownKey.status).toBe('fail');
    expect(unknownKey.evidence).toEqual([
      {
        resource: 'x:cluster c',
        property: 'keyArn',
        actual: 'arn:elsewhere',
        expected: 'the arn of a registered x:key',
        pass: false,
      },
    ]);

    const [noRotation] = evaluatePosture([rotation], new PlanView([{ ...key, inputs: { rotate: false } }, cluster]));
    expect(noRotation.status).toBe('fail');
  });

  it('finds related resources by a relation no input states, and needs at least one', () => {
    const c = control({
      id: 'entries',
      title: 'entries',
      references: [],
      targets: [
        {
          resourceType: 'x:cluster',
          checks: [related('entries', (r, plan) => plan.ofType('x:entry').filter((e) => e.inputs.of === r.name), [])],
        },
      ],
    });
    const cluster = res('x:cluster', 'c', {});
    expect(evaluatePosture([c], new PlanView([cluster]))[0].status).toBe('fail');
    const [pass] = evaluatePosture([c], new PlanView([cluster, res('x:entry', 'e', { of: 'c' })]));
    expect(pass.evidence[0]).toEqual({
      resource: 'x:cluster c',
      property: '(entries)',
      actual: ['x:entry e'],
      expected: 'at least 1',
      pass: true,
    });
  });

  it('has expectations that refuse the near misses', () => {
    expect(want.every(want.equals(1)).test([])).toBe(false);
    expect(want.every(want.field('ebs.encrypted', want.equals('true'))).test([{ ebs: { encrypted: 'true' } }])).toBe(
      true,
    );
    expect(want.every(want.field('ebs.encrypted', want.equals('true'))).test([{ ebs: {} }])).toBe(false);
    expect(want.json('a', want.equals('true')).test('{"a":"true"}')).toBe(true);
    expect(want.json('a', want.equals('true')).test('{"a":true}')).toBe(false);
    expect(want.json('a', want.equals('true')).test('not json')).toBe(false);
    expect(want.durationAtMost(7776000).test('7776000s')).toBe(true);
    expect(want.durationAtMost(7776000).test('7776001s')).toBe(false);
    expect(want.durationAtMost(7776000).test(undefined)).toBe(false);
    expect(want.absent().test([])).toBe(true);
    expect(want.absent().test({ ec2SshKey: 'k' })).toBe(false);
    expect(want.set().test('')).toBe(false);
    expect(want.includesAll(['a', 'b']).test(['b', 'a', 'c'])).toBe(true);
    expect(want.includesAll(['a', 'b']).test(['a'])).toBe(false);
  });
});

describe('baseline posture controls', () => {
  const [namespaces, admission, installed] = BASELINE_CONTROLS;
  const provider = res('pulumi:providers:kubernetes', 'k8s', { kubeconfig: '{"server":"https://api.example"}' });
  const providerRef = `${provider.urn}::${provider.id}`;
  const cluster = res('x:cluster', 'c', {}, { state: { endpoint: 'https://api.example' } });
  const ns = res(
    'kubernetes:core/v1:Namespace',
    'team-a',
    { metadata: { name: 'team-a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { provider: providerRef },
  );
  const denyAll = res(
    'kubernetes:networking.k8s.io/v1:NetworkPolicy',
    'team-a/default-deny-all',
    {
      metadata: { name: 'default-deny-all', namespace: 'team-a' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    { provider: providerRef },
  );

  it('passes namespaces with PSS restricted and a deny-all NetworkPolicy installed through the cluster provider', () => {
    const results = evaluatePosture(BASELINE_CONTROLS, new PlanView([cluster, provider, ns, denyAll]));
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['baseline-default-deny-namespaces', 'pass'],
      ['baseline-admission-policies', 'fail'], // none registered here
      ['baseline-installed-in-new-cluster', 'pass'],
      ['baseline-encrypted-storage-class', 'fail'], // none registered here
      ['baseline-exemption-grants', 'fail'], // no ExemptionGrantSet registered here
    ]);
  });

  it('does not count a policy that allows some traffic as deny-all', () => {
    const allowing = {
      ...denyAll,
      inputs: { ...denyAll.inputs, spec: { ...(denyAll.inputs.spec as object), egress: [{}] } },
    };
    const [result] = evaluatePosture([namespaces], new PlanView([cluster, provider, ns, allowing]));
    expect(result.status).toBe('fail');
  });

  it('fails objects applied through the ambient default provider or a provider for another cluster', () => {
    const ambient = { ...denyAll, provider: undefined };
    const [a] = evaluatePosture([installed], new PlanView([cluster, provider, ns, ambient]));
    expect(a.status).toBe('fail');
    expect(a.evidence).toContainEqual({
      resource: 'kubernetes:networking.k8s.io/v1:NetworkPolicy team-a/default-deny-all',
      property: '(provider)',
      actual: 'default provider (ambient kubeconfig)',
      expected: 'an explicit pulumi:providers:kubernetes',
      pass: false,
    });
    const elsewhere = { ...provider, inputs: { kubeconfig: '{"server":"https://other"}' } };
    const [b] = evaluatePosture([installed], new PlanView([cluster, elsewhere, ns, denyAll]));
    expect(b.status).toBe('fail');
  });

  it('fails admission policies that fail open, lack a binding, or only warn on an error-severity rule', () => {
    const policy = (name: string, severity: string, failurePolicy = 'Fail') =>
      res('kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy', name, {
        metadata: { name, annotations: { 'bulwark.dev/severity': severity } },
        spec: { failurePolicy },
      });
    const binding = (name: string, actions: string[]) =>
      res('kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding', name, {
        metadata: { name },
        spec: { policyName: name, validationActions: actions },
      });
    const good = [
      policy('bulwark-a', 'error'),
      binding('bulwark-a', ['Deny']),
      policy('bulwark-w', 'warning'),
      binding('bulwark-w', ['Warn', 'Audit']),
    ];
    expect(evaluatePosture([admission], new PlanView(good))[0].status).toBe('pass');

    const [bad] = evaluatePosture(
      [admission],
      new PlanView([
        policy('bulwark-a', 'error', 'Ignore'),
        binding('bulwark-a', ['Warn']),
        policy('bulwark-b', 'error'),
      ]),
    );
    expect(bad.status).toBe('fail');
    expect(bad.evidence.map((e) => [e.property, e.actual, e.pass])).toEqual([
      ['spec.failurePolicy', '1 of 2; not: bulwark-a', false],
      ['(binding with spec.policyName)', '1 of 2; not: bulwark-b', false],
      ['(binding spec.validationActions of error rules)', '0 of 2; not: bulwark-a, bulwark-b', false],
    ]);
  });
});
