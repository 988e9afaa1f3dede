import { DNS_EGRESS_RULE } from '../../k8s/dns-egress';
import type { K8sObject } from '../../k8s/k8s-object';
import { AddonGrantRequest, requestAnnotations } from './addon-grants';
import { IMAGE_POLICY_NAMESPACE_LABEL } from './image-policy';
import { POLICY_CONTROLLER_CRDS } from './policy-controller-crds';

/**
 * Sigstore policy-controller as bulwark builds it: the objects chart `policy-controller` 0.10.6
 * (https://github.com/sigstore/helm-charts, tag policy-controller-0.10.6, commit
 * 3d19e1db5ccf40d096ca0cc1b761f261116d674a; app 0.13.1) renders for release `policy-controller` in `cosign-system`,
 * written as plain objects so that what is applied is exactly what `bulwark audit` judges (a Helm release renders
 * inside the cluster's Helm, where no audit sees it). The chart's templates are vendored in
 * test/fixtures/policy-controller-0.10.6/ and test/cluster/policy-controller.test.ts compares the two.
 *
 * Differences from the chart, each a hardening or a fix of a default that breaks a hardened cluster:
 * - RBAC: the cluster-wide `get` on every Secret is dropped (the chart's own comment: only for pull secrets of the
 *   pods it verifies; cloud registries authenticate through the controller's cloud identity), and `update` on
 *   CustomResourceDefinitions is limited to its own two (the chart allows updating any CRD, bulwark's
 *   ExemptionGrantSet schema included). What remains beyond the catalog is requested and granted (below).
 * - The pod: runs as a non-root user (65532, the image's `nonroot`) with RuntimeDefault seccomp, every capability
 *   dropped, no privilege escalation, a read-only root file system, an ephemeral-storage budget; two replicas with
 *   the chart's PodDisruptionBudget (with the chart's one replica, `minAvailable: 1` blocks every node drain, and the
 *   fail-closed webhook is a single point of failure).
 * - Its namespace is Pod Security `restricted` and default-deny, with a NetworkPolicy that admits only the API
 *   server's calls to the webhook port and lets out only DNS and HTTPS.
 * - Left out: the metrics Service (nothing scrapes it), and the chart's post-delete Helm hook (a kubectl Job pulled by
 *   the mutable tag `latest-dev`, which only deletes leases when the release is uninstalled).
 */
export const POLICY_CONTROLLER_UPSTREAM = {
  chart: 'policy-controller',
  version: '0.10.6',
  appVersion: '0.13.1',
  repository: 'https://github.com/sigstore/helm-charts',
  commit: '3d19e1db5ccf40d096ca0cc1b761f261116d674a',
  /** values.yaml `webhook.image`: the chart pins the controller by digest. */
  image:
    'ghcr.io/sigstore/policy-controller/policy-controller@sha256:0bcd60beb93f4427c29cf3a669743caf58490e98ded4380c33c09f092734a6ab',
} as const;

export const POLICY_CONTROLLER_NAMESPACE = 'cosign-system';
/** The chart's fullname for release `policy-controller` (the release name contains the chart name). */
const FULLNAME = 'policy-controller';
export const POLICY_CONTROLLER_WEBHOOK = `${FULLNAME}-webhook`;
/** The Service the API server calls (the chart names it `webhook`). */
const SERVICE = 'webhook';
/** The webhook configurations the controller reconciles (values.yaml `cosign.webhookName`, `webhook.webhookNames`). */
export const POLICY_CONTROLLER_WEBHOOK_NAMES = {
  images: 'policy.sigstore.dev',
  defaulting: 'defaulting.clusterimagepolicy.sigstore.dev',
  validating: 'validating.clusterimagepolicy.sigstore.dev',
} as const;

const NAMESPACE = POLICY_CONTROLLER_NAMESPACE;
const SELECTOR = {
  'app.kubernetes.io/name': FULLNAME,
  'app.kubernetes.io/instance': FULLNAME,
  'control-plane': POLICY_CONTROLLER_WEBHOOK,
};
const LABELS = {
  ...SELECTOR,
  'app.kubernetes.io/version': POLICY_CONTROLLER_UPSTREAM.appVersion,
  'app.kubernetes.io/managed-by': 'bulwark',
};

/** Why the controller needs what the catalog forbids: each requested on its object and granted by the stack. */
export function policyControllerGrantRequests(): AddonGrantRequest[] {
  const g = (kind: string, name: string, rule: string, reason: string, namespace?: string): AddonGrantRequest => ({
    ...(namespace !== undefined ? { namespace } : {}),
    kind,
    name,
    rule,
    reason,
  });
  return [
    g(
      'ClusterRole',
      POLICY_CONTROLLER_WEBHOOK,
      'rbac-policy-write',
      'policy-controller keeps its own three webhook configurations current (CA bundle and rules, as every Knative webhook does): get, update and delete on exactly those names (resourceNames), nothing else',
    ),
    g(
      'Role',
      POLICY_CONTROLLER_WEBHOOK,
      'rbac-secrets-read',
      `policy-controller watches the Secrets of its own namespace ${NAMESPACE} (its webhook serving certificate and the keys of its policies); no Secret of any other namespace`,
      NAMESPACE,
    ),
    g(
      'Deployment',
      POLICY_CONTROLLER_WEBHOOK,
      'workload-sa-token-automount',
      'the webhook calls the Kubernetes API (policies, webhook configurations, the ServiceAccounts of the pods it verifies)',
      NAMESPACE,
    ),
    g(
      'NetworkPolicy',
      'policy-controller-webhook',
      'network-policy-broad-ip-block',
      "the webhook fetches signatures and attestations from any registry a pod's image names, and Sigstore's trust root, Fulcio and Rekor (HTTPS only); it also reaches the API server, whose address differs per cluster",
      NAMESPACE,
    ),
  ];
}

function annotationsFor(kind: string, name: string): Record<string, string> {
  return requestAnnotations(policyControllerGrantRequests().filter((r) => r.kind === kind && r.name === name));
}

/** The webhook's cluster-wide permissions: the chart's, less every Secret and less writes to other CRDs. */
const CLUSTER_RULES = [
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
    verbs: ['list', 'watch'],
  },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
    verbs: ['get', 'update', 'delete'],
    resourceNames: Object.values(POLICY_CONTROLLER_WEBHOOK_NAMES),
  },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'], resourceNames: [NAMESPACE] },
  { apiGroups: [''], resources: ['namespaces/finalizers'], verbs: ['update'], resourceNames: [NAMESPACE] },
  // The chart also grants `get` on every Secret of the cluster here, for the pull secrets of the pods it verifies.
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'] },
  {
    apiGroups: ['policy.sigstore.dev'],
    resources: ['clusterimagepolicies', 'clusterimagepolicies/status'],
    verbs: ['get', 'list', 'update', 'watch', 'patch'],
  },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
  // The chart allows `update` on every CRD; the conversion webhooks it keeps current are these two.
  {
    apiGroups: ['apiextensions.k8s.io'],
    resources: ['customresourcedefinitions'],
    verbs: ['get', 'update', 'list'],
    resourceNames: ['clusterimagepolicies.policy.sigstore.dev', 'trustroots.policy.sigstore.dev'],
  },
  {
    apiGroups: ['policy.sigstore.dev'],
    resources: ['trustroots', 'trustroots/status'],
    verbs: ['get', 'list', 'update', 'watch', 'patch'],
  },
];

/** The chart's Role in its namespace, unchanged. */
const NAMESPACE_RULES = [
  { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'update', 'watch'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'list', 'create', 'update', 'delete', 'patch', 'watch'],
  },
  {
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: ['config-image-policies'],
    verbs: ['get', 'list', 'create', 'update', 'patch', 'watch'],
  },
  {
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: ['config-sigstore-keys'],
    verbs: ['get', 'list', 'create', 'update', 'patch', 'watch'],
  },
  { apiGroups: ['policy.sigstore.dev'], resources: ['trustroots'], verbs: ['get', 'list'] },
];

/** The chart's zap logger configuration (configmap.yaml) at log level info. */
const ZAP_LOGGER_CONFIG = JSON.stringify(
  {
    level: 'info',
    development: false,
    outputPaths: ['stdout'],
    errorOutputPaths: ['stderr'],
    encoding: 'json',
    encoderConfig: {
      timeKey: 'ts',
      levelKey: 'level',
      nameKey: 'logger',
      callerKey: 'caller',
      messageKey: 'msg',
      stacktraceKey: 'stacktrace',
      lineEnding: '',
      levelEncoder: '',
      timeEncoder: 'iso8601',
      durationEncoder: '',
      callerEncoder: '',
    },
  },
  null,
  2,
);

const serviceRef = { service: { name: SERVICE, namespace: NAMESPACE } };
const namespaceSelector = {
  matchExpressions: [{ key: IMAGE_POLICY_NAMESPACE_LABEL, operator: 'In', values: ['true'] }],
};

/** The chart's webhook configurations; the controller fills in their CA bundle and rules once it runs. */
function webhookConfigurations(): K8sObject[] {
  const images = (kind: string, extra: Record<string, unknown>): K8sObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name: POLICY_CONTROLLER_WEBHOOK_NAMES.images, labels: LABELS },
    webhooks: [
      {
        name: POLICY_CONTROLLER_WEBHOOK_NAMES.images,
        namespaceSelector,
        admissionReviewVersions: ['v1'],
        clientConfig: serviceRef,
        // A webhook outage refuses pods in opted-in namespaces rather than admitting unverified images.
        failurePolicy: 'Fail',
        sideEffects: 'None',
        ...extra,
      },
    ],
  });
  const policies = (kind: string, name: string): K8sObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, labels: LABELS },
    webhooks: [
      {
        admissionReviewVersions: ['v1'],
        clientConfig: serviceRef,
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        name,
        sideEffects: 'None',
      },
    ],
  });
  return [
    images('MutatingWebhookConfiguration', { reinvocationPolicy: 'IfNeeded' }),
    images('ValidatingWebhookConfiguration', {}),
    policies('MutatingWebhookConfiguration', POLICY_CONTROLLER_WEBHOOK_NAMES.defaulting),
    policies('ValidatingWebhookConfiguration', POLICY_CONTROLLER_WEBHOOK_NAMES.validating),
  ];
}

/** The webhook's probes, as the chart writes them (HTTPS, with Knative's probe header). */
function probe(path: string, initialDelaySeconds: number): Record<string, unknown> {
  return {
    failureThreshold: 6,
    initialDelaySeconds,
    periodSeconds: 1,
    httpGet: {
      port: 8443,
      scheme: 'HTTPS',
      path,
      httpHeaders: [{ name: 'k-kubelet-probe', value: 'webhook' }],
    },
  };
}

function deployment(): K8sObject {
  const annotations = annotationsFor('Deployment', POLICY_CONTROLLER_WEBHOOK);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: POLICY_CONTROLLER_WEBHOOK, namespace: NAMESPACE, labels: LABELS, annotations },
    spec: {
      replicas: 2,
      selector: { matchLabels: SELECTOR },
      template: {
        metadata: { labels: LABELS, annotations },
        spec: {
          serviceAccountName: POLICY_CONTROLLER_WEBHOOK,
          automountServiceAccountToken: true,
          // The chart's spread of replicas over nodes, so one node's loss leaves the webhook serving.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  podAffinityTerm: {
                    labelSelector: { matchLabels: { 'control-plane': POLICY_CONTROLLER_WEBHOOK } },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                  weight: 100,
                },
              ],
            },
          },
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // Knative webhooks drain ("lame duck") before they stop; the chart's grace period.
          terminationGracePeriodSeconds: 300,
          containers: [
            {
              name: `${FULLNAME}-webhook`,
              image: POLICY_CONTROLLER_UPSTREAM.image,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'SYSTEM_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'CONFIG_LOGGING_NAME', value: `${POLICY_CONTROLLER_WEBHOOK}-logging` },
                { name: 'CONFIG_OBSERVABILITY_NAME', value: `${POLICY_CONTROLLER_WEBHOOK}-observability` },
                { name: 'METRICS_DOMAIN', value: 'sigstore.dev/policy' },
                { name: 'WEBHOOK_NAME', value: 'webhook' },
                { name: 'HOME', value: '/home/nonroot' },
              ],
              ports: [
                { containerPort: 8443, name: 'https', protocol: 'TCP' },
                { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
              ],
              resources: {
                limits: { cpu: '200m', memory: '512Mi', 'ephemeral-storage': '256Mi' },
                requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
              },
              livenessProbe: probe('/healthz', 30),
              readinessProbe: probe('/readyz', 20),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 65532,
                capabilities: { drop: ['ALL'] },
              },
              // The TUF client needs a writable $HOME.
              volumeMounts: [{ mountPath: '/home/nonroot', name: 'writable-home-dir' }],
            },
          ],
          volumes: [{ name: 'writable-home-dir', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

/**
 * The namespace's network: nothing in or out (default deny), then the webhook port for the API server (its source
 * address differs per cloud and cluster, so any source, port 8443 only), DNS, and HTTPS out (registries, Sigstore,
 * the API server).
 */
function networkPolicies(): K8sObject[] {
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-all', namespace: NAMESPACE, labels: LABELS },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'policy-controller-webhook',
        namespace: NAMESPACE,
        labels: LABELS,
        annotations: annotationsFor('NetworkPolicy', 'policy-controller-webhook'),
      },
      spec: {
        podSelector: { matchLabels: SELECTOR },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: 8443 }] }],
        egress: [
          DNS_EGRESS_RULE,
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
            ports: [
              { protocol: 'TCP', port: 443 },
              { protocol: 'TCP', port: 6443 },
            ],
          },
        ],
      },
    },
  ];
}

/**
 * policy-controller's objects, in apply order: its CustomResourceDefinitions, its namespace (Pod Security
 * `restricted`), RBAC, configuration, the webhook Deployment, Service and PodDisruptionBudget, the network policies,
 * and the four webhook configurations (last: they point at the Service, and fail closed).
 */
export function policyControllerObjects(): K8sObject[] {
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    namespace: NAMESPACE,
    labels: LABELS,
    ...extra,
  });
  const configMap = (name: string, data: Record<string, string>): K8sObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(name),
    data,
  });
  return [
    ...POLICY_CONTROLLER_CRDS.map((c) => ({ ...c })),
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NAMESPACE,
        labels: {
          'app.kubernetes.io/managed-by': 'bulwark',
          'bulwark.dev/addon': 'image-policy',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(POLICY_CONTROLLER_WEBHOOK) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: POLICY_CONTROLLER_WEBHOOK,
        labels: LABELS,
        annotations: annotationsFor('ClusterRole', POLICY_CONTROLLER_WEBHOOK),
      },
      rules: CLUSTER_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: POLICY_CONTROLLER_WEBHOOK, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: POLICY_CONTROLLER_WEBHOOK },
      subjects: [{ kind: 'ServiceAccount', name: POLICY_CONTROLLER_WEBHOOK, namespace: NAMESPACE }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(POLICY_CONTROLLER_WEBHOOK, { annotations: annotationsFor('Role', POLICY_CONTROLLER_WEBHOOK) }),
      rules: NAMESPACE_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(POLICY_CONTROLLER_WEBHOOK),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: POLICY_CONTROLLER_WEBHOOK },
      subjects: [{ kind: 'ServiceAccount', name: POLICY_CONTROLLER_WEBHOOK, namespace: NAMESPACE }],
    },
    // An image no policy covers is refused, not allowed, in the namespaces that opted in.
    configMap('config-policy-controller', { 'no-match-policy': 'deny' }),
    // Written by the controller from the ClusterImagePolicies and TrustRoots.
    configMap('config-image-policies', {}),
    configMap('config-sigstore-keys', {}),
    configMap(`${POLICY_CONTROLLER_WEBHOOK}-logging`, {
      'zap-logger-config': ZAP_LOGGER_CONFIG,
      'loglevel.controller': 'info',
      'loglevel.webhook': 'info',
    }),
    // The webhook's serving certificate: the controller writes it (the chart creates it empty).
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('webhook-certs') },
    deployment(),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(SERVICE),
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }],
        selector: SELECTOR,
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(POLICY_CONTROLLER_WEBHOOK),
      spec: { minAvailable: 1, selector: { matchLabels: SELECTOR } },
    },
    ...networkPolicies(),
    ...webhookConfigurations(),
  ];
}
