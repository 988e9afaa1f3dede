import { ApiObject, Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { Auditor, AuditOptions, isBuiltInGroup } from '../policy/engine';
import { DEFAULT_RULES } from '../policy/catalog';
import { CLUSTER_SCOPED_KINDS } from '../k8s/cluster-scoped-kinds';
import { formatObjectRef, K8sObject, objectRef } from '../k8s/k8s-object';
import { ObjectIndex } from '../k8s/object-index';
import { exemptionAnnotationDrift } from './exemption-guard';
import { guardsOf } from './hardening-guard';
import { assertSingleCdk8s } from './single-cdk8s';

/**
 * Synth-time validation through cdk8s's and constructs' own mechanism only: `node.addValidation`. Nothing of cdk8s
 * is replaced or wrapped (no method, no YAML writer, no ApiObject property), so importing bulwark changes nothing in a
 * plain cdk8s app.
 *
 * The first bulwark construct of an app attaches one validation to the app's root and one to its own chart. cdk8s
 * validates in preorder, root first: the root validation renders every ApiObject of the app (whatever chart holds it:
 * nested, sibling, without any bulwark construct) and audits them all with the rule catalog. It reports the errors of
 * charts without a bulwark validation itself and hands the others to their chart's validation.
 *
 * cdk8s validates the whole app once more for every chart it writes (each chart's toJson validates the app). The
 * verdict of a synthesis's first pass is handed out by its next ones (see appVerdict), so a synthesis renders and
 * audits the app once, not once per chart.
 *
 * Limit (cdk8s has no hook for it): in a consumer's own `app.synth()`, cdk8s renders every object again after
 * validation to write it; an object whose rendering changes between the two (a custom toJson answering differently
 * the second time) is not seen. `bulwark synth` renders each object once, validates that rendering and writes it
 * (lib/cli/synth-render.ts), and audits the bytes written before they replace the output.
 */

/**
 * What names one object in a cluster: group, kind, namespace and name. A built-in cluster-scoped kind has no
 * namespace: cdk8s writes its chart's namespace on every object (a Namespace too, unless removed) and the API server
 * ignores it, so a second `Namespace shop` written with one is the same Namespace, applied over the first.
 */
function objectKey(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(o.kind) && isBuiltInGroup(group);
  return `${group}|${o.kind}|${clusterScoped ? '' : (o.metadata?.namespace ?? '')}|${o.metadata?.name ?? ''}`;
}

/** One ApiObject as rendered, with the construct and chart it comes from. */
export interface RenderedObject {
  readonly object: K8sObject;
  readonly node: ApiObject;
  readonly chart: Chart;
}

/** Every ApiObject under `root`, rendered once (toJson), in preorder. */
export function renderAll(root: IConstruct): RenderedObject[] {
  const all: RenderedObject[] = [];
  for (const c of root.node.findAll()) {
    if (c instanceof ApiObject) all.push({ object: c.toJson() as K8sObject, node: c, chart: Chart.of(c) });
  }
  return all;
}

/** The construct a user wrote: the ancestor of an ApiObject directly below its chart. */
function ownerPath(node: ApiObject): string {
  const chart = Chart.of(node);
  let c: IConstruct = node;
  while (c.node.scope && c.node.scope !== chart) c = c.node.scope;
  return c.node.path;
}

/**
 * The rules synth-time validation runs: every rule of the catalog that a run without `--only` applies and whose
 * findings fail synthesis (severity `error`). A warning never fails synthesis, so evaluating the warning rules here
 * would change nothing but the time it takes; `bulwark synth` reports them from its audit of the written manifests,
 * and `bulwark audit` from any manifest.
 */
export const SYNTH_RULE_IDS: readonly string[] = DEFAULT_RULES.filter((r) => r.severity === 'error').map((r) => r.id);

const DEFAULT_AUDITOR = new Auditor({ level: 'restricted', pssVersion: 'latest', only: SYNTH_RULE_IDS });

/**
 * The synth-time errors of rendered objects, per chart: constructs producing the same object, then catalog findings
 * of severity `error` (rule, object, container, construct path, remediation), in object order. Also refuses an
 * escape hatch that changed the exemption annotations a construct wrote (lib/construct/exemption-guard.ts). The whole set is
 * indexed once for the cross-object rules.
 */
export function validateRendered(
  all: readonly RenderedObject[],
  auditor: Auditor = DEFAULT_AUDITOR,
  root: IConstruct | undefined = all[0]?.node.node.root,
): Map<Chart, string[]> {
  const errors = new Map<Chart, string[]>();
  const of = (chart: Chart) => {
    let list = errors.get(chart);
    if (!list) errors.set(chart, (list = []));
    return list;
  };
  const byChart = new Map<Chart, RenderedObject[]>();
  const seen = new Map<string, ApiObject>();
  const clashes = new Map<string, { chart: Chart; first: string; second: string; objects: string[] }>();
  for (const entry of all) {
    const owner = entry.node.node.scope;
    const drift = exemptionAnnotationDrift(owner, entry.node.node.id, entry.object);
    if (owner && drift.length > 0) {
      of(entry.chart).push(
        `construct '${owner.node.path}' (${formatObjectRef(objectRef(entry.object))}): an escape hatch changed its exemption annotations: ${drift.join('; ')}. ` +
          "Allowed: exactly the exemptions the construct grants, on the object and on its pod template (admission judges Pods, which carry only the template's annotations). " +
          'Fix: request exemptions with the `exemptions` prop (or BulwarkChart defaults) and add pod annotations with `podAnnotations`; never patch an exempt.bulwark.dev/ annotation.',
      );
    }
    const list = byChart.get(entry.chart);
    if (list) list.push(entry);
    else byChart.set(entry.chart, [entry]);
    const key = objectKey(entry.object);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, entry.node);
      continue;
    }
    const a = ownerPath(first);
    const b = ownerPath(entry.node);
    const id = `${entry.chart.node.path}|${a}|${b}`;
    const clash = clashes.get(id) ?? { chart: entry.chart, first: a, second: b, objects: [] };
    clash.objects.push(formatObjectRef(objectRef(entry.object)));
    clashes.set(id, clash);
  }
  for (const c of clashes.values()) {
    of(c.chart).push(
      `constructs '${c.first}' and '${c.second}' produce the same objects: ${c.objects.join(', ')}. ` +
        'Allowed: one object per kind, namespace and name. Fix: give one of them a different `name` prop.',
    );
  }
  // Hardening objects of bulwark constructs removed from the tree or patched (HardeningGuard).
  if (root) {
    const rendered = new Map<ApiObject, unknown>(all.map((x) => [x.node, x.object]));
    for (const guard of guardsOf(root)) {
      const list = guard.errors(root, rendered);
      if (list.length > 0) of(Chart.of(guard.owner)).push(...list);
    }
  }
  const index = new ObjectIndex(all.map((x) => x.object));
  for (const [chart, mine] of byChart) {
    const sources = new Map(
      mine.map((x) => [x.object, { file: `chart '${chart.node.path}'`, constructPath: x.node.node.path }]),
    );
    const result = auditor.audit(
      mine.map((x) => x.object),
      sources,
      index,
    );
    for (const f of result.findings) {
      if (f.severity !== 'error') continue;
      const container = f.container !== undefined ? ` container '${f.container}'` : '';
      of(chart).push(
        `${f.ruleId}: ${formatObjectRef(f.object)}${container} (construct '${f.source?.constructPath}'): ` +
          `${f.message}. Fix: ${f.remediation}`,
      );
    }
  }
  return errors;
}

/** Apps whose synthesis bulwark runs itself (`bulwark synth`): it validates what it renders, once. */
const OWNED = new WeakSet<IConstruct>();

/** Runs `fn` with the synth-time validations of `root` left to the caller, which validates what it renders. */
export function withOwnValidation<T>(root: IConstruct, fn: () => T): T {
  OWNED.add(root);
  try {
    return fn();
  } finally {
    OWNED.delete(root);
  }
}

/** Per app root: the chart validations attached, and the verdict of the current synchronous run. */
interface AppState {
  readonly charts: Map<Chart, CatalogValidation>;
  /** Chart validations still to be called in the pass under way, with the errors the root computed for them. */
  readonly handOut: Map<CatalogValidation, string[]>;
  verdict?: { readonly constructs: number; readonly errors: Map<Chart, string[]>; reuses: number };
}
const STATE = new WeakMap<IConstruct, AppState>();

function stateOf(root: IConstruct): AppState {
  let state = STATE.get(root);
  if (!state) STATE.set(root, (state = { charts: new Map(), handOut: new Map() }));
  return state;
}

/**
 * The errors of the whole app. App.synth and synthYaml validate the app once, then once more per chart (in its
 * toJson), one pass after the other with nothing but cdk8s in between: a verdict is computed by the first pass and
 * handed out by at most as many further passes as the app has charts, within the same synchronous run and while the
 * app has the same constructs. The next synthesis computes afresh and sees any change made since.
 */
function appVerdict(root: IConstruct): Map<Chart, string[]> {
  const state = stateOf(root);
  const all = root.node.findAll();
  const v = state.verdict;
  if (v && v.constructs === all.length && v.reuses > 0) {
    v.reuses--;
    return v.errors;
  }
  const errors = validateRendered(renderAll(root), DEFAULT_AUDITOR, root);
  const verdict = { constructs: all.length, errors, reuses: all.filter((c) => c instanceof Chart).length };
  state.verdict = verdict;
  queueMicrotask(() => {
    if (state.verdict === verdict) state.verdict = undefined;
  });
  return errors;
}

/**
 * Runs the rule catalog over everything a chart synthesizes: any finding of severity `error` fails synthesis
 * (App.synth, synthYaml and Testing.synth all validate before they write), listing rule, object, container, construct
 * path and remediation. Also refuses two constructs that produce the same object.
 */
export class CatalogValidation implements IValidation {
  private readonly auditor: Auditor;

  constructor(
    private readonly chart: Chart,
    options?: AuditOptions,
  ) {
    this.auditor = options ? new Auditor(options) : DEFAULT_AUDITOR;
  }

  public validate(): string[] {
    const root = this.chart.node.root;
    if (OWNED.has(root)) return [];
    const state = stateOf(root);
    const ahead = state.handOut.get(this);
    if (ahead) {
      state.handOut.delete(this);
      return ahead;
    }
    // Called on its own (not in a pass the root started): computed afresh.
    return validateRendered(renderAll(root), this.auditor, root).get(this.chart) ?? [];
  }
}

/**
 * On the app root: the errors of charts that have no CatalogValidation of their own (a plain chart, a nested chart, a
 * chart whose id starts with a dot), so that every ApiObject of the app is validated.
 */
class AppValidation implements IValidation {
  constructor(private readonly root: IConstruct) {}

  public validate(): string[] {
    if (OWNED.has(this.root)) return [];
    const state = stateOf(this.root);
    const verdict = appVerdict(this.root);
    // cdk8s calls the chart validations next, in this pass: each takes its errors from here.
    state.handOut.clear();
    for (const [chart, validation] of state.charts) state.handOut.set(validation, verdict.get(chart) ?? []);
    queueMicrotask(() => state.handOut.clear());
    const errors: string[] = [];
    for (const [chart, list] of verdict) {
      if (state.charts.has(chart)) continue;
      errors.push(...list.map((e) => `in chart '${chart.node.path}': ${e}`));
    }
    return errors;
  }
}

/** Attaches the catalog validation to the chart of `scope` (once per chart) and to the app root (once per app). */
export function ensureSynthValidation(scope: IConstruct): void {
  assertSingleCdk8s(scope);
  const chart = Chart.of(scope);
  const root = chart.node.root;
  const state = STATE.get(root);
  if (state?.charts.has(chart)) return;
  const fresh = stateOf(root);
  if (!state) root.node.addValidation(new AppValidation(root));
  const validation = new CatalogValidation(chart);
  fresh.charts.set(chart, validation);
  chart.node.addValidation(validation);
}
