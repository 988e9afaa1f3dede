import { Auditor, K8sObject, RULES } from '../../../lib/policy';
import { admissionPolicies } from '../../../lib/policy/admission';
import { exemptionGrantObjects } from '../../../lib/policy/admission/exemption-grant-objects';
import { ExemptionGrant, grantSetObject, grantsOfObjects } from '../../../lib/policy/exemption-grants';
import { exemptionAnnotationKey } from '../../../lib/policy/exemption-annotations';
import { AdmissionRequest, compilePolicies, CompiledPolicy } from './vap-evaluator';
import { CONTROLLER_LINKS } from '../../../lib/policy/exemption-grants';
import { asCronJob, asDeployment } from './workload-wrap';

/**
 * Exemptions are granted, not declared: the real generated policies on the CEL engine, with the grant set as their
 * parameter. Every verdict is compared with the TypeScript engine given the same grants and the same time.
 */

const NOW = new Date('2026-11-30T08:00:00Z');
const POLICIES = admissionPolicies();
const POD_RULES = RULES.filter((r) => r.scope === 'pod').map((r) => r.id);

/** A privileged hostPID pod running as root with SYS_ADMIN and hostPath / in namespace shop. */
function hostilePod(annotations?: Record<string, string>, name = 'agent', namespace = 'shop'): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'agent' }, ...(annotations ? { annotations } : {}) },
    spec: {
      hostPID: true,
      containers: [
        {
          name: 'agent',
          image: 'registry.example.com/agent:1.0',
          securityContext: { privileged: true, runAsUser: 0, capabilities: { add: ['SYS_ADMIN'] } },
          volumeMounts: [{ name: 'root', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
    },
  };
}

/** The author's own annotations: an exemption from every pod rule. */
function selfExempt(reason = 'the agent needs it'): Record<string, string> {
  return Object.fromEntries(POD_RULES.map((id) => [exemptionAnnotationKey(id), reason]));
}

function grantsFor(rules: readonly string[], over: Partial<ExemptionGrant> = {}): ExemptionGrant[] {
  return rules.map((rule) => ({
    namespace: 'shop',
    kind: 'Pod',
    name: 'agent',
    rule,
    reason: 'approved for the node agent',
    approver: 'platform-team (TICKET-7)',
    expires: '2027-06-01T00:00:00Z',
    ...over,
  }));
}

function evaluate(policies: readonly CompiledPolicy[], req: AdmissionRequest) {
  const outcomes = policies.map((p) => ({ name: p.name, ...p.evaluate({ now: NOW, ...req }) }));
  return {
    denying: outcomes.filter((o) => o.denied),
    matched: outcomes.filter((o) => o.matched).length,
  };
}

const ruleOf = (policyName: string) => policyName.replace(/^bulwark-/, '');
/** The rules admission enforces (the others need objects admission does not see, e.g. NetworkPolicies). */
const ENFORCED = new Set(compilePolicies(POLICIES).map((p) => ruleOf(p.name)));

/** Enforced rules the TypeScript engine reports for the object (its non-exempted findings) given the grants. */
function tsRules(object: K8sObject, grants: readonly ExemptionGrant[], now = NOW): string[] {
  const result = new Auditor({ grants, now }).audit([object]);
  return [...new Set(result.findings.map((f) => f.ruleId))].filter((r) => ENFORCED.has(r));
}

describe('exemption grants on the generated admission policies (CEL engine)', () => {
  const empty = compilePolicies(POLICIES, exemptionGrantObjects([]));
  const bare = hostilePod();
  const before = evaluate(empty, { object: bare });
  const violated = before.denying.map((o) => ruleOf(o.name));

  it('denies the hostile pod without annotations (the baseline count)', () => {
    expect(before.matched).toBe(compilePolicies(POLICIES).length);
    expect(violated.length).toBeGreaterThanOrEqual(11);
    expect(violated).toEqual(
      expect.arrayContaining(['pss-baseline-privileged', 'pss-baseline-host-namespaces', 'pss-baseline-capabilities']),
    );
    // The TypeScript engine (pod rules that have CEL) agrees on which rules the pod violates.
    const enforced = new Set(compilePolicies(POLICIES).map((p) => ruleOf(p.name)));
    expect(
      tsRules(bare, [])
        .filter((r) => enforced.has(r))
        .sort(),
    ).toEqual([...violated].sort());
  });

  it('denies the self-annotated pod by the same policies, each saying the exemption is not granted', () => {
    const object = hostilePod(selfExempt());
    const after = evaluate(empty, { object });
    expect(after.denying.map((o) => o.name)).toEqual(before.denying.map((o) => o.name));
    for (const o of after.denying) {
      const key = exemptionAnnotationKey(ruleOf(o.name));
      expect(o.violations.length).toBeGreaterThan(0);
      for (const v of o.violations) {
        expect(v).toContain(
          ` The exemption ${key} is not granted: no grant in ExemptionGrantSet bulwark names this rule for this object in namespace shop; ask the platform team to grant it (bulwark synth writes the request).`,
        );
      }
    }
    expect(
      tsRules(object, [])
        .filter((r) => violated.includes(r))
        .sort(),
    ).toEqual([...violated].sort());
    // Printed as evidence: how many policies deny the pod with and without its own annotations.
    console.log(
      `self-exemption: ${before.denying.length} of ${before.matched} policies deny the hostile pod; ` +
        `with ${POD_RULES.length} self-written exemption annotations and no grant: ${after.denying.length} of ${after.matched}`,
    );
  });

  it('admits the annotated pod when every violated rule is granted, and only then', () => {
    const object = hostilePod(selfExempt());
    const granted = evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grantsFor(violated))), { object });
    expect(granted.denying).toEqual([]);
    expect(tsRules(object, grantsFor(violated))).toEqual([]);
    // One grant missing: exactly that rule denies.
    const partial = grantsFor(violated.filter((r) => r !== 'pss-baseline-privileged'));
    const missing = evaluate(compilePolicies(POLICIES, exemptionGrantObjects(partial)), { object });
    expect(missing.denying.map((o) => o.name)).toEqual(['bulwark-pss-baseline-privileged']);
    expect(tsRules(object, partial)).toEqual(['pss-baseline-privileged']);
  });

  it('does not exempt a granted pod that carries no annotation: the request must be visible on the object', () => {
    const policies = compilePolicies(POLICIES, exemptionGrantObjects(grantsFor(violated)));
    expect(evaluate(policies, { object: bare }).denying.length).toBe(before.denying.length);
  });

  describe('denies, as the engine does, when the grant does not fit', () => {
    const object = hostilePod(selfExempt());
    const cases: [string, ExemptionGrant[], string][] = [
      [
        'expired',
        grantsFor(violated, { expires: '2026-11-30T07:59:59Z' }),
        'its grant in ExemptionGrantSet bulwark has expired',
      ],
      ['for another namespace', grantsFor(violated, { namespace: 'shop2' }), 'no grant in ExemptionGrantSet bulwark'],
      ['for another object', grantsFor(violated, { name: 'agent2' }), 'no grant in ExemptionGrantSet bulwark'],
      [
        'for other rules',
        grantsFor(POD_RULES.filter((r) => !violated.includes(r))),
        'no grant in ExemptionGrantSet bulwark',
      ],
      [
        'with a selector that does not match',
        grantsFor(violated, { kind: undefined, name: undefined, selector: { matchLabels: { app: 'other' } } }),
        'no grant in ExemptionGrantSet bulwark',
      ],
    ];
    it.each(cases)('a grant %s', (_label, grants, text) => {
      const outcome = evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grants)), { object });
      expect(outcome.denying.map((o) => o.name)).toEqual(before.denying.map((o) => o.name));
      for (const o of outcome.denying) for (const v of o.violations) expect(v).toContain(text);
      expect(
        tsRules(object, grants)
          .filter((r) => violated.includes(r))
          .sort(),
      ).toEqual([...violated].sort());
    });

    it('a grant that ends the second the pod is created', () => {
      const grants = grantsFor(violated, { expires: '2026-11-30T08:00:00Z' });
      expect(evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grants)), { object }).denying.length).toBe(
        violated.length,
      );
      expect(tsRules(object, grants).filter((r) => violated.includes(r)).length).toBe(violated.length);
      const later = grantsFor(violated, { expires: '2026-11-30T08:00:01Z' });
      expect(evaluate(compilePolicies(POLICIES, exemptionGrantObjects(later)), { object }).denying).toEqual([]);
      expect(tsRules(object, later)).toEqual([]);
    });
  });

  it('admits a pod matched by a grant selector', () => {
    const grants = grantsFor(violated, {
      kind: undefined,
      name: undefined,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['agent'] }] },
    });
    const object = hostilePod(selfExempt());
    expect(evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grants)), { object }).denying).toEqual([]);
    expect(tsRules(object, grants)).toEqual([]);
  });

  it.each([
    ['only U+200B', '\u200b\u200b\u200b'],
    ['only whitespace and format characters', ' \u00a0\u2060\ufeff\u202e\t'],
    ['a Hangul filler', '\u3164'],
    ['tag characters', '\u{e0041}\u{e0042}'],
    ['501 characters', 'x'.repeat(501)],
  ])('denies a granted pod whose annotation reason is %s, saying the annotation is ignored', (_label, reason) => {
    const object = hostilePod(selfExempt(reason));
    const outcome = evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grantsFor(violated))), { object });
    expect(outcome.denying.length).toBe(violated.length);
    for (const o of outcome.denying) {
      for (const v of o.violations) expect(v).toContain('is ignored: its reason must hold visible text');
    }
    expect(tsRules(object, grantsFor(violated)).filter((r) => violated.includes(r)).length).toBe(violated.length);
  });

  it('ignores a grant whose own reason or approver is invisible (as the CRD schema would refuse it)', () => {
    const object = hostilePod(selfExempt());
    const invisible = grantsFor(violated, { approver: '\u200b' });
    expect(evaluate(compilePolicies(POLICIES, exemptionGrantObjects(invisible)), { object }).denying.length).toBe(
      violated.length,
    );
  });

  it('denies every matched request when the grant set is missing (parameterNotFoundAction: Deny)', () => {
    const outcome = evaluate(compilePolicies(POLICIES, []), { object: hostilePod(selfExempt()) });
    expect(outcome.denying.length).toBe(outcome.matched);
    expect(outcome.denying[0].errors).toEqual([
      'no params found for policy binding with `Deny` parameterNotFoundAction',
    ]);
  });

  it('judges expiry by the time the API server stamps: a creationTimestamp the client sends does not count', () => {
    const grants = grantsFor(violated, { expires: '2026-11-01T00:00:00Z' });
    const object = hostilePod(selfExempt());
    const backdated = { ...object, metadata: { ...object.metadata, creationTimestamp: '2026-01-01T00:00:00Z' } };
    expect(
      evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grants)), { object: backdated }).denying.length,
    ).toBe(violated.length);
  });

  it('on UPDATE, judges expiry by the managedFields time of the change, not by the old creationTimestamp', () => {
    const grants = grantsFor(violated, { kind: 'Deployment', expires: '2026-11-01T00:00:00Z' });
    const policies = compilePolicies(POLICIES, exemptionGrantObjects(grants));
    const deployment = asDeployment(hostilePod(selfExempt()));
    const old: K8sObject = {
      ...deployment,
      metadata: { ...deployment.metadata, creationTimestamp: '2026-10-01T00:00:00Z' },
    };
    const oldSpec = old.spec as { template: { spec: Record<string, unknown> } };
    const changed = {
      ...old,
      spec: { ...oldSpec, template: { ...oldSpec.template, spec: { ...oldSpec.template.spec, hostIPC: true } } },
    };
    const update = { object: changed, oldObject: old, operation: 'UPDATE' as const };
    // Before the expiry the change is admitted; after it (NOW), denied.
    expect(evaluate(policies, { ...update, now: new Date('2026-10-15T00:00:00Z') }).denying).toEqual([]);
    expect(evaluate(policies, update).denying.length).toBeGreaterThanOrEqual(violated.length);
  });

  describe("a grant naming a workload covers the objects its controller creates, and no other workload's", () => {
    const grants = grantsFor(violated, { kind: 'Deployment', name: 'api' });
    const policies = compilePolicies(POLICIES, exemptionGrantObjects(grants));
    const controller = (name: string) => `system:serviceaccount:kube-system:${name}`;
    const owned = (
      kind: string,
      name: string,
      owner: { kind: string; name: string; controller?: boolean },
      labels: Record<string, string> = {},
    ): K8sObject => {
      const pod = hostilePod(selfExempt(), name);
      const ownerReferences = [
        { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: 'u', controller: owner.controller ?? true },
      ];
      const podMeta = { ...pod.metadata, labels: { ...(pod.metadata?.labels ?? {}), ...labels } };
      if (kind === 'Pod') return { ...pod, metadata: { ...podMeta, ownerReferences } };
      const workload = asDeployment({ ...pod, metadata: podMeta });
      return { ...workload, kind, metadata: { ...workload.metadata, ownerReferences } };
    };
    const rsPod = owned(
      'Pod',
      'api-5d4f8-x2x9q',
      { kind: 'ReplicaSet', name: 'api-5d4f8' },
      { 'pod-template-hash': '5d4f8' },
    );
    const cases: [string, K8sObject, string | undefined, boolean][] = [
      ['the Deployment api', asDeployment(hostilePod(selfExempt(), 'api')), undefined, true],
      [
        'its ReplicaSet',
        owned('ReplicaSet', 'api-5d4f8', { kind: 'Deployment', name: 'api' }),
        'deployment-controller',
        true,
      ],
      ['its Pod', rsPod, 'replicaset-controller', true],
      ['its Pod, created by kube-controller-manager without service account credentials', rsPod, 'KCM', true],
      // A workload's author can write any ownerReference, but cannot act as the controllers.
      ['its Pod, created by the author with a forged ownerReference', rsPod, undefined, false],
      ['its Pod, created by another controller', rsPod, 'daemon-set-controller', false],
      [
        'a ReplicaSet the author creates with a forged owner',
        owned('ReplicaSet', 'api-5d4f8', { kind: 'Deployment', name: 'api' }),
        undefined,
        false,
      ],
      // Same name, other kind: the grant names the Deployment api, not anything called api.
      ['a Pod named api', hostilePod(selfExempt(), 'api'), undefined, false],
      ['a CronJob named api', asCronJob(hostilePod(selfExempt(), 'api')), undefined, false],
      [
        'a DaemonSet Pod of a DaemonSet named api',
        owned('Pod', 'api-7xk2p', { kind: 'DaemonSet', name: 'api' }),
        'daemon-set-controller',
        false,
      ],
      [
        'a Pod of a Job named api-29001234',
        owned('Pod', 'api-29001234-abcde', { kind: 'Job', name: 'api-29001234' }),
        'job-controller',
        false,
      ],
      [
        'a Pod of Deployment api-admin',
        owned(
          'Pod',
          'api-admin-5d4f8-x2x9q',
          { kind: 'ReplicaSet', name: 'api-admin-5d4f8' },
          { 'pod-template-hash': '5d4f8' },
        ),
        'replicaset-controller',
        false,
      ],
      [
        'a Pod whose owner is not its controller',
        owned(
          'Pod',
          'p',
          { kind: 'ReplicaSet', name: 'api-5d4f8', controller: false },
          { 'pod-template-hash': '5d4f8' },
        ),
        'replicaset-controller',
        false,
      ],
    ];
    it.each(cases)('%s', (_label, object, creator, admitted) => {
      const username = creator === 'KCM' ? 'system:kube-controller-manager' : creator && controller(creator);
      const outcome = evaluate(policies, { object, ...(username ? { username } : {}) });
      expect(outcome.denying.length === 0).toBe(admitted);
      // The engine has no identity: it follows an ownerReference only to an owner in the audited input.
      if (!creator) expect(tsRules(object, grants).filter((r) => violated.includes(r)).length === 0).toBe(admitted);
    });

    it('the engine follows ownerReferences to owners in the input: Deployment, ReplicaSet and Pod together', () => {
      const deployment = {
        ...asDeployment(hostilePod(selfExempt(), 'api')),
        metadata: { name: 'api', namespace: 'shop', uid: 'd1', annotations: selfExempt() },
      };
      const rs = owned('ReplicaSet', 'api-5d4f8', { kind: 'Deployment', name: 'api' });
      const rsWithUid = {
        ...rs,
        metadata: {
          ...rs.metadata,
          uid: 'r1',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd1', controller: true }],
        },
      };
      const pod = {
        ...rsPod,
        metadata: {
          ...rsPod.metadata,
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-5d4f8', uid: 'r1', controller: true },
          ],
        },
      };
      const all = [deployment, rsWithUid, pod];
      expect(new Auditor({ grants, now: NOW }).audit(all).findings.filter((f) => violated.includes(f.ruleId))).toEqual(
        [],
      );
      // The pod alone, or with an owner of another uid: not granted.
      expect(tsRules(pod, grants).length).toBeGreaterThan(0);
      const otherUid = { ...rsWithUid, metadata: { ...rsWithUid.metadata, uid: 'r2' } };
      const result = new Auditor({ grants, now: NOW }).audit([deployment, otherUid, pod]);
      expect(result.findings.filter((f) => f.object.kind === 'Pod').map((f) => f.exemption?.status)).toContain(
        'not-granted',
      );
    });

    it('every controller link of the engine is one admission follows', () => {
      expect(CONTROLLER_LINKS.map((l) => `${l.owner}->${l.object}`)).toEqual([
        'Deployment->ReplicaSet',
        'CronJob->Job',
        'ReplicaSet->Pod',
        'DaemonSet->Pod',
        'StatefulSet->Pod',
        'Job->Pod',
        'ReplicationController->Pod',
      ]);
      for (const link of CONTROLLER_LINKS.filter((l) => l.object === 'Pod' && l.owner !== 'ReplicaSet')) {
        const g = grantsFor(violated, { kind: link.owner, name: 'w' });
        const pod = owned('Pod', 'w-1', { kind: link.owner, name: 'w' });
        const ps = compilePolicies(POLICIES, exemptionGrantObjects(g));
        expect(evaluate(ps, { object: pod, username: link.creators[0] }).denying).toEqual([]);
        // The author's request is denied by every policy that denies the controller's when nothing is granted.
        const ungranted = evaluate(empty, { object: pod, username: link.creators[0] }).denying.map((o) => o.name);
        expect(ungranted.length).toBeGreaterThanOrEqual(11);
        expect(evaluate(ps, { object: pod }).denying.map((o) => o.name)).toEqual(ungranted);
      }
      const cron = grantsFor(violated, { kind: 'CronJob', name: 'w' });
      const cronPolicies = compilePolicies(POLICIES, exemptionGrantObjects(cron));
      const job = owned('Job', 'w-29001234', { kind: 'CronJob', name: 'w' });
      const jobPod = owned('Pod', 'w-29001234-abcde', { kind: 'Job', name: 'w-29001234' });
      expect(evaluate(cronPolicies, { object: job, username: controller('cronjob-controller') }).denying).toEqual([]);
      expect(evaluate(cronPolicies, { object: jobPod, username: controller('job-controller') }).denying).toEqual([]);
      expect(evaluate(cronPolicies, { object: jobPod }).denying.map((o) => o.name)).toEqual(
        evaluate(empty, { object: jobPod, username: controller('job-controller') }).denying.map((o) => o.name),
      );
    });
  });

  describe('attacks on the grants themselves', () => {
    const object = hostilePod(selfExempt());
    const denied = (grants: readonly unknown[]) =>
      evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grants as unknown as ExemptionGrant[])), { object })
        .denying.length;

    it.each<[string, Partial<ExemptionGrant> | Record<string, unknown>]>([
      ['an empty selector', { kind: undefined, name: undefined, selector: {} }],
      [
        'a selector of only NotIn',
        {
          kind: undefined,
          name: undefined,
          selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] },
        },
      ],
      [
        'a selector of only Exists',
        { kind: undefined, name: undefined, selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } },
      ],
      [
        'an In expression with no values',
        {
          kind: undefined,
          name: undefined,
          selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
        },
      ],
      ['rule *', { rule: '*' }],
      ['namespace *', { namespace: '*' }],
      ['name *', { name: '*' }],
      ['no kind', { kind: undefined }],
      ['kind *', { kind: '*' }],
      ['an expiry in the year 10000', { expires: '10000-01-01T00:00:00Z' }],
      ['an expiry without a zone', { expires: '2027-06-01T00:00:00' }],
    ])('a grant with %s (written around the CRD schema) covers nothing', (_label, over) => {
      const grants = violated.map((rule) => ({ ...grantsFor([rule])[0], ...over }) as Record<string, unknown>);
      expect(denied(grants)).toBe(violated.length);
      // The engine refuses the same grant when it reads it.
      const checked = grantsOfObjects([{ ...grantSetObject([]), spec: { grants: grants.slice(0, 1) } }]);
      expect(checked.problems.length).toBeGreaterThan(0);
    });

    it('a grant far in the future counts until it ends (the platform chooses the expiry)', () => {
      expect(denied(grantsFor(violated, { expires: '9999-12-31T23:59:59Z' }))).toBe(0);
    });

    it('a client-sent creationTimestamp in the future does not make an expired grant count', () => {
      const grants = grantsFor(violated, { expires: '2026-11-01T00:00:00Z' });
      const future = { ...object, metadata: { ...object.metadata, creationTimestamp: '2026-10-01T00:00:00Z' } };
      expect(
        evaluate(compilePolicies(POLICIES, exemptionGrantObjects(grants)), { object: future }).denying.length,
      ).toBe(violated.length);
    });

    it('an UPDATE that drops every managedFields entry gets no grant (the old creationTimestamp proves nothing)', () => {
      const grants = grantsFor(violated, { kind: 'Deployment', expires: '2026-11-01T00:00:00Z' });
      const policies = compilePolicies(POLICIES, exemptionGrantObjects(grants));
      const deployment = asDeployment(hostilePod(selfExempt()));
      const old: K8sObject = {
        ...deployment,
        metadata: { ...deployment.metadata, creationTimestamp: '2026-10-01T00:00:00Z' },
      };
      const oldSpec = old.spec as { template: { spec: Record<string, unknown> } };
      const changed = {
        ...old,
        spec: { ...oldSpec, template: { ...oldSpec.template, spec: { ...oldSpec.template.spec, hostIPC: true } } },
      };
      const update = { object: changed, oldObject: old, operation: 'UPDATE' as const, resetManagedFields: true };
      expect(evaluate(policies, update).denying.length).toBeGreaterThanOrEqual(violated.length);
      // Even before the expiry: an unstamped change is not judged against a grant.
      expect(
        evaluate(policies, { ...update, now: new Date('2026-10-15T00:00:00Z') }).denying.length,
      ).toBeGreaterThanOrEqual(violated.length);
    });

    it('grants are read from one cluster-scoped object: a grant set in the namespace, or of another name, is not read', () => {
      const [crd, set, editor, viewer] = exemptionGrantObjects();
      expect((crd.spec as { scope: string }).scope).toBe('Cluster');
      expect(set.metadata).toEqual({ name: 'bulwark', labels: { 'app.kubernetes.io/managed-by': 'bulwark' } });
      for (const b of POLICIES.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')) {
        expect((b.spec as { paramRef: unknown }).paramRef).toEqual({
          name: 'bulwark',
          parameterNotFoundAction: 'Deny',
        });
      }
      // The grant roles are bound to nobody and aggregate into no built-in role (admin, edit, view).
      for (const role of [editor, viewer]) {
        expect(role.kind).toBe('ClusterRole');
        expect(
          Object.keys(role.metadata?.labels ?? {}).filter((k) => k.startsWith('rbac.authorization.k8s.io/')),
        ).toEqual([]);
      }
      // An author's own "grant set" of another name (or in a namespace) is not the parameter.
      const own = { ...grantSetObject(grantsFor(violated), 'shop-grants') };
      const ownNamespaced = {
        ...grantSetObject(grantsFor(violated)),
        metadata: { name: 'bulwark-shop', namespace: 'shop' },
      };
      expect(evaluate(compilePolicies(POLICIES, [crd, set, own, ownNamespaced]), { object }).denying.length).toBe(
        violated.length,
      );
      expect(grantsOfObjects([own]).problems.map((p) => p.message)).toEqual([
        'the admission policies read only the ExemptionGrantSet named bulwark; move these grants into it',
      ]);
    });
  });
});
