import { getPath, PlannedResource, PlanView, resourceLabel } from './planned-resource';

/** One resource property checked by a control: the proof (or the counter-proof) in the checklist. */
export interface Evidence {
  /** `type name` of the resource the property belongs to. */
  readonly resource: string;
  /** Dotted path of the input, e.g. `vpcConfig.endpointPublicAccess`. */
  readonly property: string;
  readonly actual: unknown;
  /** What the control requires, in words. */
  readonly expected: string;
  readonly pass: boolean;
}

/**
 * A hardening control of a cluster stack, evaluated over the resources a program run registered (never over
 * constants in the component), so that a changed input makes it fail.
 */
export interface PostureControl {
  /** Stable kebab-case id, e.g. `eks-secrets-encryption`. */
  readonly id: string;
  readonly title: string;
  /** Benchmark recommendations and guides the control implements, e.g. `CIS EKS 5.3.1`. */
  readonly references: readonly string[];
  evaluate(plan: PlanView): readonly Evidence[];
}

export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly references: readonly string[];
  readonly status: 'pass' | 'fail';
  readonly evidence: readonly Evidence[];
}

/** A control passes when it found evidence and every piece of it passes: no evidence is a failure, not a pass. */
export function evaluatePosture(controls: readonly PostureControl[], plan: PlanView): readonly ControlResult[] {
  return controls.map((c) => {
    const evidence = c.evaluate(plan);
    const pass = evidence.length > 0 && evidence.every((e) => e.pass);
    return { id: c.id, title: c.title, references: c.references, status: pass ? 'pass' : 'fail', evidence };
  });
}

/** A test of one property value. */
export interface Expectation {
  readonly describe: string;
  test(actual: unknown): boolean;
}

export const expect = {
  equals: (value: unknown): Expectation => ({
    describe: `= ${JSON.stringify(value)}`,
    test: (a) => a === value,
  }),
  /** Present and not false, null, empty string or empty list. */
  set: (describe = 'set'): Expectation => ({
    describe,
    test: (a) => a !== undefined && a !== null && a !== false && a !== '' && !(Array.isArray(a) && a.length === 0),
  }),
  absent: (describe = 'not set'): Expectation => ({
    describe,
    test: (a) => a === undefined || a === null || (Array.isArray(a) && a.length === 0),
  }),
  includesAll: (values: readonly unknown[]): Expectation => ({
    describe: `includes ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    test: (a) => Array.isArray(a) && values.every((v) => a.includes(v)),
  }),
  oneOf: (values: readonly unknown[]): Expectation => ({
    describe: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    test: (a) => values.includes(a),
  }),
  atLeast: (n: number): Expectation => ({
    describe: `>= ${n}`,
    test: (a) => typeof a === 'number' && a >= n,
  }),
  /** A non-empty list in which every item passes. */
  every: (item: Expectation): Expectation => ({
    describe: `every item ${item.describe}`,
    test: (a) => Array.isArray(a) && a.length > 0 && a.every((x) => item.test(x)),
  }),
  /** A JSON document (string) whose value at `path` passes. */
  json: (path: string, inner: Expectation): Expectation => ({
    describe: `JSON ${path} ${inner.describe}`,
    test: (a) => {
      if (typeof a !== 'string') return false;
      try {
        return inner.test(getPath(JSON.parse(a), path));
      } catch {
        return false;
      }
    },
  }),
  /** The value at `path` inside each object passes (for items of lists). */
  field: (path: string, inner: Expectation): Expectation => ({
    describe: `${path} ${inner.describe}`,
    test: (a) => inner.test(getPath(a, path)),
  }),
  /** Any other test, described in words. */
  that: (describe: string, test: (actual: unknown) => boolean): Expectation => ({ describe, test }),
  /** A duration in seconds (`7776000s`) no longer than `max` seconds. */
  durationAtMost: (maxSeconds: number): Expectation => ({
    describe: `a period <= ${maxSeconds}s`,
    test: (a) => typeof a === 'string' && /^\d+s$/.test(a) && Number(a.slice(0, -1)) <= maxSeconds,
  }),
};

/** Produces the evidence of one resource. */
export type Check = (r: PlannedResource, plan: PlanView) => readonly Evidence[];

/** The engine leaves `paths` alone after creation (`ignoreChanges`): an autoscaler or the cloud owns them. */
export function ignores(paths: readonly string[]): Check {
  return (r) => [
    {
      resource: resourceLabel(r),
      property: '(ignoreChanges)',
      actual: r.ignoreChanges ?? [],
      expected: `includes ${paths.join(', ')}`,
      pass: paths.every((p) => (r.ignoreChanges ?? []).includes(p)),
    },
  ];
}

/** The input at `path` meets `expectation`. */
export function prop(path: string, expectation: Expectation): Check {
  return (r) => {
    const actual = getPath(r.inputs, path);
    return [
      {
        resource: resourceLabel(r),
        property: path,
        actual,
        expected: expectation.describe,
        pass: expectation.test(actual),
      },
    ];
  };
}

/**
 * The input at `path` is the output `field` of a registered resource of `type` (a KMS key ARN, a launch template
 * id), and that resource passes `checks`. Proves that the thing referenced is the hardened one this program made.
 */
export function ref(path: string, type: string, field: string, checks: readonly Check[]): Check {
  return (r, plan) => {
    const actual = getPath(r.inputs, path);
    const target = plan.findByOutput(type, field, actual);
    const link: Evidence = {
      resource: resourceLabel(r),
      property: path,
      actual,
      expected: `the ${field} of a registered ${type}`,
      pass: target !== undefined,
    };
    return target ? [link, ...checks.flatMap((c) => c(target, plan))] : [link];
  };
}

/**
 * A resource related to `r` in a way no single input states (the log group named after the cluster, the access
 * entries of the cluster), found by `find`, which then passes `checks`.
 */
export function related(
  describe: string,
  find: (r: PlannedResource, plan: PlanView) => readonly PlannedResource[],
  checks: readonly Check[],
  atLeast = 1,
): Check {
  return (r, plan) => {
    const found = find(r, plan);
    const link: Evidence = {
      resource: resourceLabel(r),
      property: `(${describe})`,
      actual: found.map(resourceLabel),
      expected: `at least ${atLeast}`,
      pass: found.length >= atLeast,
    };
    return [link, ...found.flatMap((t) => checks.flatMap((c) => c(t, plan)))];
  };
}

/** Evidence that a required resource is missing. */
export function missing(type: string, what: string): Evidence {
  return { resource: `(no ${type})`, property: '-', actual: undefined, expected: what, pass: false };
}

/** Which resources a control looks at, and what each of them must show. */
export interface TargetSpec {
  /** Type token of the resources; every one of them must pass `checks`. */
  readonly resourceType: string;
  /** Narrows the resources, e.g. to the `vpc-cni` add-on among all add-ons. */
  readonly where?: (r: PlannedResource) => boolean;
  /** Words for the `where` filter, used when nothing matches. */
  readonly whereDescribe?: string;
  readonly checks: readonly Check[];
}

export interface ControlSpec {
  readonly id: string;
  readonly title: string;
  readonly references: readonly string[];
  readonly targets: readonly TargetSpec[];
}

/** A control over every resource of the target types: fails when a target type has no resource at all. */
export function control(spec: ControlSpec): PostureControl {
  return {
    id: spec.id,
    title: spec.title,
    references: spec.references,
    evaluate(plan) {
      return spec.targets.flatMap((t) => {
        const found = plan.ofType(t.resourceType).filter((r) => (t.where ? t.where(r) : true));
        if (found.length === 0) {
          return [missing(t.resourceType, t.whereDescribe ? `one ${t.whereDescribe}` : 'at least one registered')];
        }
        return found.flatMap((r) => t.checks.flatMap((c) => c(r, plan)));
      });
    },
  };
}
