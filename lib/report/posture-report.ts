import { NetworkGraph, openWorkloads } from '../graph/reachability';
import type { AuditResult, ExemptedFinding, Finding } from '../policy/engine';
import { formatObjectRef, K8sObject, ObjectRef } from '../k8s/k8s-object';
import type { InputError } from '../manifest/manifests';
import type { Rule, RuleGroup, Severity } from '../policy/rule';
import { EXCLUDED_NAMESPACES } from '../policy/admission/admission-policies';
import { byCodePoint } from '../util/by-code-point';
import { CLUSTER_SCOPED_KINDS } from '../k8s/cluster-scoped-kinds';

/** How the per-namespace summary names cluster-scoped objects. */
export const CLUSTER_SCOPE = '(cluster-scoped)';

/**
 * The namespace an object belongs to in the summary: its own namespace, its name for a Namespace, CLUSTER_SCOPE for
 * other cluster-scoped kinds, `default` for namespaced objects that name none (as kubectl would apply them).
 */
export function summaryNamespace(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  if (ref.kind === 'Namespace') return ref.name;
  if (CLUSTER_SCOPED_KINDS.has(ref.kind)) return CLUSTER_SCOPE;
  return ref.namespace || 'default';
}

export interface RuleSection {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly group: RuleGroup;
  readonly remediation: string;
  readonly findings: readonly Finding[];
  readonly exempted: readonly ExemptedFinding[];
}

export interface NamespaceSummary {
  readonly name: string;
  readonly objects: number;
  readonly workloads: number;
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  /** Workloads whose ingress (egress) some NetworkPolicy isolates. */
  readonly ingressIsolated: number;
  readonly egressIsolated: number;
  readonly openToAll: number;
}

export interface PostureReport {
  readonly title: string;
  readonly files: readonly string[];
  /** Settings the audit ran with, as `name: value` pairs for the header. */
  readonly settings: readonly (readonly [string, string])[];
  readonly totals: {
    readonly objects: number;
    readonly errors: number;
    readonly warnings: number;
    readonly exempted: number;
    readonly inputErrors: number;
    readonly rulesRun: number;
    readonly workloads: number;
    readonly connections: number;
    readonly openToAll: number;
  };
  /** Rules with findings or exemptions: errors first, then by number of findings, then by id. */
  readonly rules: readonly RuleSection[];
  readonly exemptions: readonly ExemptedFinding[];
  readonly namespaces: readonly NamespaceSummary[];
  /**
   * Namespaces the admission policies' bindings leave out by default (kube-system): nothing there is checked in the
   * cluster, whatever the audit says.
   */
  readonly admissionExcludedNamespaces: readonly string[];
  readonly graph: NetworkGraph;
  readonly inputErrors: readonly InputError[];
}

export interface PostureReportInput {
  readonly result: AuditResult;
  readonly objects: readonly K8sObject[];
  readonly graph: NetworkGraph;
  readonly files: readonly string[];
  readonly inputErrors?: readonly InputError[];
  /** The rules that ran. */
  readonly rules: readonly Rule[];
  readonly settings?: readonly (readonly [string, string])[];
  readonly title?: string;
}

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning'];

function objectKey(ref: ObjectRef): string {
  return `${summaryNamespace(ref)}\u0000${ref.kind}\u0000${ref.name}`;
}

/** Gathers an audit result and a network graph into what the HTML and Markdown reports show. */
export function buildPostureReport(input: PostureReportInput): PostureReport {
  const { result, graph } = input;
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const sections = new Map<string, { findings: Finding[]; exempted: ExemptedFinding[] }>();
  const section = (id: string) => {
    let s = sections.get(id);
    if (!s) sections.set(id, (s = { findings: [], exempted: [] }));
    return s;
  };
  for (const f of result.findings) section(f.ruleId).findings.push(f);
  for (const f of result.exempted) section(f.ruleId).exempted.push(f);
  const rules: RuleSection[] = [...sections.entries()].map(([id, s]) => {
    const rule = ruleById.get(id);
    const any = s.findings[0] ?? s.exempted[0];
    return {
      id,
      title: rule?.title ?? any.title,
      severity: rule?.severity ?? any.severity,
      group: rule?.group ?? 'workload',
      remediation: rule?.remediation ?? any.remediation,
      findings: s.findings,
      exempted: s.exempted,
    };
  });
  rules.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      b.findings.length - a.findings.length ||
      b.exempted.length - a.exempted.length ||
      byCodePoint(a.id, b.id),
  );
  const exemptions = [...result.exempted].sort(
    (a, b) => byCodePoint(objectKey(a.object), objectKey(b.object)) || byCodePoint(a.ruleId, b.ruleId),
  );

  const rows = new Map<string, { -readonly [K in keyof NamespaceSummary]: NamespaceSummary[K] }>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) {
      r = {
        name,
        objects: 0,
        workloads: 0,
        errors: 0,
        warnings: 0,
        exempted: 0,
        ingressIsolated: 0,
        egressIsolated: 0,
        openToAll: 0,
      };
      rows.set(name, r);
    }
    return r;
  };
  for (const o of input.objects) {
    row(summaryNamespace({ kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name ?? '<unnamed>' }))
      .objects++;
  }
  for (const f of result.findings) {
    const r = row(summaryNamespace(f.object));
    if (f.severity === 'error') r.errors++;
    else r.warnings++;
  }
  for (const f of result.exempted) row(summaryNamespace(f.object)).exempted++;
  for (const w of graph.workloads) {
    const r = row(w.namespace);
    r.workloads++;
    if (w.ingressIsolated) r.ingressIsolated++;
    if (w.egressIsolated) r.egressIsolated++;
    if (w.openToAll.length) r.openToAll++;
  }
  const namespaces = [...rows.values()].sort(
    (a, b) => Number(a.name === CLUSTER_SCOPE) - Number(b.name === CLUSTER_SCOPE) || byCodePoint(a.name, b.name),
  );

  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return {
    title: input.title ?? 'bulwark posture report',
    files: input.files,
    settings: input.settings ?? [],
    totals: {
      objects: result.objectCount,
      errors,
      warnings: result.findings.length - errors,
      exempted: result.exempted.length,
      inputErrors: input.inputErrors?.length ?? 0,
      rulesRun: input.rules.length,
      workloads: graph.workloads.length,
      connections: graph.connections.length,
      openToAll: openWorkloads(graph).length,
    },
    rules,
    exemptions,
    namespaces,
    admissionExcludedNamespaces: [...EXCLUDED_NAMESPACES],
    graph,
    inputErrors: input.inputErrors ?? [],
  };
}

/** `file:line` (or the construct path) of a finding, when known. */
export function formatSource(f: Finding): string {
  if (!f.source) return '';
  const at = f.source.line !== undefined ? `${f.source.file}:${f.source.line}` : f.source.file;
  return f.source.constructPath ? `${at} (${f.source.constructPath})` : at;
}

/** `Kind namespace/name`, plus the container when the finding is about one. */
export function formatFindingObject(f: Finding): string {
  const ref = formatObjectRef(f.object);
  return f.container ? `${ref} [${f.container}]` : ref;
}
