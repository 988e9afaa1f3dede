import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, ApiObjectProps, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { DefaultDenyNamespace, HardenedDeployment } from '../../lib';
import { renderApp } from '../../lib/cli/synth-render';
import { renderAll, SYNTH_RULE_IDS, validateRendered } from '../../lib/construct/synth-validation';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { DEFAULT_RULES } from '../../lib/policy/catalog';
import { Auditor } from '../../lib/policy/engine';
import { errorOf, IMAGE } from '../helpers/charts';
import { loadRuleFixtures } from '../helpers/rule-fixtures';

function appWithViolation(outdir: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
  // A user reaching around the construct: the catalog still sees the synthesized object.
  api.resource.addJsonPatch(
    JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true),
    JsonPatch.add('/spec/template/spec/hostNetwork', true),
  );
  return app;
}

describe('synth-time validation', () => {
  it('fails synthesis with rule, object, container, construct path and fix, and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-synth-'));
    const app = appWithViolation(outdir);
    const message = errorOf(() => app.synth());
    expect(message).toContain('Validation failed with the following errors:');
    expect(message).toContain(
      "[shop] pss-baseline-host-namespaces: Deployment shop/api (construct 'shop/api/Resource'): ",
    );
    expect(message).toMatch(
      /\[shop\] pss-baseline-privileged: Deployment shop\/api container 'api' \(construct 'shop\/api\/Resource'\): .*privileged.*\. Fix: /,
    );
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it('runs for Testing.synth too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    new ApiObject(chart, 'debug', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug' },
      spec: { containers: [{ name: 'sh', image: 'busybox', securityContext: { privileged: true } }] },
    });
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toMatch(/pss-baseline-privileged: Pod shop\/debug container 'sh' \(construct 'shop\/debug'\)/);
    expect(message).toMatch(/image-digest: Pod shop\/debug container 'sh'/);
  });

  it('honours exemption annotations written on the object', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new HardenedDeployment(chart, 'api', {
      image: 'ghcr.io/acme/api:2.0.1',
      port: 8080,
      exemptions: [{ rule: 'image-digest', reason: 'pinned by tag until the registry supports digests (OPS-9)' }],
    });
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});

describe('synth-time rule set', () => {
  // Synth-time validation evaluates only the rules whose findings fail synthesis (severity error). Its verdict must be
  // the one a run of the whole catalog gives: on every fixture of every rule folder, rendered by cdk8s as ApiObjects of
  // one chart, the errors are the same, message for message.
  const fixtures = loadRuleFixtures().filter((f) => Object.keys(f.options).length === 0);
  const wholeCatalog = new Auditor({ level: 'restricted', pssVersion: 'latest' });

  function rendered(objects: readonly K8sObject[]) {
    const app = Testing.app();
    const chart = new Chart(app, 'fixture');
    objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o as unknown as ApiObjectProps));
    return { app, all: renderAll(app) };
  }

  it('reports on every rule fixture exactly the errors a run of the whole catalog reports', () => {
    let withErrors = 0;
    let withWarnings = 0;
    for (const f of fixtures) {
      const { app, all } = rendered(f.objects);
      const whole = wholeCatalog.audit(all.map((x) => x.object));
      if (whole.findings.some((x) => x.severity === 'error')) withErrors++;
      if (whole.findings.some((x) => x.severity === 'warning')) withWarnings++;
      expect([f.file, validateRendered(all, undefined, app)]).toEqual([
        f.file,
        validateRendered(all, wholeCatalog, app),
      ]);
    }
    // Both kinds of fixture are exercised: ones that fail synthesis and ones with warnings only the audit reports.
    expect(withErrors).toBeGreaterThan(50);
    expect(withWarnings).toBeGreaterThan(10);
  });

  it('is every default rule of severity error, and no warning rule', () => {
    const errorRules = DEFAULT_RULES.filter((r) => r.severity === 'error').map((r) => r.id);
    expect([...SYNTH_RULE_IDS].sort()).toEqual([...errorRules].sort());
    expect(SYNTH_RULE_IDS).not.toContain('network-workload-namespace-default-deny');
    expect(SYNTH_RULE_IDS).toContain('pss-baseline-privileged');
  });
});

describe('two constructs writing the same object', () => {
  // cdk8s writes a chart's namespace on every object, cluster-scoped kinds included; the API server ignores it there.
  // A second Namespace `shop` beside a DefaultDenyNamespace's, applied after it, replaces its Pod Security labels.
  const PRIVILEGED_NS = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
  };
  const build = () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-same-ns-')) });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    new ApiObject(chart, 'extra', PRIVILEGED_NS);
    return app;
  };
  const CLASH =
    "[shop] constructs 'shop/ns' and 'shop/extra' produce the same objects: Namespace shop/shop. Allowed: one object per kind, namespace and name. Fix: give one of them a different `name` prop.";

  it('a cluster-scoped object is the same whatever namespace cdk8s wrote on it (App.synth and bulwark synth)', () => {
    const app = build();
    expect(errorOf(() => app.synth())).toContain(CLASH);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
    expect(errorOf(() => renderApp(build()))).toContain(CLASH);
  });

  it('namespaced objects of the same name in two namespaces are two objects', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-two-ns-')) });
    for (const ns of ['a', 'b']) {
      new ApiObject(new Chart(app, ns, { namespace: ns }), 'cm', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'same' },
      });
    }
    expect(renderApp(app).map((f) => f.name)).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
  });
});
