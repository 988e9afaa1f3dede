/**
 * The "after parse" audit measurement, run by the harness in a fresh process:
 *   node -r tsx/cjs bench/audit-child.ts <corpus-dir>
 * Reads the corpus the way `bulwark audit` does (readManifests), then times `new Auditor(options).audit(objects)`
 * alone: the first audit in the process (what the CLI pays) and a second one with warm code. Prints one JSON line.
 */
import { performance } from 'perf_hooks';
import { Auditor } from '../lib/policy/engine';
import { readManifests } from '../lib/manifest/manifests';

export interface AuditChildReport {
  readonly objects: number;
  readonly inputErrors: number;
  readonly findings: number;
  /** Reading and parsing the files. */
  readonly parseMs: number;
  /** The first audit in the process: `new Auditor(options).audit(objects, sources)`. */
  readonly auditMs: number;
  /** The same audit run again in the same process. */
  readonly warmAuditMs: number;
  readonly maxRssKb: number;
}

async function main(argv: readonly string[]): Promise<void> {
  const [dir] = argv;
  if (!dir) throw new Error('usage: audit-child <corpus-dir>');
  const t0 = performance.now();
  const manifests = await readManifests([dir], { cwd: process.cwd() });
  const t1 = performance.now();
  const result = new Auditor({}).audit(manifests.objects, manifests.sources);
  const t2 = performance.now();
  new Auditor({}).audit(manifests.objects, manifests.sources);
  const t3 = performance.now();
  const report: AuditChildReport = {
    objects: result.objectCount,
    inputErrors: manifests.errors.length,
    findings: result.findings.length + result.exempted.length,
    parseMs: t1 - t0,
    auditMs: t2 - t1,
    warmAuditMs: t3 - t2,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 2;
});
