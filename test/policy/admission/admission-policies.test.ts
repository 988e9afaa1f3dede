import type {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from 'kubernetes-types/admissionregistration/v1';
import { audit, K8sObject, PodRule, ruleById, RULES } from '../../../lib/policy';
import {
  admissionPolicies,
  AdmissionPolicyError,
  POD_RESOURCE_RULES,
  untranslatableRules,
  VALIDATION_ACTIONS,
} from '../../../lib/policy/admission';
import { compilePolicies, CompiledPolicy } from './vap-evaluator';
import { asCronJob, asDeployment } from './workload-wrap';
import { exemptionGrantObjects } from '../../../lib/policy/admission/exemption-grant-objects';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CEL_IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const policiesOf = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy') as unknown as ValidatingAdmissionPolicy[];
const bindingsOf = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding') as unknown as ValidatingAdmissionPolicyBinding[];
const names = (objects: K8sObject[]) => policiesOf(objects).map((p) => p.metadata?.name);

function privilegedPod(annotations?: Record<string, string>, namespace = 'shop'): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace, ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'app', image: 'x', securityContext: { privileged: true } }] },
  };
}

/** Grants of pss-baseline-privileged for the Pod, Deployment and CronJob named `web` in namespace shop. */
const WEB_GRANT = {
  namespace: 'shop',
  name: 'web',
  rule: 'pss-baseline-privileged',
  reason: 'CNI agent',
  approver: 'platform-team',
  expires: '2099-01-01T00:00:00Z',
};
const WEB_GRANTS = ['Pod', 'Deployment', 'CronJob'].map((kind) => ({ ...WEB_GRANT, kind }));

function privileged(options = {}, grants = WEB_GRANTS): CompiledPolicy {
  const [policy] = compilePolicies(
    admissionPolicies({ ...options, only: ['pss-baseline-privileged'] }),
    exemptionGrantObjects(grants),
  );
  return policy;
}

describe('admissionPolicies', () => {
  const objects = admissionPolicies();

  it('emits one policy and one binding per enforceable pod rule at restricted/latest', () => {
    const untranslatable = new Set(untranslatableRules().map((t) => t.ruleId));
    const expected = RULES.filter((r): r is PodRule => r.scope === 'pod')
      .filter((r) => !untranslatable.has(r.id) && r.id !== 'image-registry')
      .map((r) => `bulwark-${r.id}`);
    expect(names(objects)).toEqual(expected);
    expect(bindingsOf(objects).map((b) => b.spec?.policyName)).toEqual(expected);
    expect(objects.length).toBe(2 * expected.length);
  });

  it('emits well-formed admissionregistration.k8s.io/v1 objects', () => {
    const policyNames = new Set(names(objects));
    for (const o of objects) {
      expect(o.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']).toContain(o.kind);
      expect(o.metadata?.name).toMatch(DNS1123_SUBDOMAIN);
      expect((o.metadata?.name ?? '').length).toBeLessThanOrEqual(253);
      expect(o.metadata?.namespace).toBeUndefined();
    }
    for (const b of bindingsOf(objects)) {
      expect(policyNames.has(b.spec?.policyName)).toBe(true);
      const actions = b.spec?.validationActions ?? [];
      expect(actions.length).toBeGreaterThan(0);
      for (const a of actions) expect(VALIDATION_ACTIONS).toContain(a);
      expect(actions.includes('Deny') && actions.includes('Warn')).toBe(false);
    }
    for (const p of policiesOf(objects)) {
      const spec = p.spec ?? {};
      expect(spec.failurePolicy).toBe('Fail');
      expect(spec.matchConstraints?.resourceRules).toEqual(POD_RESOURCE_RULES);
      const variableNames = (spec.variables ?? []).map((v) => v.name);
      for (const n of variableNames) expect(n).toMatch(CEL_IDENTIFIER);
      expect(new Set(variableNames).size).toBe(variableNames.length);
      for (const m of spec.matchConditions ?? []) expect(m.name).toMatch(QUALIFIED_NAME);
      expect(spec.validations?.length).toBeGreaterThan(0);
      for (const v of spec.validations ?? []) {
        expect(v.reason).toBe('Forbidden');
        expect(v.message).not.toMatch(/[\r\n]/);
        expect(v.message?.trim()).not.toBe('');
      }
    }
    // Every expression parses and type-checks in a real CEL engine.
    expect(compilePolicies(objects).length).toBe(policyNames.size);
  });

  it('matches pods, pods/ephemeralcontainers and every workload kind with a pod template on CREATE and UPDATE', () => {
    expect(POD_RESOURCE_RULES.flatMap((r) => r.resources).sort()).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'jobs',
      'pods',
      'pods/ephemeralcontainers',
      'replicasets',
      'replicationcontrollers',
      'statefulsets',
    ]);
    for (const r of POD_RESOURCE_RULES) expect(r.operations).toEqual(['CREATE', 'UPDATE']);
  });

  it('leaves restricted rules out at baseline and rules a PSS version does not have yet', () => {
    expect(
      names(admissionPolicies({ level: 'baseline', only: ['pss'] })).every((n) =>
        n?.startsWith('bulwark-pss-baseline-'),
      ),
    ).toBe(true);
    const v10 = names(admissionPolicies({ pssVersion: 'v1.0', only: ['pss'] }));
    for (const later of [
      'pss-baseline-host-probes',
      'pss-restricted-privilege-escalation',
      'pss-restricted-seccomp',
      'pss-restricted-capabilities',
      'pss-restricted-run-as-user',
      'pss-restricted-proc-mount',
    ]) {
      expect(v10).not.toContain(`bulwark-${later}`);
    }
    expect(v10).toContain('bulwark-pss-restricted-run-as-non-root');
    expect(
      policiesOf(admissionPolicies({ pssVersion: 'v1.30', only: ['pss-baseline-sysctls'] }))[0].metadata?.annotations,
    ).toEqual({
      'bulwark.dev/title': ruleById('pss-baseline-sysctls')?.title,
      'bulwark.dev/severity': 'error',
      'bulwark.dev/pss-level': 'restricted',
      'bulwark.dev/pss-version': 'v1.30',
    });
  });

  it('selects rules like --only and emits image-registry only with allowed registries', () => {
    expect(
      admissionPolicies({ only: ['pss-baseline-privileged'] }).map((o) => `${o.kind}/${o.metadata?.name}`),
    ).toEqual([
      'ValidatingAdmissionPolicy/bulwark-pss-baseline-privileged',
      'ValidatingAdmissionPolicyBinding/bulwark-pss-baseline-privileged',
    ]);
    expect(names(admissionPolicies({ only: ['image'] }))).toEqual(['bulwark-image-digest']);
    expect(names(admissionPolicies({ only: ['image'], allowedRegistries: ['ghcr.io/acme'] }))).toEqual([
      'bulwark-image-digest',
      'bulwark-image-registry',
    ]);
    expect(() => admissionPolicies({ only: ['nope'] })).toThrow(
      "unknown rule or group 'nope': use a group (pss, workload, image, rbac, network, service, secret, ingress, api, schema) or a rule id (see docs/rules.md)",
    );
  });

  it('binds error rules with validationActions and warning rules with warningValidationActions', () => {
    const actions = (objs: K8sObject[]) =>
      Object.fromEntries(bindingsOf(objs).map((b) => [b.spec?.policyName, b.spec?.validationActions]));
    const byDefault = actions(admissionPolicies({ only: ['workload'] }));
    expect(byDefault).toEqual({
      'bulwark-workload-default-service-account': ['Warn', 'Audit'],
      'bulwark-workload-probes': ['Warn', 'Audit'],
      'bulwark-workload-read-only-root-filesystem': ['Deny'],
      'bulwark-workload-resources': ['Deny'],
    });
    const dryRun = actions(admissionPolicies({ only: ['workload'], validationActions: ['Warn', 'Audit'] }));
    expect(dryRun['bulwark-workload-resources']).toEqual(['Warn', 'Audit']);
    expect(dryRun['bulwark-workload-probes']).toEqual(['Warn', 'Audit']);
  });

  it('refuses bad options with what is allowed', () => {
    expect(() => admissionPolicies({ pssVersion: 'v2.0' })).toThrow(
      new AdmissionPolicyError("admission policies: invalid pssVersion 'v2.0': use vX.Y (v1.0 to v1.37) or latest"),
    );
    expect(() => admissionPolicies({ level: 'strict' as 'baseline' })).toThrow(
      "admission policies: invalid level 'strict': use baseline or restricted",
    );
    expect(() => admissionPolicies({ validationActions: [] })).toThrow(
      "admission policies: invalid validationActions []: use a non-empty set of Deny, Warn, Audit without duplicates (e.g. ['Deny'], or ['Warn', 'Audit'] for a dry run)",
    );
    expect(() => admissionPolicies({ validationActions: ['Block' as 'Deny'] })).toThrow(
      "admission policies: invalid validationActions [Block]: use a non-empty set of Deny, Warn, Audit without duplicates (e.g. ['Deny'], or ['Warn', 'Audit'] for a dry run)",
    );
    expect(() => admissionPolicies({ warningValidationActions: ['Warn', 'Warn'] })).toThrow(
      "admission policies: invalid warningValidationActions [Warn, Warn]: use a non-empty set of Deny, Warn, Audit without duplicates (e.g. ['Deny'], or ['Warn', 'Audit'] for a dry run)",
    );
    expect(() => admissionPolicies({ validationActions: ['Deny', 'Warn'] })).toThrow(
      "admission policies: invalid validationActions [Deny, Warn]: Deny and Warn may not be combined (a denial already returns the message); use ['Deny'] or ['Deny', 'Audit']",
    );
  });
});

describe('generated policies in CEL', () => {
  it('deny with a message naming the object, container, field, rule, fix and exemption', () => {
    const outcome = privileged().evaluate({ object: privilegedPod() });
    expect(outcome.violations).toEqual([
      `Pod web: container 'app' must not set securityContext.privileged=true [pss-baseline-privileged] fix: ${ruleById('pss-baseline-privileged')?.remediation} To exempt, annotate the pod template with exempt.bulwark.dev/pss-baseline-privileged: <reason> and have the platform team grant it in ExemptionGrantSet bulwark.`,
    ]);
    expect(outcome.errors).toEqual([]);
  });

  it('skip kube-system by default and follow a given namespaceSelector', () => {
    expect(privileged().evaluate({ object: privilegedPod(undefined, 'kube-system') }).matched).toBe(false);
    expect(privileged().evaluate({ object: privilegedPod(undefined, 'shop') }).denied).toBe(true);
    const onlyLabelled = privileged({ namespaceSelector: { matchLabels: { 'bulwark.dev/enforce': 'true' } } });
    expect(onlyLabelled.evaluate({ object: privilegedPod() }).matched).toBe(false);
    expect(
      onlyLabelled.evaluate({ object: privilegedPod(), namespaceLabels: { 'bulwark.dev/enforce': 'true' } }).denied,
    ).toBe(true);
  });

  describe('granted exemption annotations skip the rule exactly where the TypeScript engine (given the grants) exempts it', () => {
    const key = 'exempt.bulwark.dev/pss-baseline-privileged';
    const cases: [string, K8sObject, boolean][] = [
      ['Pod annotated', privilegedPod({ [key]: 'CNI agent needs it' }), true],
      ['Pod with a blank reason', privilegedPod({ [key]: ' \u00a0\t' }), false],
      ['Pod exempt from another rule', privilegedPod({ 'exempt.bulwark.dev/pss-baseline-host-ports': 'ok' }), false],
      ['Deployment annotated on its template', asDeployment(privilegedPod({ [key]: 'needed' })), true],
      [
        'Deployment annotated on the object only',
        {
          ...asDeployment(privilegedPod()),
          metadata: { name: 'web', namespace: 'shop', annotations: { [key]: 'needed' } },
        },
        true,
      ],
      ['CronJob annotated on its template', asCronJob(privilegedPod({ [key]: 'needed' })), true],
      ['CronJob not annotated', asCronJob(privilegedPod()), false],
    ];
    it.each(cases)('%s', (_label, object, exempt) => {
      const outcome = privileged().evaluate({ object });
      expect(outcome.skipped).toBe(exempt);
      expect(outcome.denied).toBe(!exempt);
      const ts = audit([object], { only: ['pss-baseline-privileged'], grants: WEB_GRANTS });
      expect(ts.findings.length === 0).toBe(exempt);
      expect(ts.exempted.length > 0).toBe(exempt);
    });
  });

  describe('on UPDATE', () => {
    const old = privilegedPod({ team: 'a' });
    it('skip metadata-only changes, so that pods admitted before the policy can still be relabelled and deleted', () => {
      const relabelled = { ...old, metadata: { ...old.metadata, labels: { version: '2' }, finalizers: [] } };
      expect(privileged().evaluate({ object: relabelled, oldObject: old, operation: 'UPDATE' }).skipped).toBe(true);
    });
    it('validate spec changes', () => {
      const changed = { ...old, spec: { ...(old.spec as object), activeDeadlineSeconds: 60 } };
      expect(privileged().evaluate({ object: changed, oldObject: old, operation: 'UPDATE' }).denied).toBe(true);
    });
    it('validate removing an exemption', () => {
      const exempt = privilegedPod({ 'exempt.bulwark.dev/pss-baseline-privileged': 'temporary' });
      expect(privileged().evaluate({ object: privilegedPod({}), oldObject: exempt, operation: 'UPDATE' }).denied).toBe(
        true,
      );
    });
    it('validate a Deployment whose pod spec changes, not one that only scales or relabels its pods', () => {
      const deployment = asDeployment(privilegedPod());
      const scaled = { ...deployment, spec: { ...(deployment.spec as object), replicas: 5 } };
      expect(privileged().evaluate({ object: scaled, oldObject: deployment, operation: 'UPDATE' }).skipped).toBe(true);
      const retemplated = asDeployment({ ...privilegedPod(), metadata: { name: 'web', labels: { app: 'web2' } } });
      expect(privileged().evaluate({ object: retemplated, oldObject: deployment, operation: 'UPDATE' }).skipped).toBe(
        true,
      );
      const respecced = asDeployment({
        ...privilegedPod(),
        spec: { containers: [{ name: 'app', image: 'y', securityContext: { privileged: true } }] },
      });
      expect(privileged().evaluate({ object: respecced, oldObject: deployment, operation: 'UPDATE' }).denied).toBe(
        true,
      );
    });
  });
});
