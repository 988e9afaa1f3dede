import * as fs from 'fs';
import * as path from 'path';
import { RULES, ruleById, selectRules } from '../../lib/policy';
import { admissionTranslation } from '../../lib/policy/admission';
import { RULE_FOLDERS } from '../../lib/policy/rules/rule-folders';
import { loadRuleFixtures, RULES_DIR } from '../helpers/rule-fixtures';

const fixtures = loadRuleFixtures();

describe('rule catalog meta-test', () => {
  it('has rules with unique kebab-case ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    it('has a title, remediation and references (OWASP K0x plus PSS, CIS or NSA)', () => {
      expect(rule.title.trim()).not.toBe('');
      expect(rule.remediation.trim().length).toBeGreaterThan(20);
      expect(rule.references.owasp?.length ?? 0).toBeGreaterThan(0);
      const others =
        (rule.references.cis?.length ?? 0) + (rule.references.nsa?.length ?? 0) + (rule.references.pss ? 1 : 0);
      expect(others).toBeGreaterThan(0);
      if (rule.group === 'pss') expect(rule.references.pss).toBeDefined();
    });

    it('has at least one pass and one fail fixture', () => {
      const mine = fixtures.filter((f) => f.ruleId === rule.id);
      expect(mine.filter((f) => f.expect === 'pass').length).toBeGreaterThan(0);
      expect(mine.filter((f) => f.expect === 'fail').length).toBeGreaterThan(0);
    });
  });

  it('has no fixture folder for a rule that does not exist', () => {
    const orphans = [...new Set(fixtures.map((f) => f.ruleId))].filter((id) => !ruleById(id));
    expect(orphans).toEqual([]);
  });

  it('selects rules by group and refuses unknown selectors with what is allowed', () => {
    expect(selectRules(['pss']).every((r) => r.group === 'pss')).toBe(true);
    expect(() => selectRules(['nope'])).toThrow(
      "unknown rule or group 'nope': use a group (pss, workload, image, rbac, network, service, secret, ingress, api, schema) or a rule id (see docs/rules.md)",
    );
  });
});

const yamlIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)) : []);

describe('rule folders meta-test (lib/policy/rules/<id>/)', () => {
  it('has one folder per rule of the catalog, named by the rule id, all in the generated index', () => {
    const folders = fs
      .readdirSync(RULES_DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(RULES.map((r) => r.id).sort());
    expect(RULE_FOLDERS.map((f) => f.id)).toEqual(folders);
  });

  describe.each(RULE_FOLDERS.map((f) => [f.id, f] as const))('%s', (id, folder) => {
    const dir = path.join(RULES_DIR, id);

    it('check.ts exports exactly one rule, the one the folder is named after', () => {
      const rules = Object.values(folder.check).filter(
        (v) => typeof v === 'object' && v !== null && 'id' in v && 'check' in v && 'scope' in v,
      );
      expect(rules.map((r) => (r as { id: string }).id)).toEqual([id]);
    });

    it('holds its test, which runs the folder fixtures, and at least one pass and one fail fixture', () => {
      const test = path.join(dir, `${id}.test.ts`);
      expect(fs.existsSync(test)).toBe(true);
      expect(fs.readFileSync(test, 'utf8')).toContain(`describeRuleFixtures('${id}');`);
      expect(yamlIn(path.join(dir, 'fixtures', 'pass')).length).toBeGreaterThan(0);
      expect(yamlIn(path.join(dir, 'fixtures', 'fail')).length).toBeGreaterThan(0);
      expect(fs.readdirSync(path.join(dir, 'fixtures')).sort()).toEqual(['fail', 'pass']);
    });

    it('has cel.ts with its admission translation when it is a pod rule, and none when it is an object rule', () => {
      const rule = ruleById(id);
      if (rule?.scope === 'pod') {
        expect(folder.cel).toBeDefined();
        const translations = Object.values(folder.cel ?? {}).filter(
          (v) => typeof v === 'object' && v !== null && 'ruleId' in v,
        );
        expect(translations.map((t) => (t as { ruleId: string }).ruleId)).toEqual([id]);
        expect(admissionTranslation(id)).toBe(translations[0]);
      } else {
        // The admission policies match pods and pod templates only (POD_RESOURCE_RULES); object rules run at synth
        // time and in `bulwark audit`.
        expect(folder.cel).toBeUndefined();
        expect(fs.existsSync(path.join(dir, 'cel.ts'))).toBe(false);
      }
    });

    it('holds nothing else', () => {
      const expected = ['check.ts', 'fixtures', `${id}.test.ts`, ...(folder.cel ? ['cel.ts'] : [])].sort();
      expect(fs.readdirSync(dir).sort()).toEqual(expected);
    });
  });
});
