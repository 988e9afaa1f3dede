import { NEWEST_KUBERNETES_MINOR, OLDEST_KUBERNETES_MINOR, parseKubernetesVersion } from './api-versions';
import { createHash } from 'crypto';
import { RULES, selectRules } from './catalog';
import { decideGrant, ExemptionGrant, GRANT_SET_KIND, GRANT_SET_NAME, GrantSubject } from './exemption-grants';
import { exemptionAnnotationKey, ExemptionRequest, exemptionRequestsOf } from './exemption-annotations';
import { K8sObject, ObjectRef, objectRef } from '../k8s/k8s-object';
import { openApiReleaseFor } from '../k8s/openapi-schema';
import type { SourceLocation } from '../manifest/source-location';
import { ObjectIndex } from '../k8s/object-index';
import { apiGroupOf, podViewsOf } from '../k8s/pod-template';
import { LATEST_PSS_VERSION, parsePssVersion, PssLevel } from './pss-version';
import { ObjectRule, PodRule, Rule, RuleContext, Severity, Violation } from './rule';

export interface AuditOptions {
  /** Pod Security level; restricted includes baseline. @default 'restricted' */
  readonly level?: PssLevel;
  /** Pod Security Standards version (`v1.30`, `latest`). @default 'latest' */
  readonly pssVersion?: string;
  /** Rule ids or groups to run. @default every rule */
  readonly only?: readonly string[];
  /** A team's own rules (`bulwark audit --rules <dir>`, custom-rules.ts), run beside the catalog's. @default none */
  readonly customRules?: readonly Rule[];
  /** Registries images may come from (host or host/path prefix). @default any */
  readonly allowedRegistries?: readonly string[];
  /**
   * The exemptions the platform team granted. When given, an exemption annotation counts only with a matching,
   * unexpired grant (as in the cluster); otherwise its findings are reported, saying why. When absent, annotations
   * exempt but their findings say they are not granted (`ExemptedFinding.grant` undefined). @default absent
   */
  readonly grants?: readonly ExemptionGrant[];
  /** The time grants expire against. @default the current time */
  readonly now?: Date;
  /** Kubernetes release the manifests target (`v1.29`, `latest`), for the API version rules. @default 'latest' */
  readonly kubernetesVersion?: string;
}

/** Why an object's exemption annotation for a finding's rule did not exempt it. */
export interface RefusedExemption {
  /** `invalid-reason`: the annotation's reason is not acceptable; `not-granted`: no grant; `expired`: its grant expired. */
  readonly status: 'invalid-reason' | 'not-granted' | 'expired';
  /** The annotation's reason. */
  readonly reason: string;
  /** The expired grant. */
  readonly grant?: ExemptionGrant;
  /** One sentence, also appended to the finding's message. */
  readonly note: string;
}

export interface Finding {
  /**
   * Stable id of the finding: the same rule, file, object, container and field give the same id from run to run,
   * wherever the object moves in its file (see findingKey).
   */
  readonly id: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly remediation: string;
  readonly object: ObjectRef;
  readonly container?: string;
  readonly path?: string;
  readonly source?: SourceLocation;
  /** Set when the object asks for an exemption from this rule that does not count. */
  readonly exemption?: RefusedExemption;
  /** 1-based line of the field at `path` in the source file, when the report located it (else the object's line). */
  readonly line?: number;
}

/**
 * What identifies a finding: rule, file, object (API group, kind, namespace, name), container and field path (the
 * rule's message when it names no field). Lines and exemptions are left out, so an id survives edits elsewhere in the file.
 */
export function findingKey(f: Omit<Finding, 'id'>): string {
  const o = f.object;
  const slash = o.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : o.apiVersion.slice(0, slash);
  return [
    f.ruleId,
    f.source?.file ?? '',
    group,
    o.kind,
    o.namespace ?? '',
    o.name,
    f.container ?? '',
    f.path ?? ruleMessage(f),
  ].join('\0');
}

/** A finding's message as its rule wrote it, without the note a refused exemption appends (ids survive grants). */
function ruleMessage(f: Omit<Finding, 'id'>): string {
  const suffix = f.exemption ? ` (${f.exemption.note})` : '';
  return suffix && f.message.endsWith(suffix) ? f.message.slice(0, -suffix.length) : f.message;
}

/** A finding id: 16 hex digits of the SHA-256 of its key, `~2`, `~3`... on the rare repeat of a key in one audit. */
function findingId(key: string, seen: Map<string, number>): string {
  const base = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return n === 1 ? base : `${base}~${n}`;
}

export interface ExemptedFinding extends Finding {
  readonly reason: string;
  /**
   * The grant that makes the exemption count; undefined when the audit had no grants (`--exemptions`): the exemption
   * is declared by an annotation only, and a cluster would not honour it without a grant.
   */
  readonly grant?: ExemptionGrant;
}

export interface AuditResult {
  readonly findings: readonly Finding[];
  readonly exempted: readonly ExemptedFinding[];
  readonly objectCount: number;
}

/**
 * Whether an API group is Kubernetes's own (core, `apps`, `batch`, `*.k8s.io`): object rules match built-in kinds, so
 * a Knative `serving.knative.dev` Service or a Calico `crd.projectcalico.org` NetworkPolicy is not judged as one.
 */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** A prepared evaluator: rule selection and options resolved once, reused across many audits. */
export class Auditor {
  private readonly podRules: readonly PodRule[];
  private readonly objectRules: ReadonlyMap<string, readonly ObjectRule[]>;
  /** Object rules by `group/Kind` and `group/version/Kind` (custom resources, rule.ts ObjectRule.kinds). */
  private readonly qualifiedRules: ReadonlyMap<string, readonly ObjectRule[]>;
  private readonly level: PssLevel;
  private readonly pssVersion: number;
  private readonly kubernetesVersion: number;
  private readonly schemaRelease?: string;

  constructor(private readonly options: AuditOptions = {}) {
    this.level = options.level ?? 'restricted';
    const version = parsePssVersion(options.pssVersion ?? 'latest');
    if (version === undefined) {
      throw new RangeError(`invalid Pod Security version '${options.pssVersion}': use vX.Y (v1.0 to v1.37) or latest`);
    }
    this.pssVersion = version;
    const kubernetes = parseKubernetesVersion(options.kubernetesVersion ?? 'latest');
    if (kubernetes === undefined) {
      throw new RangeError(
        `invalid Kubernetes version '${options.kubernetesVersion}': use vX.Y (v1.${OLDEST_KUBERNETES_MINOR} to v1.${NEWEST_KUBERNETES_MINOR}) or latest`,
      );
    }
    this.kubernetesVersion = kubernetes;
    const catalog = options.customRules?.length ? [...RULES, ...options.customRules] : RULES;
    const rules = selectRules(options.only, catalog).filter((r) => this.applies(r));
    if (rules.some((r) => r.group === 'schema')) {
      const latest = options.kubernetesVersion === undefined || options.kubernetesVersion === 'latest';
      this.schemaRelease = openApiReleaseFor(latest ? undefined : kubernetes);
    }
    this.podRules = rules.filter((r): r is PodRule => r.scope === 'pod');
    const byKind = new Map<string, ObjectRule[]>();
    const qualified = new Map<string, ObjectRule[]>();
    for (const r of rules) {
      if (r.scope !== 'object') continue;
      for (const k of r.kinds) {
        const map = k.includes('/') ? qualified : byKind;
        map.set(k, [...(map.get(k) ?? []), r]);
      }
    }
    this.objectRules = byKind;
    this.qualifiedRules = qualified;
  }

  /** `rules` plus the rules naming the object's `group/Kind` or `group/version/Kind`, each once. */
  private withQualified(
    rules: readonly ObjectRule[] | undefined,
    group: string,
    object: K8sObject,
  ): readonly ObjectRule[] | undefined {
    const byGroup = this.qualifiedRules.get(`${group}/${object.kind}`);
    const byVersion = this.qualifiedRules.get(`${object.apiVersion}/${object.kind}`);
    if (!byGroup && !byVersion) return rules;
    return [...new Set([...(rules ?? []), ...(byGroup ?? []), ...(byVersion ?? [])])];
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
    const index = context instanceof ObjectIndex ? context : new ObjectIndex(context);
    // A grant by name follows an ownerReference only to the owner in the audited input with the same uid, as in
    // objects read from a cluster (a manifest's author gives no uid; the API server assigns it). exemption-grants.ts
    const ownerOf = (o: K8sObject, ref: Readonly<Record<string, unknown>>): K8sObject | undefined =>
      typeof ref.kind === 'string' && typeof ref.name === 'string' && typeof ref.uid === 'string' && ref.uid !== ''
        ? index
            .inNamespace(ref.kind, o.metadata?.namespace ?? 'default')
            .find((owner) => owner.metadata?.name === ref.name && owner.metadata?.uid === ref.uid)
        : undefined;
    const exemptionCounts = (o: K8sObject, ruleId: string): boolean => {
      const pod = podViewsOf(o)[0]?.metadata;
      const request = exemptionRequestsOf(o, pod).get(ruleId);
      return this.exemptionOf(ruleId, request, { object: o, podLabels: pod?.labels, ownerOf })?.exempt !== undefined;
    };
    const ctx: RuleContext = {
      level: this.level,
      pssVersion: this.pssVersion,
      allowedRegistries: this.options.allowedRegistries,
      kubernetesVersion: this.kubernetesVersion,
      ...(this.schemaRelease ? { schemaRelease: this.schemaRelease } : {}),
      index,
      exemptionCounts,
    };
    const findings: Finding[] = [];
    const exempted: ExemptedFinding[] = [];
    const seen = new Map<string, number>();
    for (const object of objects) {
      const pods = podViewsOf(object);
      const group = apiGroupOf(object.apiVersion);
      let objectRules = isBuiltInGroup(group) ? this.objectRules.get(object.kind) : undefined;
      if (this.qualifiedRules.size > 0) objectRules = this.withQualified(objectRules, group, object);
      if (pods.length === 0 && !objectRules) continue;
      let requests: Map<string, ExemptionRequest> | undefined;
      const record = (rule: Rule, violations: readonly Violation[]) => {
        if (violations.length === 0) return;
        requests ??= exemptionRequestsOf(object, pods[0]?.metadata);
        const decision = this.exemptionOf(rule.id, requests.get(rule.id), {
          object,
          podLabels: pods[0]?.metadata.labels,
          ownerOf,
        });
        for (const v of violations) {
          const source = sources?.get(object);
          const base: Omit<Finding, 'id'> = {
            ruleId: rule.id,
            severity: rule.severity,
            title: rule.title,
            message: decision?.refused ? `${v.message} (${decision.refused.note})` : v.message,
            remediation: rule.remediation,
            object: objectRef(object),
            ...(v.container !== undefined ? { container: v.container } : {}),
            ...(v.path !== undefined ? { path: v.path } : {}),
            ...(source ? { source } : {}),
            ...(decision?.refused ? { exemption: decision.refused } : {}),
          };
          const f: Finding = { id: findingId(findingKey(base), seen), ...base };
          if (decision?.exempt) exempted.push({ ...f, ...decision.exempt });
          else findings.push(f);
        }
      };
      for (const pod of pods) for (const rule of this.podRules) record(rule, rule.check(pod, ctx));
      if (objectRules) for (const rule of objectRules) record(rule, rule.check(object, ctx));
    }
    return { findings, exempted, objectCount: objects.length };
  }

  /** Whether an object's exemption annotation for a rule exempts it, and if not, why. */
  private exemptionOf(
    ruleId: string,
    request: ExemptionRequest | undefined,
    subject: GrantSubject,
  ): { exempt?: { reason: string; grant?: ExemptionGrant }; refused?: RefusedExemption } | undefined {
    if (!request) return undefined;
    const key = exemptionAnnotationKey(ruleId);
    if (request.problem !== undefined) {
      const note = `exemption annotation ${key} ignored: ${request.problem}`;
      return { refused: { status: 'invalid-reason', reason: request.reason, note } };
    }
    const grants = this.options.grants;
    if (!grants) return { exempt: { reason: request.reason } };
    const decision = decideGrant(grants, ruleId, subject, this.options.now ?? new Date());
    if (decision.status === 'granted') return { exempt: { reason: request.reason, grant: decision.grant } };
    const where = `${GRANT_SET_KIND} ${GRANT_SET_NAME}`;
    if (decision.status === 'expired') {
      const g = decision.grant;
      const note = `exemption not granted: the grant expired on ${g.expires} (approved by ${g.approver})`;
      return { refused: { status: 'expired', reason: request.reason, grant: g, note } };
    }
    const ns = subject.object.metadata?.namespace;
    const note = ns
      ? `exemption not granted: no grant in ${where} for rule ${ruleId} and this object in namespace ${ns}`
      : `exemption not granted: the object names no namespace, and grants are given per namespace`;
    return { refused: { status: 'not-granted', reason: request.reason, note } };
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
