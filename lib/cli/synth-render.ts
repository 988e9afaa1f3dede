import { ApiObject, App, Chart, DependencyGraph, Names, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { stringifyManifest } from '../manifest/fast-yaml-writer';
import { RenderedObject, validateRendered, withOwnValidation } from '../construct/synth-validation';
import { K8sObject } from '../k8s/k8s-object';

/** One output file of a synthesis: its name, its text and the objects it holds. */
export interface SynthFile {
  readonly name: string;
  readonly text: string;
  readonly objects: readonly RenderedObject[];
}

/**
 * The validations of every construct (cdk8s's and the app's own), run as App.synth runs them; throws cdk8s's error.
 */
function validateConstructs(all: readonly IConstruct[]): void {
  const errors: string[] = [];
  for (const child of all) for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * The dependencies App.synth adds before writing (cdk8s 2.70, through public API): a chart depends on its nested
 * charts, and on the charts its constructs depend on; an ApiObject on the ApiObjects of the constructs its construct
 * depends on. Returns whether any chart depends on another (cdk8s then numbers the files), and whether the app has
 * any dependency at all.
 */
function resolveDependencies(all: readonly IConstruct[]): { numbered: boolean; any: boolean } {
  let dependantCharts = false;
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        dependantCharts = true;
      }
    }
  }
  const deps = () => all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  const first = deps();
  // No dependency (not even of a chart on its nested chart): nothing to add.
  if (first.length === 0) return { numbered: dependantCharts, any: false };
  for (const { source, target } of first) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      dependantCharts = true;
    }
  }
  for (const { source, target } of deps()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = target.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = source.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return { numbered: dependantCharts, any: true };
}

/**
 * The charts of `app` and each chart's ApiObjects in the order App.synth writes them (cdk8s 2.70): the topological
 * order of a DependencyGraph of the whole app (for the charts), then of each chart (for its objects). With no
 * dependency anywhere in the app (`dependencies` false: resolveDependencies found none), every vertex is a root and that order is the one the
 * graph's constructor met them in, the tree's preorder (`findAll`), keyed by path: a top-level id that is an array
 * index is enumerated first by the graph, as by the tree itself (constructs keeps children by id). Then one walk of
 * `all` (the app's constructs in preorder) gives it without building the graphs; otherwise the order is cdk8s's own.
 */
function writeOrder(
  app: App,
  all: readonly IConstruct[],
  dependencies: boolean,
): { chart: Chart; nodes: ApiObject[] }[] {
  if (dependencies) {
    return app.charts.map((chart) => ({
      chart,
      nodes: new DependencyGraph(chart.node)
        .topology()
        .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart),
    }));
  }
  const order = new Map<Chart, ApiObject[]>();
  for (const c of all) {
    if (c instanceof Chart) order.set(c, []);
    else if (c instanceof ApiObject) order.get(Chart.of(c))?.push(c);
  }
  return [...order].map(([chart, nodes]) => ({ chart, nodes }));
}

/**
 * Synthesizes `app` as `bulwark synth` writes it: the constructs' validations as App.synth runs them, every ApiObject
 * of the app rendered once, that rendering validated with the rule catalog (whatever chart holds the object) and
 * written with the fast YAML writer (byte for byte what cdk8s writes, falling back per document to cdk8s's own
 * Yaml.stringify). One file per chart, named as App.synth names them. Throws, writing nothing, on any error.
 */
export function renderApp(app: App): SynthFile[] {
  return withOwnValidation(app, () => {
    const all = app.node.findAll();
    validateConstructs(all);
    const { numbered, any } = resolveDependencies(all);
    const files: SynthFile[] = [];
    const everything: RenderedObject[] = [];
    writeOrder(app, all, any).forEach(({ chart, nodes }, i) => {
      const objects: RenderedObject[] = nodes.map((node) => ({ object: node.toJson() as K8sObject, node, chart }));
      everything.push(...objects);
      const label = Names.toDnsLabel(chart);
      files.push({
        name: `${numbered ? `${String(i).padStart(4, '0')}-${label}` : label}${app.outputFileExtension}`,
        text: objects
          .map(({ object }) => (object === undefined ? '\n' : (stringifyManifest(object) ?? Yaml.stringify(object))))
          .join('---\n'),
        objects,
      });
    });
    const errors = [...validateRendered(everything, undefined, app)].flatMap(([chart, list]) =>
      list.map((e) => `[${chart.node.path}] ${e}`),
    );
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    return files;
  });
}
