import * as path from 'path';
import type * as pulumi from '@pulumi/pulumi';
import { planChanges } from '../../lib/cluster/plan/plan-diff';
import { planStack } from '../../lib/cluster/plan/plan-stack';
import { PlannedResource } from '../../lib/cluster/posture/planned-resource';

const ROOT = path.join(__dirname, '..', '..');

/** The previous run's resources as the cloud left them: `edit` changes what an autoscaler or the cloud changed. */
function drifted(
  resources: readonly PlannedResource[],
  type: string,
  edit: (inputs: Record<string, unknown>) => Record<string, unknown>,
): PlannedResource[] {
  return resources.map((r) => (r.type === type ? { ...r, inputs: edit({ ...r.inputs }) } : r));
}

describe('a second pulumi up with unchanged config plans no changes', () => {
  it.each(['eks-prod', 'gke-prod', 'aks-prod', 'eks-staging', 'gke-staging', 'aks-staging', 'eks-prod-baseline'])(
    '%s: two runs of the program register the same resources with the same inputs',
    async (stack) => {
      const first = await planStack(stack, { cwd: ROOT });
      const second = await planStack(stack, { cwd: ROOT });
      expect(second.resources.length).toBe(first.resources.length);
      expect(planChanges(first.resources, second.resources)).toEqual([]);
    },
    // A baseline stack's plan plans its cluster stack too: four plans.
    240_000,
  );

  it.each([
    [
      'eks-prod',
      'aws:eks/nodeGroup:NodeGroup',
      (i: Record<string, unknown>) => ({ ...i, scalingConfig: { ...(i.scalingConfig as object), desiredSize: 9 } }),
    ],
    ['aks-prod', 'azure-native:containerservice:AgentPool', (i: Record<string, unknown>) => ({ ...i, count: 9 })],
    [
      'aks-prod',
      'azure-native:containerservice:ManagedCluster',
      (i: Record<string, unknown>) => ({
        ...i,
        agentPoolProfiles: (i.agentPoolProfiles as object[]).map((p) => ({ ...p, count: 3 })),
      }),
    ],
    ['gke-prod', 'gcp:container/nodePool:NodePool', (i: Record<string, unknown>) => ({ ...i, initialNodeCount: 5 })],
  ])(
    '%s: an autoscaler-owned count changed since (%s) is left alone',
    async (stack, type, edit) => {
      const first = await planStack(stack, { cwd: ROOT });
      const second = await planStack(stack, { cwd: ROOT });
      const previous = drifted(first.resources, type, edit);
      expect(previous).not.toEqual(first.resources); // the drift is real
      expect(planChanges(previous, second.resources)).toEqual([]);
    },
    120_000,
  );

  it('would reset the count without ignoreChanges (the check sees what the engine would change)', async () => {
    const noIgnore: pulumi.ResourceTransformation = (a) =>
      a.type === 'aws:eks/nodeGroup:NodeGroup' ? { props: a.props, opts: { ...a.opts, ignoreChanges: [] } } : undefined;
    const first = await planStack('eks-prod', { cwd: ROOT });
    const second = await planStack('eks-prod', { cwd: ROOT, transformations: [noIgnore] });
    const previous = drifted(first.resources, 'aws:eks/nodeGroup:NodeGroup', (i) => ({
      ...i,
      scalingConfig: { ...(i.scalingConfig as object), desiredSize: 9 },
    }));
    const changes = planChanges(previous, second.resources);
    expect(changes.map((c) => [c.kind, c.path, c.before])).toEqual([
      ['update', 'scalingConfig.desiredSize', 9],
      ['update', 'scalingConfig.desiredSize', 9],
      ['update', 'scalingConfig.desiredSize', 9],
    ]);
  }, 120_000);
});
