import { selectRules } from './catalog';
import { exemptionsOf } from './exemption-annotations';
import { K8sObject, ObjectRef, objectRef } from '../k8s/k8s-object';
import type { SourceLocation } from '../manifest/source-location';
import { ObjectIndex } from '../k8s/object-index';
import { podViewOf } from '../k8s/pod-template';
import { LATEST_PSS_VERSION, parsePssVersion, PssLevel } from './pss-version';
import { ObjectRule, PodRule, Rule, RuleContext, Severity, Violation } from './rule';

export interface AuditOptions {
  /** Pod Security level; restricted includes baseline. @default 'restricted' */
  readonly level?: PssLevel;
  /** Pod Security Standards version (`v1.30`, `latest`). @default 'latest' */
  readonly pssVersion?: string;
  /** Rule ids or groups to run. @default every rule */
  readonly only?: readonly string[];
  /** Registries images may come from (host or host/path prefix). @default any */
  readonly allowedRegistries?: readonly string[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly remediation: string;
  readonly object: ObjectRef;
  readonly container?: string;
  readonly path?: string;
  readonly source?: SourceLocation;
}

export interface ExemptedFinding extends Finding {
  readonly reason: string;
}

export interface AuditResult {
  readonly findings: readonly Finding[];
  readonly exempted: readonly ExemptedFinding[];
  readonly objectCount: number;
}

/** A prepared evaluator: rule selection and options resolved once, reused across many audits. */
export class Auditor {
  private readonly podRules: readonly PodRule[];
  private readonly objectRules: ReadonlyMap<string, readonly ObjectRule[]>;
  private readonly level: PssLevel;
  private readonly pssVersion: number;

  constructor(private readonly options: AuditOptions = {}) {
    this.level = options.level ?? 'restricted';
    const version = parsePssVersion(options.pssVersion ?? 'latest');
    if (version === undefined) {
      throw new RangeError(`invalid Pod Security version '${options.pssVersion}': use vX.Y (v1.0 to v1.37) or latest`);
    }
    this.pssVersion = version;
    const rules = selectRules(options.only).filter((r) => this.applies(r));
    this.podRules = rules.filter((r): r is PodRule => r.scope === 'pod');
    const byKind = new Map<string, ObjectRule[]>();
    for (const r of rules) {
      if (r.scope !== 'object') continue;
      for (const k of r.kinds) byKind.set(k, [...(byKind.get(k) ?? []), r]);
    }
    this.objectRules = byKind;
  }

  private applies(rule: Rule): boolean {
    return !(rule.scope === 'pod' && rule.pss?.level === 'restricted' && this.level === 'baseline');
  }

  /**
   * Audits `objects`. Rules that look across objects (network policies, service accounts) see `context`, a superset
   * of `objects` (e.g. the whole app when one chart is validated); by default the objects themselves. Pass the context
   * as an ObjectIndex to share one index (and what rules derive from it) across several audits of the same app.
   */
  audit(
    objects: readonly K8sObject[],
    sources?: ReadonlyMap<K8sObject, SourceLocation>,
    context: readonly K8sObject[] | ObjectIndex = objects,
  ): AuditResult {
    const ctx: RuleContext = {
      level: this.level,
      pssVersion: this.pssVersion,
      allowedRegistries: this.options.allowedRegistries,
      index: context instanceof ObjectIndex ? context : new ObjectIndex(context),
    };
    const findings: Finding[] = [];
    const exempted: ExemptedFinding[] = [];
    for (const object of objects) {
      const pod = podViewOf(object);
      const objectRules = this.objectRules.get(object.kind);
      if (!pod && !objectRules) continue;
      let exemptions: Map<string, string> | undefined;
      const record = (rule: Rule, violations: readonly Violation[]) => {
        if (violations.length === 0) return;
        exemptions ??= exemptionsOf(object, pod?.metadata);
        const reason = exemptions.get(rule.id);
        for (const v of violations) {
          const f: Finding = {
            ruleId: rule.id,
            severity: rule.severity,
            title: rule.title,
            message: v.message,
            remediation: rule.remediation,
            object: objectRef(object),
            ...(v.container !== undefined ? { container: v.container } : {}),
            ...(v.path !== undefined ? { path: v.path } : {}),
            ...(sources?.get(object) ? { source: sources.get(object) } : {}),
          };
          if (reason !== undefined) exempted.push({ ...f, reason });
          else findings.push(f);
        }
      };
      if (pod) for (const rule of this.podRules) record(rule, rule.check(pod, ctx));
      if (objectRules) for (const rule of objectRules) record(rule, rule.check(object, ctx));
    }
    return { findings, exempted, objectCount: objects.length };
  }
}

/** One-shot audit of a set of objects against the catalog. */
export function audit(
  objects: readonly K8sObject[],
  options: AuditOptions = {},
  sources?: ReadonlyMap<K8sObject, SourceLocation>,
): AuditResult {
  return new Auditor(options).audit(objects, sources);
}

export { LATEST_PSS_VERSION };
