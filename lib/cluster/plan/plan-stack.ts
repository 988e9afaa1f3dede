import type * as pulumi from '@pulumi/pulumi';
import * as path from 'path';
import { BaselineContent } from '../baseline/baseline-content';
import { CloudName, validateClusterConfig } from '../config/cluster-config';
import { readStackConfig } from '../config/stack-file';
import { PlannedResource, PlanView } from '../posture/planned-resource';
import { ControlResult, evaluatePosture } from '../posture/posture-control';
import { cloudSupport, postureControls } from '../program/cloud-support';
import { clusterProgram } from '../program/cluster-program';
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
  readonly cloud: CloudName;
  readonly cloudLabel: string;
  readonly clusterName: string;
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
  readonly baseline?: BaselineContent;
}

/**
 * The offline plan of one stack: reads and validates `stacks/Pulumi.<stack>.yaml`, runs the real cluster program under
 * mocks, and evaluates the posture checklist over what it registered. Throws ConfigError for bad config,
 * StackNotFoundError for a missing stack, MockRunError when the program fails.
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
  const config = validateClusterConfig(readStackConfig(file, display), display);
  const support = cloudSupport(config.cloud);
  const mocks = new PlanMocks(support.mocks, { region: config.region, config: { ...config } });
  const run = await runUnderMocks(
    () => clusterProgram(config, options.baseline ? { baseline: options.baseline } : {}),
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
    cloud: config.cloud,
    cloudLabel: support.label,
    clusterName: config.clusterName,
    resources: run.resources,
    posture: evaluatePosture(postureControls(config.cloud), new PlanView(run.resources)),
    outputs: run.outputs,
    assumptions: support.mocks.assumptions,
  };
}
