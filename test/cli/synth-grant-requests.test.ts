import * as fs from 'fs';
import * as path from 'path';
import { DIGEST, runCli, snapshot, tempProject, writeApp } from '../helpers/temp-project';

jest.setTimeout(180_000);

/** An app whose api asks for two exemptions (one with an expiry), its worker for one, through the real CLI. */
const app = (reason: string, extra = '') => `const chart = new Chart(app, 'shop', { namespace: 'shop' });
new HardenedDeployment(chart, 'api', {
  image: 'ghcr.io/acme/api@${DIGEST}',
  port: 8080,
  exemptions: [
    { rule: 'workload-probes', reason: ${JSON.stringify(reason)}, expires: '2099-01-31T00:00:00Z' },
    { rule: 'image-registry', reason: 'vendor image, mirrored in Q3 (SEC-12)' },
  ],
});
new HardenedDeployment(chart, 'worker', {
  image: 'ghcr.io/acme/worker@${DIGEST}',
  exemptions: [{ rule: 'workload-probes', reason: 'batch consumer, no port' }],
});
${extra}`;

const REQUESTS = (
  reason: string,
) => `# Exemption grant requests of this app, written by bulwark synth. A request is not a grant: an exemption counts
# only when the platform team grants it (docs/exemptions.md). To grant one, review it, add approver (and expires
# when missing) and add it to the grants of the cluster (stack config bulwark:exemptionGrants).

apiVersion: bulwark.dev/v1alpha1
kind: ExemptionGrantRequests
requests:
  # Deployment shop/api
  - namespace: shop
    kind: Deployment
    name: api
    rule: image-registry
    reason: vendor image, mirrored in Q3 (SEC-12)
  # Deployment shop/api
  - namespace: shop
    kind: Deployment
    name: api
    rule: workload-probes
    reason: ${reason}
    expires: 2099-01-31T00:00:00Z
  # Deployment shop/worker
  - namespace: shop
    kind: Deployment
    name: worker
    rule: workload-probes
    reason: batch consumer, no port
`;

describe('bulwark synth writes the grant requests of the app in the same swap as its output (real CLI, fresh project)', () => {
  const project = tempProject(app('health served on the admin port only'));
  const requests = path.join(project, 'dist-grant-requests.yaml');

  it('writes <out>-grant-requests.yaml beside the output, a link into it that kubectl and audit never read', async () => {
    const run = await runCli(['synth'], project);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('bulwark synth: wrote the exemption grant requests to dist-grant-requests.yaml\n');
    expect(fs.readlinkSync(requests)).toBe(path.join('dist', '.bulwark-grant-requests'));
    expect(fs.readFileSync(requests, 'utf8')).toBe(REQUESTS('health served on the admin port only'));
    // kubectl apply -f dist (-R) reads .json, .yaml and .yml files only; so does bulwark audit.
    const inDist = fs.readdirSync(path.join(project, 'dist'));
    expect(inDist.filter((f) => /\.(ya?ml|json)$/.test(f) && f.includes('grant'))).toEqual([]);
    const audit = await runCli(['audit', 'dist', '--format', 'json'], project);
    // One manifest file read: shop.k8s.yaml, not the requests.
    expect((JSON.parse(audit.stdout) as { summary: { files: number } }).summary.files).toBe(1);
    expect(inDist.sort()).toEqual(['.bulwark-grant-requests', '.bulwark-output', '.bulwark-report', 'shop.k8s.yaml']);
  });

  it('a new output brings its own requests: the link now reads the new generation', async () => {
    writeApp(project, app('probes disabled until the admin port ships (SEC-14)'));
    const run = await runCli(['synth'], project);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(requests, 'utf8')).toBe(REQUESTS('probes disabled until the admin port ships (SEC-14)'));
  });

  it('on a finding, and on an invalid request, nothing is written: output, report and requests are the previous ones', async () => {
    const before = snapshot(project, ['node_modules', '.git']);
    const beforeRequests = fs.readFileSync(requests, 'utf8');
    // A privileged pod in the same app: the audit refuses the synthesis.
    writeApp(
      project,
      app(
        'changed',
        `new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } });`,
      ),
    );
    const refused = await runCli(['synth'], project);
    expect(refused.code).toBe(1);
    // An exemption annotation whose expiry has passed: an invalid request, refused before anything is written.
    writeApp(
      project,
      app(
        'changed',
        `new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations: { 'exempt.bulwark.dev/configmap-credentials': 'old', 'expires.exempt.bulwark.dev/configmap-credentials': '2001-01-01T00:00:00Z' } }, data: {} });`,
      ),
    );
    const invalid = await runCli(['synth'], project);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('synthesis refused; nothing was written to dist/');
    expect(invalid.stderr).toContain(
      'expires.exempt.bulwark.dev/configmap-credentials: "2001-01-01T00:00:00Z" is already past',
    );
    const after = snapshot(project, ['node_modules', '.git']);
    delete after['stacks/main.ts'];
    delete before['stacks/main.ts'];
    expect(after).toEqual(before);
    expect(fs.readFileSync(requests, 'utf8')).toBe(beforeRequests);
  });

  it('refuses a grant requests path it did not write, changing nothing', async () => {
    const other = tempProject(app('x'));
    fs.writeFileSync(path.join(other, 'dist-grant-requests.yaml'), 'my notes\n');
    const before = snapshot(other, ['node_modules', '.git']);
    const run = await runCli(['synth'], other);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "bulwark synth: refusing --out 'dist': the grant requests path dist-grant-requests.yaml is a file bulwark did not write; nothing was changed. Fix: remove dist-grant-requests.yaml yourself or choose another --out\n",
    );
    expect(snapshot(other, ['node_modules', '.git'])).toEqual(before);
  });
});
