import { IConstruct } from 'constructs';
import { RULES, ruleById } from '../policy/catalog';
import { Exemption, exemptionAnnotationKey } from '../policy/exemption-annotations';
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

/**
 * Checks a construct's exemptions: each names a rule of the catalog and gives a non-empty reason.
 * Returns them as a map rule id -> reason, with the exemptions of the enclosing BulwarkCharts added (a construct's
 * own reason wins for the same rule).
 */
export function validateExemptions(
  scope: IConstruct,
  exemptions: readonly Exemption[] | undefined,
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
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
    if (typeof e.reason !== 'string' || e.reason.trim() === '') {
      throw propError({
        scope,
        prop: `exemptions[${i}].reason`,
        received: e.reason,
        problem: `exemption from '${e.rule}' without a reason`,
        allowed: 'a non-empty sentence a reviewer can judge',
        fix: `say why this workload needs the exemption from '${e.rule}', e.g. { rule: '${e.rule}', reason: 'vendor image only published with tags; tracked in TICKET-123' }`,
      });
    }
    out.set(e.rule, e.reason.trim());
  });
  for (const e of chartDefaultsOf(scope).exemptions ?? []) {
    if (!out.has(e.rule)) out.set(e.rule, e.reason.trim());
  }
  return out;
}

/** The annotations that record exemptions on an object (and its pod template) so that every audit sees them. */
export function exemptionAnnotations(exemptions: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rule, reason] of [...exemptions].sort(([a], [b]) => a.localeCompare(b))) {
    out[exemptionAnnotationKey(rule)] = reason;
  }
  return out;
}
