import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
// The package root, exactly as the README's quick start uses it.
import { DefaultDenyNamespace, HardenedDeployment, LeastPrivilegeServiceAccount } from '../lib';

describe("the issue's quick start, as written", () => {
  it('compiles and synthesizes', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-quickstart-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    const sa = new LeastPrivilegeServiceAccount(chart, 'api-sa', {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['api-config'] }],
    });
    const api = new HardenedDeployment(chart, 'api', {
      image: `ghcr.io/acme/api@sha256:${'a1'.repeat(32)}`,
      port: 8080,
      serviceAccount: sa,
    });
    const web = new HardenedDeployment(chart, 'web', {
      image: `ghcr.io/acme/web@sha256:${'b2'.repeat(32)}`,
      port: 8080,
    });
    api.allowFrom(web);
    app.synth();

    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    const names = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace/shop',
        'NetworkPolicy/default-deny-all',
        'NetworkPolicy/allow-dns',
        'ResourceQuota/default-quota',
        'LimitRange/default-limits',
        'ServiceAccount/default',
        'ServiceAccount/api-sa',
        'Role/api-sa',
        'RoleBinding/api-sa',
        'Deployment/api',
        'Service/api',
        'PodDisruptionBudget/api',
        'NetworkPolicy/api-ingress',
        'Deployment/web',
        'ServiceAccount/web',
        'NetworkPolicy/web-egress',
      ]),
    );
    expect(docs.filter((d) => d.kind.startsWith('Cluster'))).toEqual([]);
  });
});
