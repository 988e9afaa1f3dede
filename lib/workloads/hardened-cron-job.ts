import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { requireIntegerAtLeast } from '../construct/validators';
import { jobSpec, JobRunProps } from './hardened-job';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';

export interface HardenedCronJobProps extends HardenedWorkloadProps, JobRunProps {
  /** Cron schedule, five fields (`0 3 * * *`: 03:00 daily) or a macro (`@hourly`, `@daily`, ...). */
  readonly schedule: string;
  /** IANA time zone of the schedule. @default 'Etc/UTC' */
  readonly timeZone?: string;
  /**
   * What to do when a run is still going at the next tick. Forbid: never two runs at once.
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  /** A run missed by more than this many seconds is skipped. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
}

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELD = /^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

function isCronSchedule(s: string): boolean {
  if (MACROS.includes(s)) return true;
  const fields = s.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => FIELD.test(f) || f === '?');
}

/**
 * A CronJob whose runs are HardenedJob runs: hardened pod, bounded retries and deadline, clean-up, and by default
 * never two runs at once.
 */
export class HardenedCronJob extends HardenedWorkload {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id, props);
    if (typeof props.schedule !== 'string' || !isCronSchedule(props.schedule)) {
      throw propError({
        scope: this,
        prop: 'schedule',
        received: props.schedule,
        allowed:
          'a cron schedule of five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly',
        fix: "write it like '*/15 * * * *' (every 15 minutes) or '0 3 * * *' (03:00 daily)",
      });
    }
    const policy = props.concurrencyPolicy ?? 'Forbid';
    if (!['Forbid', 'Replace', 'Allow'].includes(policy)) {
      throw propError({
        scope: this,
        prop: 'concurrencyPolicy',
        received: policy,
        allowed: "'Forbid', 'Replace' or 'Allow'",
        fix: "use 'Forbid' so that runs never overlap",
      });
    }
    const template = this.podTemplate(props, { requiresProbes: false });
    const history = (prop: 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit') =>
      requireIntegerAtLeast(this, prop, props[prop] ?? 3, 0, 'keep a few, such as 3');
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: this.workloadMetadata(),
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone ?? 'Etc/UTC',
        concurrencyPolicy: policy,
        startingDeadlineSeconds: requireIntegerAtLeast(
          this,
          'startingDeadlineSeconds',
          props.startingDeadlineSeconds ?? 300,
          1,
          'skip runs missed by more than a few minutes, e.g. 300',
        ),
        successfulJobsHistoryLimit: history('successfulJobsHistoryLimit'),
        failedJobsHistoryLimit: history('failedJobsHistoryLimit'),
        jobTemplate: {
          metadata: {
            labels: { ...this.labels },
            ...(Object.keys(this.exemptionAnnotations).length ? { annotations: this.exemptionAnnotations } : {}),
          },
          spec: jobSpec(this, props, template),
        },
      },
    });
  }
}
