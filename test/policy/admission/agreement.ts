import { Auditor, AuditOptions, K8sObject } from '../../../lib/policy';
import { CompiledPolicy } from './vap-evaluator';

/** Agreement counters of a CEL-vs-TypeScript comparison, printed in the test output. */
export class Tally {
  evaluations = 0;
  agreed = 0;
  readonly disagreements: string[] = [];
  readonly errors: string[] = [];

  record(agree: boolean, describe: () => string): void {
    this.evaluations++;
    if (agree) this.agreed++;
    else this.disagreements.push(describe());
  }

  get disagreed(): number {
    return this.evaluations - this.agreed;
  }

  /** The first disagreements and how many more, so that a failure stays readable. */
  shownDisagreements(limit = 15): string[] {
    const more = this.disagreements.length - limit;
    return more > 0 ? [...this.disagreements.slice(0, limit), `... and ${more} more`] : this.disagreements;
  }

  summary(label: string): string {
    return `${label}: ${this.evaluations} evaluations, ${this.agreed} agreed, ${this.disagreed} disagreed, ${this.errors.length} CEL errors`;
  }
}

/** One Auditor per option set (the engine resolves rules once), as the TypeScript reference. */
export class TypeScriptVerdicts {
  private readonly auditors = new Map<string, Auditor>();

  /** Messages of the (non-exempted) findings of one rule for one object, as `audit([obj], {..., only: [ruleId]})`. */
  findings(object: K8sObject, ruleId: string, options: Omit<AuditOptions, 'only'>): string[] {
    const key = JSON.stringify([ruleId, options.level, options.pssVersion, options.allowedRegistries]);
    let auditor = this.auditors.get(key);
    if (!auditor) this.auditors.set(key, (auditor = new Auditor({ ...options, only: [ruleId] })));
    return auditor
      .audit([object])
      .findings.filter((f) => f.ruleId === ruleId)
      .map((f) => f.message);
  }
}

/** Policies by the rule they enforce (label bulwark.dev/rule). */
export function byRule(policies: readonly CompiledPolicy[]): Map<string, CompiledPolicy> {
  return new Map(policies.map((p) => [p.policy.metadata?.labels?.['bulwark.dev/rule'] ?? '', p]));
}
