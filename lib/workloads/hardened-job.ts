import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { requireIntegerAtLeast } from '../construct/validators';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';

/** How a run-to-completion workload runs: retries, deadline, clean-up. */
export interface JobRunProps {
  /** Retries before the Job is marked failed. @default 3 */
  readonly backoffLimit?: number;
  /** Hard deadline of one run, in seconds: a hung job is killed, not left consuming quota. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** Finished Jobs (and their pods and logs) are deleted after this many seconds. @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
  /** @default 1 */
  readonly completions?: number;
  /** @default 1 */
  readonly parallelism?: number;
}

export interface HardenedJobProps extends HardenedWorkloadProps, JobRunProps {}

/** @internal The Job spec shared by HardenedJob and HardenedCronJob. */
export function jobSpec(scope: IConstruct, props: JobRunProps, template: PodTemplateSpec): Record<string, unknown> {
  const int = (prop: keyof JobRunProps, value: number, min: number, fix: string) =>
    requireIntegerAtLeast(scope, prop, value, min, fix);
  return {
    backoffLimit: int('backoffLimit', props.backoffLimit ?? 3, 0, 'use a small number of retries such as 3'),
    activeDeadlineSeconds: int(
      'activeDeadlineSeconds',
      props.activeDeadlineSeconds ?? 3600,
      1,
      'give the longest a run may take, in seconds',
    ),
    ttlSecondsAfterFinished: int(
      'ttlSecondsAfterFinished',
      props.ttlSecondsAfterFinished ?? 86400,
      0,
      'keep finished jobs for a day (86400) or less',
    ),
    completions: int('completions', props.completions ?? 1, 1, 'use 1 or more'),
    parallelism: int('parallelism', props.parallelism ?? 1, 1, 'use 1 or more'),
    template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } },
  };
}

/**
 * A Job with the same hardened pod as HardenedDeployment, bounded retries, a deadline and clean-up after it finishes.
 * Probes are optional (a run-to-completion pod serves no traffic).
 */
export class HardenedJob extends HardenedWorkload {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id, props);
    const template = this.podTemplate(props, { requiresProbes: false });
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.workloadMetadata(),
      spec: jobSpec(this, props, template),
    });
    this.guardPodLabels(this.resource, ['spec', 'template']);
  }
}
