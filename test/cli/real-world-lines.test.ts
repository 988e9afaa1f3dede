import * as fs from 'fs';
import * as path from 'path';
import { runAudit } from '../../lib/cli/audit-command';
import { parseAuditArgs } from '../../lib/cli/audit-args';
import { parseFieldPath } from '../../lib/manifest/field-lines';

// The real-world corpus (five projects' install manifests, test/corpus/real-world/SOURCES.tsv): every finding with a
// field path points at a line that names the field (its key, or `-` for a sequence entry), never at the object's
// first line when the field is elsewhere.
const ROOT = path.join(__dirname, '..', '..');

describe('finding lines on the real-world corpus', () => {
  it('point at the offending field', async () => {
    const report = await runAudit(parseAuditArgs(['test/corpus/real-world']), {
      cwd: ROOT,
      stdout: () => undefined,
      stderr: () => undefined,
    } as never);
    const lines = new Map<string, string[]>();
    const textOf = (file: string) => {
      let l = lines.get(file);
      if (!l) lines.set(file, (l = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')));
      return l;
    };
    let located = 0;
    let atField = 0;
    const wrong: string[] = [];
    for (const f of [...report.result.findings, ...report.result.exempted]) {
      if (!f.path || !f.source || f.line === undefined) continue;
      located++;
      const segments = parseFieldPath(f.path) ?? [];
      const text = textOf(f.source.file)[f.line - 1];
      const named = segments.some((s) =>
        typeof s === 'number' ? /^\s*- /.test(text) : text.includes(`${s}:`) || text.includes(`'${s}'`),
      );
      if (named) atField++;
      else wrong.push(`${f.source.file}:${f.line} ${f.path}: ${text}`);
      if (f.line !== f.source.line) expect(f.line).toBeGreaterThan(f.source.line as number);
    }
    expect(wrong).toEqual([]);
    expect(located).toBeGreaterThan(300);
    expect(atField).toBe(located);
  });
});
