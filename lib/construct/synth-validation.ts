import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { Auditor, AuditOptions } from '../policy/engine';
import { formatObjectRef, K8sObject, objectRef } from '../k8s/k8s-object';
import { ObjectIndex } from '../k8s/object-index';
import { useFastYamlWriter } from './cdk8s-fast-yaml';

const ATTACHED = Symbol.for('bulwark.synthValidation');
const PASS_ATTACHED = Symbol.for('bulwark.synthValidation.pass');

function objectKey(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
}

interface Entry {
  readonly object: K8sObject;
  readonly node: ApiObject;
  readonly chart: Chart;
}

/**
 * The whole app as one validation pass sees it: every ApiObject rendered once (toJson), grouped by chart, indexed
 * once for the cross-object rules, and the duplicate-object errors of each chart. Every chart's validation needs the
 * whole app, so building this once per pass instead of once per chart keeps synthesis linear in the app's size.
 */
class AppSnapshot {
  readonly byChart = new Map<Chart, Entry[]>();
  readonly index: ObjectIndex;
  /** Per chart: constructs of that chart producing an object an earlier construct already produces. */
  private readonly clashes = new Map<Chart, Map<string, { first: string; second: string; objects: string[] }>>();

  /**
   * @param call the synthesis call under way, if any: each object's rendering is then also what cdk8s writes for it
   * in this call (see SynthCall.memoized), so the app is rendered once per synthesis, not once to validate and once
   * to write.
   */
  constructor(root: IConstruct, call?: SynthCall) {
    const all: Entry[] = [];
    for (const c of root.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      const object = c.toJson() as K8sObject;
      if (call) memoizeRendering(c, object, call);
      all.push({ object, node: c, chart: Chart.of(c) });
    }
    this.index = new ObjectIndex(all.map((x) => x.object));
    const seen = new Map<string, ApiObject>();
    for (const entry of all) {
      const list = this.byChart.get(entry.chart);
      if (list) list.push(entry);
      else this.byChart.set(entry.chart, [entry]);
      const key = objectKey(entry.object);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, entry.node);
        continue;
      }
      const a = ownerPath(first);
      const b = ownerPath(entry.node);
      let ofChart = this.clashes.get(entry.chart);
      if (!ofChart) this.clashes.set(entry.chart, (ofChart = new Map()));
      const clash = ofChart.get(`${a}|${b}`) ?? { first: a, second: b, objects: [] };
      clash.objects.push(formatObjectRef(objectRef(entry.object)));
      ofChart.set(`${a}|${b}`, clash);
    }
  }

  /** One error per pair of constructs of `chart` that produce the same objects. */
  clashErrors(chart: Chart): string[] {
    return [...(this.clashes.get(chart)?.values() ?? [])].map(
      (c) =>
        `constructs '${c.first}' and '${c.second}' produce the same objects: ${c.objects.join(', ')}. ` +
        'Allowed: one object per kind, namespace and name. Fix: give one of them a different `name` prop.',
    );
  }
}

/** What the pass starter needs to know of a chart validation to compute its errors ahead. */
interface Registration {
  readonly chart: Chart;
  readonly auditor: Auditor;
}

/**
 * Errors computed ahead by the pass starter (see ValidationPass), each taken once by the validation it belongs to.
 * A validation that finds none here (called on its own, outside a synthesis) computes its errors itself.
 */
const PRECOMPUTED = new WeakMap<IValidation, string[]>();
/** The catalog validations attached with ensureSynthValidation, per app root. */
const REGISTERED = new WeakMap<IConstruct, Map<IValidation, Registration>>();

const DEFAULT_AUDITOR = new Auditor({ level: 'restricted', pssVersion: 'latest' });

/** The errors of one chart: duplicate objects, then catalog findings of severity `error`, in object order. */
function chartErrors(chart: Chart, auditor: Auditor, snapshot: AppSnapshot): string[] {
  const errors = snapshot.clashErrors(chart);
  const mine = snapshot.byChart.get(chart) ?? [];
  const sources = new Map(
    mine.map((x) => [x.object, { file: `chart '${chart.node.path}'`, constructPath: x.node.node.path }]),
  );
  const result = auditor.audit(
    mine.map((x) => x.object),
    sources,
    snapshot.index,
  );
  for (const f of result.findings) {
    if (f.severity !== 'error') continue;
    const container = f.container !== undefined ? ` container '${f.container}'` : '';
    errors.push(
      `${f.ruleId}: ${formatObjectRef(f.object)}${container} (construct '${f.source?.constructPath}'): ` +
        `${f.message}. Fix: ${f.remediation}`,
    );
  }
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
    const ahead = PRECOMPUTED.get(this);
    if (ahead) {
      PRECOMPUTED.delete(this);
      return ahead;
    }
    return chartErrors(this.chart, this.auditor, new AppSnapshot(this.chart.node.root));
  }
}

/**
 * One App.synth / App.synthYaml call under way. cdk8s validates the whole app once at its start and then once more per
 * chart it writes (each chart's toJson runs a full validation pass), with nothing but cdk8s itself running in between;
 * the errors computed by the first pass are handed out again by the later passes of the same call, so a synthesis
 * renders and audits the app once instead of once per chart.
 */
interface SynthCall {
  errors?: ReadonlyMap<IValidation, readonly string[]>;
  /**
   * ApiObjects whose toJson answers, until the call ends, with the rendering this call validated. cdk8s renders every
   * object again to write it; within one call nothing but cdk8s runs between the two, so the result is the same
   * object and the validated manifest is the written one by construction.
   */
  readonly memoized: ApiObject[];
}

/** Makes `node.toJson()` return `rendered` until the synthesis call ends (an own property over the class method). */
function memoizeRendering(node: ApiObject, rendered: K8sObject, call: SynthCall): void {
  // An object with a toJson of its own (set by its author) keeps it.
  if (Object.prototype.hasOwnProperty.call(node, 'toJson')) return;
  Object.defineProperty(node, 'toJson', { value: () => rendered, configurable: true, writable: true });
  call.memoized.push(node);
}

/** Per app root, the synthesis calls under way (innermost last). */
const SYNTH_CALLS = new WeakMap<IConstruct, SynthCall[]>();

/**
 * Wraps the app's synth and synthYaml (on the instance, around whatever method it has) to delimit one call, during
 * which cdk8s writes YAML with the fast writer (useFastYamlWriter).
 */
function delimitSynthCalls(app: App): void {
  const calls: SynthCall[] = [];
  SYNTH_CALLS.set(app, calls);
  const around = <T>(run: () => T): T => {
    const call: SynthCall = { memoized: [] };
    calls.push(call);
    const restoreYamlWriter = useFastYamlWriter();
    try {
      return run();
    } finally {
      restoreYamlWriter();
      calls.pop();
      for (const node of call.memoized) delete (node as { toJson?: unknown }).toJson;
    }
  };
  const synth = app.synth;
  const synthYaml = app.synthYaml;
  Object.defineProperty(app, 'synth', {
    value: function (this: App): void {
      around(() => synth.call(this));
    },
    configurable: true,
    writable: true,
  });
  Object.defineProperty(app, 'synthYaml', {
    value: function (this: App): string {
      return around(() => synthYaml.call(this));
    },
    configurable: true,
    writable: true,
  });
}

/**
 * Attached to the app root, whose validation runs first in every validation pass (cdk8s validates constructs in
 * preorder, root first): it renders the app once and computes the errors of every registered chart validation, which
 * then only hand them out. It reports nothing itself. Should rendering or a chart's audit fail, it leaves that work
 * to the chart validations, which then fail on their own exactly as they would without it.
 */
class ValidationPass implements IValidation {
  constructor(private readonly root: IConstruct) {}

  public validate(): string[] {
    const registered = REGISTERED.get(this.root);
    if (!registered) return [];
    const calls = SYNTH_CALLS.get(this.root);
    const call = calls?.[calls.length - 1];
    const errors = call?.errors ?? this.compute(registered, call);
    if (call && errors.size === registered.size) call.errors = errors;
    for (const [validation, list] of errors) PRECOMPUTED.set(validation, [...list]);
    // Errors not taken in this pass (an aborted pass) are dropped: the app may have changed before the next one.
    queueMicrotask(() => errors.forEach((_, v) => PRECOMPUTED.delete(v)));
    return [];
  }

  private compute(
    registered: ReadonlyMap<IValidation, Registration>,
    call: SynthCall | undefined,
  ): Map<IValidation, readonly string[]> {
    const out = new Map<IValidation, readonly string[]>();
    let snapshot: AppSnapshot;
    try {
      snapshot = new AppSnapshot(this.root, call);
    } catch {
      return out;
    }
    for (const [validation, { chart, auditor }] of registered) {
      try {
        out.set(validation, chartErrors(chart, auditor, snapshot));
      } catch {
        // Left to the chart's own validation.
      }
    }
    return out;
  }
}

/** The construct a user wrote: the ancestor of an ApiObject directly below its chart. */
function ownerPath(node: ApiObject): string {
  const chart = Chart.of(node);
  let c: IConstruct = node;
  while (c.node.scope && c.node.scope !== chart) c = c.node.scope;
  return c.node.path;
}

/** Attaches the catalog validation to the chart of `scope`, once per chart. */
export function ensureSynthValidation(scope: IConstruct): void {
  const chart = Chart.of(scope) as Chart & { [ATTACHED]?: boolean };
  if (chart[ATTACHED]) return;
  chart[ATTACHED] = true;
  const validation = new CatalogValidation(chart);
  chart.node.addValidation(validation);

  const root = chart.node.root as IConstruct & { [PASS_ATTACHED]?: boolean };
  let registered = REGISTERED.get(root);
  if (!registered) REGISTERED.set(root, (registered = new Map()));
  registered.set(validation, { chart, auditor: DEFAULT_AUDITOR });
  if (!root[PASS_ATTACHED]) {
    root[PASS_ATTACHED] = true;
    root.node.addValidation(new ValidationPass(root));
    if (root instanceof App) delimitSynthCalls(root);
  }
}
