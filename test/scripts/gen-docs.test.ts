import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderPostureDoc } from '../../lib/docs/posture-doc';
import { renderRulesDoc } from '../../lib/docs/rules-doc';
import { RULES } from '../../lib/policy';
import { genDocs } from '../../scripts/gen-docs';

describe('scripts/gen-docs', () => {
  let root: string;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) => genDocs(argv, { root, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-gen-docs-'));
    out = [];
    err = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--check fails when docs/rules.md does not exist, naming the file and the fix', () => {
    expect(run('--check')).toBe(1);
    expect(err.join('')).toBe(
      'docs/rules.md does not exist: run `npm run docs` and commit the result\n' +
        'docs/posture.md does not exist: run `npm run docs` and commit the result\n',
    );
  });

  it('writes docs/rules.md from the catalog, after which --check passes', () => {
    expect(run()).toBe(0);
    expect(out.join('')).toBe(
      `wrote docs/rules.md (${RULES.length} rules)\nwrote docs/posture.md (cluster posture controls)\n`,
    );
    expect(fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc(RULES));
    expect(fs.readFileSync(path.join(root, 'docs', 'posture.md'), 'utf8')).toBe(renderPostureDoc());
    out = [];
    expect(run('--check')).toBe(0);
    expect(out.join('')).toBe(
      `docs/rules.md is up to date (${RULES.length} rules)\ndocs/posture.md is up to date (cluster posture controls)\n`,
    );
    expect(err).toEqual([]);
  });

  it('--check fails when docs/rules.md differs from the catalog', () => {
    expect(run()).toBe(0);
    fs.appendFileSync(path.join(root, 'docs', 'rules.md'), 'hand edit\n');
    expect(run('--check')).toBe(1);
    expect(err.join('')).toBe(
      'docs/rules.md is out of date with the rule catalog: run `npm run docs` and commit the result\n',
    );
  });

  it('--check fails when docs/posture.md differs from the posture controls', () => {
    expect(run()).toBe(0);
    fs.appendFileSync(path.join(root, 'docs', 'posture.md'), 'hand edit\n');
    expect(run('--check')).toBe(1);
    expect(err.join('')).toBe(
      'docs/posture.md is out of date with the posture controls: run `npm run docs` and commit the result\n',
    );
  });

  it('refuses unknown arguments with the usage', () => {
    expect(run('--chek')).toBe(2);
    expect(err.join('')).toBe("gen-docs: unknown argument '--chek'\nusage: tsx scripts/gen-docs.ts [--check]\n");
    expect(fs.existsSync(path.join(root, 'docs'))).toBe(false);
  });
});
