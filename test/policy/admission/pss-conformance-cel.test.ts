import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { K8sObject, PodRule, PSS_LEVELS, RULES } from '../../../lib/policy';
import { admissionPolicies } from '../../../lib/policy/admission';
import { PSS_TESTDATA } from '../../helpers/conformance';
import { byRule, Tally, TypeScriptVerdicts } from './agreement';
import { compilePolicies, CompiledPolicy } from './vap-evaluator';
import { asCronJob, asDeployment } from './workload-wrap';

/**
 * Agreement proof, part 1: the generated ValidatingAdmissionPolicies, evaluated by a real CEL engine, against every
 * upstream kubernetes/pod-security-admission conformance fixture, at the fixture's level and version. Per fixture the
 * CEL verdict (any policy denies) must equal upstream's (pass/ or fail/), and per rule and fixture the CEL verdict must
 * equal the TypeScript engine's. Each fixture Pod is also wrapped into a Deployment and a CronJob (its metadata becomes
 * the pod template's), which upstream would judge the same way. `latest` is checked against the newest fixtures too.
 */
const TESTDATA = PSS_TESTDATA;

interface Fixture {
  readonly file: string;
  readonly expect: 'pass' | 'fail';
  readonly object: K8sObject;
}

function versionsOf(level: string): string[] {
  return fs
    .readdirSync(path.join(TESTDATA, level))
    .filter((v) => /^v1\.\d+$/.test(v))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

function fixturesOf(level: string, version: string): Fixture[] {
  const out: Fixture[] = [];
  for (const expect of ['pass', 'fail'] as const) {
    const dir = path.join(TESTDATA, level, version, expect);
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.yaml')) continue;
      const file = path.join(dir, name);
      out.push({ file, expect, object: parse(fs.readFileSync(file, 'utf8')) as K8sObject });
    }
  }
  return out;
}

const PSS_RULES = RULES.filter((r): r is PodRule => r.scope === 'pod' && r.group === 'pss');
const NEWEST = versionsOf('restricted').at(-1) as string;

describe('generated admission policies vs upstream Pod Security conformance fixtures', () => {
  const upstream = new Tally();
  const perRule = new Tally();
  const ts = new TypeScriptVerdicts();
  const rows: string[] = [];
  const started = Date.now();

  afterAll(() => {
    console.log(
      [
        `CEL admission vs upstream PSS conformance (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        upstream.summary('fixtures (each as Pod, Deployment, CronJob) vs upstream verdict'),
        perRule.summary(`per rule vs TypeScript engine (${PSS_RULES.length} pss rules x fixture x kind)`),
        ...rows,
      ].join('\n'),
    );
  });

  describe.each(PSS_LEVELS.map((l) => [l]))('level %s', (level) => {
    const versions = [...versionsOf(level).map((v) => [v, v] as const), ['latest', NEWEST] as const];

    it.each(versions.map(([v, dir]) => [v, dir]))(
      '%s agrees with upstream and with the TypeScript engine',
      (version, dir) => {
        const objects = admissionPolicies({ level, pssVersion: version, only: ['pss'] });
        const policies: Map<string, CompiledPolicy> = byRule(compilePolicies(objects));
        const fixtures = fixturesOf(level, dir);
        const before = { up: upstream.disagreed, rule: perRule.disagreed, errors: upstream.errors.length };
        for (const f of fixtures) {
          for (const [kind, object] of [
            ['Pod', f.object],
            ['Deployment', asDeployment(f.object)],
            ['CronJob', asCronJob(f.object)],
          ] as const) {
            const where = `${level} ${version} ${path.relative(TESTDATA, f.file)} as ${kind}`;
            const memo = new Map<string, unknown>();
            let denied = false;
            for (const rule of PSS_RULES) {
              const outcome = policies.get(rule.id)?.evaluate({ object }, memo);
              for (const e of outcome?.errors ?? []) upstream.errors.push(`${where}: ${rule.id}: ${e}`);
              const cel = outcome?.denied ?? false;
              denied ||= cel;
              const tsFindings = ts.findings(object, rule.id, { level, pssVersion: version });
              perRule.record(
                cel === tsFindings.length > 0,
                () =>
                  `${where} ${rule.id}: CEL ${cel ? `denies (${outcome?.violations.join(' | ')})` : 'admits'}, TypeScript ${tsFindings.length > 0 ? `reports ${tsFindings.join(' | ')}` : 'reports nothing'}`,
              );
            }
            upstream.record(
              denied === (f.expect === 'fail'),
              () =>
                `${where}: upstream ${f.expect === 'fail' ? 'rejects' : 'admits'}, CEL ${denied ? 'denies' : 'admits'}`,
            );
          }
        }
        rows.push(
          `  ${level.padEnd(10)} ${version.padEnd(6)} ${String(fixtures.length).padStart(3)} fixtures, ${String(policies.size).padStart(2)} policies, ${upstream.disagreed - before.up} vs upstream, ${perRule.disagreed - before.rule} vs TypeScript`,
        );
        expect(upstream.errors.slice(before.errors)).toEqual([]);
        expect(upstream.shownDisagreements()).toEqual([]);
        expect(perRule.shownDisagreements()).toEqual([]);
      },
    );
  });

  it('covers every upstream fixture', () => {
    const files = PSS_LEVELS.flatMap((l) => versionsOf(l).flatMap((v) => fixturesOf(l, v)));
    expect(files.length).toBe(4537);
  });
});
