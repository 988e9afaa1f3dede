import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { DefaultDenyNamespace, HardenedCronJob, HardenedDeployment, HardenedJob, HardenedStatefulSet } from '../../lib';
import { renderApp } from '../../lib/cli/synth-render';
import { errorOf, IMAGE, shopChart } from '../helpers/charts';

// A hardening object patched into another object: moved to another namespace, renamed, or made another kind. It
// still renders its guarded spec, but hardens nothing where it was meant to (a default-deny policy in the wrong
// namespace, a `default` ServiceAccount that is no longer the default one, a NetworkPolicy turned into a ConfigMap).

function app(): { app: App; ns: DefaultDenyNamespace; api: HardenedDeployment } {
  const { app, chart } = shopChart();
  const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
  const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
  return { app, ns, api };
}

function patch(o: { node: { path: string } }, p: JsonPatch): void {
  (o as unknown as ApiObject).addJsonPatch(p);
}

const NS = (child: string) => (x: ReturnType<typeof app>) => x.ns.node.findChild(child);
const INGRESS = (x: ReturnType<typeof app>) => x.api.node.findChild('NetworkPolicies').node.findChild('Ingress');

describe('HardeningGuard: a guarded object must stay the object the construct wrote', () => {
  it.each([
    [
      'the default-deny policy moved to another namespace',
      NS('DefaultDeny'),
      JsonPatch.replace('/metadata/namespace', 'elsewhere'),
      "shop/ns/DefaultDeny: NetworkPolicy shop/default-deny-all of DefaultDenyNamespace 'shop/ns' was changed after it was built (metadata.namespace); it must render as the construct wrote it: without it every pod of the namespace that no policy of its own selects accepts and opens any connection. Fix: remove the JSON patch; open what each workload needs with its allowFrom/allowTo",
    ],
    [
      'the Namespace renamed (its Pod Security labels on another namespace)',
      NS('Resource'),
      JsonPatch.replace('/metadata/name', 'elsewhere'),
      "shop/ns/Resource: Namespace shop/shop of DefaultDenyNamespace 'shop/ns' was changed after it was built (metadata.name); it must render as the construct wrote it: without its Pod Security labels the namespace admits privileged pods. Fix: remove the JSON patch; choose the version with podSecurityVersion",
    ],
    [
      'the Namespace given a namespace (the construct removed it)',
      NS('Resource'),
      JsonPatch.add('/metadata/namespace', 'shop'),
      "shop/ns/Resource: Namespace shop/shop of DefaultDenyNamespace 'shop/ns' was changed after it was built (metadata.namespace)",
    ],
    [
      'the default ServiceAccount renamed (the real one keeps mounting tokens)',
      NS('DefaultServiceAccount'),
      JsonPatch.replace('/metadata/name', 'not-default'),
      "shop/ns/DefaultServiceAccount: ServiceAccount shop/default of DefaultDenyNamespace 'shop/ns' was changed after it was built (metadata.name)",
    ],
    [
      'the quota moved to another namespace',
      NS('Quota'),
      JsonPatch.replace('/metadata/namespace', 'elsewhere'),
      "shop/ns/Quota: ResourceQuota shop/default-quota of DefaultDenyNamespace 'shop/ns' was changed after it was built (metadata.namespace)",
    ],
    [
      "the workload's ingress policy moved to another namespace",
      INGRESS,
      JsonPatch.replace('/metadata/namespace', 'elsewhere'),
      "shop/api/NetworkPolicies/Ingress: NetworkPolicy shop/api-ingress of HardenedDeployment 'shop/api' was changed after it was built (metadata.namespace)",
    ],
    [
      "the workload's ingress policy made a ConfigMap",
      INGRESS,
      JsonPatch.replace('/kind', 'ConfigMap'),
      "shop/api/NetworkPolicies/Ingress: NetworkPolicy shop/api-ingress of HardenedDeployment 'shop/api' was changed after it was built (kind)",
    ],
    [
      "the workload's ingress policy given another API version",
      INGRESS,
      JsonPatch.replace('/apiVersion', 'example.com/v1'),
      "shop/api/NetworkPolicies/Ingress: NetworkPolicy shop/api-ingress of HardenedDeployment 'shop/api' was changed after it was built (apiVersion)",
    ],
  ])('%s fails App.synth and bulwark synth', (_, target, p, expected) => {
    const x = app();
    patch(target(x), p);
    expect(errorOf(() => x.app.synth())).toContain(expected);
    const y = app();
    patch(target(y), p);
    expect(errorOf(() => renderApp(y.app))).toContain(expected);
  });

  it('leaves the untouched objects alone, and a patch of a field it does not guard (a label)', () => {
    const x = app();
    patch(INGRESS(x), JsonPatch.add('/metadata/labels/team', 'payments'));
    expect(() => x.app.synth()).not.toThrow();
    expect(() => renderApp(app().app)).not.toThrow();
  });
});

describe("HardeningGuard: a workload's pods keep the labels its NetworkPolicies select them by", () => {
  const NAME = 'app.kubernetes.io~1name';
  it.each([
    [
      'HardenedDeployment',
      (c: Chart) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080 }),
      'spec.template',
    ],
    [
      'HardenedStatefulSet',
      (c: Chart) => new HardenedStatefulSet(c, 'api', { image: IMAGE, port: 8080, replicas: 1 }),
      'spec.template',
    ],
    ['HardenedJob', (c: Chart) => new HardenedJob(c, 'api', { image: IMAGE }), 'spec.template'],
    [
      'HardenedCronJob',
      (c: Chart) => new HardenedCronJob(c, 'api', { image: IMAGE, schedule: '0 3 * * *' }),
      'spec.jobTemplate.spec.template',
    ],
  ])('%s: a patch of its pod labels (and selector) fails synth', (kind, make, template) => {
    const build = () => {
      const { app, chart } = shopChart();
      const w = make(chart);
      const path = `/${template.replace(/\./g, '/')}/metadata/labels/${NAME}`;
      const patches = [JsonPatch.replace(path, 'other')];
      if (!kind.endsWith('Job')) patches.push(JsonPatch.replace(`/spec/selector/matchLabels/${NAME}`, 'other'));
      w.resource.addJsonPatch(...patches);
      return app;
    };
    const expected =
      `shop/api/Resource: ${kind.replace('Hardened', '')} shop/api of ${kind} 'shop/api' was changed after it was built ` +
      `(${template}.metadata.labels.app.kubernetes.io/name); it must render as the construct wrote it: without the ` +
      "selector labels on its pods, the workload's NetworkPolicies select none of them: its pods accept traffic from " +
      'anywhere. Fix: remove the JSON patch; add labels of your own with the labels prop';
    expect(errorOf(() => build().synth())).toContain(expected);
    expect(errorOf(() => renderApp(build()))).toContain(expected);
  });

  it('a workload moved to another namespace by a patch fails synth (its NetworkPolicies stay behind)', () => {
    const { app, chart } = shopChart();
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 }).resource.addJsonPatch(
      JsonPatch.replace('/metadata/namespace', 'elsewhere'),
    );
    expect(errorOf(() => app.synth())).toContain(
      "shop/api/Resource: Deployment shop/api of HardenedDeployment 'shop/api' was changed after it was built (metadata.namespace)",
    );
  });
});
