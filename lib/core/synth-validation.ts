import { ApiObject, Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { Auditor, AuditOptions } from '../policy/engine';
import { formatObjectRef, K8sObject, objectRef } from '../policy/k8s-object';

const ATTACHED = Symbol.for('bulwark.synthValidation');

function objectKey(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
}

/**
 * Runs the rule catalog over everything a chart synthesizes: any finding of severity `error` fails synthesis
 * (App.synth, synthYaml and Testing.synth all validate before they write), listing rule, object, container, construct
 * path and remediation. Also refuses two constructs that produce the same object.
 */
export class CatalogValidation implements IValidation {
  private static readonly auditor = new Auditor({ level: 'restricted', pssVersion: 'latest' });

  constructor(
    private readonly chart: Chart,
    private readonly options?: AuditOptions,
  ) {}

  public validate(): string[] {
    const all: { object: K8sObject; node: ApiObject; chart: Chart }[] = [];
    for (const c of this.chart.node.root.node.findAll()) {
      if (c instanceof ApiObject) all.push({ object: c.toJson() as K8sObject, node: c, chart: Chart.of(c) });
    }
    const errors: string[] = [];

    // Two constructs producing the same object: one error per pair of constructs, listing the objects they share.
    const seen = new Map<string, ApiObject>();
    const clashes = new Map<string, { first: string; second: string; objects: string[] }>();
    for (const { object, node, chart } of all) {
      const key = objectKey(object);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, node);
        continue;
      }
      if (chart !== this.chart) continue;
      const a = ownerPath(first);
      const b = ownerPath(node);
      const clash = clashes.get(`${a}|${b}`) ?? { first: a, second: b, objects: [] };
      clash.objects.push(formatObjectRef(objectRef(object)));
      clashes.set(`${a}|${b}`, clash);
    }
    for (const c of clashes.values()) {
      errors.push(
        `constructs '${c.first}' and '${c.second}' produce the same objects: ${c.objects.join(', ')}. ` +
          'Allowed: one object per kind, namespace and name. Fix: give one of them a different `name` prop.',
      );
    }

    const mine = all.filter((x) => x.chart === this.chart);
    const sources = new Map(
      mine.map((x) => [x.object, { file: `chart '${this.chart.node.path}'`, constructPath: x.node.node.path }]),
    );
    const auditor = this.options ? new Auditor(this.options) : CatalogValidation.auditor;
    const result = auditor.audit(
      mine.map((x) => x.object),
      sources,
      all.map((x) => x.object),
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
  chart.node.addValidation(new CatalogValidation(chart));
}
