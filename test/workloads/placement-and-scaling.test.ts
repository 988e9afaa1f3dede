import { HardenedDeployment } from '../../lib';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';

describe('isolation, priority and autoscaling', () => {
  it('pins a sensitive workload to its tainted pool', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'payments', {
      image: IMAGE,
      port: 8443,
      isolation: { pool: 'sensitive' },
      priorityClassName: 'business-critical',
    });
    const pod = find(synth(chart), 'Deployment', 'payments').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'bulwark.dev/pool': 'sensitive' });
    expect(pod.tolerations).toEqual([
      { key: 'bulwark.dev/pool', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' },
    ]);
    expect(pod.priorityClassName).toBe('business-critical');
  });

  it('leaves shared workloads without tolerations, so a tainted pool never runs them', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    const pod = find(synth(chart), 'Deployment', 'web').spec.template.spec;
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
  });

  it('hands replicas to an HPA and keeps the PDB below its minimum', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'api', {
      image: IMAGE,
      port: 8080,
      autoscaling: { minReplicas: 3, maxReplicas: 12 },
    });
    const objects = synth(chart);
    expect(find(objects, 'Deployment', 'api').spec.replicas).toBeUndefined();
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'api');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 3,
      maxReplicas: 12,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
    // minAvailable = minReplicas - maxUnavailable < minReplicas: a drain can always proceed.
    expect(find(objects, 'PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(1);
    expect(find(objects, 'PodDisruptionBudget', 'api').spec.minAvailable).toBeUndefined();
  });
});
