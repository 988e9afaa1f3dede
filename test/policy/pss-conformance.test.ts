import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { audit, K8sObject, NEWEST_PSS_MINOR, OLDEST_PSS_MINOR, PSS_LEVELS, PssLevel } from '../../lib/policy';
import { PSS_TESTDATA } from '../helpers/conformance';

/**
 * Upstream conformance: the Pod Security Standards fixtures of kubernetes/pod-security-admission (test/testdata), one
 * Pod per file under <level>/<version>/<pass|fail>/. Every pass/ pod must produce no pss finding at that level and
 * version; every fail/ pod at least one, from the rule that implements the check the fixture exercises. The files
 * are the truth (vendored with provenance, see test/conformance/README.md).
 */
const TESTDATA = PSS_TESTDATA;
const EXPECTED_FILES = 4537;

/**
 * The catalog rules that implement each upstream check (the fixture file name starts with the check). At restricted,
 * upstream replaces some baseline checks with their restricted counterparts, hence two rules for those.
 */
const RULES_OF_CHECK: Readonly<Record<string, readonly string[]>> = {
  allowprivilegeescalation: ['pss-restricted-privilege-escalation'],
  apparmorprofile: ['pss-baseline-apparmor'],
  capabilities_baseline: ['pss-baseline-capabilities', 'pss-restricted-capabilities'],
  capabilities_restricted: ['pss-restricted-capabilities'],
  hostnamespaces: ['pss-baseline-host-namespaces'],
  hostpathvolumes: ['pss-baseline-host-path-volumes', 'pss-restricted-volume-types'],
  hostports: ['pss-baseline-host-ports'],
  hostprobesandhostlifecycle: ['pss-baseline-host-probes'],
  privileged: ['pss-baseline-privileged'],
  procmount: ['pss-baseline-proc-mount', 'pss-restricted-proc-mount'],
  procmount_restricted: ['pss-restricted-proc-mount'],
  restrictedvolumes: ['pss-restricted-volume-types'],
  runasnonroot: ['pss-restricted-run-as-non-root'],
  runasuser: ['pss-restricted-run-as-user'],
  seccompprofile_baseline: ['pss-baseline-seccomp', 'pss-restricted-seccomp'],
  seccompprofile_restricted: ['pss-restricted-seccomp'],
  selinuxoptions: ['pss-baseline-selinux'],
  sysctls: ['pss-baseline-sysctls'],
  windowshostprocess: ['pss-baseline-windows-host-process'],
};

function checkOf(file: string): string {
  return path.basename(file, '.yaml').replace(/[0-9]+$/, '');
}

interface Fixture {
  readonly level: PssLevel;
  readonly version: string;
  readonly expect: 'pass' | 'fail';
  readonly file: string;
  readonly pod: K8sObject;
}

function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const level of PSS_LEVELS) {
    for (let minor = OLDEST_PSS_MINOR; minor <= NEWEST_PSS_MINOR; minor++) {
      const version = `v1.${minor}`;
      for (const expect of ['pass', 'fail'] as const) {
        const dir = path.join(TESTDATA, level, version, expect);
        if (!fs.existsSync(dir)) continue;
        for (const name of fs.readdirSync(dir).sort()) {
          if (!name.endsWith('.yaml')) continue;
          const file = path.join(dir, name);
          out.push({ level, version, expect, file, pod: parse(fs.readFileSync(file, 'utf8')) as K8sObject });
        }
      }
    }
  }
  return out;
}

interface Tally {
  passAdmitted: number;
  passTotal: number;
  failRejected: number;
  failTotal: number;
}

describe('Pod Security Standards upstream conformance', () => {
  const fixtures = loadFixtures();

  it(`finds all ${EXPECTED_FILES} upstream fixtures in every level and version v1.${OLDEST_PSS_MINOR}..v1.${NEWEST_PSS_MINOR}`, () => {
    expect(fixtures.length).toBe(EXPECTED_FILES);
    for (const level of PSS_LEVELS) {
      for (let minor = OLDEST_PSS_MINOR; minor <= NEWEST_PSS_MINOR; minor++) {
        const mine = fixtures.filter((f) => f.level === level && f.version === `v1.${minor}`);
        expect([`${level} v1.${minor}`, mine.some((f) => f.expect === 'pass')]).toEqual([`${level} v1.${minor}`, true]);
        expect([`${level} v1.${minor}`, mine.some((f) => f.expect === 'fail')]).toEqual([`${level} v1.${minor}`, true]);
      }
    }
  });

  it('admits every pass/ fixture and rejects every fail/ fixture, at every level and version', () => {
    const tallies = new Map<string, Tally>();
    const mismatches: string[] = [];
    for (const f of fixtures) {
      const key = `${f.level} ${f.version}`;
      const t = tallies.get(key) ?? { passAdmitted: 0, passTotal: 0, failRejected: 0, failTotal: 0 };
      tallies.set(key, t);
      const findings = audit([f.pod], { level: f.level, pssVersion: f.version, only: ['pss'] }).findings;
      const rel = path.relative(TESTDATA, f.file);
      if (f.expect === 'pass') {
        t.passTotal++;
        if (findings.length === 0) t.passAdmitted++;
        else
          mismatches.push(
            `${rel}: upstream admits, we reject: ${findings.map((x) => `[${x.ruleId}] ${x.message}`).join(' | ')}`,
          );
      } else {
        t.failTotal++;
        const expected = RULES_OF_CHECK[checkOf(f.file)] ?? [];
        if (findings.some((x) => expected.includes(x.ruleId))) t.failRejected++;
        else if (findings.length === 0) mismatches.push(`${rel}: upstream rejects, we admit (no finding)`);
        else
          mismatches.push(
            `${rel}: rejected, but not by ${expected.join(' or ') || `a rule mapped to check '${checkOf(f.file)}'`}: ${findings.map((x) => x.ruleId).join(', ')}`,
          );
      }
    }

    const rows = [...tallies.entries()].map(
      ([key, t]) =>
        `${key.padEnd(17)} pass admitted ${`${t.passAdmitted}/${t.passTotal}`.padStart(5)}   fail rejected ${`${t.failRejected}/${t.failTotal}`.padStart(5)}`,
    );
    const sum = (k: keyof Tally) => [...tallies.values()].reduce((n, t) => n + t[k], 0);
    const agreed = sum('passAdmitted') + sum('failRejected');
    console.log(
      [
        'Pod Security Standards conformance (kubernetes/pod-security-admission testdata):',
        ...rows,
        `total: ${agreed}/${fixtures.length} files agree (pass admitted ${sum('passAdmitted')}/${sum('passTotal')}, fail rejected ${sum('failRejected')}/${sum('failTotal')})`,
      ].join('\n'),
    );

    expect(mismatches).toEqual([]);
    expect(agreed).toBe(EXPECTED_FILES);
  });
});
