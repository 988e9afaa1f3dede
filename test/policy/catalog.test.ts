import * as path from 'path';
import { audit, RULES, ruleById, selectRules } from '../../lib/policy';
import { loadRuleFixtures } from '../helpers/rule-fixtures';

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

  it('selects rules by group and refuses unknown selectors with what is allowed', () => {
    expect(selectRules(['pss']).every((r) => r.group === 'pss')).toBe(true);
    expect(() => selectRules(['nope'])).toThrow(
      "unknown rule or group 'nope': use a group (pss, workload, image, rbac, network, service, secret, ingress) or a rule id (see docs/rules.md)",
    );
  });
});
