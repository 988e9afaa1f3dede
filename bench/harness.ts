import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureAuditAfterParse, measureAuditEndToEnd } from './audit-bench';
import { CorpusOptions, writeCorpus } from './audit-corpus';
import { RunOptions } from './measured-process';
import { exampleStacks, measurePlan, PlanUnavailableError } from './plan-bench';
import { linearFit, median, ratio } from './stats';
import { measureSuite, SuiteRun } from './suite-bench';
import { measureSynth, SynthRun } from './synth-bench';
import { DEFAULT_CHARTS, SYNTH_VARIANTS, SynthVariant } from './synth-workloads';

export interface BenchConfig {
  /** Workload counts to synthesize. */
  readonly sizes: readonly number[];
  /** Measurements per size and variant (each in a fresh process); the median is reported. */
  readonly runs: number;
  readonly variants?: readonly SynthVariant[];
  /** Charts (namespaces) the workloads are split over. @default DEFAULT_CHARTS */
  readonly charts?: number;
  /** Objects in the generated audit corpus (at least). */
  readonly corpusObjects: number;
  readonly corpus?: Omit<CorpusOptions, 'objects'>;
  readonly auditRuns: number;
  readonly planRuns: number;
  /** Stacks to plan. @default every stacks/Pulumi.<name>.yaml */
  readonly stacks?: readonly string[];
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
  /** Passed to every measured process (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  /** Also time the whole unit suite (jest), for its goal. @default false */
  readonly suite?: boolean;
}

export interface Medians {
  readonly wallMs: number;
  readonly inProcessMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** CPU time over build and synth (every thread of the process). */
  readonly cpuMs: number;
  readonly loadMs: number;
  readonly maxRssMb: number;
}

export interface SynthVariantResult {
  readonly variant: SynthVariant;
  readonly objects: number;
  readonly bytes: number;
  readonly median: Medians;
  readonly runs: readonly SynthRun[];
}

/** A ratio of medians, wall and in-process (and of CPU time); NaN when a variant was not measured. */
export interface Ratio {
  readonly wall: number;
  readonly inProcess: number;
  /** Of the in-process CPU time: the same work measured less at the mercy of the machine's load. */
  readonly cpu?: number;
}

export interface SynthSizeResult {
  readonly n: number;
  readonly variants: Partial<Record<SynthVariant, SynthVariantResult>>;
  /** Ratios of medians; NaN when a variant was not measured. */
  readonly ratios: {
    /** A consumer's own App.synth of a bulwark app against plain cdk8s-plus-27 (goal ≤ 1.3). */
    readonly bulwarkVsPlain: Ratio;
    /** `bulwark synth`'s synthesis (renderApp + write) against plain cdk8s-plus-27 (goal ≤ 0.75). */
    readonly bulwarkSynthVsPlain: Ratio;
    /** Against the lower bound: plain's objects serialized with the yaml package. */
    readonly bulwarkVsYamlPlain: Ratio;
    readonly plainVsYamlPlain: Ratio;
    /** bulwark against its own floor: the same objects it writes, serialized with the yaml package. */
    readonly bulwarkVsYamlBulwark: Ratio;
    /** What only serializing bulwark's objects costs, against all of plain. */
    readonly yamlBulwarkVsPlain: Ratio;
    /** bulwark / plain per object written (bulwark writes 3 times the objects of plain for the same N). */
    readonly bulwarkVsPlainPerObject: Ratio;
    /** bulwark against its floor as it writes: its objects serialized with its fast YAML writer. */
    readonly bulwarkVsFastYamlBulwark: Ratio;
    /** bulwark against plain cdk8s-plus-27 given the same fast YAML writer. */
    readonly bulwarkVsPlainFastYaml: Ratio;
  };
}

/** How in-process synthesis time grows with N, per variant: a straight-line fit and the cost per workload. */
export interface Scaling {
  readonly variant: SynthVariant;
  /** Milliseconds per workload at each N (median in-process time / N). */
  readonly msPerWorkload: readonly { readonly n: number; readonly ms: number }[];
  readonly fit: { readonly interceptMs: number; readonly msPerWorkload: number; readonly r2: number };
}

export interface AuditResult {
  readonly corpus: {
    readonly files: number;
    readonly objects: number;
    readonly bytes: number;
    readonly kinds: Readonly<Record<string, number>>;
    readonly violations: Readonly<Record<string, number>>;
  };
  readonly afterParse: {
    readonly runs: readonly { auditMs: number; warmAuditMs: number; parseMs: number; maxRssMb: number }[];
    readonly medianAuditMs: number;
    readonly medianWarmAuditMs: number;
    readonly medianParseMs: number;
    readonly objectsPerSecond: number;
    readonly warmObjectsPerSecond: number;
    readonly findings: number;
  };
  readonly endToEnd: {
    readonly runs: readonly { wallMs: number; maxRssMb: number }[];
    readonly medianWallMs: number;
    readonly megabytesPerSecond: number;
    readonly objectsPerSecond: number;
    readonly maxRssMb: number;
    readonly findings: number;
  };
}

export interface PlanResult {
  readonly available: boolean;
  /** Why the plans were not measured. */
  readonly reason?: string;
  readonly stacks: readonly {
    readonly stack: string;
    readonly resources: number;
    readonly controls: number;
    readonly failedControls: number;
    readonly medianWallMs: number;
    readonly maxRssMb: number;
    readonly runsWallMs: readonly number[];
  }[];
}

export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly actual: string;
  /** undefined when the measurement needed for it was not taken. */
  readonly met?: boolean;
}

export interface BenchResults {
  readonly schema: 1;
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly node: string;
    readonly platform: string;
    readonly release: string;
  };
  readonly config: Omit<BenchConfig, 'log'> & { readonly charts: number };
  readonly synth: readonly SynthSizeResult[];
  readonly scaling: readonly Scaling[];
  readonly audit?: AuditResult;
  readonly plan?: PlanResult;
  readonly suite?: SuiteRun;
  readonly goals: readonly Goal[];
}

function medians(runs: readonly SynthRun[]): Medians {
  const m = (f: (r: SynthRun) => number) => median(runs.map(f));
  return {
    wallMs: m((r) => r.wallMs),
    inProcessMs: m((r) => r.inProcessMs),
    buildMs: m((r) => r.buildMs),
    synthMs: m((r) => r.synthMs),
    cpuMs: m((r) => r.cpuMs),
    loadMs: m((r) => r.loadMs),
    maxRssMb: m((r) => r.maxRssMb),
  };
}

/**
 * Synthesizes every size with every variant `runs` times, each in a fresh process. Runs are interleaved (run 1 of
 * every size and variant, then run 2, ...) and the variant order rotates, so machine noise hits all variants alike.
 */
export async function benchSynth(config: BenchConfig): Promise<{ synth: SynthSizeResult[]; scaling: Scaling[] }> {
  const variants = config.variants ?? SYNTH_VARIANTS;
  const runs = new Map<string, SynthRun[]>();
  const options: RunOptions = { nodeFlags: config.nodeFlags };
  for (let r = 0; r < config.runs; r++) {
    for (const n of config.sizes) {
      const order = variants.map((_, i) => variants[(i + r) % variants.length]);
      for (const v of order) {
        const run = await measureSynth(v, n, config.charts ?? DEFAULT_CHARTS, options);
        const key = `${v}|${n}`;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        config.log?.(
          `synth ${v.padEnd(12)} N=${String(n).padEnd(5)} run ${r + 1}/${config.runs}: ` +
            `wall ${run.wallMs.toFixed(0)} ms, in-process ${run.inProcessMs.toFixed(0)} ms (CPU ${run.cpuMs.toFixed(0)} ms), ` +
            `${run.maxRssMb.toFixed(0)} MB, load ${os.loadavg()[0].toFixed(1)}`,
        );
      }
    }
  }
  const synth = config.sizes.map((n): SynthSizeResult => {
    const results: Partial<Record<SynthVariant, SynthVariantResult>> = {};
    for (const v of variants) {
      const list = runs.get(`${v}|${n}`) ?? [];
      results[v] = { variant: v, objects: list[0].objects, bytes: list[0].bytes, median: medians(list), runs: list };
    }
    const pair = (a: SynthVariant, b: SynthVariant): Ratio => ({
      wall: ratio(results[a]?.median.wallMs ?? Number.NaN, results[b]?.median.wallMs ?? Number.NaN),
      inProcess: ratio(results[a]?.median.inProcessMs ?? Number.NaN, results[b]?.median.inProcessMs ?? Number.NaN),
      cpu: ratio(results[a]?.median.cpuMs ?? Number.NaN, results[b]?.median.cpuMs ?? Number.NaN),
    });
    const perObject = (a: SynthVariant, b: SynthVariant): Ratio => {
      const objects = ratio(results[b]?.objects ?? Number.NaN, results[a]?.objects ?? Number.NaN);
      const p = pair(a, b);
      return { wall: p.wall * objects, inProcess: p.inProcess * objects, cpu: (p.cpu ?? Number.NaN) * objects };
    };
    return {
      n,
      variants: results,
      ratios: {
        bulwarkVsPlain: pair('bulwark', 'plain'),
        bulwarkSynthVsPlain: pair('bulwark-synth', 'plain'),
        bulwarkVsYamlPlain: pair('bulwark', 'yaml-plain'),
        plainVsYamlPlain: pair('plain', 'yaml-plain'),
        bulwarkVsYamlBulwark: pair('bulwark', 'yaml-bulwark'),
        yamlBulwarkVsPlain: pair('yaml-bulwark', 'plain'),
        bulwarkVsPlainPerObject: perObject('bulwark', 'plain'),
        bulwarkVsFastYamlBulwark: pair('bulwark', 'fastyaml-bulwark'),
        bulwarkVsPlainFastYaml: pair('bulwark', 'plain-fastyaml'),
      },
    };
  });
  const scaling = variants.map((v): Scaling => {
    const points = synth.map((s) => ({ x: s.n, y: s.variants[v]?.median.inProcessMs ?? Number.NaN }));
    const fit = points.length >= 2 ? linearFit(points) : { intercept: Number.NaN, slope: Number.NaN, r2: Number.NaN };
    return {
      variant: v,
      msPerWorkload: points.map((p) => ({ n: p.x, ms: p.y / p.x })),
      fit: { interceptMs: fit.intercept, msPerWorkload: fit.slope, r2: fit.r2 },
    };
  });
  return { synth, scaling };
}

/** Generates the corpus into a temporary directory, audits it after parse and end to end, removes it. */
export async function benchAudit(config: BenchConfig): Promise<AuditResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-corpus-'));
  try {
    const corpus = writeCorpus(dir, { ...config.corpus, objects: config.corpusObjects });
    config.log?.(
      `audit corpus: ${corpus.objects} objects in ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB`,
    );
    const options: RunOptions = { nodeFlags: config.nodeFlags };
    const after: Awaited<ReturnType<typeof measureAuditAfterParse>>[] = [];
    const e2e: Awaited<ReturnType<typeof measureAuditEndToEnd>>[] = [];
    for (let r = 0; r < config.auditRuns; r++) {
      // Alternate which measurement goes first, like the synthesis variants.
      const steps = [
        async () => {
          const a = await measureAuditAfterParse(dir, options);
          if (a.objects !== corpus.objects) throw new Error(`audited ${a.objects} objects, wrote ${corpus.objects}`);
          after.push(a);
          config.log?.(`audit after parse run ${r + 1}/${config.auditRuns}: ${a.auditMs.toFixed(0)} ms`);
        },
        async () => {
          const e = await measureAuditEndToEnd(dir, options);
          if (e.objects !== corpus.objects)
            throw new Error(`CLI audited ${e.objects} objects, wrote ${corpus.objects}`);
          e2e.push(e);
          config.log?.(`audit end to end run ${r + 1}/${config.auditRuns}: ${e.wallMs.toFixed(0)} ms`);
        },
      ];
      if (r % 2 === 1) steps.reverse();
      for (const step of steps) await step();
    }
    const medianAuditMs = median(after.map((a) => a.auditMs));
    const medianWarmAuditMs = median(after.map((a) => a.warmAuditMs));
    const medianWallMs = median(e2e.map((e) => e.wallMs));
    return {
      corpus: {
        files: corpus.files,
        objects: corpus.objects,
        bytes: corpus.bytes,
        kinds: corpus.kinds,
        violations: corpus.violations,
      },
      afterParse: {
        runs: after.map(({ auditMs, warmAuditMs, parseMs, maxRssMb }) => ({ auditMs, warmAuditMs, parseMs, maxRssMb })),
        medianAuditMs,
        medianWarmAuditMs,
        medianParseMs: median(after.map((a) => a.parseMs)),
        objectsPerSecond: ratio(corpus.objects, medianAuditMs / 1000),
        warmObjectsPerSecond: ratio(corpus.objects, medianWarmAuditMs / 1000),
        findings: after[0].findings,
      },
      endToEnd: {
        runs: e2e.map(({ wallMs, maxRssMb }) => ({ wallMs, maxRssMb })),
        medianWallMs,
        megabytesPerSecond: ratio(corpus.bytes / 1e6, medianWallMs / 1000),
        objectsPerSecond: ratio(corpus.objects, medianWallMs / 1000),
        maxRssMb: median(e2e.map((e) => e.maxRssMb)),
        findings: e2e[0].findings,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Plans every example stack `planRuns` times; says why when this checkout cannot plan. */
export async function benchPlan(config: BenchConfig): Promise<PlanResult> {
  const stacks = config.stacks ?? exampleStacks();
  if (stacks.length === 0) return { available: false, reason: 'no stacks/Pulumi.<name>.yaml files', stacks: [] };
  const runs = new Map<string, Awaited<ReturnType<typeof measurePlan>>[]>();
  try {
    for (let r = 0; r < config.planRuns; r++) {
      for (const stack of stacks) {
        const p = await measurePlan(stack, { nodeFlags: config.nodeFlags });
        runs.set(stack, [...(runs.get(stack) ?? []), p]);
        config.log?.(
          `plan ${stack} run ${r + 1}/${config.planRuns}: ${p.wallMs.toFixed(0)} ms, ${p.resources} resources`,
        );
      }
    }
  } catch (e) {
    if (e instanceof PlanUnavailableError) return { available: false, reason: e.message, stacks: [] };
    throw e;
  }
  return {
    available: true,
    stacks: stacks.map((stack) => {
      const list = runs.get(stack) ?? [];
      return {
        stack,
        resources: list[0].resources,
        controls: list[0].controls,
        failedControls: list[0].failedControls,
        medianWallMs: median(list.map((p) => p.wallMs)),
        maxRssMb: median(list.map((p) => p.maxRssMb)),
        runsWallMs: list.map((p) => p.wallMs),
      };
    }),
  };
}

/** The audit goals are stated for a corpus of at least this many objects. */
export const GOAL_CORPUS_OBJECTS = 50_000;

const fmt = (x: number, digits = 2) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** The goals, checked against the results (a goal whose measurement was not taken has `met` undefined). */
export function evaluateGoals(r: Pick<BenchResults, 'synth' | 'audit' | 'suite'>): Goal[] {
  const goals: Goal[] = [];
  for (const n of [1000, 5000]) {
    const s = r.synth.find((x) => x.n === n);
    for (const kind of ['inProcess', 'wall'] as const) {
      const value = s?.ratios.bulwarkVsPlain[kind] ?? Number.NaN;
      goals.push({
        goal: `synth N=${n}: bulwark / plain cdk8s-plus-27 (${kind === 'inProcess' ? 'in-process' : 'wall'})`,
        target: '≤ 1.30×',
        actual: Number.isFinite(value) ? `${fmt(value)}×` : 'n/a',
        met: Number.isFinite(value) ? value <= 1.3 : undefined,
      });
    }
  }
  // Issue 12: where bulwark owns the process (`bulwark synth` renders and writes the files itself) it must stay well
  // below plain cdk8s-plus-27; a consumer's own App.synth (no patch of cdk8s, validation through addValidation only)
  // within 1.3× of it (the goals above). Both are measured side by side in the same run.
  for (const n of [1000, 5000]) {
    const value = r.synth.find((x) => x.n === n)?.ratios.bulwarkSynthVsPlain.inProcess ?? Number.NaN;
    goals.push({
      goal: `synth N=${n}: bulwark synth / plain cdk8s-plus-27 (in-process)`,
      target: '≤ 0.75×',
      actual: Number.isFinite(value) ? `${fmt(value)}×` : 'n/a',
      met: Number.isFinite(value) ? value <= 0.75 : undefined,
    });
  }
  const big = r.synth.find((x) => x.n === 5000)?.variants.bulwark?.median.maxRssMb ?? Number.NaN;
  goals.push({
    goal: 'peak memory, bulwark synth N=5000',
    target: '< 400 MB',
    actual: Number.isFinite(big) ? `${fmt(big, 0)} MB` : 'n/a',
    met: Number.isFinite(big) ? big < 400 : undefined,
  });
  // Throughput goals are about a corpus of realistic size; a smoke run's tiny corpus says nothing about them.
  const corpusOk = (r.audit?.corpus.objects ?? 0) >= GOAL_CORPUS_OBJECTS;
  const ops = corpusOk ? (r.audit?.afterParse.objectsPerSecond ?? Number.NaN) : Number.NaN;
  goals.push({
    goal: 'audit after parse (first audit in the process)',
    target: '≥ 100,000 objects/s',
    actual: Number.isFinite(ops) ? `${fmt(ops, 0)} objects/s` : 'n/a',
    met: Number.isFinite(ops) ? ops >= 100_000 : undefined,
  });
  const mbs = corpusOk ? (r.audit?.endToEnd.megabytesPerSecond ?? Number.NaN) : Number.NaN;
  goals.push({
    goal: 'audit end to end (bulwark audit --format json)',
    target: '≥ 10 MB/s',
    actual: Number.isFinite(mbs) ? `${fmt(mbs, 1)} MB/s` : 'n/a',
    met: Number.isFinite(mbs) ? mbs >= 10 : undefined,
  });
  const suite = r.suite;
  const failed = suite && (suite.exitCode !== 0 || (suite.tests?.failed ?? 0) > 0);
  goals.push({
    goal: 'whole unit suite (jest --ci)',
    target: '< 60 s',
    actual: suite
      ? `${fmt(suite.wallMs / 1000, 1)} s` +
        (suite.tests ? `, ${suite.tests.passed} tests passed` : '') +
        (failed ? `, exit code ${suite.exitCode}` : '')
      : 'n/a',
    met: suite ? !failed && suite.wallMs < 60_000 : undefined,
  });
  return goals;
}

export async function runBenchmark(config: BenchConfig): Promise<BenchResults> {
  const { synth, scaling } = await benchSynth(config);
  const audit = config.corpusObjects > 0 && config.auditRuns > 0 ? await benchAudit(config) : undefined;
  const plan = config.planRuns > 0 ? await benchPlan(config) : undefined;
  let suite: SuiteRun | undefined;
  if (config.suite) {
    suite = await measureSuite();
    config.log?.(`unit suite: ${(suite.wallMs / 1000).toFixed(1)} s, exit code ${suite.exitCode}`);
  }
  const cpus = os.cpus();
  const { log: _log, ...rest } = config;
  return {
    schema: 1,
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      release: os.release(),
    },
    config: { ...rest, charts: config.charts ?? DEFAULT_CHARTS },
    synth,
    scaling,
    ...(audit ? { audit } : {}),
    ...(plan ? { plan } : {}),
    ...(suite ? { suite } : {}),
    goals: evaluateGoals({ synth, audit, suite }),
  };
}
