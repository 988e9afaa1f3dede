import { RULES } from '../catalog';
import { PodRule } from '../rule';
import { RULE_FOLDERS } from '../rules/rule-folders';
import { AdmissionTranslation, isUntranslatable, UntranslatableRule } from './cel-translation';

function isTranslation(value: unknown): value is AdmissionTranslation {
  return (
    typeof value === 'object' &&
    value !== null &&
    'ruleId' in value &&
    ('translate' in value || 'untranslatable' in value)
  );
}

/**
 * Every translation of the rule folders (`lib/policy/rules/<id>/cel.ts`), by rule id: the CEL of a pod rule, or why
 * it cannot be enforced at admission.
 */
export const ADMISSION_TRANSLATIONS: ReadonlyMap<string, AdmissionTranslation> = new Map(
  RULE_FOLDERS.flatMap((folder) => Object.values(folder.cel ?? {}))
    .filter(isTranslation)
    .map((t) => [t.ruleId, t] as const),
);

export function admissionTranslation(ruleId: string): AdmissionTranslation | undefined {
  return ADMISSION_TRANSLATIONS.get(ruleId);
}

/** Pod rules of the catalog that admission cannot enforce, with the reason (for docs and the construct's report). */
export function untranslatableRules(): readonly UntranslatableRule[] {
  return RULES.filter((r): r is PodRule => r.scope === 'pod')
    .map((r) => ADMISSION_TRANSLATIONS.get(r.id))
    .filter((t): t is UntranslatableRule => t !== undefined && isUntranslatable(t));
}
