import type { Variable } from 'kubernetes-types/admissionregistration/v1';
import { PssLevel } from '../pss-version';

/** What a translation is generated for: the same knobs the TypeScript engine reads from its RuleContext. */
export interface CelTranslationOptions {
  /** Pod Security Standards version as a minor number (`LATEST_PSS_VERSION` for latest). */
  readonly pssVersion: number;
  /** Pod Security level being enforced (restricted includes baseline). */
  readonly level: PssLevel;
  /** Registries images may come from; empty or undefined means any. */
  readonly allowedRegistries?: readonly string[];
}

/**
 * One CEL validation of a rule. Expressions see the policy's variables (pod-cel.ts POD_VARIABLES): `variables.podSpec`,
 * `variables.podMeta`, `variables.containers` (init, regular and ephemeral containers) and `variables.specPath`.
 */
export interface CelCheck {
  /** Evaluates to true when the pod is fine. */
  readonly expression: string;
  /**
   * A CEL string expression, evaluated only when `expression` is false, that says what is wrong: which container,
   * which field, which value (e.g. `"container 'app' sets securityContext.privileged=true"`). The generator wraps it
   * with the object, the rule id, the fix and the exemption annotation.
   */
  readonly detail: string;
}

/** A rule the cluster can enforce from the admission request alone. */
export interface CelRuleTranslation {
  readonly ruleId: string;
  /** The rule's validations at that level and version; undefined when the rule does not apply there. */
  translate(options: CelTranslationOptions): readonly CelCheck[] | undefined;
  /**
   * Extra policy variables the checks use, evaluated after the shared pod variables (which they may read). Names must
   * not clash with those of pod-cel.ts POD_VARIABLES.
   */
  readonly variables?: readonly Variable[];
}

/** A rule that cannot be decided from one admission request (it needs other objects), with the reason. */
export interface UntranslatableRule {
  readonly ruleId: string;
  readonly untranslatable: string;
}

export type AdmissionTranslation = CelRuleTranslation | UntranslatableRule;

export function isUntranslatable(t: AdmissionTranslation): t is UntranslatableRule {
  return 'untranslatable' in t;
}

/** Identity function that gives translation files a checked, declarative shape. */
export function defineCelTranslation<T extends AdmissionTranslation>(translation: T): T {
  return translation;
}
