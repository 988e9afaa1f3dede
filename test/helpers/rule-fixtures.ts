import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { K8sObject } from '../../lib/policy';

export const RULE_FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'rules');

export interface RuleFixture {
  readonly ruleId: string;
  readonly expect: 'pass' | 'fail';
  readonly file: string;
  readonly objects: K8sObject[];
}

function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Every rule fixture on disk: test/fixtures/rules/<rule-id>/<pass|fail>/*.yaml. */
export function loadRuleFixtures(): RuleFixture[] {
  const out: RuleFixture[] = [];
  if (!fs.existsSync(RULE_FIXTURES_DIR)) return out;
  for (const ruleId of fs.readdirSync(RULE_FIXTURES_DIR).sort()) {
    for (const expect of ['pass', 'fail'] as const) {
      const dir = path.join(RULE_FIXTURES_DIR, ruleId, expect);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).sort()) {
        if (!/\.ya?ml$/.test(name)) continue;
        const file = path.join(dir, name);
        out.push({ ruleId, expect, file, objects: readObjects(file) });
      }
    }
  }
  return out;
}
