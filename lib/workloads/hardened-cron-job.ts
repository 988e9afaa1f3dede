import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { requireIntegerAtLeast } from '../construct/validators';
import { cronScheduleProblem, cronScheduleTimeZoneProblem } from '../k8s/cron-schedule';
import { CRONJOB_NAME_MAX_LENGTH } from '../k8s/object-name-rules';
import { timeZoneProblem } from '../k8s/time-zone';
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

/**
 * A CronJob whose runs are HardenedJob runs: hardened pod, bounded retries and deadline, clean-up, and by default
 * never two runs at once.
 */
export class HardenedCronJob extends HardenedWorkload {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id, props);
    if (this.name.length > CRONJOB_NAME_MAX_LENGTH) {
      throw propError({
        scope: this,
        prop: 'name',
        received: this.name,
        problem: `${props.name === undefined ? 'defaulted from the construct id; ' : ''}${this.name.length} characters: the CronJob controller appends 11 to name each Job, and Job names have at most 63`,
        allowed: `a name of at most ${CRONJOB_NAME_MAX_LENGTH} characters`,
        fix: `shorten the name, e.g. ${JSON.stringify(this.name.slice(0, CRONJOB_NAME_MAX_LENGTH).replace(/-+$/, ''))}`,
      });
    }
    const scheduleProblem =
      typeof props.schedule === 'string'
        ? (cronScheduleProblem(props.schedule) ?? cronScheduleTimeZoneProblem(props.schedule))
        : 'not a string';
    if (scheduleProblem !== undefined) {
      throw propError({
        scope: this,
        prop: 'schedule',
        received: props.schedule,
        problem: scheduleProblem,
        allowed:
          'a cron schedule of five fields (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or jan-dec, day-of-week 0-6 or sun-sat) or @hourly, @daily, @weekly, @monthly, @yearly',
        fix: "write it like '*/15 * * * *' (every 15 minutes) or '0 3 * * *' (03:00 daily); set the zone with timeZone",
      });
    }
    const timeZone = props.timeZone ?? 'Etc/UTC';
    const zoneProblem = timeZoneProblem(timeZone);
    if (zoneProblem !== undefined) {
      throw propError({
        scope: this,
        prop: 'timeZone',
        received: props.timeZone,
        problem: zoneProblem,
        allowed: "an IANA time zone name such as 'Europe/Paris' or 'Etc/UTC'",
        fix: "name the zone the schedule is written in, e.g. timeZone: 'Europe/Paris'",
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
        timeZone,
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
    this.guardPodLabels(this.resource, ['spec', 'jobTemplate', 'spec', 'template']);
  }
}
