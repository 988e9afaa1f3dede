import * as pulumi from '@pulumi/pulumi';
import { PlannedResource } from '../posture/planned-resource';

export interface MockRunOptions {
  readonly project: string;
  readonly stack: string;
  /** The Pulumi organization (what `pulumi.getOrganization()` returns); Pulumi's default when not given. */
  readonly organization?: string;
  /** Answers registrations and invokes; see PlanMocks. */
  readonly mocks: pulumi.runtime.Mocks;
  /**
   * Stack transformations applied to every resource before it registers. For tests that break one setting (as a
   * changed component would) and check that the posture checklist then fails.
   */
  readonly transformations?: readonly pulumi.ResourceTransformation[];
}

export interface MockRun {
  /** Everything the program registered, the stack first, then in construction order. */
  readonly resources: readonly PlannedResource[];
  /** The program's stack outputs. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The program failed under mocks (a thrown error, a failed registration). */
export class MockRunError extends Error {
  constructor(public readonly causes: readonly string[]) {
    super(`the program failed under mocks:\n  ${causes.join('\n  ')}`);
    this.name = 'MockRunError';
  }
}

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly id: string;
  readonly provider?: string;
}

/**
 * Mock inputs carry secrets as `{ <sig>: <secret sig>, value }`; the checklist needs the value (a kubeconfig's server,
 * not its secrecy), and the plan prints only evidence, which never includes credentials (kubeconfigs here hold none).
 */
function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return revealSecrets(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, revealSecrets(v)]));
}

/** Wraps mocks and records every registration with the inputs the engine would have received. */
class RecordingMocks implements pulumi.runtime.Mocks {
  readonly registrations: Registration[] = [];

  constructor(private readonly inner: pulumi.runtime.Mocks) {}

  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    const result = await this.inner.newResource(args);
    this.registrations.push({
      type: args.type,
      name: args.name,
      custom: args.custom ?? true,
      inputs: revealSecrets(args.inputs) as Record<string, unknown>,
      state: (result.state ?? {}) as Record<string, unknown>,
      id: result.id ?? '',
      ...(args.provider ? { provider: args.provider } : {}),
    });
    return result;
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult | Promise<pulumi.runtime.MockCallResult> {
    return this.inner.call(args);
  }
}

interface Constructed {
  readonly resource: pulumi.Resource;
  readonly type: string;
  readonly name: string;
  readonly parent?: pulumi.Resource;
  readonly ignoreChanges?: readonly string[];
}

let running = false;

/**
 * Runs a Pulumi program in this process under `pulumi.runtime.setMocks`: no CLI, no engine, no credentials. Mocks are
 * set before the program creates anything (resources created earlier would register nowhere and resolve to
 * undefined). Returns every resource as registered: type, name, parent, inputs and mock outputs.
 *
 * Pulumi's runtime state is global, so runs do not overlap: a second concurrent call is refused.
 */
export async function runUnderMocks(
  program: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  options: MockRunOptions,
): Promise<MockRun> {
  if (running) throw new Error('runUnderMocks: another run is in progress; Pulumi runtime state is process-wide');
  running = true;
  // As in a real `pulumi up` (where Pulumi's language host does this), an error thrown inside an apply also rejects
  // every Output derived from it; those rejections are collected and reported instead of crashing the process.
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const recorder = new RecordingMocks(options.mocks);
    await pulumi.runtime.setMocks(recorder, options.project, options.stack, false, options.organization);
    const constructed: Constructed[] = [];
    let outputs: Record<string, unknown> = {};
    const errors: unknown[] = [];
    try {
      outputs = (await pulumi.runtime.runInPulumiStack(async () => {
        // Legacy stack transformations run in-process (the newer transforms need the engine's callback server). The
        // test's transformations run first, so that the record below sees the options they leave.
        for (const t of options.transformations ?? []) pulumi.runtime.registerStackTransformation(t);
        pulumi.runtime.registerStackTransformation((a) => {
          constructed.push({
            resource: a.resource,
            type: a.type,
            name: a.name,
            parent: a.opts.parent,
            ...(a.opts.ignoreChanges?.length ? { ignoreChanges: [...a.opts.ignoreChanges] } : {}),
          });
          return undefined;
        });
        return program();
      })) as Record<string, unknown>;
    } catch (e) {
      errors.push(e);
    }
    // Waits until every registration (including those made inside applies, such as ConfigGroup children) is done.
    await pulumi.runtime.disconnect();
    let resources: PlannedResource[] = [];
    try {
      resources = await collect(constructed, recorder.registrations);
    } catch (e) {
      errors.push(e);
    }
    await new Promise((resolve) => setImmediate(resolve));
    errors.push(...rejections);
    if (errors.length > 0) throw new MockRunError(causes(errors));
    return { resources, outputs };
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onRejection);
    running = false;
  }
}

/**
 * Distinct root causes: Pulumi wraps an error once per property it passed through ("error serializing property
 * ...: ") and once per resource that failed on it ("failed to register new resource ...: ").
 */
function causes(errors: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    for (const line of e instanceof MockRunError ? e.causes : [errorText(e)]) {
      out.add(
        line.replace(/^((failed to register new resource \S+ \[[^\]]*\]|error serializing property "[^"]*"): )+/, ''),
      );
    }
  }
  return [...out];
}

/**
 * The settled value of an Output, rejecting when its resource failed. `Output.promise()` is not in the public typings
 * but is what Pulumi's runtime itself awaits; `apply` cannot be used here, as it never runs for a failed resource.
 */
function settledValue<T>(o: pulumi.Output<T>): Promise<T> {
  const withPromise = o as unknown as { promise?: () => Promise<T> };
  if (typeof withPromise.promise !== 'function') {
    throw new Error('runUnderMocks: this @pulumi/pulumi has no Output.promise(); update the plan runner');
  }
  return withPromise.promise();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function collect(
  constructed: readonly Constructed[],
  registrations: readonly Registration[],
): Promise<PlannedResource[]> {
  const stack = pulumi.runtime.getStackResource();
  const errors = new Set<string>();
  const settle = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      errors.add(errorText(e));
      return undefined;
    }
  };
  const urnOf = new Map<pulumi.Resource, string>();
  const all = stack
    ? [{ resource: stack as pulumi.Resource, type: 'pulumi:pulumi:Stack', name: '' }, ...constructed]
    : constructed;
  for (const c of all) {
    const urn = await settle(settledValue(c.resource.urn));
    if (urn) urnOf.set(c.resource, urn);
  }

  // Custom resources join their registration by (type, id), components by (type, name).
  const byKey = new Map<string, Registration[]>();
  for (const r of registrations) {
    const key = r.custom ? `${r.type}\u0000id\u0000${r.id}` : `${r.type}\u0000name\u0000${r.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const out: PlannedResource[] = [];
  for (const c of all) {
    const urn = urnOf.get(c.resource);
    if (urn === undefined) continue;
    const custom = pulumi.CustomResource.isInstance(c.resource);
    const id = custom ? await settle(settledValue((c.resource as pulumi.CustomResource).id)) : undefined;
    const type = c.type;
    const key = custom ? `${type}\u0000id\u0000${id ?? ''}` : `${type}\u0000name\u0000${urn.split('::').pop()}`;
    const matches = byKey.get(key) ?? [];
    if (matches.length !== 1) {
      errors.add(`${type} ${urn.split('::').pop()}: ${matches.length} registrations match it (expected exactly 1)`);
      continue;
    }
    const reg = matches[0];
    const parent =
      'parent' in c && c.parent
        ? urnOf.get(c.parent)
        : c.resource === stack
          ? undefined
          : stack
            ? urnOf.get(stack)
            : undefined;
    out.push({
      urn,
      type: reg.type,
      name: reg.name,
      ...(custom && id ? { id } : {}),
      ...(parent ? { parent } : {}),
      custom: reg.custom,
      inputs: reg.inputs,
      state: reg.state,
      ...(reg.provider ? { provider: reg.provider } : {}),
      ...('ignoreChanges' in c && c.ignoreChanges ? { ignoreChanges: c.ignoreChanges } : {}),
    });
  }
  if (errors.size > 0) throw new MockRunError([...errors]);
  return out;
}
