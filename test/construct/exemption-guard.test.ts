import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { HardenedCronJob, HardenedDeployment, HardenedIngress, LeastPrivilegeServiceAccount } from '../../lib';
import { renderApp } from '../../lib/cli/synth-render';
import { errorOf, find, IMAGE, synth } from '../helpers/charts';

const TAGGED = 'ghcr.io/acme/api:1.2.3';
const EXEMPT = [{ rule: 'image-digest', reason: 'vendor publishes tags only' }];
const FIX =
  "Allowed: exactly the exemptions the construct grants, on the object and on its pod template (admission judges Pods, which carry only the template's annotations). " +
  'Fix: request exemptions with the `exemptions` prop (or BulwarkChart defaults) and add pod annotations with `podAnnotations`; never patch an exempt.bulwark.dev/ annotation.';

function exemptApi(): { app: App; chart: Chart; api: HardenedDeployment } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new HardenedDeployment(chart, 'api', { image: TAGGED, port: 8080, exemptions: EXEMPT });
  return { app, chart, api };
}

/** Escape hatches that take a pod's exemption away where admission reads it, or grant one the construct did not. */
describe('exemption annotations cannot be changed by an escape hatch', () => {
  it('fails synth when a JsonPatch replaces the pod template annotations (green in CI, denied in the cluster)', () => {
    const { chart, api } = exemptApi();
    api.resource.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { 'prometheus.io/scrape': 'true' }));
    expect(errorOf(() => Testing.synth(chart))).toBe(
      'Validation failed with the following errors:\n' +
        "  [shop] construct 'shop/api' (Deployment shop/api): an escape hatch changed its exemption annotations: " +
        'spec.template.metadata.annotations lacks exempt.bulwark.dev/image-digest (expected "vendor publishes tags only"). ' +
        FIX,
    );
  });

  it('fails synth when a patch changes the reason on the workload object, or removes the whole template metadata', () => {
    const { chart, api } = exemptApi();
    api.resource.addJsonPatch(
      JsonPatch.replace('/metadata/annotations/exempt.bulwark.dev~1image-digest', 'whatever'),
      JsonPatch.remove('/spec/template/metadata'),
    );
    const message = errorOf(() => Testing.synth(chart));
    expect(message).toContain(
      'metadata.annotations has exempt.bulwark.dev/image-digest: "whatever" (expected "vendor publishes tags only"); ' +
        'spec.template.metadata.annotations lacks exempt.bulwark.dev/image-digest (expected "vendor publishes tags only").',
    );
  });

  it('fails synth when a patch grants an exemption the construct did not (self-exemption through the template)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    api.resource.addJsonPatch(
      JsonPatch.add('/spec/template/metadata/annotations', { 'exempt.bulwark.dev/pss-baseline-privileged': 'mine' }),
    );
    expect(errorOf(() => Testing.synth(chart))).toContain(
      'spec.template.metadata.annotations has exempt.bulwark.dev/pss-baseline-privileged: "mine", which the construct did not grant.',
    );
  });

  it('checks the CronJob pod template, and `bulwark synth` rendering refuses it as well', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const job = new HardenedCronJob(chart, 'report', { image: TAGGED, schedule: '0 3 * * *', exemptions: EXEMPT });
    job.resource.addJsonPatch(JsonPatch.add('/spec/jobTemplate/spec/template/metadata/annotations', {}));
    expect(() => renderApp(app)).toThrow(
      'spec.jobTemplate.spec.template.metadata.annotations lacks exempt.bulwark.dev/image-digest',
    );
  });

  it('checks the exemptions of a HardenedIngress too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    const ingress = new HardenedIngress(chart, 'tenants', {
      backend: web,
      hosts: ['*.tenants.example.com'],
      tls: { secretName: 'tenants-wildcard-tls' },
      exemptions: [{ rule: 'ingress-wildcard-host', reason: 'one host per tenant' }],
    });
    ingress.resource.addJsonPatch(JsonPatch.remove('/metadata/annotations/exempt.bulwark.dev~1ingress-wildcard-host'));
    expect(errorOf(() => Testing.synth(chart))).toContain(
      "construct 'shop/tenants' (Ingress shop/tenants): an escape hatch changed its exemption annotations: metadata.annotations lacks exempt.bulwark.dev/ingress-wildcard-host",
    );
  });

  it('lets patches touch other annotations, and podAnnotations merge with the exemptions', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new HardenedDeployment(chart, 'api', {
      image: TAGGED,
      port: 8080,
      exemptions: EXEMPT,
      podAnnotations: { 'prometheus.io/scrape': 'true' },
    });
    api.resource.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations/team', 'shop'));
    expect(find(synth(chart), 'Deployment', 'api').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'exempt.bulwark.dev/image-digest': 'vendor publishes tags only',
      team: 'shop',
    });
  });
  it("checks a LeastPrivilegeServiceAccount's Role: a patch can neither add an exemption nor take one away", () => {
    const build = (exemptions?: { rule: string; reason: string }[]) => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const sa = new LeastPrivilegeServiceAccount(chart, 'rotator', {
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'], resourceNames: ['tls'] }],
        ...(exemptions ? { exemptions } : { rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }),
      });
      return { chart, role: sa.role! };
    };
    // Self-exemption: a Role without exemptions gets one through the escape hatch, then a wildcard rule.
    const added = build();
    added.role.addJsonPatch(
      JsonPatch.add('/metadata/annotations', { 'exempt.bulwark.dev/rbac-wildcard': 'mine' }),
      JsonPatch.add('/rules/-', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
    );
    expect(errorOf(() => Testing.synth(added.chart))).toContain(
      "construct 'shop/rotator' (Role shop/rotator): an escape hatch changed its exemption annotations: " +
        'metadata.annotations has exempt.bulwark.dev/rbac-wildcard: "mine", which the construct did not grant.',
    );
    // A removed exemption (and its expiry): synth would pass a Role the audit then fails.
    const removed = build([{ rule: 'rbac-secrets-read', reason: 'rotates the TLS secret it owns (SEC-7)' }]);
    removed.role.addJsonPatch(JsonPatch.remove('/metadata/annotations'));
    expect(errorOf(() => Testing.synth(removed.chart))).toContain(
      "construct 'shop/rotator' (Role shop/rotator): an escape hatch changed its exemption annotations: " +
        'metadata.annotations lacks exempt.bulwark.dev/rbac-secrets-read (expected "rotates the TLS secret it owns (SEC-7)")',
    );
  });

  it('counts the expiry annotation as part of an exemption: kept, it passes; patched, it fails', () => {
    const build = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const api = new HardenedDeployment(chart, 'api', {
        image: TAGGED,
        port: 8080,
        exemptions: [{ ...EXEMPT[0], expires: '2099-01-31T00:00:00Z' }],
      });
      return { chart, api };
    };
    expect(find(synth(build().chart), 'Deployment', 'api').spec.template.metadata.annotations).toEqual({
      'exempt.bulwark.dev/image-digest': 'vendor publishes tags only',
      'expires.exempt.bulwark.dev/image-digest': '2099-01-31T00:00:00Z',
    });
    const { chart, api } = build();
    api.resource.addJsonPatch(
      JsonPatch.replace(
        '/spec/template/metadata/annotations/expires.exempt.bulwark.dev~1image-digest',
        '2199-01-01T00:00:00Z',
      ),
    );
    expect(errorOf(() => Testing.synth(chart))).toContain(
      'spec.template.metadata.annotations has expires.exempt.bulwark.dev/image-digest: "2199-01-01T00:00:00Z" (expected "2099-01-31T00:00:00Z")',
    );
  });
});
