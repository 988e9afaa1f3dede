import { readYamlDocuments } from '../../lib/manifest/manifests';
import { buildGoYamlOracle, OracleDocument, runGoYamlOracle } from '../helpers/go-yaml-oracle';
import { generatedCorpus, handWrittenCorpus, MERGE_KEY_MANIFEST } from './yaml-corpus';

/**
 * bulwark's manifest reader against the real Go library kubectl uses (go-yaml v2 through sigs.k8s.io/yaml, split into
 * documents the way kubectl's reader does): every document of the corpus must be accepted or refused alike, and
 * accepted ones must give the same JSON value.
 */

/** JSON values equal as parsed values (key order does not matter). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && sameJson(ra[k], rb[k]));
}

const LEFT_TO_CHANCE = /left to chance/;

interface Tally {
  streams: number;
  documents: number;
  accepted: number;
  refused: number;
  /** Documents whose Go result depends on map iteration order (two keys becoming one JSON key): bulwark refuses. */
  leftToChance: number;
  disagreements: string[];
}

function compare(corpus: readonly Uint8Array[], oracle: OracleDocument[][]): Tally {
  const t: Tally = {
    streams: corpus.length,
    documents: 0,
    accepted: 0,
    refused: 0,
    leftToChance: 0,
    disagreements: [],
  };
  corpus.forEach((stream, i) => {
    const ours = readYamlDocuments(stream);
    const go = oracle[i];
    t.documents += go.length;
    for (let k = 0; k < Math.max(go.length, ours.length); k++) {
      const g = go[k];
      const o = ours[k];
      if (o && 'error' in o && LEFT_TO_CHANCE.test(o.error.message) && (!g || 'json' in g)) {
        t.leftToChance++;
        return; // bulwark stops there, like kubectl at an error
      }
      const show = () =>
        `${JSON.stringify(Buffer.from(stream).toString('latin1'))}\n  go:      ${JSON.stringify(g)}\n  bulwark: ${JSON.stringify(o)}`;
      if (!g || !o) {
        t.disagreements.push(`document ${k + 1}: ${show()}`);
        return;
      }
      if ('error' in g) {
        t.refused++;
        if (!('error' in o)) t.disagreements.push(`go refuses, bulwark accepts: ${show()}`);
        return; // kubectl stops at its first error (bulwark reads on, to report every problem)
      } else if ('error' in o) {
        t.disagreements.push(`go accepts, bulwark refuses: ${show()}`);
      } else {
        t.accepted++;
        if (!sameJson(o.value, g.json)) t.disagreements.push(`different JSON: ${show()}`);
      }
    }
  });
  return t;
}

describe('the manifest reader against go-yaml v2 (sigs.k8s.io/yaml, as kubectl reads YAML)', () => {
  let oracle: string;
  beforeAll(() => {
    oracle = buildGoYamlOracle();
  }, 120_000);

  it('reads the issue merge-key manifest as go-yaml does: the merged privileged, hostPID, SYS_ADMIN values win', () => {
    const [go] = runGoYamlOracle(oracle, [Buffer.from(MERGE_KEY_MANIFEST)]);
    const [ours] = readYamlDocuments(Buffer.from(MERGE_KEY_MANIFEST));
    expect('value' in ours && ours.value).toEqual((go[0] as { json: unknown }).json);
    const spec = (ours as { value: { spec: { template: { spec: Record<string, unknown> } } } }).value.spec.template
      .spec;
    expect(spec.hostPID).toBe(true);
    expect(spec.containers).toEqual([
      expect.objectContaining({
        securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN'] } },
      }),
    ]);
  });

  it('agrees on every document of the hand-written and generated corpus (at least 10,000 documents)', () => {
    const corpus = [...handWrittenCorpus(), ...generatedCorpus(20261130, 11000)];
    const tally = compare(corpus, runGoYamlOracle(oracle, corpus));
    // The counts, for the record (jest prints them with --verbose through the test name only; keep them visible).
    process.stdout.write(
      `go-yaml differential: ${tally.streams} streams, ${tally.documents} documents (${tally.accepted} accepted, ` +
        `${tally.refused} refused by both, ${tally.leftToChance} left to chance in Go and refused by bulwark), ` +
        `${tally.disagreements.length} disagreements\n`,
    );
    expect(tally.disagreements.slice(0, 5)).toEqual([]);
    expect(tally.documents).toBeGreaterThanOrEqual(10_000);
    expect(tally.accepted).toBeGreaterThanOrEqual(5_000);
    expect(tally.refused).toBeGreaterThanOrEqual(2_000);
  }, 300_000);

  it('refuses documents whose Go result is left to chance, saying which keys collide', () => {
    const corpus = [Buffer.from('1: a\n"1": b\n'), Buffer.from('a: {1: x, 1.0: y}\n')];
    const go = runGoYamlOracle(oracle, corpus);
    expect(go.map((docs) => docs.map((d) => 'json' in d))).toEqual([[true], [true]]);
    expect(readYamlDocuments(corpus[0])).toEqual([
      {
        line: 1,
        error: {
          line: 1,
          message:
            'keys 1 and "1" both become "1" in JSON, and which one Kubernetes keeps is left to chance: keep only one of them',
        },
      },
    ]);
  });
});
