import * as path from 'path';
import { AuditOptions, K8sObject, PodRule, PSS_LEVELS, RULES } from '../../../lib/policy';
import {
  ADMISSION_KINDS,
  admissionPolicies,
  admissionTranslation,
  isUntranslatable,
} from '../../../lib/policy/admission';
import { loadRuleFixtures, RuleFixture } from '../../helpers/rule-fixtures';
import { byRule, Tally, TypeScriptVerdicts } from './agreement';
import { compilePolicies, CompiledPolicy } from './vap-evaluator';
import { asCronJob, asDeployment } from './workload-wrap';

/**
 * Agreement proof, part 2: every rule fixture of a pod rule (lib/policy/rules/<id>/fixtures/), each object as written and,
 * for Pods, wrapped into a Deployment and a CronJob, at both levels and every PSS version (v1.0..v1.37, latest):
 * the CEL verdict of the rule's policy equals the TypeScript engine's `audit([obj], { ..., only: [ruleId] })`.
 * And at the fixture's own options, CEL denies some object of every fail/ fixture and none of a pass/ fixture.
 */
const POD_RULES = new Map(RULES.filter((r): r is PodRule => r.scope === 'pod').map((r) => [r.id, r]));
const fixtures = loadRuleFixtures().filter((f) => POD_RULES.has(f.ruleId));
const translatable = (ruleId: string) => {
  const t = admissionTranslation(ruleId);
  return t !== undefined && !isUntranslatable(t);
};
const VERSIONS = ['latest', ...Array.from({ length: 38 }, (_, i) => `v1.${i}`)];

function variants(object: K8sObject): { label: string; object: K8sObject }[] {
  if (object.kind !== 'Pod') return [{ label: object.kind, object }];
  return [
    { label: 'Pod', object },
    { label: 'Pod as Deployment', object: asDeployment(object) },
    { label: 'Pod as CronJob', object: asCronJob(object) },
  ];
}

const policyCache = new Map<string, CompiledPolicy | undefined>();
function policyFor(ruleId: string, options: Omit<AuditOptions, 'only'>): CompiledPolicy | undefined {
  const key = JSON.stringify([ruleId, options.level, options.pssVersion, options.allowedRegistries]);
  if (!policyCache.has(key)) {
    const objects = admissionPolicies({ ...options, only: [ruleId] });
    policyCache.set(key, byRule(compilePolicies(objects)).get(ruleId));
  }
  return policyCache.get(key);
}

const name = (f: RuleFixture) => `${f.ruleId}/${f.expect}/${path.basename(f.file)}`;

describe('generated admission policies vs rule fixtures', () => {
  const tally = new Tally();
  const notAdmitted: string[] = [];
  const untranslated = new Set<string>();
  const started = Date.now();

  afterAll(() => {
    console.log(
      [
        `CEL admission vs TypeScript engine on rule fixtures (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        tally.summary(
          `${fixtures.length} fixtures of ${new Set(fixtures.map((f) => f.ruleId)).size} pod rules x variants x ${PSS_LEVELS.length} levels x ${VERSIONS.length} versions`,
        ),
        `not translatable (skipped): ${[...untranslated].sort().join(', ') || 'none'}`,
        `objects of kinds admission does not match, where TypeScript reports findings: ${notAdmitted.length === 0 ? 'none' : notAdmitted.join('; ')}`,
      ].join('\n'),
    );
  });

  it('agrees with the TypeScript engine per rule, object, level and version', () => {
    const ts = new TypeScriptVerdicts();
    for (const f of fixtures) {
      if (!translatable(f.ruleId)) {
        untranslated.add(f.ruleId);
        continue;
      }
      const grid =
        f.options.level || f.options.pssVersion
          ? [f.options]
          : PSS_LEVELS.flatMap((level) => VERSIONS.map((pssVersion) => ({ ...f.options, level, pssVersion })));
      for (const options of grid) {
        const policy = policyFor(f.ruleId, options);
        for (const original of f.objects) {
          for (const v of variants(original)) {
            const findings = ts.findings(v.object, f.ruleId, options);
            if (!ADMISSION_KINDS.includes(v.object.kind)) {
              if (findings.length > 0) notAdmitted.push(`${name(f)} ${v.label}`);
              continue;
            }
            const outcome = policy?.evaluate({ object: v.object });
            for (const e of outcome?.errors ?? []) tally.errors.push(`${name(f)} ${v.label}: ${e}`);
            const cel = outcome?.denied ?? false;
            tally.record(
              cel === findings.length > 0,
              () =>
                `${name(f)} ${v.label} ${v.object.metadata?.name} at ${options.level} ${options.pssVersion}: CEL ${cel ? `denies (${outcome?.violations.join(' | ')})` : 'admits'}, TypeScript ${findings.length > 0 ? `reports ${findings.join(' | ')}` : 'reports nothing'}`,
            );
          }
        }
      }
    }
    expect(tally.errors).toEqual([]);
    expect(tally.shownDisagreements()).toEqual([]);
    expect(notAdmitted).toEqual([]);
    expect(tally.evaluations).toBeGreaterThan(fixtures.length);
  });

  it.each(fixtures.filter((f) => translatable(f.ruleId)).map((f) => [name(f), f] as const))(
    'fixture %s: CEL verdict at the fixture options is the fixture expectation',
    (_name, f) => {
      const policy = policyFor(f.ruleId, f.options);
      const denied = f.objects.filter((o) => policy?.evaluate({ object: o }).denied);
      if (f.expect === 'fail') expect(denied.length).toBeGreaterThan(0);
      else expect(denied.map((o) => `${o.kind} ${o.metadata?.name}`)).toEqual([]);
    },
  );
});
