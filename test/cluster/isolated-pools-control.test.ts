import { isolatedPoolAksTaint, isolatedPoolTaint, normalizeTaints } from '../../lib/cluster/node-pool-taints';
import { isolatedPoolsControl } from '../../lib/cluster/posture/isolated-pools-control';
import { PlannedResource, PlanView } from '../../lib/cluster/posture/planned-resource';
import { evaluatePosture } from '../../lib/cluster/posture/posture-control';
import { nodePoolTaint } from '../../lib/k8s/node-pools';

function pool(name: string, inputs: Record<string, unknown>): PlannedResource {
  return { urn: `urn:pulumi:s::p::x:pool::${name}`, type: 'x:pool', name, custom: true, inputs, state: {}, id: name };
}

const control = isolatedPoolsControl({
  id: 'x-isolated-pools',
  references: ['test'],
  poolType: 'x:pool',
  pools: (plan) =>
    plan.ofType('x:pool').map((resource) => ({ resource, at: '', labelsPath: 'labels', taintsPath: 'taints' })),
});

function evaluate(...pools: PlannedResource[]) {
  const [result] = evaluatePosture([control], new PlanView(pools));
  return { status: result.status, evidence: result.evidence.map((e) => [e.resource, e.property, e.actual, e.pass]) };
}

describe('isolated pool taints in each cloud notation', () => {
  it('spells the taint of lib/k8s/node-pools for EKS/GKE and AKS, and reads both back', () => {
    expect(nodePoolTaint('sensitive')).toEqual({ key: 'bulwark.dev/pool', value: 'sensitive', effect: 'NoSchedule' });
    expect(isolatedPoolTaint('sensitive')).toEqual({
      key: 'bulwark.dev/pool',
      value: 'sensitive',
      effect: 'NO_SCHEDULE',
    });
    expect(isolatedPoolAksTaint('sensitive')).toBe('bulwark.dev/pool=sensitive:NoSchedule');
    expect(
      normalizeTaints([isolatedPoolTaint('a'), isolatedPoolAksTaint('b'), 'CriticalAddonsOnly=true:NoSchedule']),
    ).toEqual([
      { key: 'bulwark.dev/pool', value: 'a', effect: 'NoSchedule' },
      { key: 'bulwark.dev/pool', value: 'b', effect: 'NoSchedule' },
      { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(normalizeTaints(['dedicated:NoExecute', { key: 'k', effect: 'PREFER_NO_SCHEDULE' }, 'junk', 7])).toEqual([
      { key: 'dedicated', value: '', effect: 'NoExecute' },
      { key: 'k', value: '', effect: 'PreferNoSchedule' },
    ]);
    expect(normalizeTaints(undefined)).toEqual([]);
  });
});

describe('isolated pools control', () => {
  const labels = { 'bulwark.dev/pool': 'sensitive' };

  it('passes a labelled and tainted pool next to shared pools, and a stack without isolated pools', () => {
    expect(
      evaluate(
        pool('shared', { labels: { team: 'a' } }),
        pool('sensitive', { labels, taints: [isolatedPoolTaint('sensitive')] }),
      ),
    ).toEqual({
      status: 'pass',
      evidence: [
        ['x:pool shared', 'labels["bulwark.dev/pool"], taints', 'no bulwark.dev/pool label or taint', true],
        ['x:pool sensitive', 'labels["bulwark.dev/pool"]', 'sensitive', true],
        ['x:pool sensitive', 'taints', [isolatedPoolTaint('sensitive')], true],
      ],
    });
    expect(evaluate(pool('shared', {})).status).toBe('pass');
  });

  it('fails a label without its taint, a taint without its label, and a taint of another pool or effect', () => {
    expect(evaluate(pool('open', { labels })).evidence).toEqual([
      ['x:pool open', 'labels["bulwark.dev/pool"]', 'sensitive', true],
      ['x:pool open', 'taints', undefined, false],
    ]);
    expect(evaluate(pool('stranded', { taints: [isolatedPoolAksTaint('sensitive')] })).evidence).toEqual([
      ['x:pool stranded', 'labels["bulwark.dev/pool"]', undefined, false],
      ['x:pool stranded', 'taints', ['bulwark.dev/pool=sensitive:NoSchedule'], false],
    ]);
    expect(evaluate(pool('other', { labels, taints: [isolatedPoolTaint('batch')] })).status).toBe('fail');
    expect(evaluate(pool('soft', { labels, taints: ['bulwark.dev/pool=sensitive:PreferNoSchedule'] })).status).toBe(
      'fail',
    );
    expect(
      evaluate(pool('twice', { labels, taints: [isolatedPoolTaint('sensitive'), isolatedPoolTaint('batch')] })).status,
    ).toBe('fail');
  });

  it('fails when there is no node pool at all', () => {
    expect(evaluate()).toEqual({
      status: 'fail',
      evidence: [['(no x:pool)', '-', undefined, false]],
    });
  });
});
