import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { genRuleIndex, renderRuleIndex, RULE_INDEX_PATH, RULES_DIR } from '../../scripts/gen-rule-index';

const REPO = path.join(__dirname, '..', '..');

describe('scripts/gen-rule-index', () => {
  let root: string;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) =>
    genRuleIndex(argv, { root, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  const folder = (id: string, files: string[]) => {
    fs.mkdirSync(path.join(root, RULES_DIR, id), { recursive: true });
    for (const f of files) fs.writeFileSync(path.join(root, RULES_DIR, id, f), '');
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-gen-rule-index-'));
    out = [];
    err = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the index in the repository is the one the rule folders generate', () => {
    expect(fs.readFileSync(path.join(REPO, RULE_INDEX_PATH), 'utf8')).toBe(renderRuleIndex(path.join(REPO, RULES_DIR)));
  });

  it('lists every folder with a check.ts, sorted, with its cel.ts when it has one', () => {
    folder('b-rule', ['check.ts']);
    folder('a-rule', ['check.ts', 'cel.ts']);
    folder('not-a-rule-yet', ['cel.ts']);
    expect(run()).toBe(0);
    expect(out.join('')).toBe(`wrote ${RULE_INDEX_PATH} (2 rule folders)\n`);
    const text = fs.readFileSync(path.join(root, RULE_INDEX_PATH), 'utf8');
    expect(text).toContain(
      "import * as aRuleCheck from './a-rule/check';\nimport * as aRuleCel from './a-rule/cel';\nimport * as bRuleCheck from './b-rule/check';\n",
    );
    expect(text).toContain(
      "  {\n    id: 'a-rule',\n    check: aRuleCheck,\n    cel: aRuleCel,\n  },\n  {\n    id: 'b-rule',\n    check: bRuleCheck,\n  },\n];\n",
    );
    expect(text).not.toContain('not-a-rule-yet');
    out = [];
    expect(run('--check')).toBe(0);
    expect(out.join('')).toBe(`${RULE_INDEX_PATH} is up to date (2 rule folders)\n`);
  });

  it('--check fails when a folder was added after the index was written, naming the file and the fix', () => {
    folder('a-rule', ['check.ts']);
    expect(run()).toBe(0);
    folder('c-rule', ['check.ts']);
    expect(run('--check')).toBe(1);
    expect(err.join('')).toBe(
      `${RULE_INDEX_PATH} is out of date with the rule folders: run \`npm run docs\` and commit the result\n`,
    );
  });

  it('refuses a folder that is not named by a kebab-case rule id, and unknown arguments', () => {
    folder('Bad_Name', ['check.ts']);
    expect(run()).toBe(2);
    expect(err.join('')).toBe(
      'gen-rule-index: lib/policy/rules/Bad_Name: a rule folder is named by its kebab-case rule id\n',
    );
    err = [];
    expect(run('--chek')).toBe(2);
    expect(err.join('')).toBe(
      "gen-rule-index: unknown argument '--chek'\nusage: tsx scripts/gen-rule-index.ts [--check]\n",
    );
    expect(fs.existsSync(path.join(root, RULE_INDEX_PATH))).toBe(false);
  });
});
