import { IConstruct } from 'constructs';
import { RULES, ruleById } from '../policy/catalog';
import { Exemption, exemptionAnnotationKey, exemptionExpiresAnnotationKey } from '../policy/exemption-annotations';
import { MAX_REASON_LENGTH, reasonProblem } from '../policy/exemption-reason';
import { parseExpires } from '../policy/exemption-grants';
import { byCodePoint } from '../util/by-code-point';
import { closestName } from '../util/closest-name';
import { chartDefaultsOf } from './chart-defaults';
import { propError } from './errors';

export type { Exemption } from '../policy/exemption-annotations';

function closestRuleId(id: string): string | undefined {
  return closestName(
    id,
    RULES.map((r) => r.id),
    Math.max(3, Math.floor(id.length / 3)),
  );
}

/** A construct's checked exemptions: rule id -> reason, plus the expiry each asks for. */
export class ValidatedExemptions extends Map<string, string> {
  /** rule id -> requested expiry (RFC 3339), for the exemptions that give one. */
  readonly expires = new Map<string, string>();
}

/**
 * Checks a construct's exemptions: each names a rule of the catalog, gives a reason with visible text of at most
 * 500 characters (the same test as `bulwark audit` and the admission policies), and an optional expiry in the future.
 * Returns them as a map rule id -> reason (with their expiries), with the exemptions of the enclosing BulwarkCharts
 * added (a construct's own reason and expiry win for the same rule; the chart checked its own).
 */
export function validateExemptions(
  scope: IConstruct,
  exemptions: readonly Exemption[] | undefined,
  now: Date = new Date(),
): ValidatedExemptions {
  const out = new ValidatedExemptions();
  (exemptions ?? []).forEach((e, i) => {
    if (typeof e?.rule !== 'string' || !ruleById(e.rule)) {
      const near = typeof e?.rule === 'string' ? closestRuleId(e.rule) : undefined;
      throw propError({
        scope,
        prop: `exemptions[${i}].rule`,
        received: e?.rule,
        problem: 'no such rule in the catalog',
        allowed: 'the id of a catalog rule (listed in docs/rules.md)',
        fix: near ? `did you mean '${near}'?` : 'copy the rule id from the finding or from docs/rules.md',
      });
    }
    const problem = reasonProblem(e.reason);
    if (problem !== undefined) {
      throw propError({
        scope,
        prop: `exemptions[${i}].reason`,
        received: e.reason,
        problem: `exemption from '${e.rule}': ${problem}`,
        allowed: `a sentence a reviewer can judge: visible text (not only whitespace, control or format characters such as U+200B), at most ${MAX_REASON_LENGTH} characters`,
        fix: `say why this workload needs the exemption from '${e.rule}', e.g. { rule: '${e.rule}', reason: 'vendor image only published with tags; tracked in TICKET-123' }`,
      });
    }
    if (e.expires !== undefined) {
      const at = parseExpires(e.expires);
      if (!at || at.getTime() <= now.getTime()) {
        throw propError({
          scope,
          prop: `exemptions[${i}].expires`,
          received: e.expires,
          problem: at
            ? `the exemption from '${e.rule}' would already have expired`
            : 'not an RFC 3339 date-time with whole seconds',
          allowed: `a future instant such as 2027-01-31T00:00:00Z (now is ${now.toISOString().replace(/\.[0-9]{3}Z$/, 'Z')})`,
          fix: 'give the date the exemption should end, or leave expires out and let the platform team choose it in the grant',
        });
      }
      out.expires.set(e.rule, e.expires);
    }
    out.set(e.rule, e.reason.trim());
  });
  for (const e of chartDefaultsOf(scope).exemptions ?? []) {
    if (out.has(e.rule)) continue;
    out.set(e.rule, e.reason.trim());
    if (e.expires !== undefined) out.expires.set(e.rule, e.expires);
  }
  return out;
}

/** The annotations that record exemptions on an object (and its pod template) so that every audit sees them. */
export function exemptionAnnotations(exemptions: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rule, reason] of [...exemptions].sort(([a], [b]) => byCodePoint(a, b))) {
    out[exemptionAnnotationKey(rule)] = reason;
    const expires = exemptions instanceof ValidatedExemptions ? exemptions.expires.get(rule) : undefined;
    if (expires !== undefined) out[exemptionExpiresAnnotationKey(rule)] = expires;
  }
  return out;
}
