import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Names } from 'cdk8s';
import { HardenedDeployment } from '../../lib';
import { renderApp } from '../../lib/cli/synth-render';
import { errorOf, IMAGE } from '../helpers/charts';
import { DIGEST, runCli, snapshot, tempProject } from '../helpers/temp-project';

const PRIVILEGED_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'debug' },
  spec: { containers: [{ name: 'sh', image: IMAGE, securityContext: { privileged: true } }] },
};

function appWithShop(): { app: App; shop: Chart } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-every-')) });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new HardenedDeployment(shop, 'api', { image: IMAGE, port: 8080 });
  return { app, shop };
}

const FINDING = (chart: string) =>
  `in chart '${chart}': pss-baseline-privileged: Pod shop/debug container 'sh' ` +
  `(construct '${chart}/debug'): container 'sh' sets securityContext.privileged=true`;

describe('every ApiObject of the app is validated, whatever chart holds it (App.synth)', () => {
  it.each([
    ['a nested chart', (_app: App, shop: Chart) => new Chart(shop, 'inner', { namespace: 'shop' }), 'shop/inner'],
    ['a sibling chart', (app: App) => new Chart(app, 'side', { namespace: 'shop' }), 'side'],
    ['a chart whose id starts with a dot', (app: App) => new Chart(app, '.hidden', { namespace: 'shop' }), '.hidden'],
  ])('a privileged Pod as a plain ApiObject in %s fails App.synth, and nothing is written', (_, make, chartPath) => {
    const { app, shop } = appWithShop();
    new ApiObject(make(app, shop), 'debug', PRIVILEGED_POD);
    expect(errorOf(() => app.synth())).toContain(`[] ${FINDING(chartPath)}`);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
    expect(errorOf(() => app.synthYaml())).toContain(FINDING(chartPath));
    expect(errorOf(() => renderApp(app))).toContain(`[${chartPath}] pss-baseline-privileged: Pod shop/debug`);
  });

  it('a plain cdk8s app (no bulwark construct) is left alone: importing bulwark changes nothing', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-plain-')) });
    new ApiObject(new Chart(app, 'c'), 'debug', PRIVILEGED_POD);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('bulwark synth validates exactly the rendering it writes', () => {
  it('renders each object once: a toJson answering differently the second time cannot change what is written', () => {
    const { app, shop } = appWithShop();
    const pod = new ApiObject(shop, 'debug', { ...PRIVILEGED_POD, spec: { containers: [] } });
    let calls = 0;
    const safe = pod.toJson.bind(pod);
    Object.defineProperty(pod, 'toJson', {
      value: () => (++calls === 1 ? safe() : { ...safe(), spec: PRIVILEGED_POD.spec }),
    });
    const files = renderApp(app);
    expect(calls).toBe(1);
    expect(files.map((f) => f.name)).toEqual(['shop.k8s.yaml']);
    expect(files[0].text).not.toContain('privileged: true');
  });

  it('validates after every object rendered: one toJson changing another object rendered before is caught', () => {
    const { app, shop } = appWithShop();
    const shared = { ...PRIVILEGED_POD, metadata: { name: 'debug', namespace: 'shop' }, spec: { containers: [] } };
    const first = new ApiObject(shop, 'a-first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    Object.defineProperty(first, 'toJson', { value: () => shared });
    const later = new ApiObject(shop, 'z-later', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } });
    const own = later.toJson.bind(later);
    Object.defineProperty(later, 'toJson', {
      value: () => {
        (shared as { spec: unknown }).spec = PRIVILEGED_POD.spec;
        return own();
      },
    });
    expect(errorOf(() => renderApp(app))).toContain('pss-baseline-privileged: Pod shop/debug');
  });

  it('writes byte for byte what cdk8s App.synth writes (nested and dependent charts, file numbering)', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const api = new HardenedDeployment(shop, 'api', { image: IMAGE, port: 8080 });
      const inner = new Chart(shop, 'inner', { namespace: 'inner' });
      const web = new HardenedDeployment(inner, 'web', { image: IMAGE, port: 8080 });
      api.allowFrom(web);
      const pay = new Chart(app, 'pay', { namespace: 'pay' });
      new HardenedDeployment(pay, 'pay', { image: IMAGE, port: 8080 });
      pay.addDependency(shop);
      return app;
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-same-'));
    const app = build(dir);
    app.synth();
    const theirs = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const ours = Object.fromEntries(renderApp(build(dir)).map((f) => [f.name, f.text]));
    expect(Object.keys(ours).sort()).toEqual([
      '0000-shop-inner-c8f162ae.k8s.yaml',
      '0001-shop.k8s.yaml',
      '0002-pay.k8s.yaml',
    ]);
    expect(ours).toEqual(theirs);
  });

  /** The files App.synth writes for `build(outdir)` and the ones renderApp gives for a second build, by name. */
  function bothWays(build: (outdir: string) => App) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-same-'));
    build(dir).synth();
    const theirs = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const ours = Object.fromEntries(renderApp(build(dir)).map((f) => [f.name, f.text]));
    return { theirs, ours };
  }

  const CONFIG_MAP = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

  it.each([
    ['charts and objects in tree order, not by name', ['zeta', 'alpha', 'mid']],
    ['top-level ids that are array indexes (enumerated first by cdk8s)', ['b', '10', 'a', '2', '01']],
  ])('without dependencies, writes what App.synth writes: %s', (_, ids) => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      for (const id of ids) {
        const chart = new Chart(app, id, { namespace: `ns-${id}` });
        new ApiObject(chart, 'z-config', CONFIG_MAP(`z-${id}`));
        const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
        new ApiObject(chart, 'a-config', CONFIG_MAP(`a-${id}`));
        const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
        api.allowFrom(web);
      }
      return app;
    };
    const { theirs, ours } = bothWays(build);
    expect(Object.keys(ours).length).toBe(ids.length);
    expect(ours).toEqual(theirs);
    // The files in the order cdk8s takes the charts (the order of their validation errors too).
    const app = build(fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-order-')));
    const charts = app.charts.map((c) => `${Names.toDnsLabel(c)}.k8s.yaml`);
    expect(renderApp(app).map((f) => f.name)).toEqual(charts);
    // cdk8s writes one object after the other as the tree holds them, not sorted.
    const first = ours[`${ids[0]}.k8s.yaml`];
    expect(first.indexOf('name: z-')).toBeLessThan(first.indexOf('name: a-'));
  });

  it('with a dependency between two objects of one chart, writes what App.synth writes (the dependency first)', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const later = new ApiObject(chart, 'a-config', CONFIG_MAP('depends'));
      new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
      const needed = new ApiObject(chart, 'z-config', CONFIG_MAP('needed'));
      later.addDependency(needed);
      return app;
    };
    const { theirs, ours } = bothWays(build);
    expect(ours).toEqual(theirs);
    expect(ours['shop.k8s.yaml'].indexOf('name: needed')).toBeLessThan(ours['shop.k8s.yaml'].indexOf('name: depends'));
  });
});

jest.setTimeout(120_000);

describe('bulwark synth on a fresh project: a finding in any chart replaces nothing', () => {
  it.each([
    ['nested', `new ApiObject(new Chart(shop, 'inner', { namespace: 'shop' }), 'debug', POD);`],
    ['sibling', `new ApiObject(new Chart(app, 'side', { namespace: 'shop' }), 'debug', POD);`],
    ['dot-named', `new ApiObject(new Chart(app, '.hidden', { namespace: 'shop' }), 'debug', POD);`],
  ])('a privileged Pod in a %s chart: exit 1, the previous output and report unchanged', async (_, line) => {
    const head = `const POD = ${JSON.stringify(PRIVILEGED_POD).replace(IMAGE, `ghcr.io/acme/api@${DIGEST}`)};
const shop = new Chart(app, 'shop', { namespace: 'shop' });
new HardenedDeployment(shop, 'api', { image: 'ghcr.io/acme/api@${DIGEST}', port: 8080 });`;
    const project = tempProject(`${head}\nif (process.env.BAD) { ${line} }`);
    expect((await runCli(['synth'], project)).code).toBe(0);
    const before = snapshot(project);
    const run = await runCli(['synth'], project, { BAD: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bulwark synth: synthesis refused; nothing was written to dist/\n');
    expect(run.stderr).toContain("pss-baseline-privileged: Pod shop/debug container 'sh'");
    expect(snapshot(project)).toEqual(before);
  });
});
