import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';

/**
 * A generated, deterministic corpus of manifests for the audit benchmark: namespaces of apps the way a GitOps
 * repository holds them, one multi-document YAML file per namespace. Each namespace has a Namespace and a default-deny
 * NetworkPolicy; each app a Deployment, Service, ServiceAccount, ConfigMap, ingress NetworkPolicy, Role and
 * RoleBinding, and every fourth app a Job. Most objects are hardened; a seeded fraction of apps carries one of the
 * violations teams actually write (privileged, host network, mutable tag, no limits, root, NodePort, RBAC wildcard,
 * cluster-admin binding, literal Secret, ...).
 */
export interface CorpusOptions {
  /** At least this many objects are written (whole namespaces, so slightly more). */
  readonly objects: number;
  /** Apps per namespace (file). @default 50 */
  readonly appsPerNamespace?: number;
  /** Fraction of apps with one violation. @default 0.08 */
  readonly violationRate?: number;
  /** PRNG seed. @default 7 */
  readonly seed?: number;
}

export interface Corpus {
  readonly dir: string;
  readonly files: number;
  readonly objects: number;
  readonly bytes: number;
  /** Objects per kind. */
  readonly kinds: Readonly<Record<string, number>>;
  /** Apps generated with a violation, per violation. */
  readonly violations: Readonly<Record<string, number>>;
}

type Obj = Record<string, unknown>;

/** mulberry32: a small deterministic PRNG, so the same options always give the same corpus. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digestOf(seed: number): string {
  let h = 0x811c9dc5 ^ seed;
  let out = '';
  while (out.length < 64) {
    h = Math.imul(h ^ out.length, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out.slice(0, 64)}`;
}

/** The violations an app may carry, each changing its objects in place. */
const VIOLATIONS: Readonly<Record<string, (app: AppObjects) => void>> = {
  privileged: (a) => setSc(a, { privileged: true }),
  'host-network': (a) => {
    podSpecOf(a.deployment).hostNetwork = true;
  },
  'mutable-tag': (a) => {
    containerOf(a.deployment).image = 'ghcr.io/acme/legacy:1.4.2';
  },
  'no-limits': (a) => {
    delete containerOf(a.deployment).resources;
  },
  'run-as-root': (a) => {
    setSc(a, { runAsNonRoot: false, runAsUser: 0 });
    (podSpecOf(a.deployment).securityContext as Obj).runAsNonRoot = false;
  },
  'privilege-escalation': (a) => setSc(a, { allowPrivilegeEscalation: true }),
  'added-capability': (a) => setSc(a, { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }),
  'no-probes': (a) => {
    delete containerOf(a.deployment).readinessProbe;
    delete containerOf(a.deployment).livenessProbe;
  },
  'host-path': (a) => {
    const spec = podSpecOf(a.deployment);
    spec.volumes = [...((spec.volumes as Obj[]) ?? []), { name: 'docker', hostPath: { path: '/var/run/docker.sock' } }];
  },
  'node-port': (a) => {
    (a.service.spec as Obj).type = 'NodePort';
  },
  'rbac-wildcard': (a) => {
    a.role.rules = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
  },
  'cluster-admin-binding': (a) => {
    a.roleBinding.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' };
  },
  'literal-secret': (a) => {
    a.extra.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${a.name}-credentials`, namespace: a.namespace },
      type: 'Opaque',
      stringData: { password: 'hunter2' },
    });
  },
  'token-automount': (a) => {
    podSpecOf(a.deployment).automountServiceAccountToken = true;
  },
};
export const VIOLATION_KINDS: readonly string[] = Object.keys(VIOLATIONS);

interface AppObjects {
  readonly name: string;
  readonly namespace: string;
  readonly deployment: Obj;
  readonly service: Obj;
  readonly role: Obj;
  readonly roleBinding: Obj;
  readonly extra: Obj[];
}

function podSpecOf(workload: Obj): Obj {
  return ((workload.spec as Obj).template as Obj).spec as Obj;
}
function containerOf(workload: Obj): Obj {
  return (podSpecOf(workload).containers as Obj[])[0];
}
function setSc(a: AppObjects, fields: Obj): void {
  Object.assign(containerOf(a.deployment).securityContext as Obj, fields);
}

function labels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'corpus',
  };
}

/** A hardened pod spec, as bulwark's constructs write it. */
function podSpec(name: string, image: string, withProbes: boolean): Obj {
  const probe = (delay: number) => ({ tcpSocket: { port: 'main' }, initialDelaySeconds: delay, periodSeconds: 10 });
  return {
    serviceAccountName: name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name,
        image,
        imagePullPolicy: 'Always',
        ports: [{ name: 'main', containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'CONFIG_PATH', value: '/etc/app/config.yaml' },
        ],
        resources: {
          requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
          limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
        },
        ...(withProbes ? { readinessProbe: probe(5), livenessProbe: probe(15) } : {}),
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumeMounts: [
          { name: 'rw-tmp', mountPath: '/tmp' },
          { name: 'config', mountPath: '/etc/app', readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: 'rw-tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'config', configMap: { name: `${name}-config` } },
    ],
  };
}

function app(namespace: string, name: string, index: number, withJob: boolean): AppObjects {
  const image = `ghcr.io/acme/${name}@${digestOf(index)}`;
  const meta = (component: string, n = name) => ({ name: n, namespace, labels: labels(name, component) });
  const selector = { 'app.kubernetes.io/name': name };
  const deployment: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('workload'),
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: { metadata: { labels: labels(name, 'workload') }, spec: podSpec(name, image, true) },
    },
  };
  const service: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('workload'),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'main', port: 80, targetPort: 'main', protocol: 'TCP' }],
    },
  };
  const role: Obj = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('identity'),
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: [`${name}-config`] }],
  };
  const roleBinding: Obj = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('identity'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  };
  const extra: Obj[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('identity'),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('config', `${name}-config`),
      data: { 'config.yaml': `service: ${name}\nport: 8080\nupstreams:\n  - ${name}-db:5432\n` },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('network', `${name}-ingress`),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'gateway' } } }],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      },
    },
  ];
  if (withJob) {
    extra.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('migration', `${name}-migrate`),
      spec: {
        backoffLimit: 2,
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: labels(name, 'workload') },
          spec: { ...podSpec(name, image, false), restartPolicy: 'Never' },
        },
      },
    });
  }
  return { name, namespace, deployment, service, role, roleBinding, extra };
}

function namespaceObjects(namespace: string): Obj[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'kubernetes.io/metadata.name': namespace },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

/** Writes the corpus into `dir` (created if missing) and says what is in it. */
export function writeCorpus(dir: string, options: CorpusOptions): Corpus {
  const appsPerNamespace = options.appsPerNamespace ?? 50;
  const rate = options.violationRate ?? 0.08;
  const random = prng(options.seed ?? 7);
  fs.mkdirSync(dir, { recursive: true });
  const kinds: Record<string, number> = {};
  const violations: Record<string, number> = {};
  let objects = 0;
  let bytes = 0;
  let files = 0;
  let appIndex = 0;
  for (let ns = 0; objects < options.objects; ns++) {
    const namespace = `team-${ns}`;
    const docs: Obj[] = namespaceObjects(namespace);
    for (let i = 0; i < appsPerNamespace; i++, appIndex++) {
      const a = app(namespace, `svc-${appIndex}`, appIndex, appIndex % 4 === 0);
      if (random() < rate) {
        const kind = VIOLATION_KINDS[Math.floor(random() * VIOLATION_KINDS.length)];
        VIOLATIONS[kind](a);
        violations[kind] = (violations[kind] ?? 0) + 1;
      }
      docs.push(a.deployment, a.service, a.role, a.roleBinding, ...a.extra);
    }
    const text = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
    fs.writeFileSync(path.join(dir, `${namespace}.yaml`), text, 'utf8');
    for (const d of docs) kinds[d.kind as string] = (kinds[d.kind as string] ?? 0) + 1;
    objects += docs.length;
    bytes += Buffer.byteLength(text, 'utf8');
    files++;
  }
  return { dir, files, objects, bytes, kinds, violations };
}
