import fc from 'fast-check';
import { audit, exemptionAnnotationKey, exemptionsOf, K8sObject } from '../../../lib/policy';
import { admissionPolicies, celString } from '../../../lib/policy/admission';
import { policyEnv } from './cel-runtime';
import { compilePolicies, CompiledPolicy } from './vap-evaluator';
import { exemptionGrantObjects } from '../../../lib/policy/admission/exemption-grant-objects';

/**
 * Agreement proof, part 3: properties over generated inputs where the CEL re-implements parsing that the TypeScript
 * engine does in code (image references, quantities, exemption reasons, string literals). Each property compares the
 * CEL verdict with the TypeScript engine's on the same object.
 */
function only(ruleId: string, options: { allowedRegistries?: readonly string[] } = {}): CompiledPolicy {
  const [policy] = compilePolicies(admissionPolicies({ ...options, only: [ruleId] }));
  return policy;
}

function pod(containers: Record<string, unknown>[], annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop', ...(annotations ? { annotations } : {}) },
    spec: { containers },
  };
}

function tsDenies(object: K8sObject, ruleId: string, options: { allowedRegistries?: readonly string[] } = {}): boolean {
  return audit([object], { ...options, only: [ruleId] }).findings.some((f) => f.ruleId === ruleId);
}

/** Strings CEL can hold are Unicode: no unpaired UTF-16 surrogates. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HEX64 = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);
const imageRef = fc
  .tuple(
    fc.constantFrom(
      '',
      'docker.io/',
      'ghcr.io/',
      'localhost/',
      'localhost:5000/',
      'Foo.Bar/',
      ' ghcr.io/',
      'a b.c/',
      '.:/',
      'host:1/',
      '/',
    ),
    fc.constantFrom(
      'nginx',
      'library/nginx',
      'acme/api',
      'acme/api/v2',
      'a__b',
      'a--b',
      'a___b',
      'A',
      'a.',
      '-a',
      'a/b/c',
      '',
      'acmecorp/x',
      'shop',
    ),
    fc.constantFrom(
      '',
      ':1.2',
      ':latest',
      ':',
      ':-x',
      `:v${'a'.repeat(127)}`,
      `:v${'a'.repeat(128)}`,
      ':A_b.c-d',
      ':5000',
    ),
    fc.constantFrom(
      '',
      `@sha256:${HEX64}`,
      `@sha256:${HEX64.slice(1)}`,
      `@sha256:${HEX64.toUpperCase()}`,
      '@md5:00',
      '@',
      `@sha256:${HEX64}@x`,
    ),
    fc.constantFrom('', ' ', '\u00a0', '/'),
  )
  .map(([registry, path, tag, digest, trailer]) => `${registry}${path}${tag}${digest}${trailer}`);
const anyImage = fc.oneof(imageRef, fc.string({ maxLength: 40 }));

describe('CEL and TypeScript agree on generated inputs', () => {
  it('image-digest: pinned references (valid and with a sha256 digest)', () => {
    const policy = only('image-digest');
    fc.assert(
      fc.property(anyImage, (image) => {
        const object = pod([{ name: 'c', image }]);
        expect(policy.evaluate({ object }).denied).toBe(tsDenies(object, 'image-digest'));
      }),
      { numRuns: 2000 },
    );
  });

  it('image-registry: normalized registry/repository under an allowed entry', () => {
    const allowedEntry = fc.constantFrom(
      'docker.io',
      'docker.io/library',
      'docker.io/acme',
      'ghcr.io',
      'ghcr.io/acme',
      'ghcr.io/acme/',
      'localhost:5000',
      'localhost',
      'registry.example.com/shop',
      'library',
      'Foo.Bar',
    );
    const policies = new Map<string, CompiledPolicy>();
    fc.assert(
      fc.property(anyImage, fc.uniqueArray(allowedEntry, { minLength: 1, maxLength: 3 }), (image, allowed) => {
        const key = allowed.join(',');
        if (!policies.has(key)) policies.set(key, only('image-registry', { allowedRegistries: allowed }));
        const object = pod([{ name: 'c', image }]);
        expect((policies.get(key) as CompiledPolicy).evaluate({ object }).denied).toBe(
          tsDenies(object, 'image-registry', { allowedRegistries: allowed }),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('workload-resources: presence, quantity grammar, sign and limit >= request', () => {
    const policy = only('workload-resources');
    const quantity = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('', '+', '-'),
          fc.constantFrom('0', '1', '2', '10', '300', '0.3', '.5', '1.', '1.5', '007', '250', '0.25', '128', '.', ''),
          // No 'E' or 'Ei' suffix: lib/k8s/quantity.ts takes any suffix starting with E for the exponent form, so
          // '1E' is 1 (Kubernetes: 10^18) and '1Ei' is NaN (Kubernetes: 2^60) there. Reported; CEL follows Kubernetes.
          fc.constantFrom('', 'm', 'Mi', 'Gi', 'k', 'M', 'e3', 'E-2', 'Ki', 'Ti', 'n', 'u', 'x', 'mi', ' ', 'e'),
        )
        .map(([s, n, u]) => `${s}${n}${u}`),
      fc.constantFrom(1, 2, 0.5, 0, -1, 1024),
    );
    const section = fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.record({ requests: section, limits: section }, { requiredKeys: [] }), (resources) => {
        const object = pod([{ name: 'c', image: 'x', resources }]);
        expect(policy.evaluate({ object }).denied).toBe(tsDenies(object, 'workload-resources'));
      }),
      { numRuns: 3000 },
    );
  });

  it('exemptions: a granted annotation counts exactly when its reason has visible text of at most 500 characters, as the engine decides', () => {
    // A grant for this pod and rule, so that only the annotation's reason decides.
    const grant = {
      namespace: 'shop',
      kind: 'Pod',
      name: 'p',
      rule: 'pss-baseline-privileged',
      reason: 'granted',
      approver: 'platform',
      expires: '2099-01-01T00:00:00Z',
    };
    const [policy] = compilePolicies(
      admissionPolicies({ only: ['pss-baseline-privileged'] }),
      exemptionGrantObjects([grant]),
    );
    const ruleKey = exemptionAnnotationKey('pss-baseline-privileged');
    const reason = fc.string({
      unit: fc.constantFrom(
        ' ',
        '\t',
        '\n',
        '\v',
        '\f',
        '\r',
        '\u00a0',
        '\u00ad',
        '\u034f',
        '\u061c',
        '\u1680',
        '\u2000',
        '\u200a',
        '\u200b',
        '\u200d',
        '\u2028',
        '\u202e',
        '\u202f',
        '\u2066',
        '\u2800',
        '\u3000',
        '\u3164',
        '\ufe0f',
        '\ufeff',
        '\uffa0',
        '\u0085',
        '\u0600',
        '\u06dd',
        '\u070f',
        '\u0890',
        '\u08e2',
        '\u180e',
        '\u2064',
        '\u0301',
        '\u20dd',
        '\u115f',
        '\u{e0001}',
        '\u{e0020}',
        '\u{1f525}',
        'x',
        '.',
        '\u00e9',
        '\u65e5',
      ),
      maxLength: 4,
    });
    const long = fc.integer({ min: 495, max: 505 }).map((n) => 'x'.repeat(n));
    let exempted = 0;
    let denied = 0;
    fc.assert(
      fc.property(fc.oneof(reason, long), (value) => {
        const object = pod([{ name: 'c', image: 'x', securityContext: { privileged: true } }], { [ruleKey]: value });
        const exempt = exemptionsOf(object).has('pss-baseline-privileged');
        const ts = audit([object], { only: ['pss-baseline-privileged'], grants: [grant] });
        expect(ts.exempted.length > 0).toBe(exempt);
        const outcome = policy.evaluate({ object });
        expect(outcome.skipped).toBe(exempt);
        expect(outcome.denied).toBe(!exempt);
        if (exempt) exempted++;
        else denied++;
      }),
      { numRuns: 1000 },
    );
    // Both verdicts occur: the property cannot pass by always agreeing on one answer.
    expect(exempted).toBeGreaterThan(50);
    expect(denied).toBeGreaterThan(50);
  });

  it('celString: any well-formed string survives as a CEL literal', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !LONE_SURROGATE.test(s)),
        (s) => {
          expect(policyEnv.evaluate(celString(s), {})).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
