import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { addonExemptionGrants } from '../../lib/cluster/addons/addon-exemptions';
import { readAddonsConfig } from '../../lib/cluster/addons/addons-config';
import { IMAGE_POLICY_NAMESPACE_LABEL } from '../../lib/cluster/addons/image-policy';
import {
  POLICY_CONTROLLER_NAMESPACE,
  POLICY_CONTROLLER_UPSTREAM,
  POLICY_CONTROLLER_WEBHOOK,
  POLICY_CONTROLLER_WEBHOOK_NAMES,
  policyControllerGrantRequests,
  policyControllerObjects,
} from '../../lib/cluster/addons/policy-controller';
import { POLICY_CONTROLLER_CRDS } from '../../lib/cluster/addons/policy-controller-crds';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { audit } from '../../lib/policy';
import { renderCrdTemplates } from '../../scripts/gen-policy-controller-crds';

// bulwark builds policy-controller's objects itself (lib/cluster/addons/policy-controller.ts) so that the audit sees
// what is applied. These tests hold them to chart policy-controller 0.10.6 as vendored, unmodified, in
// test/fixtures/policy-controller-0.10.6 (README.md there: source, tag, commit, license).

const CHART = path.join(__dirname, '..', 'fixtures', 'policy-controller-0.10.6');
const read = (file: string) => fs.readFileSync(path.join(CHART, file), 'utf8');
const values = parse(read('values.yaml')) as {
  webhook: { image: { repository: string; version: string }; namespaceSelector: unknown; failurePolicy: string };
  cosign: { webhookName: string };
};

/**
 * The chart's RBAC templates for release `policy-controller` in cosign-system with the default values: the few
 * template expressions they hold, each replaced by what Helm renders for them; any other expression fails the test.
 */
function renderRbacTemplate(file: string): K8sObject {
  const names = POLICY_CONTROLLER_WEBHOOK_NAMES;
  const text = read(file)
    .replace(/^.*\{\{- include "policy-controller\.labels".*\n/gm, '')
    .replace(/^\s*control-plane: .*\n/gm, '')
    .replaceAll('{{ template "policy-controller.fullname" . }}', 'policy-controller')
    .replaceAll('{{ .Release.Namespace }}', POLICY_CONTROLLER_NAMESPACE)
    .replace(/\{\{ required "[^"]*" \.Values\.cosign\.webhookName \| quote \}\}/, JSON.stringify(names.images))
    .replace(
      /\{\{ required "[^"]*" \.Values\.webhook\.webhookNames\.defaulting \| quote \}\}/,
      JSON.stringify(names.defaulting),
    )
    .replace(
      /\{\{ required "[^"]*" \.Values\.webhook\.webhookNames\.validating \| quote \}\}/,
      JSON.stringify(names.validating),
    );
  expect(text).not.toContain('{{');
  return parse(text) as K8sObject;
}

type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

/** Every (group, resource, verb, name) a role's rules allow; `*` for any name. */
function permissions(rules: readonly PolicyRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups)
      for (const res of r.resources)
        for (const v of r.verbs) for (const n of r.resourceNames ?? ['*']) out.add(`${g}|${res}|${v}|${n}`);
  return out;
}

/** The permissions of `a` that `b` does not allow (a named one is allowed by the same name or by `*`). */
function beyond(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((p) => !b.has(p) && !b.has(p.replace(/\|[^|]*$/, '|*'))).sort();
}

const objects = policyControllerObjects();
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name)!;
const rulesOf = (o: K8sObject) => (o as unknown as { rules: PolicyRule[] }).rules;

describe("policy-controller's objects are chart 0.10.6's, hardened", () => {
  it('the vendored chart is 0.10.6 of app 0.13.1, and the image is the digest its values pin', () => {
    expect(parse(read('Chart.yaml'))).toMatchObject({
      name: POLICY_CONTROLLER_UPSTREAM.chart,
      version: POLICY_CONTROLLER_UPSTREAM.version,
      appVersion: POLICY_CONTROLLER_UPSTREAM.appVersion,
    });
    expect(POLICY_CONTROLLER_UPSTREAM.image).toBe(`${values.webhook.image.repository}@${values.webhook.image.version}`);
  });

  it("the CustomResourceDefinitions are the chart's, unmodified but for the namespace (the generated module is current)", () => {
    expect(POLICY_CONTROLLER_CRDS).toEqual(renderCrdTemplates(POLICY_CONTROLLER_NAMESPACE));
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual(POLICY_CONTROLLER_CRDS);
  });

  it("the ClusterRole allows nothing the chart's does not, and drops exactly every Secret and writes to other CRDs", () => {
    const theirs = permissions(rulesOf(renderRbacTemplate('templates/webhook/clusterrole_webhook.yaml')));
    const ours = permissions(rulesOf(find('ClusterRole', POLICY_CONTROLLER_WEBHOOK)));
    expect(beyond(ours, theirs)).toEqual([]);
    expect(beyond(theirs, ours)).toEqual(['apiextensions.k8s.io|customresourcedefinitions|update|*', '|secrets|get|*']);
  });

  it("the Role of its namespace is the chart's", () => {
    const theirs = renderRbacTemplate('templates/webhook/role_webhook.yaml');
    const ours = find('Role', POLICY_CONTROLLER_WEBHOOK);
    expect(rulesOf(ours)).toEqual(rulesOf(theirs));
    expect(ours.metadata?.namespace).toBe(theirs.metadata?.namespace);
  });

  it("the Deployment keeps the chart's container contract: environment, ports, probes, writable home", () => {
    const template = read('templates/webhook/deployment_webhook.yaml');
    const pod = (find('Deployment', POLICY_CONTROLLER_WEBHOOK).spec as { template: { spec: unknown } }).template
      .spec as {
      containers: {
        env: { name: string }[];
        ports: { containerPort: number; name: string }[];
        livenessProbe: { httpGet: { path: string; port: number; scheme: string } };
        readinessProbe: { httpGet: { path: string; port: number; scheme: string } };
        volumeMounts: { mountPath: string }[];
      }[];
    };
    const c = pod.containers[0];
    // The chart's fixed environment (its optional entries come from values bulwark leaves unset).
    const chartEnv = [...template.matchAll(/^ {8}- name: ([A-Z_]+)$/gm)].map((m) => m[1]);
    expect(c.env.map((e) => e.name)).toEqual(chartEnv.filter((n) => n !== 'SSL_CERT_DIR'));
    expect(c.ports.map((p) => `${p.name}:${p.containerPort}`)).toEqual(['https:8443', 'metrics:9090']);
    expect([c.livenessProbe.httpGet, c.readinessProbe.httpGet]).toEqual([
      expect.objectContaining({ path: '/healthz', port: 8443, scheme: 'HTTPS' }),
      expect.objectContaining({ path: '/readyz', port: 8443, scheme: 'HTTPS' }),
    ]);
    expect(template).toContain('path: /healthz');
    expect(template).toContain('path: /readyz');
    expect(c.volumeMounts.map((m) => m.mountPath)).toEqual(['/home/nonroot']);
  });

  it("the webhook configurations are the chart's four, failing closed, the image webhooks only in opted-in namespaces", () => {
    const webhooks = objects.filter((o) => o.kind.endsWith('WebhookConfiguration'));
    expect(webhooks.map((w) => `${w.kind} ${w.metadata?.name}`).sort()).toEqual(
      [
        `MutatingWebhookConfiguration ${values.cosign.webhookName}`,
        `ValidatingWebhookConfiguration ${values.cosign.webhookName}`,
        'MutatingWebhookConfiguration defaulting.clusterimagepolicy.sigstore.dev',
        'ValidatingWebhookConfiguration validating.clusterimagepolicy.sigstore.dev',
      ].sort(),
    );
    for (const w of webhooks) {
      const [hook] = (w as unknown as { webhooks: Record<string, unknown>[] }).webhooks;
      expect([w.metadata?.name, hook.failurePolicy, hook.clientConfig]).toEqual([
        w.metadata?.name,
        'Fail',
        { service: { name: 'webhook', namespace: POLICY_CONTROLLER_NAMESPACE } },
      ]);
      if (w.metadata?.name === values.cosign.webhookName) {
        expect(hook.namespaceSelector).toEqual(values.webhook.namespaceSelector);
        expect(hook.namespaceSelector).toEqual({
          matchExpressions: [{ key: IMAGE_POLICY_NAMESPACE_LABEL, operator: 'In', values: ['true'] }],
        });
      }
    }
    // The chart's templates for the same four.
    const docs = [
      'templates/webhook/webhook_mutating.yaml',
      'templates/webhook/webhook_validating.yaml',
      'templates/webhook/policy_webhook_configurations.yaml',
    ].flatMap((f) => parseAllDocuments(read(f).replace(/\{\{[^}]*\}\}/g, 'X')).map((d) => d.toJS() as K8sObject));
    expect(docs.map((d) => d?.kind).filter(Boolean)).toHaveLength(4);
  });

  it('every pod and namespace of the add-on meets Pod Security restricted', () => {
    const ns = find('Namespace', POLICY_CONTROLLER_NAMESPACE);
    expect(ns.metadata?.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const pss = audit(objects).findings.filter((f) => f.ruleId.startsWith('pss-'));
    expect(pss).toEqual([]);
  });
});

describe("an attacker and policy-controller's grants", () => {
  const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const SIGNERS = [{ name: 'ci', issuer: 'https://token.actions.githubusercontent.com', subject: 'https://x/y' }];
  const grants = addonExemptionGrants(
    readAddonsConfig({ 'image-policy': { grants: { approver: 'PLAT-7', expires: EXPIRES } } }, SIGNERS),
  );

  it('cannot reuse them from another namespace by copying the names and the request annotations', () => {
    const copies = objects
      .filter((o) => o.metadata?.namespace === POLICY_CONTROLLER_NAMESPACE)
      .map((o) => JSON.parse(JSON.stringify(o).replaceAll(`"${POLICY_CONTROLLER_NAMESPACE}"`, '"shop"')) as K8sObject);
    const result = audit(copies, { grants });
    expect(result.exempted).toEqual([]);
    // Every namespaced request is reported, and the copied pods hold what the copied Role's ungranted request would
    // have waived (it reads Secrets): their ServiceAccount's powers are reported too.
    expect(new Set(result.findings.map((f) => f.ruleId))).toEqual(
      new Set([
        ...policyControllerGrantRequests()
          .filter((r) => r.namespace !== undefined)
          .map((r) => r.rule),
        'workload-service-account-powers',
      ]),
    );
  });

  it('cannot reuse the ClusterRole grant for a ClusterRole of another name', () => {
    const base = find('ClusterRole', POLICY_CONTROLLER_WEBHOOK);
    const other = { ...base, metadata: { ...base.metadata, name: 'mine' } };
    expect(audit([other], { grants }).findings.map((f) => f.ruleId)).toEqual(['rbac-policy-write']);
  });

  it('a stack with image-policy off installs none of its grants', () => {
    const off = addonExemptionGrants(readAddonsConfig({}, SIGNERS));
    expect(off).toEqual([]);
    expect(grants.filter((g) => g.namespace === undefined).map((g) => `${g.kind}/${g.name}`)).toEqual([
      `ClusterRole/${POLICY_CONTROLLER_WEBHOOK}`,
    ]);
  });
});
