import { CIS_BENCHMARKS, parseCisReference } from '../../lib/cluster/posture/cis-benchmarks';
import { DOCUMENTED_CONTROLS, renderPostureDoc } from '../../lib/docs/posture-doc';

describe('CIS references of the cluster posture controls', () => {
  const references = DOCUMENTED_CONTROLS.flatMap((c) => c.references.map((r) => ({ control: c.id, r })));

  it('name one benchmark version per cloud, and only recommendations that version has', () => {
    const cis = references.filter(({ r }) => r.startsWith('CIS '));
    expect(cis.length).toBeGreaterThan(30);
    const unknown = cis.filter(({ r }) => {
      const ref = parseCisReference(r);
      return ref === undefined || ref.benchmark.recommendations[ref.id] === undefined;
    });
    expect(unknown).toEqual([]);
  });

  it('cover every recommendation listed in the tables with at least one control', () => {
    const uncovered = CIS_BENCHMARKS.flatMap((b) =>
      Object.keys(b.recommendations)
        .filter(
          (id) =>
            !references.some(({ r }) => {
              const ref = parseCisReference(r);
              return ref?.benchmark === b && ref.id === id;
            }),
        )
        .map((id) => `${b.prefix} ${id}`),
    );
    expect(uncovered).toEqual([]);
  });

  it('are tabled per cloud in docs/posture.md with the kube-bench version names', () => {
    const doc = renderPostureDoc();
    for (const name of ['eks-1.8.0', 'gke-1.9.0', 'aks-1.8']) expect(doc).toContain(`(kube-bench \`${name}\`)`);
    expect(doc).toContain(
      '| 5.6.4 | Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled | `gke-private-cluster` |',
    );
  });
});
