import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { VIOLATION_KINDS, writeCorpus } from '../../bench/audit-corpus';
import { BenchResults, evaluateGoals, runBenchmark } from '../../bench/harness';
import { exampleStacks } from '../../bench/plan-bench';
import { formatReport } from '../../bench/report';
import { parseJestSummary } from '../../bench/suite-bench';
import { parseArgs } from '../../bench/run';
import { linearFit, median, ratio } from '../../bench/stats';
import { chartPlan, LOADERS, SYNTH_VARIANTS } from '../../bench/synth-workloads';

// The CI smoke test of `npm run bench`: the harness at tiny sizes, for correctness only (no timing assertions).

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-test-'));
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('bench statistics', () => {
  it('takes medians of odd and even counts and refuses an empty list', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of an empty list');
  });

  it('gives NaN for a ratio that cannot be computed', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('fits a straight line and says how well it fits', () => {
    const fit = linearFit([
      { x: 100, y: 210 },
      { x: 1000, y: 2010 },
      { x: 5000, y: 10010 },
    ]);
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(10, 6);
    expect(fit.r2).toBeCloseTo(1, 10);
    const bent = linearFit([
      { x: 1, y: 1 },
      { x: 2, y: 4 },
      { x: 3, y: 9 },
      { x: 4, y: 16 },
    ]);
    expect(bent.r2).toBeLessThan(0.97);
  });
});

describe('synthesis workloads', () => {
  it('splits N workloads over at most the chart count, in order', () => {
    expect(chartPlan(5, 4).map((c) => c.workloads)).toEqual([['w0'], ['w1'], ['w2'], ['w3', 'w4']]);
    expect(chartPlan(2, 4).map((c) => [c.chart, c.namespace])).toEqual([
      ['team-0', 'team-0'],
      ['team-1', 'team-1'],
    ]);
    expect(() => chartPlan(0)).toThrow('workload count must be an integer ≥ 1, got 0');
  });

  it.each(['yaml-bulwark', 'fastyaml-bulwark', 'bulwark-synth'] as const)(
    '%s writes byte for byte what bulwark writes (rings of one, two and more)',
    (variant) => {
      const outdirs = { bulwark: tmpdir(), floor: tmpdir() };
      LOADERS.bulwark()(9, outdirs.bulwark, 4).synth();
      LOADERS[variant]()(9, outdirs.floor, 4).synth();
      const bulwark = readDir(outdirs.bulwark);
      expect(Object.keys(bulwark)).toEqual([
        'team-0.k8s.yaml',
        'team-1.k8s.yaml',
        'team-2.k8s.yaml',
        'team-3.k8s.yaml',
      ]);
      expect(readDir(outdirs.floor)).toEqual(bulwark);
      const ring1 = tmpdir();
      const ring1Floor = tmpdir();
      LOADERS.bulwark()(1, ring1).synth();
      LOADERS[variant]()(1, ring1Floor).synth();
      expect(readDir(ring1Floor)).toEqual(readDir(ring1));
    },
  );

  it('plain-fastyaml writes byte for byte what plain writes, and leaves cdk8s its own YAML writer after', () => {
    const { Yaml } = require('cdk8s') as typeof import('cdk8s');
    const original = Yaml.stringify;
    const outdirs = { plain: tmpdir(), 'plain-fastyaml': tmpdir() };
    for (const v of ['plain', 'plain-fastyaml'] as const) LOADERS[v]()(6, outdirs[v], 2).synth();
    const plain = readDir(outdirs.plain);
    expect(Object.keys(plain)).toHaveLength(2);
    expect(readDir(outdirs['plain-fastyaml'])).toEqual(plain);
    expect(Yaml.stringify).toBe(original);
  });

  it('yaml-plain writes what cdk8s-plus-27 writes, but for the hash cdk8s appends to the address label', () => {
    const outdirs = { plain: tmpdir(), 'yaml-plain': tmpdir() };
    for (const v of ['plain', 'yaml-plain'] as const) LOADERS[v]()(6, outdirs[v], 2).synth();
    const withoutHash = (text: string) => text.replace(/(cdk8s\.io\/metadata\.addr: \S+)-[0-9a-f]{8}$/gm, '$1');
    const plain = readDir(outdirs.plain);
    expect(Object.keys(plain)).toHaveLength(2);
    for (const [file, text] of Object.entries(readDir(outdirs['yaml-plain']))) {
      expect(text).toBe(withoutHash(plain[file]));
    }
  });
});

describe('audit corpus', () => {
  it('is deterministic, parses, and has the kinds and violations it reports', () => {
    const a = writeCorpus(tmpdir(), { objects: 400, appsPerNamespace: 10, violationRate: 0.5 });
    const b = writeCorpus(tmpdir(), { objects: 400, appsPerNamespace: 10, violationRate: 0.5 });
    expect(readDir(a.dir)).toEqual(readDir(b.dir));
    expect(a.objects).toBeGreaterThanOrEqual(400);
    const kinds: Record<string, number> = {};
    let bytes = 0;
    for (const [, text] of Object.entries(readDir(a.dir))) {
      bytes += Buffer.byteLength(text);
      for (const doc of parseAllDocuments(text) as { toJS(): { kind: string } }[]) {
        const kind = doc.toJS().kind;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
    }
    expect(kinds).toEqual(a.kinds);
    expect(bytes).toBe(a.bytes);
    expect(Object.keys(a.kinds).sort()).toEqual(
      expect.arrayContaining(['ConfigMap', 'Deployment', 'Job', 'NetworkPolicy', 'Role', 'RoleBinding', 'Service']),
    );
    const violated = Object.values(a.violations).reduce((s, n) => s + n, 0);
    expect(violated).toBeGreaterThan(0);
    for (const kind of Object.keys(a.violations)) expect(VIOLATION_KINDS).toContain(kind);
  });
});

describe('npm run bench arguments', () => {
  it('defaults to the issue sizes and takes overrides', () => {
    const { config, out } = parseArgs([]);
    expect(config.sizes).toEqual([100, 1000, 5000]);
    expect(config.corpusObjects).toBe(50_000);
    expect(path.relative(process.cwd(), out)).toBe(path.join('bench', 'results', 'latest.json'));
    expect(parseArgs(['--runs', '3', '--sizes', '10,20', '--variants', 'bulwark,plain']).config).toMatchObject({
      runs: 3,
      sizes: [10, 20],
      variants: ['bulwark', 'plain'],
    });
    expect(() => parseArgs(['--runs', '0'])).toThrow('--runs needs an integer ≥ 1, got "0"');
    expect(() => parseArgs(['--variants', 'helm'])).toThrow(
      'unknown variant(s) helm: use bulwark, bulwark-synth, plain, yaml-plain, yaml-bulwark, fastyaml-bulwark, plain-fastyaml',
    );
  });
});

describe('the harness at tiny sizes', () => {
  let results: BenchResults;
  const lines: string[] = [];

  beforeAll(async () => {
    results = await runBenchmark({
      sizes: [5],
      runs: 1,
      corpusObjects: 200,
      auditRuns: 1,
      planRuns: 1,
      // One stack is enough to check the plan step; each costs seconds of the suite's time.
      stacks: exampleStacks().slice(0, 1),
      log: (line) => lines.push(line),
    });
  }, 120_000);

  it('measures every variant in its own process, with finite times, memory and ratios', () => {
    const [s] = results.synth;
    expect(s.n).toBe(5);
    expect(Object.keys(s.variants).sort()).toEqual([...SYNTH_VARIANTS].sort());
    // Charts of 1, 1, 1 and 2 workloads: a lone workload has no egress policy.
    expect(s.variants.bulwark?.objects).toBe(3 * 5 + 2 * 6);
    expect(s.variants['yaml-bulwark']?.objects).toBe(27);
    expect(s.variants['yaml-bulwark']?.bytes).toBe(s.variants.bulwark?.bytes);
    expect(s.variants.plain?.objects).toBe(10);
    expect(s.variants['yaml-plain']?.objects).toBe(10);
    expect(s.variants['fastyaml-bulwark']?.objects).toBe(27);
    expect(s.variants['fastyaml-bulwark']?.bytes).toBe(s.variants.bulwark?.bytes);
    expect(s.variants['plain-fastyaml']?.objects).toBe(10);
    expect(s.variants['plain-fastyaml']?.bytes).toBe(s.variants.plain?.bytes);
    for (const v of SYNTH_VARIANTS) {
      const m = s.variants[v]!.median;
      for (const x of [m.wallMs, m.inProcessMs, m.synthMs, m.cpuMs, m.maxRssMb]) expect(x).toBeGreaterThan(0);
      expect(m.wallMs).toBeGreaterThan(m.inProcessMs);
      expect(s.variants[v]!.runs).toHaveLength(1);
    }
    for (const r of Object.values(s.ratios)) {
      expect(Number.isFinite(r.wall) && r.wall > 0).toBe(true);
      expect(Number.isFinite(r.inProcess) && r.inProcess > 0).toBe(true);
      expect(Number.isFinite(r.cpu) && (r.cpu ?? 0) > 0).toBe(true);
    }
    expect(results.scaling.map((x) => x.variant).sort()).toEqual([...SYNTH_VARIANTS].sort());
    expect(lines.filter((l) => l.startsWith('synth '))).toHaveLength(SYNTH_VARIANTS.length);
  });

  it('audits the corpus after parse and through the CLI, agreeing on objects and findings', () => {
    const a = results.audit!;
    expect(a.corpus.objects).toBeGreaterThanOrEqual(200);
    expect(a.afterParse.findings).toBeGreaterThan(0);
    expect(a.endToEnd.findings).toBe(a.afterParse.findings);
    for (const x of [a.afterParse.objectsPerSecond, a.endToEnd.megabytesPerSecond, a.endToEnd.maxRssMb]) {
      expect(Number.isFinite(x) && x > 0).toBe(true);
    }
  });

  it('plans an example stack, or says why it cannot', () => {
    const plan = results.plan!;
    if (!plan.available) {
      expect(plan.reason).toMatch(/plan/);
      return;
    }
    expect(plan.stacks.map((p) => p.stack)).toEqual(exampleStacks().slice(0, 1));
    expect(exampleStacks().length).toBeGreaterThan(0);
    for (const p of plan.stacks) {
      expect(p.resources).toBeGreaterThan(0);
      expect(Number.isFinite(p.medianWallMs)).toBe(true);
    }
  });

  it('leaves the goals of sizes and corpora it did not measure unjudged, and prints every table', () => {
    expect(results.goals.every((g) => g.met === undefined)).toBe(true);
    const report = formatReport(results);
    for (const heading of ['### Synthesis', '### Ratios of medians', '### Audit', '### Goals']) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('| 5 | bulwark | 27 |');
    expect(JSON.parse(JSON.stringify(results))).toMatchObject({ schema: 1, config: { sizes: [5], charts: 4 } });
  });
});

describe('goals', () => {
  it('judges the ratio, memory and throughput goals from the results', () => {
    const size = (n: number, bulwark: number, bulwarkSynth: number, plain: number, rss: number) => ({
      n,
      variants: {
        bulwark: { median: { maxRssMb: rss } },
      },
      ratios: {
        bulwarkVsPlain: { inProcess: bulwark / plain, wall: bulwark / plain },
        bulwarkSynthVsPlain: { inProcess: bulwarkSynth / plain, wall: Number.NaN },
      },
    });
    const goals = evaluateGoals({
      synth: [size(1000, 120, 70, 100, 150), size(5000, 140, 76, 100, 420)] as unknown as BenchResults['synth'],
      audit: {
        corpus: { objects: 60_000 },
        afterParse: { objectsPerSecond: 150_000 },
        endToEnd: { megabytesPerSecond: 8 },
      } as unknown as BenchResults['audit'],
    });
    expect(goals.map((g) => [g.goal, g.actual, g.met])).toEqual([
      ['synth N=1000: bulwark / plain cdk8s-plus-27 (in-process)', '1.20×', true],
      ['synth N=1000: bulwark / plain cdk8s-plus-27 (wall)', '1.20×', true],
      ['synth N=5000: bulwark / plain cdk8s-plus-27 (in-process)', '1.40×', false],
      ['synth N=5000: bulwark / plain cdk8s-plus-27 (wall)', '1.40×', false],
      ['synth N=1000: bulwark synth / plain cdk8s-plus-27 (in-process)', '0.70×', true],
      ['synth N=5000: bulwark synth / plain cdk8s-plus-27 (in-process)', '0.76×', false],
      ['peak memory, bulwark synth N=5000', '420 MB', false],
      ['audit after parse (first audit in the process)', '150,000 objects/s', true],
      ['audit end to end (bulwark audit --format json)', '8.0 MB/s', false],
      ['whole unit suite (jest --ci)', 'n/a', undefined],
    ]);
    const withSuite = (wallMs: number, exitCode: number, failed: number) =>
      evaluateGoals({
        synth: [],
        suite: { wallMs, exitCode, tests: { passed: 10, failed, total: 10 + failed } },
      }).pop();
    expect(withSuite(42_000, 0, 0)).toMatchObject({ actual: '42.0 s, 10 tests passed', met: true });
    expect(withSuite(61_000, 0, 0)).toMatchObject({ met: false });
    expect(withSuite(42_000, 1, 2)).toMatchObject({ actual: '42.0 s, 10 tests passed, exit code 1', met: false });
  });
});

describe('unit suite timing', () => {
  it("reads jest's summary line", () => {
    expect(parseJestSummary('Test Suites: 3 passed, 3 total\nTests:       1 failed, 41 passed, 42 total\n')).toEqual({
      passed: 41,
      failed: 1,
      total: 42,
    });
    expect(parseJestSummary('no summary')).toBeUndefined();
  });
});
