/**
 * The evidence table of the real-world corpus: for each folder of test/corpus/real-world, `bulwark audit --format json`
 * as the CLI runs it (objects, input errors, findings per rule, exit code). Prints Markdown.
 *
 *   npx tsx bench/real-world-table.ts [corpus-dir] [-- extra audit args]
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../lib/cli/main';

interface FolderRow {
  readonly folder: string;
  readonly exitCode: number;
  readonly objects: number;
  readonly inputErrors: number;
  readonly perRule: Map<string, number>;
}

async function auditFolder(dir: string, extra: readonly string[]): Promise<FolderRow> {
  let out = '';
  const exitCode = await main(['audit', '--format', 'json', ...extra, dir], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    readStdin: async () => '',
    cwd: process.cwd(),
  });
  const report = JSON.parse(out) as {
    summary: { objects: number; inputErrors: number };
    findings: { ruleId: string }[];
  };
  const perRule = new Map<string, number>();
  for (const f of report.findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  return {
    folder: path.basename(dir),
    exitCode,
    objects: report.summary.objects,
    inputErrors: report.summary.inputErrors,
    perRule,
  };
}

async function run(argv: readonly string[]): Promise<void> {
  const sep = argv.indexOf('--');
  const positional = sep === -1 ? argv : argv.slice(0, sep);
  const extra = sep === -1 ? [] : argv.slice(sep + 1);
  const root = positional[0] ?? path.join(__dirname, '..', 'test', 'corpus', 'real-world');
  const folders = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
  const rows: FolderRow[] = [];
  for (const f of folders) rows.push(await auditFolder(f, extra));
  const rules = [...new Set(rows.flatMap((r) => [...r.perRule.keys()]))].sort();
  // One column per folder, one row per measure and per rule that fired somewhere.
  const lines = [`| | ${rows.map((r) => r.folder).join(' | ')} |`, `| --- |${rows.map(() => ' ---: |').join('')}`];
  const row = (label: string, cells: readonly (string | number)[]) => lines.push(`| ${label} | ${cells.join(' | ')} |`);
  row(
    'exit code',
    rows.map((r) => r.exitCode),
  );
  row(
    'objects',
    rows.map((r) => r.objects),
  );
  row(
    'input errors',
    rows.map((r) => r.inputErrors),
  );
  row(
    'findings',
    rows.map((r) => [...r.perRule.values()].reduce((a, b) => a + b, 0)),
  );
  for (const id of rules)
    row(
      `\`${id}\``,
      rows.map((r) => r.perRule.get(id) ?? 0),
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}

run(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 2;
});
