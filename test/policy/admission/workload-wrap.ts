import { K8sObject } from '../../../lib/policy';

/** A Pod manifest turned into the Deployment that would create it (pod metadata becomes the template's). */
export function asDeployment(pod: K8sObject): K8sObject {
  const { name = 'pod', namespace, labels, annotations } = pod.metadata ?? {};
  const selectorLabels = labels && Object.keys(labels).length > 0 ? labels : { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels },
      template: {
        metadata: { labels: selectorLabels, ...(annotations ? { annotations } : {}) },
        spec: pod.spec,
      },
    },
  };
}

/** A Pod manifest turned into a CronJob whose jobs run it (restartPolicy OnFailure unless the pod sets one). */
export function asCronJob(pod: K8sObject): K8sObject {
  const { name = 'pod', namespace, labels, annotations } = pod.metadata ?? {};
  const spec = pod.spec as Record<string, unknown>;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        spec: {
          template: {
            metadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
            spec: { restartPolicy: 'OnFailure', ...spec },
          },
        },
      },
    },
  };
}
