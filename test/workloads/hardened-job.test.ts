import { HardenedCronJob, HardenedDeployment, HardenedJob } from '../../lib';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

describe('HardenedJob', () => {
  it('bounds retries and run time, cleans up, never restarts in place, needs no probe', () => {
    const { chart } = shopChart();
    new HardenedJob(chart, 'migrate', { image: IMAGE, args: ['migrate', 'up'] });
    const job = find(synth(chart), 'Job', 'migrate');
    expect(job.spec).toMatchObject({
      backoffLimit: 3,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
      completions: 1,
      parallelism: 1,
    });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(pod.containers[0].args).toEqual(['migrate', 'up']);
  });

  it('can reach a service it is allowed to', () => {
    const { chart } = shopChart();
    const db = new HardenedDeployment(chart, 'db', { image: IMAGE, port: 5432 });
    const job = new HardenedJob(chart, 'migrate', { image: IMAGE });
    job.allowTo(db);
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'migrate-egress').spec.egress[0].ports).toEqual([
      { protocol: 'TCP', port: 5432 },
    ]);
    expect(find(objects, 'NetworkPolicy', 'db-ingress').spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'migrate' } } },
    ]);
  });
});

describe('HardenedCronJob', () => {
  it('forbids overlapping runs by default and carries the job hardening', () => {
    const { chart } = shopChart();
    new HardenedCronJob(chart, 'report', {
      image: IMAGE,
      schedule: '0 3 * * *',
      activeDeadlineSeconds: 900,
      exemptions: [{ rule: 'workload-probes', reason: 'batch job, no long-running process' }],
    });
    const cron = find(synth(chart), 'CronJob', 'report');
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(cron.spec.jobTemplate.spec).toMatchObject({
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 86400,
    });
    const pod = cron.spec.jobTemplate.spec.template;
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.metadata.annotations).toEqual({
      'exempt.bulwark.dev/workload-probes': 'batch job, no long-running process',
    });
    expect(cron.metadata.annotations).toEqual({
      'exempt.bulwark.dev/workload-probes': 'batch job, no long-running process',
    });
  });

  it('accepts macros', () => {
    const { chart } = shopChart();
    new HardenedCronJob(chart, 'hourly', { image: IMAGE, schedule: '@hourly', concurrencyPolicy: 'Replace' });
    expect(find(synth(chart), 'CronJob', 'hourly').spec.concurrencyPolicy).toBe('Replace');
  });
});
