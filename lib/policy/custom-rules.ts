import * as fs from 'fs';
import * as path from 'path';
import { formatObjectRef, objectRef } from '../k8s/k8s-object';
import type { PodView } from '../k8s/pod-template';
import { formatInputError, readManifests } from '../manifest/manifests';
import type { AdmissionTranslation } from './admission/cel-translation';
import { ruleById } from './catalog';
import { Auditor, AuditOptions } from './engine';
import { OwaspId, Rule, RULE_GROUPS, Violation } from './rule';
import {
  callWithTimeLimit,
  errorMessage,
  RULE_TIME_LIMIT_MS,
  RuleModuleError,
  RuleModuleLoader,
} from './rule-module-loader';

/**
 * A team's own rules, in folders shaped like the catalog's (lib/policy/rules/<id>/): `<dir>/<rule-id>/check.ts`
 * exporting one rule (`policy.defineRule({...})`), an optional `cel.ts`, and `fixtures/pass/*.yaml` and
 * `fixtures/fail/*.yaml`. `bulwark audit --rules <dir>` (or `rules` in bulwark.config.json) runs them beside the
 * catalog; `bulwark rules test <dir>` holds them to the catalog's meta-tests and runs their fixtures (docs/audit.md).
 */

/** One custom rule folder, loaded. */
export interface CustomRuleFolder {
  readonly id: string;
  readonly dir: string;
  /** check.ts (or .js/.cjs), as given (relative to the working folder when the directory was). */
  readonly checkFile: string;
  readonly celFile?: string;
  /** The rule, its check guarded: a time limit per call, errors and malformed results named (CustomRuleError). */
  readonly rule: Rule;
  /** The admission CEL of cel.ts, when it exports one translation naming the rule (admission-policies.ts). */
  readonly translation?: AdmissionTranslation;
  /** Why cel.ts gives no translation (it throws, or does not export exactly one naming the rule). */
  readonly celProblem?: string;
}

/** Problems loading custom rules: every one, each naming the file and the fix. The audit stops with exit 2. */
export class CustomRulesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** A custom rule failed while judging an object: it threw, looped or returned something other than violations. */
export class CustomRuleError extends Error {}

const CHECK_FILES = ['check.ts', 'check.js', 'check.cjs'] as const;
const CEL_FILES = ['cel.ts', 'cel.js', 'cel.cjs'] as const;
const OWASP_IDS: readonly OwaspId[] = ['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07', 'K08', 'K09', 'K10'];
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** `Kind`, `group/Kind` or `group/version/Kind` (rule.ts ObjectRule.kinds). */
const KIND_NAME =
  /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/(?:v[0-9]+(?:(?:alpha|beta)[0-9]+)?\/)?)?[A-Z][A-Za-z0-9]*$/;

function looksLikeRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && 'id' in value && 'check' in value && 'scope' in value;
}

/** The rule folders under `dir`: its sub-folders holding a check file, or `dir` itself when it holds one. */
function ruleFolders(dir: string, cwd: string): string[] {
  const abs = path.resolve(cwd, dir);
  const hasCheck = (d: string) => CHECK_FILES.some((f) => fs.existsSync(path.join(path.resolve(cwd, d), f)));
  if (hasCheck(dir)) return [dir];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** What makes a rule object unusable (the audit cannot run it), as `field: problem` texts. */
function shapeProblems(rule: Rule): string[] {
  const r = rule as unknown as Record<string, unknown>;
  const problems: string[] = [];
  const text = (key: string) => {
    if (typeof r[key] !== 'string' || (r[key] as string).trim() === '') {
      problems.push(`${key}: expected a non-empty string, got ${JSON.stringify(r[key])}`);
    }
  };
  if (typeof r.id !== 'string' || !KEBAB.test(r.id)) {
    problems.push(`id: expected a kebab-case id such as team-required-labels, got ${JSON.stringify(r.id)}`);
  }
  text('title');
  text('remediation');
  if (r.severity !== 'error' && r.severity !== 'warning') {
    problems.push(`severity: expected error or warning, got ${JSON.stringify(r.severity)}`);
  }
  if (!(RULE_GROUPS as readonly unknown[]).includes(r.group)) {
    problems.push(`group: expected one of ${RULE_GROUPS.join(', ')}, got ${JSON.stringify(r.group)}`);
  }
  if (r.scope === 'object') {
    const kinds = r.kinds;
    if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => typeof k !== 'string' || k === '')) {
      problems.push(
        `kinds: an object rule names the kinds it judges, e.g. ['Deployment'], got ${JSON.stringify(kinds)}`,
      );
    } else {
      for (const k of kinds as string[]) {
        if (!KIND_NAME.test(k)) {
          problems.push(
            `kinds: ${JSON.stringify(k)} is not a kind: write Deployment (Kubernetes' own API groups), or group/Kind or group/version/Kind for a custom resource (cert-manager.io/v1/Certificate)`,
          );
        }
      }
    }
  } else if (r.scope !== 'pod') {
    problems.push(`scope: expected pod (every pod spec) or object (objects of kinds), got ${JSON.stringify(r.scope)}`);
  }
  if (typeof r.check !== 'function') problems.push(`check: expected a function, got ${typeof r.check}`);
  if (typeof r.references !== 'object' || r.references === null) {
    problems.push(
      `references: expected an object ({ owasp: ['K01'], cis: [...], nsa: [...] }), got ${JSON.stringify(r.references)}`,
    );
  }
  return problems;
}

/**
 * What the catalog's meta-test asks of every rule beyond its shape (test/policy/catalog.test.ts): references to
 * OWASP plus PSS, CIS or NSA, a remediation a person can act on, a PSS control for the pss group.
 */
export function completenessProblems(rule: Rule): string[] {
  const problems: string[] = [];
  const refs = rule.references ?? {};
  if (rule.remediation.trim().length <= 20) problems.push('remediation: say what to change (more than 20 characters)');
  if (!refs.owasp?.length)
    problems.push(`references.owasp: name at least one OWASP Kubernetes Top 10 entry (${OWASP_IDS.join(', ')})`);
  for (const k of refs.owasp ?? []) {
    if (!OWASP_IDS.includes(k)) problems.push(`references.owasp: '${k}' is not one of ${OWASP_IDS.join(', ')}`);
  }
  if ((refs.cis?.length ?? 0) + (refs.nsa?.length ?? 0) + (refs.pss ? 1 : 0) === 0) {
    problems.push(
      'references: name a CIS benchmark recommendation (cis), an NSA/CISA guide section (nsa) or a Pod Security control (pss)',
    );
  }
  if (rule.group === 'pss' && !refs.pss)
    problems.push('references.pss: a rule of the pss group names its Pod Security control');
  return problems;
}

function describeTarget(target: unknown): string {
  const object = (target as PodView).specPath !== undefined ? (target as PodView).object : target;
  try {
    return formatObjectRef(objectRef(object as never));
  } catch {
    return 'an object';
  }
}

function isViolation(v: unknown): v is Violation {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.message === 'string' &&
    (o.container === undefined || typeof o.container === 'string') &&
    (o.path === undefined || typeof o.path === 'string')
  );
}

/** The rule with its check bounded in time and its errors and results checked, each failure a CustomRuleError. */
function guarded(rule: Rule, file: string): Rule {
  const check = rule.check as (target: unknown, ctx: unknown) => unknown;
  const guardedCheck = (target: unknown, ctx: unknown): readonly Violation[] => {
    const what = () => `custom rule '${rule.id}' (${file}) on ${describeTarget(target)}`;
    let result: unknown;
    try {
      result = callWithTimeLimit(() => check.call(rule, target, ctx), `${file}: check`);
    } catch (e) {
      if (e instanceof RuleModuleError) {
        throw new CustomRuleError(
          `${what()} did not finish within ${RULE_TIME_LIMIT_MS} ms: a check must not loop or wait`,
        );
      }
      throw new CustomRuleError(`${what()} threw: ${errorMessage(e)}`);
    }
    if (!Array.isArray(result) || !result.every(isViolation)) {
      const got =
        result instanceof Promise ? 'a Promise (checks are synchronous)' : JSON.stringify(result)?.slice(0, 80);
      throw new CustomRuleError(
        `${what()} returned ${got}: a check returns an array of { message, path?, container? } (NO_VIOLATIONS when none)`,
      );
    }
    return result;
  };
  return { ...rule, check: guardedCheck } as Rule;
}

/** The translation a cel file exports for `id`, or why there is none (the admission generator and `rules test` say it). */
function celTranslationOf(
  loader: RuleModuleLoader,
  celFile: string,
  id: string,
): { translation?: AdmissionTranslation; celProblem?: string } {
  let exported: unknown[];
  try {
    exported = Object.values(loader.load(celFile));
  } catch (e) {
    if (!(e instanceof RuleModuleError)) throw e;
    return { celProblem: e.message };
  }
  const translations = exported.filter(
    (v): v is AdmissionTranslation => typeof v === 'object' && v !== null && 'ruleId' in v,
  );
  const ids = translations.map((t) => t.ruleId);
  if (translations.length !== 1 || ids[0] !== id) {
    return {
      celProblem: `${path.basename(celFile)}: export one defineCelTranslation({ ruleId: '${id}', ... }), got ruleIds ${JSON.stringify(ids)}`,
    };
  }
  const [t] = translations;
  if (
    !('translate' in t && typeof t.translate === 'function') &&
    !('untranslatable' in t && typeof t.untranslatable === 'string')
  ) {
    return {
      celProblem: `${path.basename(celFile)}: the translation of '${id}' has neither translate(options) nor untranslatable: '<reason>'`,
    };
  }
  return { translation: t };
}

/**
 * Loads the rule folders under each directory. Throws CustomRulesError listing every problem: a missing directory, a
 * folder without a check file, a file that does not compile, throws or loops at load, a check file exporting no rule
 * or several, a malformed rule, an id that is not its folder's name, clashes with a built-in rule or repeats.
 */
export function loadCustomRules(dirs: readonly string[], cwd: string): CustomRuleFolder[] {
  const problems: string[] = [];
  const loader = new RuleModuleLoader(cwd);
  const folders: CustomRuleFolder[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    const abs = path.resolve(cwd, dir);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
      problems.push(`${dir}: no such directory: --rules takes a directory of rule folders (<rule-id>/check.ts)`);
      continue;
    }
    for (const folder of ruleFolders(dir, cwd)) {
      const absFolder = path.resolve(cwd, folder);
      const checkName = CHECK_FILES.find((f) => fs.existsSync(path.join(absFolder, f)));
      if (!checkName) {
        problems.push(`${folder}: no check.ts: a rule folder holds check.ts (or check.js), cel.ts and fixtures/`);
        continue;
      }
      const checkFile = path.join(folder, checkName);
      let rules: Rule[];
      try {
        rules = Object.values(loader.load(checkFile)).filter(looksLikeRule);
      } catch (e) {
        if (!(e instanceof RuleModuleError)) throw e;
        problems.push(e.message);
        continue;
      }
      if (rules.length !== 1) {
        problems.push(
          rules.length === 0
            ? `${checkFile}: exports no rule: export const myRule = policy.defineRule({ id, title, severity, group, scope, references, remediation, check })`
            : `${checkFile}: exports ${rules.length} rules (${rules.map((r) => r.id).join(', ')}): one rule per folder`,
        );
        continue;
      }
      const [rule] = rules;
      const shape = shapeProblems(rule);
      if (shape.length > 0) {
        problems.push(...shape.map((p) => `${checkFile}: ${p}`));
        continue;
      }
      const name = path.basename(absFolder);
      if (rule.id !== name && folder !== dir) {
        problems.push(`${checkFile}: the rule's id '${rule.id}' is not its folder's name '${name}': rename one`);
        continue;
      }
      if (ruleById(rule.id)) {
        problems.push(`${checkFile}: id '${rule.id}' is a built-in rule's (docs/rules.md): choose another id`);
        continue;
      }
      const before = seen.get(rule.id);
      if (before !== undefined) {
        problems.push(`${checkFile}: id '${rule.id}' is also the id of ${before}: rule ids are unique`);
        continue;
      }
      seen.set(rule.id, checkFile);
      const celName = CEL_FILES.find((f) => fs.existsSync(path.join(absFolder, f)));
      const celFile = celName ? path.join(folder, celName) : undefined;
      folders.push({
        id: rule.id,
        dir: folder,
        checkFile,
        rule: guarded(rule, checkFile),
        ...(celFile ? { celFile, ...celTranslationOf(loader, celFile, rule.id) } : {}),
      });
    }
  }
  if (problems.length > 0) throw new CustomRulesError(problems);
  return folders;
}

/** The outcome of `bulwark rules test` for one folder: what is incomplete or wrong, and the fixtures run. */
export interface RuleFolderTest {
  readonly id: string;
  readonly dir: string;
  readonly passFixtures: number;
  readonly failFixtures: number;
  readonly problems: string[];
}

const OPTIONS_HEADER = /^# audit-options: (.*)$/;

/**
 * Holds one loaded folder to the catalog's meta-tests and runs its fixtures: completeness (references, remediation),
 * at least one pass and one fail fixture, fixtures/ holding only pass/ and fail/, nothing unknown in the folder, a
 * cel file naming the rule; then each fail fixture must be reported by the rule and no pass fixture (with the
 * fixture's `# audit-options: {...}` first line, only this rule run).
 */
export async function testRuleFolder(folder: CustomRuleFolder, cwd: string): Promise<RuleFolderTest> {
  const problems = completenessProblems(folder.rule);
  const abs = path.resolve(cwd, folder.dir);
  const allowed = new Set(['fixtures', 'README.md', path.basename(folder.checkFile), `${folder.id}.test.ts`]);
  if (folder.celFile) allowed.add(path.basename(folder.celFile));
  for (const name of fs.readdirSync(abs).sort()) {
    if (!allowed.has(name))
      problems.push(`${name}: a rule folder holds check.ts, cel.ts, fixtures/ and README.md only`);
  }
  if (folder.celProblem) problems.push(folder.celProblem);
  const fixturesDir = path.join(abs, 'fixtures');
  const extra = fs.existsSync(fixturesDir)
    ? fs.readdirSync(fixturesDir).filter((n) => n !== 'pass' && n !== 'fail')
    : [];
  for (const n of extra) problems.push(`fixtures/${n}: fixtures/ holds pass/ and fail/ only`);
  const counts = { pass: 0, fail: 0 };
  for (const expect of ['pass', 'fail'] as const) {
    const dir = path.join(fixturesDir, expect);
    const files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((n) => /\.(ya?ml|json)$/.test(n))
          .sort()
      : [];
    counts[expect] = files.length;
    if (files.length === 0) problems.push(`fixtures/${expect}/: add at least one ${expect} fixture (a YAML manifest)`);
    for (const name of files) {
      const rel = `fixtures/${expect}/${name}`;
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      let options: Omit<AuditOptions, 'only' | 'customRules'> = {};
      const header = OPTIONS_HEADER.exec(text.split('\n', 1)[0]);
      if (header) {
        try {
          options = JSON.parse(header[1]) as typeof options;
        } catch (e) {
          problems.push(`${rel}: line 1 '# audit-options:' must be followed by a JSON object: ${errorMessage(e)}`);
          continue;
        }
      }
      const read = await readManifests([file], { cwd });
      if (read.errors.length > 0) {
        problems.push(...read.errors.map((e) => `${rel}: ${formatInputError({ ...e, file: rel })}`));
        continue;
      }
      let mine: readonly { message: string }[];
      try {
        const result = new Auditor({ ...options, only: [folder.id], customRules: [folder.rule] }).audit(read.objects);
        mine = [...result.findings, ...result.exempted].filter((f) => (f as { ruleId: string }).ruleId === folder.id);
      } catch (e) {
        if (!(e instanceof CustomRuleError || e instanceof RangeError)) throw e;
        problems.push(`${rel}: ${e.message}`);
        continue;
      }
      if (expect === 'fail' && mine.length === 0)
        problems.push(`${rel}: not reported by the rule (a fail fixture must be)`);
      if (expect === 'pass' && mine.length > 0) {
        problems.push(`${rel}: reported by the rule (a pass fixture must not be): ${mine[0].message}`);
      }
    }
  }
  return { id: folder.id, dir: folder.dir, passFixtures: counts.pass, failFixtures: counts.fail, problems };
}
