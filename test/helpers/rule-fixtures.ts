import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { audit, AuditOptions, K8sObject } from '../../lib/policy';

/** The rule folders: lib/policy/rules/<rule-id>/fixtures/<pass|fail>/*.yaml. */
export const RULES_DIR = path.join(__dirname, '..', '..', 'lib', 'policy', 'rules');

export interface RuleFixture {
  readonly ruleId: string;
  readonly expect: 'pass' | 'fail';
  readonly file: string;
  readonly objects: K8sObject[];
  /**
   * Audit options the fixture needs (e.g. allowedRegistries), from an optional first line
   * `# audit-options: {"allowedRegistries": ["ghcr.io/acme"]}`; `only` is always the fixture's rule.
   */
  readonly options: Omit<AuditOptions, 'only'>;
}

const OPTIONS_HEADER = /^# audit-options: (.*)$/;

function readOptions(text: string, file: string): Omit<AuditOptions, 'only'> {
  const m = OPTIONS_HEADER.exec(text.split('\n', 1)[0]);
  if (!m) return {};
  try {
    const parsed: unknown = JSON.parse(m[1]);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Omit<AuditOptions, 'only'>;
  } catch (e) {
    throw new Error(`${file}: line 1 '# audit-options:' must be followed by a JSON object of AuditOptions: ${e}`);
  }
}

function readObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Every rule fixture on disk: <rules dir, default the catalog's>/<rule-id>/fixtures/<pass|fail>/*.yaml. */
export function loadRuleFixtures(rulesDir = RULES_DIR): RuleFixture[] {
  const out: RuleFixture[] = [];
  const folders = fs.readdirSync(rulesDir, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const ruleId of folders.map((e) => e.name).sort()) {
    for (const expect of ['pass', 'fail'] as const) {
      const dir = path.join(rulesDir, ruleId, 'fixtures', expect);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).sort()) {
        if (!/\.ya?ml$/.test(name)) continue;
        const file = path.join(dir, name);
        const text = fs.readFileSync(file, 'utf8');
        out.push({ ruleId, expect, file, objects: readObjects(text), options: readOptions(text, file) });
      }
    }
  }
  return out;
}

/**
 * The fixtures of one rule folder through the engine: the rule reports each fail/ fixture and no pass/ fixture (with
 * the fixture's audit options, only that rule).
 */
export function describeRuleFixtures(ruleId: string): void {
  const fixtures = loadRuleFixtures().filter((f) => f.ruleId === ruleId);
  describe.each(fixtures.map((f) => [`${f.ruleId}/${f.expect}/${path.basename(f.file)}`, f] as const))(
    'fixture %s',
    (_name, f) => {
      it(f.expect === 'fail' ? 'is reported by its rule' : 'is not reported by its rule', () => {
        const result = audit(f.objects, { ...f.options, only: [f.ruleId] });
        const mine = result.findings.filter((x) => x.ruleId === f.ruleId);
        if (f.expect === 'fail') expect(mine.length).toBeGreaterThan(0);
        else expect(mine).toEqual([]);
      });
    },
  );
}
