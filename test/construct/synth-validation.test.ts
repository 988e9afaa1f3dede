import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { HardenedDeployment } from '../../lib';
import { errorOf, IMAGE } from '../helpers/charts';

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
