import * as pulumi from '@pulumi/pulumi';
import * as path from 'path';
import type { BaselineApplyPath } from '../contracts/cloud-contracts';
import { CloudName, validateClusterConfig } from '../program/cluster-config';
import { readStackConfig } from '../config/stack-file';
import { PlannedResource, PlanView } from '../posture/planned-resource';
import { ControlResult, evaluatePosture } from '../posture/posture-control';
import { cloudSupport, postureControls } from '../program/cloud-support';
import { PlanMocks } from './plan-mocks';
import { findPulumiProject, listStacks, stackFile } from './pulumi-project';
import { runUnderMocks } from './run-under-mocks';

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
  readonly resources: readonly PlannedResource[];
  readonly posture: readonly ControlResult[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What the mocks answered in place of the cloud. */
  readonly assumptions: readonly string[];
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
  const config = validateClusterConfig(raw, display);
  const program = loadProgram(project.root, project.main);
  const support = cloudSupport(config.cloud);
  const mocks = new PlanMocks(support.mocks, { region: config.region, config: { ...config } });
  const run = await runUnderMocks(
    () => {
      // As `pulumi up` does: the program reads its stack's config through pulumi.Config.
      pulumi.runtime.setAllConfig(pulumiConfigMap(raw));
      return program();
    },
    {
      project: project.name,
      stack,
      mocks,
      ...(options.transformations ? { transformations: options.transformations } : {}),
    },
  );
  return {
    project: project.name,
    stack,
    stackFile: display,
    program: project.main,
    cloud: config.cloud,
    cloudLabel: support.label,
    clusterName: config.clusterName,
    baselineApply: config.baselineApply,
    resources: run.resources,
    posture: evaluatePosture(postureControls(config.cloud, config.baselineApply), new PlanView(run.resources)),
    outputs: run.outputs,
    assumptions: support.mocks.assumptions,
  };
}
