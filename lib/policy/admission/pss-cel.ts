import { PSS_SINCE, SECCOMP_ALLOWED_TYPES } from '../pss-allow-lists';
import { CelTranslationOptions } from './cel-translation';

/**
 * Helpers shared by the Pod Security Standards translations (cel/pss-*.ts), mirroring upstream
 * kubernetes/pod-security-admission policy/check_*.go. Allow-lists and version thresholds come from
 * lib/policy/pss-allow-lists.ts, which the TypeScript rules read too.
 */

/** True when the enforced PSS version is at least v1.<minor> (`latest` is newer than every version). */
export function atLeast(options: CelTranslationOptions, minor: number): boolean {
  return options.pssVersion >= minor;
}

/**
 * From v1.25 upstream exempts pods with spec.os.name=windows from the Linux-only restricted checks
 * (allowPrivilegeEscalation, seccompProfile, capabilities): those fields mean nothing on Windows nodes.
 */
export function unlessWindows(options: CelTranslationOptions, expression: string): string {
  if (!atLeast(options, PSS_SINCE.windowsExemption)) return expression;
  return `variables.podSpec.?os.?name.orValue('') == 'windows' || (${expression})`;
}

/**
 * At restricted level from v1.25, upstream replaces the baseline seccomp and capabilities checks with their restricted
 * counterparts, which exempt Windows pods; the baseline translation stands aside for Windows pods exactly there (as
 * the TypeScript rules do, see lib/policy/pss-fields.ts overriddenForWindowsAtRestricted).
 */
export function unlessOverriddenForWindows(options: CelTranslationOptions, expression: string): string {
  if (options.level !== 'restricted') return expression;
  return unlessWindows(options, expression);
}

/**
 * From v1.35 a pod in a user namespace (spec.hostUsers: false) is exempt from runAsNonRoot, runAsUser and the baseline
 * procMount check (KEP-127): UID 0 and an unmasked /proc inside map to nothing privileged on the node.
 */
export function unlessUserNamespace(options: CelTranslationOptions, expression: string): string {
  if (!atLeast(options, PSS_SINCE.userNamespaceRelaxation)) return expression;
  return `variables.podSpec.?hostUsers.orValue(true) == false || (${expression})`;
}

/** Seccomp profile types the baseline and restricted checks accept (upstream validSeccomp). */
export const VALID_SECCOMP_TYPES: readonly string[] = SECCOMP_ALLOWED_TYPES;
