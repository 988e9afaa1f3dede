import { callWithTimeLimit, errorMessage, RULE_TIME_LIMIT_MS, RuleModuleError } from '../rule-module-loader';
import { AdmissionPolicyError } from './admission-errors';
import { AdmissionTranslation, CelCheck, CelRuleTranslation, CelTranslationOptions } from './cel-translation';
import { POD_VARIABLES } from './pod-cel';
import type { Rule } from '../rule';

/** A custom rule for admission: the rule and the translation of its cel.ts (custom-rules.ts CustomRuleFolder). */
export interface CustomAdmissionRule {
  /** The rule's id (the folder's name). */
  readonly id?: string;
  /** The rule's folder. */
  readonly dir?: string;
  readonly rule: Rule;
  readonly translation?: AdmissionTranslation;
  /** The cel file, named in errors. */
  readonly celFile?: string;
  /** Why the cel file gives no translation. */
  readonly celProblem?: string;
  /** The check file, named in errors. */
  readonly checkFile?: string;
}

/**
 * A custom pod rule's admission translation (its folder's cel.ts), or an AdmissionPolicyError naming the folder's
 * file and the fix: a pod rule the cluster would silently not enforce is refused, as for the catalog's rules.
 */
export function customTranslationOf(custom: CustomAdmissionRule): AdmissionTranslation {
  const id = custom.rule.id;
  if (custom.celProblem)
    throw new AdmissionPolicyError(`admission policies: custom rule '${id}': ${custom.celProblem}`);
  if (!custom.translation) {
    const folder = custom.checkFile ? ` beside ${custom.checkFile}` : '';
    throw new AdmissionPolicyError(
      `admission policies: custom pod rule '${id}' has no CEL translation: add cel.ts${folder} (defineCelTranslation with translate(options), or untranslatable: '<reason>')`,
    );
  }
  return custom.translation;
}

const POD_VARIABLE_NAMES = new Set(POD_VARIABLES.map((v) => v.name));

/**
 * The checks of a custom translation, run under the custom rules' time limit and checked: an array of
 * `{ expression, detail }` CEL strings (or undefined: the rule does not apply), variables that do not replace the
 * shared pod variables. Anything else is an AdmissionPolicyError naming the rule and its cel file.
 */
export function guardedTranslate(
  custom: CustomAdmissionRule,
  translation: CelRuleTranslation,
  options: CelTranslationOptions,
): readonly CelCheck[] | undefined {
  const what = `custom rule '${custom.rule.id}' (${custom.celFile ?? 'cel.ts'})`;
  let checks: unknown;
  try {
    checks = callWithTimeLimit(() => translation.translate(options), `${custom.celFile ?? 'cel.ts'}: translate`);
  } catch (e) {
    if (e instanceof RuleModuleError) {
      throw new AdmissionPolicyError(
        `admission policies: ${what}: translate did not finish within ${RULE_TIME_LIMIT_MS} ms: it must not loop or wait`,
      );
    }
    throw new AdmissionPolicyError(`admission policies: ${what}: translate threw: ${errorMessage(e)}`);
  }
  const isCheck = (c: unknown) =>
    typeof c === 'object' &&
    c !== null &&
    typeof (c as CelCheck).expression === 'string' &&
    (c as CelCheck).expression.trim() !== '' &&
    typeof (c as CelCheck).detail === 'string' &&
    (c as CelCheck).detail.trim() !== '';
  if (checks !== undefined && (!Array.isArray(checks) || !checks.every(isCheck))) {
    throw new AdmissionPolicyError(
      `admission policies: ${what}: translate returned ${JSON.stringify(checks)?.slice(0, 80)}: return an array of { expression, detail } CEL strings, or undefined where the rule does not apply`,
    );
  }
  const variables: unknown = translation.variables;
  if (
    variables !== undefined &&
    (!Array.isArray(variables) ||
      !variables.every(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { name: unknown }).name === 'string' &&
          typeof (v as { expression: unknown }).expression === 'string' &&
          !POD_VARIABLE_NAMES.has((v as { name: string }).name),
      ))
  ) {
    throw new AdmissionPolicyError(
      `admission policies: ${what}: variables must be { name, expression } with names other than ${[...POD_VARIABLE_NAMES].join(', ')}`,
    );
  }
  return checks as readonly CelCheck[] | undefined;
}
