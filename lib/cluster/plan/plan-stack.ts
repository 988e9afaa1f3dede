import * as pulumi from '@pulumi/pulumi';
import * as path from 'path';
import type { BaselineApplyPath } from '../contracts/cloud-contracts';
import { CloudName, validateClusterConfig } from '../program/cluster-config';
import { readStackConfig } from '../config/stack-file';
import { PlannedResource, PlanView } from '../posture/planned-resource';
import { ControlResult, evaluatePosture } from '../posture/posture-control';
import { cloudSupport, postureControls } from '../program/cloud-support';
import { BASELINE_CONTROLS } from '../baseline/baseline-posture';
import { isBaselineStack, validateBaselineStackConfig } from '../program/baseline-stack';
import { RawConfig } from '../config/config-reader';
import type { PulumiProject } from './pulumi-project';
import { PlanMocks } from './plan-mocks';
import { findPulumiProject, listStacks, stackFile } from './pulumi-project';
import { runUnderMocks } from './run-under-mocks';
import { grantNamespaceText, grantObjectText, PlannedGrant, plannedGrants } from '../baseline/baseline-grants';
import { ExemptionGrant, GRANT_SET_KIND, grantsOfObjects } from '../../policy/exemption-grants';
import { emptyManifests, parseManifestText } from '../../manifest/manifests';

/** The stack or project to plan does not exist; the message says what does. */
export class StackNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackNotFoundError';
  }
}

export interface StackPlan {
  readonly project: string;
  readonly stack: string;
  /** Stack file, relative to the project root. */
  readonly stackFile: string;
  /** The program that ran (Pulumi.yaml `main`), relative to the project root. */
  readonly program: string;
  readonly cloud: CloudName;
  readonly cloudLabel: string;
  readonly clusterName: string;
  /** How the baseline reaches the private cluster. */
  readonly baselineApply: BaselineApplyPath;
  /**
   * `cluster`: the stack creates a cluster. `baseline`: a baseline stack (`bulwark:baselineFor`) applying the baseline
   * of the cluster stack `clusterStack` (planned first, its outputs answering the StackReference).
   */
  readonly role: 'cluster' | 'baseline';
  readonly clusterStack?: string;
  /** Of a separate-stack cluster stack: the baseline stacks of this project that apply its baseline. */
  readonly baselineStacks?: readonly string[];
  readonly resources: readonly PlannedResource[];
  readonly posture: readonly ControlResult[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What the mocks answered in place of the cloud. */
  readonly assumptions: readonly string[];
  /**
   * The exemption grants of the stack: `installed` when this run registers the ExemptionGrantSet (in-program, a
   * baseline stack); `gitops` when they are read back from the ExemptionGrantSet of the baselineManifests output that
   * CI commits for Flux; else `configured` (bulwark:exemptionGrants, exported in baselineSpec for the baseline stack).
   */
  readonly exemptionGrants: {
    readonly source: 'installed' | 'gitops' | 'configured';
    readonly grants: readonly PlannedGrant[];
  };
}

/** A configured grant as the plan shows it (the same shape as an installed one). */
function configuredGrant(g: ExemptionGrant, now = new Date()): PlannedGrant {
  return {
    rule: g.rule,
    namespace: grantNamespaceText(g),
    object: grantObjectText(g),
    reason: g.reason,
    approver: g.approver,
    expires: g.expires,
    expired: !(new Date(g.expires).getTime() > now.getTime()),
  };
}

function grantsOf(
  view: PlanView,
  configured: readonly ExemptionGrant[] = [],
  outputs: Readonly<Record<string, unknown>> = {},
): StackPlan['exemptionGrants'] {
  const installed = plannedGrants(view);
  if (installed) return { source: 'installed', grants: installed };
  if (typeof outputs.baselineManifests === 'string') {
    const read = emptyManifests();
    parseManifestText(outputs.baselineManifests, 'baselineManifests', read);
    const { grants } = grantsOfObjects(read.objects.filter((o) => o.kind === GRANT_SET_KIND));
    return { source: 'gitops', grants: grants.map((g) => configuredGrant(g)) };
  }
  return { source: 'configured', grants: configured.map((g) => configuredGrant(g)) };
}

export interface PlanStackOptions {
  /** Where to look for Pulumi.yaml (this directory or above). */
  readonly cwd: string;
  /** Breaks settings before registration, for tests of the checklist; see runUnderMocks. */
  readonly transformations?: readonly pulumi.ResourceTransformation[];
}

type Program = () => Record<string, unknown> | Promise<Record<string, unknown>>;

/** The project's program as Pulumi's Node.js host loads it: the module at `main`, exporting a function. */
function loadProgram(root: string, main: string): Program {
  const exported = require(path.resolve(root, main)) as unknown;
  const candidate =
    typeof exported === 'function' ? exported : (exported as { default?: unknown } | null | undefined)?.default;
  if (typeof candidate !== 'function') {
    throw new StackNotFoundError(
      `${main} (Pulumi.yaml main) exports no function; the offline plan calls the program the way Pulumi does: export = async () => ...`,
    );
  }
  return candidate as Program;
}

/** Config values as Pulumi hands them to a program: strings, structured values as JSON. */
function pulumiConfigMap(raw: Readonly<Record<string, unknown>>, namespace = 'bulwark'): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [`${namespace}:${k}`, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

/**
 * The offline plan of one stack: reads and validates `stacks/Pulumi.<stack>.yaml`, runs the project's real program
 * (Pulumi.yaml `main`, reading its config through pulumi.Config as in `pulumi up`) under mocks, and evaluates the
 * posture checklist over what it registered. Throws ConfigError for bad config, StackNotFoundError for a missing
 * stack or program, MockRunError when the program fails.
 */
export async function planStack(stack: string, options: PlanStackOptions): Promise<StackPlan> {
  const project = findPulumiProject(options.cwd);
  if (!project) {
    throw new StackNotFoundError(`no Pulumi.yaml in ${options.cwd} or above: run bulwark plan inside the project`);
  }
  const file = stackFile(project, stack);
  if (!file) {
    const known = listStacks(project);
    throw new StackNotFoundError(
      `stack '${stack}' has no file ${path.relative(project.root, path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`))}; ` +
        `stacks: ${known.length > 0 ? known.join(', ') : '(none)'}`,
    );
  }
  const display = path.relative(project.root, file);
  const raw = readStackConfig(file, display);
  if (isBaselineStack(raw)) return planBaselineStack(project, stack, display, raw, options);
  const config = validateClusterConfig(raw, display);
  const support = cloudSupport(config.cloud);
  const mocks = new PlanMocks(support.mocks, { region: config.region, config: { ...config } });
  const run = await runProgram(project, stack, raw, options, { mocks });
  return {
    project: project.name,
    stack,
    stackFile: display,
    program: project.main,
    cloud: config.cloud,
    cloudLabel: support.label,
    clusterName: config.clusterName,
    baselineApply: config.baselineApply,
    role: 'cluster',
    ...(config.baselineApply === 'separate-stack' ? { baselineStacks: baselineStacksOf(project, stack) } : {}),
    resources: run.resources,
    posture: evaluatePosture(
      postureControls(config.cloud, config.baselineApply, config.addons),
      new PlanView(run.resources),
    ),
    outputs: run.outputs,
    assumptions: support.mocks.assumptions,
    exemptionGrants: grantsOf(new PlanView(run.resources), config.exemptionGrants, run.outputs),
  };
}

/** Runs the project's program for one stack under the plan's mocks, reading its stack config as `pulumi up` does. */
function runProgram(
  project: PulumiProject,
  stack: string,
  raw: RawConfig,
  options: PlanStackOptions,
  run: { readonly mocks: pulumi.runtime.Mocks; readonly organization?: string },
): ReturnType<typeof runUnderMocks> {
  const program = loadProgram(project.root, project.main);
  return runUnderMocks(
    () => {
      // As `pulumi up` does: the program reads its stack's config through pulumi.Config.
      pulumi.runtime.setAllConfig(pulumiConfigMap(raw));
      return program();
    },
    {
      project: project.name,
      stack,
      mocks: run.mocks,
      ...(run.organization !== undefined ? { organization: run.organization } : {}),
      ...(options.transformations ? { transformations: options.transformations } : {}),
    },
  );
}

/** The stacks of the project whose stack file says `bulwark:baselineFor: <stack>`. */
function baselineStacksOf(project: PulumiProject, stack: string): string[] {
  return listStacks(project).filter((other) => {
    const file = stackFile(project, other);
    if (!file || other === stack) return false;
    try {
      const raw = readStackConfig(file, path.relative(project.root, file));
      return isBaselineStack(raw) && String(raw.baselineFor).split('/').pop() === stack;
    } catch {
      return false;
    }
  });
}

/** The settled, plain value of a program output (Outputs unwrapped at any depth, secrets revealed). */
async function settled(value: unknown): Promise<unknown> {
  return (pulumi.output(value) as unknown as { promise(): Promise<unknown> }).promise();
}

/**
 * Answers the baseline stack's StackReference with the cluster stack's planned outputs, as the Pulumi service would
 * after the cluster stack's `pulumi up`; everything else goes to the cloud's plan mocks.
 */
class StackReferenceMocks implements pulumi.runtime.Mocks {
  constructor(
    private readonly inner: PlanMocks,
    private readonly stackName: string,
    private readonly outputs: Readonly<Record<string, unknown>>,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    if (args.type !== 'pulumi:pulumi:StackReference') return this.inner.newResource(args);
    const name = String((args.inputs as { name?: unknown }).name);
    if (name !== this.stackName) {
      throw new Error(`the offline plan knows only stack ${this.stackName}; the program asked for ${name}`);
    }
    return { id: name, state: { name, outputs: this.outputs, secretOutputNames: ['kubeconfig'] } };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    return this.inner.call(args);
  }
}

/**
 * The offline plan of a baseline stack: plans its cluster stack first (which must be a cluster stack of this project),
 * then runs the program of the baseline stack with the StackReference answered by the cluster plan's outputs, and
 * checks the baseline's controls.
 */
async function planBaselineStack(
  project: PulumiProject,
  stack: string,
  display: string,
  raw: RawConfig,
  options: PlanStackOptions,
): Promise<StackPlan> {
  const config = validateBaselineStackConfig(raw, display);
  const parts = config.clusterStack.split('/');
  if (parts.length === 3 && parts[1] !== project.name) {
    throw new StackNotFoundError(
      `${display}: bulwark:baselineFor '${config.clusterStack}' is a stack of project '${parts[1]}'; the offline plan ` +
        `reads stacks of this project ('${project.name}') only: plan the cluster stack in its own project`,
    );
  }
  const clusterStack = parts[parts.length - 1];
  if (clusterStack === stack) {
    throw new StackNotFoundError(`${display}: bulwark:baselineFor names this stack itself; name its cluster stack`);
  }
  const clusterFile = stackFile(project, clusterStack);
  if (clusterFile && isBaselineStack(readStackConfig(clusterFile, path.relative(project.root, clusterFile)))) {
    throw new StackNotFoundError(
      `${display}: bulwark:baselineFor '${clusterStack}' is a baseline stack too; name the cluster stack it applies to`,
    );
  }
  const cluster = await planStack(clusterStack, options);
  const clusterOutputs = Object.fromEntries(
    await Promise.all(Object.entries(cluster.outputs).map(async ([k, v]) => [k, await settled(v)] as const)),
  );
  const clusterConfig = validateClusterConfig(
    readStackConfig(path.join(project.root, cluster.stackFile), cluster.stackFile),
    cluster.stackFile,
  );
  const support = cloudSupport(cluster.cloud);
  const organization = 'organization';
  const mocks = new StackReferenceMocks(
    new PlanMocks(support.mocks, { region: clusterConfig.region, config: { ...clusterConfig } }),
    parts.length === 3 ? config.clusterStack : `${organization}/${project.name}/${clusterStack}`,
    clusterOutputs,
  );
  const run = await runProgram(project, stack, raw, options, { mocks, organization });
  return {
    project: project.name,
    stack,
    stackFile: display,
    program: project.main,
    cloud: cluster.cloud,
    cloudLabel: cluster.cloudLabel,
    clusterName: cluster.clusterName,
    baselineApply: 'separate-stack',
    role: 'baseline',
    clusterStack,
    resources: run.resources,
    posture: evaluatePosture(BASELINE_CONTROLS, new PlanView(run.resources)),
    exemptionGrants: grantsOf(new PlanView(run.resources), clusterConfig.exemptionGrants),
    outputs: run.outputs,
    assumptions: [
      `the StackReference to ${clusterStack} answers with the outputs of its offline plan (as after its pulumi up)`,
      'the Kubernetes API of the cluster accepts every object (admission, CRDs and quotas are checked at deploy time)',
    ],
  };
}
