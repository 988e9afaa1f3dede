import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

/**
 * Runs the repository's import-direction lint (`npm run lint:deps`: dependency-cruiser with .dependency-cruiser.cjs)
 * on a small tree of lib/ files written for the case, and returns its exit code and its report.
 */
function lint(files: Record<string, string>): { code: number | null; report: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-import-direction-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.copyFileSync(CONFIG, path.join(dir, '.dependency-cruiser.cjs'));
    const r = spawnSync(
      process.execPath,
      [DEPCRUISE, 'lib', '--config', '.dependency-cruiser.cjs', '--output-type', 'err', '--no-progress'],
      { cwd: dir, encoding: 'utf8' },
    );
    return { code: r.status, report: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const value = (name: string) => `export const ${name} = 1;\n`;

describe('import-direction lint (.dependency-cruiser.cjs)', () => {
  it('passes imports that point down the layers', () => {
    const r = lint({
      'lib/util/u.ts': value('u'),
      'lib/k8s/k.ts': `import { u } from '../util/u';\nexport const k = u;\n`,
      'lib/policy/p.ts': `import { k } from '../k8s/k';\nexport const p = k;\n`,
      'lib/workloads/w.ts': `import { p } from '../policy/p';\nimport { n } from '../network/n';\nexport const w = p + n;\n`,
      'lib/network/n.ts': value('n'),
      'lib/cli/c.ts': `import { w } from '../workloads/w';\nexport const c = w;\n`,
    });
    expect(r.report).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it('fails on an import against the layer order, naming the rule, the files and the order', () => {
    const r = lint({
      'lib/k8s/k.ts': `import { c } from '../cli/c';\nexport const k = c;\n`,
      'lib/cli/c.ts': value('c'),
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain('error layer-k8s: lib/k8s/k.ts → lib/cli/c.ts');
  });

  it('counts a type-only import as an import', () => {
    const r = lint({
      'lib/manifest/m.ts': `import type { P } from '../policy/p';\nexport const m = (p: P) => p;\n`,
      'lib/policy/p.ts': 'export type P = string;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain('error layer-manifest: lib/manifest/m.ts → lib/policy/p.ts');
  });

  it('fails on a cycle between two folders of one layer, but lets a folder and its sub-folders refer to each other', () => {
    const r = lint({
      'lib/workloads/w.ts': `import { e } from '../exposure/e';\nexport const w = e;\n`,
      'lib/exposure/e.ts': `import { x } from '../workloads/x';\nexport const e = x;\n`,
      'lib/workloads/x.ts': value('x'),
      'lib/policy/catalog.ts': `import { r } from './rules/a/check';\nexport const all = [r];\n`,
      'lib/policy/rule.ts': value('defineRule'),
      'lib/policy/rules/a/check.ts': `import { defineRule } from '../../rule';\nexport const r = defineRule;\n`,
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain('error no-cycle-between-folders: lib/workloads → ');
    expect(r.report).not.toContain('lib/policy/rules');
  });

  it('fails on a folder that is in no layer, and on lib/ importing tests or its own public barrel', () => {
    const r = lint({
      'lib/index.ts': value('api'),
      'lib/misc/m.ts': `import { u } from '../util/u';\nexport const m = u;\n`,
      'lib/util/u.ts': value('u'),
      'lib/cli/c.ts': `import { m } from '../misc/m';\nexport const c = m;\n`,
      'lib/k8s/k.ts': `import { api } from '../index';\nimport { h } from '../../test/helpers/h';\nexport const k = api + h;\n`,
      'test/helpers/h.ts': value('h'),
    });
    expect(r.code).not.toBe(0);
    expect(r.report).toContain('error folder-in-no-layer: lib/misc/m.ts → lib/util/u.ts');
    expect(r.report).toContain('error folder-in-no-layer: lib/cli/c.ts → lib/misc/m.ts');
    expect(r.report).toContain('error not-from-the-public-barrel: lib/k8s/k.ts → lib/index.ts');
    expect(r.report).toContain('error library-not-from-tests-or-tools: lib/k8s/k.ts → test/helpers/h.ts');
  });
});
