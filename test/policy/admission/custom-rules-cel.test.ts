import * as path from 'path';
import { Auditor, K8sObject } from '../../../lib/policy';
import { admissionPolicies, AdmissionPolicyError, ADMISSION_KINDS } from '../../../lib/policy/admission';
import { CustomRuleFolder, loadCustomRules } from '../../../lib/policy/custom-rules';
import { loadRuleFixtures } from '../../helpers/rule-fixtures';
import { byRule, Tally } from './agreement';
import { compilePolicies } from './vap-evaluator';
import { asCronJob, asDeployment } from './workload-wrap';

/**
 * One catalog, three enforcement points, for a team's own rules too: the pod rule of
 * test/fixtures/custom-rules/platform/platform-no-latest-tag is enforced at admission by its cel.ts, and on its
 * fixtures (each Pod also as a Deployment and a CronJob) the generated policy denies exactly what the TypeScript
 * engine reports.
 */
const ROOT = path.join(__dirname, '..', '..', '..');
const PLATFORM = 'test/fixtures/custom-rules/platform';
const ID = 'platform-no-latest-tag';

const folders = loadCustomRules([PLATFORM], ROOT);
const folder = folders.find((f) => f.id === ID) as CustomRuleFolder;
const fixtures = loadRuleFixtures(path.join(ROOT, PLATFORM)).filter((f) => f.ruleId === ID);

function variants(object: K8sObject): K8sObject[] {
  return object.kind === 'Pod' ? [object, asDeployment(object), asCronJob(object)] : [object];
}

describe('custom rules at admission', () => {
  it('are enforced by their CEL, agreeing with the TypeScript engine on their fixtures', () => {
    const objects = admissionPolicies({ only: [ID], customRuleFolders: folders });
    expect(objects.map((o) => `${o.kind} ${o.metadata?.name}`)).toEqual([
      `ValidatingAdmissionPolicy bulwark-${ID}`,
      `ValidatingAdmissionPolicyBinding bulwark-${ID}`,
    ]);
    const policy = byRule(compilePolicies(objects)).get(ID);
    const auditor = new Auditor({ only: [ID], customRules: [folder.rule] });
    const tally = new Tally();
    const denied = { pass: 0, fail: 0 };
    expect(fixtures.map((f) => f.expect).sort()).toEqual(['fail', 'pass']);
    for (const f of fixtures) {
      for (const object of f.objects.flatMap(variants)) {
        expect(ADMISSION_KINDS).toContain(object.kind);
        const ts = auditor.audit([object]).findings.length > 0;
        const outcome = policy?.evaluate({ object });
        tally.errors.push(...(outcome?.errors ?? []));
        const cel = outcome?.denied ?? false;
        if (cel) denied[f.expect]++;
        tally.record(
          cel === ts,
          () => `${f.file} ${object.kind} ${object.metadata?.name}: CEL ${cel}, TypeScript ${ts}`,
        );
      }
    }
    expect(tally.errors).toEqual([]);
    expect(tally.shownDisagreements()).toEqual([]);
    expect(denied).toEqual({ pass: 0, fail: 4 });
  });

  it('are selected with the catalog: without only, the custom pod rule has its policy beside the built-in ones', () => {
    const names = admissionPolicies({ customRuleFolders: folders }).map((o) => o.metadata?.name);
    expect(names).toContain(`bulwark-${ID}`);
    expect(names).toContain('bulwark-pss-baseline-privileged');
    // The object rule (a custom resource) is not an admission policy, as the catalog's object rules are not.
    expect(names).not.toContain('bulwark-platform-certificate-rotation');
  });

  it('refuse a custom pod rule the cluster would not enforce, and hostile or clashing translations', () => {
    const { translation, celFile, celProblem, ...bare } = folder;
    expect([translation !== undefined, celFile, celProblem]).toEqual([true, `${PLATFORM}/${ID}/cel.ts`, undefined]);
    expect(() => admissionPolicies({ only: [ID], customRuleFolders: [bare] })).toThrow(
      new AdmissionPolicyError(
        `admission policies: custom pod rule '${ID}' has no CEL translation: add cel.ts beside ${PLATFORM}/${ID}/check.ts (defineCelTranslation with translate(options), or untranslatable: '<reason>')`,
      ),
    );
    const withTranslate = (translate: () => unknown) => [
      { ...folder, translation: { ruleId: ID, translate } as never },
    ];
    expect(() =>
      admissionPolicies({
        only: [ID],
        customRuleFolders: withTranslate(() => {
          throw new Error('no network here');
        }),
      }),
    ).toThrow(`admission policies: custom rule '${ID}' (${PLATFORM}/${ID}/cel.ts): translate threw: no network here`);
    expect(() =>
      admissionPolicies({ only: [ID], customRuleFolders: withTranslate(() => [{ expression: 'true' }]) }),
    ).toThrow(
      `admission policies: custom rule '${ID}' (${PLATFORM}/${ID}/cel.ts): translate returned [{"expression":"true"}]: return an array of { expression, detail } CEL strings, or undefined where the rule does not apply`,
    );
    const started = Date.now();
    expect(() =>
      admissionPolicies({
        only: [ID],
        customRuleFolders: withTranslate(() => {
          for (;;) {
            /* never returns */
          }
        }),
      }),
    ).toThrow(/translate did not finish within \d+ ms: it must not loop or wait$/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const clash = { ...folder, rule: { ...folder.rule, id: 'pss-baseline-privileged' } };
    expect(() => admissionPolicies({ customRuleFolders: [clash] })).toThrow(
      `admission policies: ${PLATFORM}/${ID}/check.ts: id 'pss-baseline-privileged' is a built-in rule's (docs/rules.md): choose another id`,
    );
  });
});
