import { defineCelTranslation } from '../../admission/cel-translation';

/** Pods that run to completion need no probes (rules/workload-probes.ts runsToCompletion). */
const RUNS_TO_COMPLETION =
  "object.kind in ['Job', 'CronJob'] || variables.podSpec.?restartPolicy.orValue('') in ['Never', 'OnFailure'] || " +
  "(object.kind == 'Pod' && (object.?metadata.?ownerReferences.orValue([]).exists(o, o.?kind.orValue('') == 'Job') || " +
  "['batch.kubernetes.io/job-name', 'job-name'].exists(l, l in variables.podMeta.?labels.orValue({}))))";
const OK = "'readinessProbe' in c && 'livenessProbe' in c";
const REGULAR = 'variables.podSpec.?containers.orValue([])';

/** workload-probes: regular containers of long-running pods have a readinessProbe and a livenessProbe. */
export const workloadProbesCel = defineCelTranslation({
  ruleId: 'workload-probes',
  translate: () => [
    {
      expression: `${RUNS_TO_COMPLETION} || ${REGULAR}.all(c, ${OK})`,
      detail: `'container ' + ${REGULAR}.filter(c, !(${OK})).map(c, "'" + c.?name.orValue('') + "'").join(', ') + ' must have a readinessProbe and a livenessProbe'`,
    },
  ],
});
