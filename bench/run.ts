/**
 * `npm run bench`: synthesis at N = 100, 1,000 and 5,000 workloads (bulwark, plain cdk8s-plus-27, yaml lower bound),
 * audit throughput on a generated corpus, and the offline plan of every example stack. Prints Markdown tables and
 * writes the full results as JSON (bench/results/latest.json unless --out says otherwise).
 *
 *   npm run bench -- [--runs 5] [--sizes 100,1000,5000] [--corpus 50000] [--audit-runs 5] [--plan-runs 3]
 *                    [--variants bulwark,plain,yaml-plain,yaml-bulwark,fastyaml-bulwark,plain-fastyaml] [--charts 4] [--no-suite] [--cpu-prof DIR]
 *                    [--out file.json] [--quick]
 */
import * as fs from 'fs';
import * as path from 'path';
import { BenchConfig, runBenchmark } from './harness';
import { formatReport } from './report';
import { SYNTH_VARIANTS, SynthVariant } from './synth-workloads';

const DEFAULTS: BenchConfig = {
  sizes: [100, 1000, 5000],
  runs: 5,
  corpusObjects: 50_000,
  auditRuns: 5,
  planRuns: 3,
  suite: true,
};

/** A few seconds: checks the harness end to end, numbers mean nothing. */
const QUICK: BenchConfig = { sizes: [10, 50], runs: 1, corpusObjects: 500, auditRuns: 1, planRuns: 1, suite: false };

const USAGE =
  'usage: npm run bench -- [--runs N] [--sizes 100,1000,5000] [--corpus OBJECTS] [--audit-runs N] [--plan-runs N] ' +
  '[--variants bulwark,plain,yaml-plain,yaml-bulwark,fastyaml-bulwark,plain-fastyaml] [--charts N] [--no-suite] [--cpu-prof DIR] [--out FILE] [--quick]';

function positiveInt(flag: string, value: string | undefined, min = 1): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) {
    throw new Error(`${flag} needs an integer ≥ ${min}, got ${JSON.stringify(value)}\n${USAGE}`);
  }
  return Number(value);
}

export function parseArgs(argv: readonly string[]): { config: BenchConfig; out: string } {
  let config: BenchConfig = DEFAULTS;
  let out = path.join(__dirname, 'results', 'latest.json');
  const overrides: Partial<{ -readonly [K in keyof BenchConfig]: BenchConfig[K] }> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--quick':
        config = QUICK;
        out = path.join(__dirname, 'results', 'quick.tmp.json');
        break;
      case '--runs':
        overrides.runs = positiveInt(flag, value());
        break;
      case '--sizes':
        overrides.sizes = (value() ?? '').split(',').map((s) => positiveInt(flag, s));
        break;
      case '--charts':
        overrides.charts = positiveInt(flag, value());
        break;
      case '--corpus':
        overrides.corpusObjects = positiveInt(flag, value(), 0);
        break;
      case '--audit-runs':
        overrides.auditRuns = positiveInt(flag, value(), 0);
        break;
      case '--plan-runs':
        overrides.planRuns = positiveInt(flag, value(), 0);
        break;
      case '--variants': {
        const list = (value() ?? '').split(',');
        const bad = list.filter((v) => !SYNTH_VARIANTS.includes(v as SynthVariant));
        if (bad.length) throw new Error(`unknown variant(s) ${bad.join(', ')}: use ${SYNTH_VARIANTS.join(', ')}`);
        overrides.variants = list as SynthVariant[];
        break;
      }
      case '--suite':
        overrides.suite = true;
        break;
      case '--no-suite':
        overrides.suite = false;
        break;
      case '--cpu-prof':
        // One .cpuprofile per measured process, for `node --cpu-prof`-style analysis of where the time goes.
        overrides.nodeFlags = ['--cpu-prof', '--cpu-prof-dir', path.resolve(value() ?? '')];
        break;
      case '--out':
        out = path.resolve(value() ?? '');
        break;
      default:
        throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return { config: { ...config, ...overrides }, out };
}

async function main(): Promise<void> {
  const { config, out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results = await runBenchmark({ ...config, log: (line) => process.stderr.write(`${line}\n`) });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatReport(results));
  process.stdout.write(
    `\nResults: ${path.relative(process.cwd(), out)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)\n`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
