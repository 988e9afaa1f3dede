import { Chart, Testing } from 'cdk8s';
import {
  DefaultDenyNamespace,
  ExternalSecret,
  HardenedCronJob,
  HardenedDeployment,
  HardenedIngress,
  HardenedJob,
  HardenedStatefulSet,
  HealthProbe,
  LeastPrivilegeServiceAccount,
  SecretProviderClass,
} from '../../lib';
import { errorOf, IMAGE } from '../helpers/charts';

// Every refused input names the construct path, the prop, the value received, what is allowed and the fix.
const cases: [string, (c: Chart) => void][] = [
  ['no digest', (c) => new HardenedDeployment(c, 'api', { image: 'ghcr.io/acme/api:1.2.3', port: 8080 })],
  ['latest', (c) => new HardenedDeployment(c, 'api', { image: 'nginx:latest', port: 8080 })],
  ['untagged', (c) => new HardenedDeployment(c, 'api', { image: 'nginx', port: 8080 })],
  ['empty', (c) => new HardenedDeployment(c, 'api', { image: '', port: 8080 })],
  [
    'registry',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: `docker.io/evil/api@sha256:${'0'.repeat(64)}`,
        port: 8080,
        allowedRegistries: ['ghcr.io/acme'],
      }),
  ],
  ['name', (c) => new HardenedDeployment(c, 'Api_Server', { image: IMAGE, port: 8080 })],
  ['port', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 70000 })],
  ['port0', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 0 })],
  ['lowport', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 80 })],
  ['replicas', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, replicas: 0 })],
  ['relpath', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, writablePaths: ['tmp'] })],
  ['rootpath', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, writablePaths: ['/'] })],
  [
    'limit<req',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, memoryRequest: '512Mi', memoryLimit: '256Mi' }),
  ],
  ['quantity', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, memoryLimit: '256MB' })],
  ['noprobe', (c) => new HardenedDeployment(c, 'worker', { image: IMAGE })],
  [
    'exempt-unknown',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        exemptions: [{ rule: 'image-digests', reason: 'x' }],
      }),
  ],
  [
    'exempt-empty',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        exemptions: [{ rule: 'image-digest', reason: ' ' }],
      }),
  ],
  [
    'exempt-invisible',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        exemptions: [{ rule: 'image-digest', reason: '\u200b\u200b\u2060' }],
      }),
  ],
  [
    'exempt-long',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        exemptions: [{ rule: 'image-digest', reason: 'x'.repeat(501) }],
      }),
  ],
  [
    'exempt-expired',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        exemptions: [{ rule: 'image-digest', reason: 'vendor tags', expires: '2020-01-01T00:00:00Z' }],
      }),
  ],
  [
    'exempt-expires-malformed',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        exemptions: [{ rule: 'image-digest', reason: 'vendor tags', expires: '2099-02-30' }],
      }),
  ],
  ['kube-system', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, namespace: 'kube-system' })],
  ['kube-public', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, namespace: 'kube-public' })],
  [
    'rbac *',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] }),
  ],
  [
    'rbac escalate',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }],
      }),
  ],
  [
    'rbac bind',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }],
      }),
  ],
  [
    'rbac impersonate',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }],
      }),
  ],
  [
    'rbac list secrets',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
      }),
  ],
  [
    'rbac watch secrets',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['watch'], resourceNames: ['x'] }],
      }),
  ],
  [
    'rbac get secrets',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      }),
  ],
  [
    'rbac exec',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
      }),
  ],
  [
    'rbac attach',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['pods/attach'], verbs: ['create'] }],
      }),
  ],
  [
    'rbac nodes/proxy',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }],
      }),
  ],
  [
    'rbac token',
    (c) =>
      new LeastPrivilegeServiceAccount(c, 'sa', {
        rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }],
      }),
  ],
  ['ns name', (c) => new DefaultDenyNamespace(c, 'ns', { name: 'Shop' })],
  ['ns default', (c) => new DefaultDenyNamespace(c, 'ns', { name: 'default' })],
  ['no namespace', () => new HardenedDeployment(new Chart(Testing.app(), 'x'), 'api', { image: IMAGE, port: 8080 })],
  [
    'dup',
    (c) => {
      new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080 });
      new HardenedDeployment(c, 'api2', { name: 'api', image: IMAGE, port: 8080 });
      Testing.synth(c);
    },
  ],
  [
    'probe port',
    (c) =>
      new HardenedDeployment(c, 'w', {
        image: IMAGE,
        readinessProbe: HealthProbe.http('/x'),
        livenessProbe: HealthProbe.exec(['x']),
      }),
  ],

  [
    'sts claim size',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 5432,
        replicas: 1,
        volumeClaims: [{ name: 'data', mountPath: '/data', size: '10GB' }],
      }),
  ],
  [
    'sts claim path',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 5432,
        replicas: 1,
        volumeClaims: [{ name: 'data', mountPath: 'data', size: '10Gi' }],
      }),
  ],
  [
    'sts claim reserved',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 5432,
        replicas: 1,
        volumeClaims: [{ name: 'rw-data', mountPath: '/data', size: '10Gi' }],
      }),
  ],
  [
    'sts claim on writable path',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 5432,
        replicas: 1,
        volumeClaims: [{ name: 'data', mountPath: '/tmp', size: '10Gi' }],
      }),
  ],
  ['job backoff', (c) => new HardenedJob(c, 'migrate', { image: IMAGE, backoffLimit: -1 })],
  ['job deadline', (c) => new HardenedJob(c, 'migrate', { image: IMAGE, activeDeadlineSeconds: 0 })],
  ['cron schedule', (c) => new HardenedCronJob(c, 'report', { image: IMAGE, schedule: 'every day' })],
  [
    'cron policy',
    (c) =>
      new HardenedCronJob(c, 'report', {
        image: IMAGE,
        schedule: '@daily',
        concurrencyPolicy: 'Sometimes' as 'Forbid',
      }),
  ],
  [
    'ingress no tls',
    (c) =>
      new HardenedIngress(c, 'ing', {
        backend: new HardenedDeployment(c, 'web', { image: IMAGE, port: 8080 }),
        hosts: ['shop.example.com'],
        tls: {} as { secretName: string },
      }),
  ],
  [
    'ingress wildcard',
    (c) =>
      new HardenedIngress(c, 'ing', {
        backend: new HardenedDeployment(c, 'web', { image: IMAGE, port: 8080 }),
        hosts: ['*.example.com'],
        tls: { secretName: 'x' },
      }),
  ],
  [
    'ingress bad host',
    (c) =>
      new HardenedIngress(c, 'ing', {
        backend: new HardenedDeployment(c, 'web', { image: IMAGE, port: 8080 }),
        hosts: ['Shop_Example'],
        tls: { secretName: 'x' },
      }),
  ],
  [
    'ingress no port backend',
    (c) =>
      new HardenedIngress(c, 'ing', {
        backend: new HardenedJob(c, 'job', { image: IMAGE }) as never,
        hosts: ['shop.example.com'],
        tls: { secretName: 'x' },
      }),
  ],
  [
    'loadbalancer without exemption',
    (c) =>
      new HardenedDeployment(c, 'mqtt', {
        image: IMAGE,
        port: 8883,
        loadBalancer: { sourceRanges: ['203.0.113.0/24'] },
      }),
  ],
  [
    'loadbalancer open to all',
    (c) =>
      new HardenedDeployment(c, 'mqtt', {
        image: IMAGE,
        port: 8883,
        loadBalancer: { sourceRanges: ['0.0.0.0/0'] },
        exemptions: [{ rule: 'service-loadbalancer', reason: 'devices' }],
      }),
  ],
  [
    'loadbalancer bad cidr',
    (c) =>
      new HardenedDeployment(c, 'mqtt', {
        image: IMAGE,
        port: 8883,
        loadBalancer: { sourceRanges: ['203.0.113.0'] },
        exemptions: [{ rule: 'service-loadbalancer', reason: 'devices' }],
      }),
  ],
  [
    'hpa max below min',
    (c) =>
      new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, autoscaling: { minReplicas: 4, maxReplicas: 2 } }),
  ],
  [
    'isolation pool',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, isolation: { pool: 'Sensitive Pool' } }),
  ],
  ['external secret no data', (c) => new ExternalSecret(c, 'db', { store: 'vault', data: [] })],
  [
    'external secret bad key',
    (c) => new ExternalSecret(c, 'db', { store: 'vault', data: [{ key: 'pass word', remoteKey: 'x' }] }),
  ],
  [
    'secret env unknown key',
    (c) => {
      const s = new ExternalSecret(c, 'db', { store: 'vault', data: [{ key: 'password', remoteKey: 'x' }] });
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        secretEnv: { DB_USER: { source: s, key: 'username' } },
      });
    },
  ],
  [
    'secret env from csi',
    (c) => {
      const s = new SecretProviderClass(c, 'tls', { provider: 'aws', parameters: { objects: 'x' } });
      new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, secretEnv: { TLS: { source: s, key: 'tls.crt' } } });
    },
  ],
  [
    'secret other namespace',
    (c) => {
      const s = new ExternalSecret(c, 'db', {
        namespace: 'other',
        store: 'vault',
        data: [{ key: 'password', remoteKey: 'x' }],
      });
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        secretFiles: [{ source: s, mountPath: '/var/run/secrets/db' }],
      });
    },
  ],
  [
    'secret-looking env literal',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        env: { LOG_LEVEL: 'info', DB_PASSWORD: 'hunter2' },
      }),
  ],
];

const expected: Record<string, string> = {
  'no digest':
    "HardenedDeployment at 'shop/api': prop 'image' received \"ghcr.io/acme/api:1.2.3\" (the tag ':1.2.3' is mutable, and no images lock pins it (bulwark.images.lock does not exist)). Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>, or a tag the images lock pins. Fix: pin the image by digest, e.g. \"ghcr.io/acme/api@sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it), or record the tag's digest with 'bulwark pin ghcr.io/acme/api:1.2.3', or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }",
  latest:
    "HardenedDeployment at 'shop/api': prop 'image' received \"nginx:latest\" (the tag ':latest' names no version at all). Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>. Fix: pin the image by digest, e.g. \"ghcr.io/acme/api@sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it)",
  untagged:
    "HardenedDeployment at 'shop/api': prop 'image' received \"nginx\" (no digest, and no tag, which means :latest). Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>. Fix: pin the image by digest, e.g. \"ghcr.io/acme/api@sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it), or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }",
  empty:
    'HardenedDeployment at \'shop/api\': prop \'image\' received "" (empty image). Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>. Fix: pin the image by digest, e.g. "ghcr.io/acme/api@sha256:<64 hex>" (docker buildx imagetools inspect <image> prints it)',
  registry:
    "HardenedDeployment at 'shop/api': prop 'image' received \"docker.io/evil/api@sha256:0000000000000000000000000000000000000000000000000000000000000000\" (registry 'docker.io' is not in allowedRegistries). Allowed: images from 'ghcr.io/acme'. Fix: mirror the image into an allowed registry, or add the exemption { rule: 'image-registry', reason: '<why>' }",
  name: "HardenedDeployment at 'shop/Api_Server': prop 'name' received \"Api_Server\" (defaulted from the construct id; not a DNS-1123 label). Allowed: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters. Fix: set `name` to a valid name such as \"api-server\" (or change the construct id)",
  port: "HardenedDeployment at 'shop/api': prop 'port' received 70000. Allowed: an integer port from 1 to 65535. Fix: give the port the container listens on, e.g. 8080",
  port0:
    "HardenedDeployment at 'shop/api': prop 'port' received 0. Allowed: an integer port from 1 to 65535. Fix: give the port the container listens on, e.g. 8080",
  lowport:
    "HardenedDeployment at 'shop/api': prop 'port' received 80 (a non-root process cannot bind a port below 1024 without NET_BIND_SERVICE). Allowed: a port from 1024 to 65535, or a lower port with netBindService: true. Fix: listen on a port ≥ 1024 (the Service can still expose 80/443), or set netBindService: true",
  replicas:
    "HardenedDeployment at 'shop/api': prop 'replicas' received 0. Allowed: an integer from 1 to 2147483647. Fix: use 2 or more so the service survives a node drain (1 at the least)",
  relpath:
    "HardenedDeployment at 'shop/api': prop 'writablePaths[0]' received \"tmp\" (not an absolute, normalized path below /). Allowed: an absolute path below '/', without '.' or '..' segments, e.g. '/tmp' or '/var/cache/app'. Fix: name only the directories the process writes to, e.g. '/tmp'",
  rootpath:
    "HardenedDeployment at 'shop/api': prop 'writablePaths[0]' received \"/\" (the root filesystem stays read-only). Allowed: an absolute path below '/', without '.' or '..' segments, e.g. '/tmp' or '/var/cache/app'. Fix: name only the directories the process writes to, e.g. '/tmp'",
  'limit<req':
    'HardenedDeployment at \'shop/api\': prop \'memoryLimit\' received "256Mi" (below memoryRequest "512Mi"). Allowed: a quantity ≥ memoryRequest. Fix: raise memoryLimit to at least "512Mi" or lower memoryRequest',
  quantity:
    'HardenedDeployment at \'shop/api\': prop \'memoryLimit\' received "256MB" (not a Kubernetes quantity). Allowed: a non-negative quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti. Fix: write it like "256Mi" (note Mi/Gi, not MB/GB)',
  noprobe:
    "HardenedDeployment at 'shop/worker': prop 'readinessProbe' received undefined (no port to derive a probe from). Allowed: a HealthProbe (exec, http, tcp or grpc), or a `port` to default it from. Fix: give readinessProbe: HealthProbe.exec([...]) for a worker, set `port`, or add the exemption { rule: 'workload-probes', reason: '<why>' }",
  'exempt-unknown':
    "HardenedDeployment at 'shop/api': prop 'exemptions[0].rule' received \"image-digests\" (no such rule in the catalog). Allowed: the id of a catalog rule (listed in docs/rules.md). Fix: did you mean 'image-digest'?",
  'exempt-empty':
    "HardenedDeployment at 'shop/api': prop 'exemptions[0].reason' received \" \" (exemption from 'image-digest': the reason has no visible text (only whitespace, control or format characters)). Allowed: a sentence a reviewer can judge: visible text (not only whitespace, control or format characters such as U+200B), at most 500 characters. Fix: say why this workload needs the exemption from 'image-digest', e.g. { rule: 'image-digest', reason: 'vendor image only published with tags; tracked in TICKET-123' }",
  'rbac *':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].resources' received \"*\" (rbac-wildcard: resources contains '*', which grants every resource, including ones added later). Allowed: explicit apiGroups, resources and verbs, no '*'. Fix: list the exact resources the workload needs instead of '*'",
  'rbac escalate':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].verbs' received \"escalate\" (rbac-escalation-verbs: verbs grant 'escalate' on 'roles', which lets the subject grant itself permissions it does not hold). Allowed: verbs other than escalate, bind and impersonate. Fix: remove 'escalate' from verbs; have an administrator manage RBAC instead",
  'rbac bind':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].verbs' received \"bind\" (rbac-escalation-verbs: verbs grant 'bind' on 'clusterroles', which lets the subject grant itself permissions it does not hold). Allowed: verbs other than escalate, bind and impersonate. Fix: remove 'bind' from verbs; have an administrator manage RBAC instead",
  'rbac impersonate':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].verbs' received \"impersonate\" (rbac-escalation-verbs: verbs grant 'impersonate' on 'serviceaccounts', which lets the subject act as other users, groups or service accounts). Allowed: verbs other than escalate, bind and impersonate. Fix: remove 'impersonate' from verbs; have an administrator manage RBAC instead",
  'rbac list secrets':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].verbs' received \"list\" (rbac-secrets-read: verbs grant 'list' on 'secrets', which reads every Secret in scope). Allowed: only 'get' on secrets, with resourceNames. Fix: remove 'list'; grant only 'get' with resourceNames, or mount the Secrets as volumes",
  'rbac watch secrets':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].verbs' received \"watch\" (rbac-secrets-read: verbs grant 'watch' on 'secrets', which reads every Secret in scope (resourceNames do not limit it unless the client sends a field selector)). Allowed: only 'get' on secrets, with resourceNames. Fix: remove 'watch'; grant only 'get' with resourceNames, or mount the Secrets as volumes",
  'rbac get secrets':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].resourceNames' received undefined (rbac-secrets-read: verbs grant 'get' on 'secrets' without resourceNames, so every Secret in scope can be read). Allowed: only 'get' on secrets, with resourceNames. Fix: set resourceNames to the Secrets the workload reads, or mount them as volumes instead",
  'rbac exec':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].resources' received \"pods/exec\" (rbac-sensitive-subresources: resources grant 'pods/exec', which runs commands inside any container of the pods in scope). Allowed: resources other than pods/exec, pods/attach, nodes/proxy and serviceaccounts/token. Fix: remove 'pods/exec' from resources; use a break-glass role bound only when needed",
  'rbac attach':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].resources' received \"pods/attach\" (rbac-sensitive-subresources: resources grant 'pods/attach', which attaches to the running process of any container in scope). Allowed: resources other than pods/exec, pods/attach, nodes/proxy and serviceaccounts/token. Fix: remove 'pods/attach' from resources; use a break-glass role bound only when needed",
  'exempt-invisible':
    "HardenedDeployment at 'shop/api': prop 'exemptions[0].reason' received \"\u200b\u200b\u2060\" (exemption from 'image-digest': the reason has no visible text (only whitespace, control or format characters)). Allowed: a sentence a reviewer can judge: visible text (not only whitespace, control or format characters such as U+200B), at most 500 characters. Fix: say why this workload needs the exemption from 'image-digest', e.g. { rule: 'image-digest', reason: 'vendor image only published with tags; tracked in TICKET-123' }",
  'exempt-long': `HardenedDeployment at 'shop/api': prop 'exemptions[0].reason' received "${'x'.repeat(501)}" (exemption from 'image-digest': the reason is 501 characters long; at most 500 are allowed). Allowed: a sentence a reviewer can judge: visible text (not only whitespace, control or format characters such as U+200B), at most 500 characters. Fix: say why this workload needs the exemption from 'image-digest', e.g. { rule: 'image-digest', reason: 'vendor image only published with tags; tracked in TICKET-123' }`,
  'exempt-expired': expect.stringMatching(
    /^HardenedDeployment at 'shop\/api': prop 'exemptions\[0\]\.expires' received "2020-01-01T00:00:00Z" \(the exemption from 'image-digest' would already have expired\)\. Allowed: a future instant such as 2027-01-31T00:00:00Z \(now is 20[0-9-]+T[0-9:]+Z\)\. Fix: give the date the exemption should end, or leave expires out and let the platform team choose it in the grant$/,
  ),
  'exempt-expires-malformed': expect.stringMatching(
    /^HardenedDeployment at 'shop\/api': prop 'exemptions\[0\]\.expires' received "2099-02-30" \(not an RFC 3339 date-time with whole seconds\)\. Allowed: a future instant/,
  ),
  'kube-system':
    "HardenedDeployment at 'shop/api': prop 'namespace' received \"kube-system\" ('kube-system' is left out of the admission policies: nothing placed there is checked in the cluster). Allowed: a namespace of your own; not 'kube-system', 'kube-public', 'kube-node-lease'. Fix: set `namespace` to the application's namespace, e.g. new Chart(app, 'shop', { namespace: 'shop' })",
  'kube-public':
    "HardenedDeployment at 'shop/api': prop 'namespace' received \"kube-public\" ('kube-public' is a Kubernetes system namespace). Allowed: a namespace of your own; not 'kube-system', 'kube-public', 'kube-node-lease'. Fix: set `namespace` to the application's namespace, e.g. new Chart(app, 'shop', { namespace: 'shop' })",
  'rbac nodes/proxy':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].resources' received \"nodes/proxy\" (rbac-sensitive-subresources: resources grant 'nodes/proxy', which reaches the kubelet API of the nodes and through it every pod on them (even with only 'get')). Allowed: resources other than pods/exec, pods/attach, nodes/proxy and serviceaccounts/token. Fix: remove 'nodes/proxy' from resources; use a break-glass role bound only when needed",
  'rbac token':
    "LeastPrivilegeServiceAccount at 'shop/sa': prop 'rules[0].resources' received \"serviceaccounts/token\" (rbac-sensitive-subresources: resources grant 'serviceaccounts/token', which mints tokens for the service accounts in scope and so acts as them). Allowed: resources other than pods/exec, pods/attach, nodes/proxy and serviceaccounts/token. Fix: remove 'serviceaccounts/token' from resources; use a break-glass role bound only when needed",
  'ns name':
    "DefaultDenyNamespace at 'shop/ns': prop 'name' received \"Shop\" (not a DNS-1123 label). Allowed: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters. Fix: use a name such as \"shop\"",
  'ns default':
    "DefaultDenyNamespace at 'shop/ns': prop 'name' received \"default\" (a namespace Kubernetes creates and system components rely on). Allowed: a namespace of your own. Fix: name the team's or tier's namespace, e.g. 'shop'",
  'no namespace':
    "HardenedDeployment at 'x/api': prop 'namespace' received undefined (no namespace on the construct or its chart). Allowed: a DNS-1123 namespace name other than 'default'. Fix: set `namespace` on the construct, or on the chart: new Chart(app, 'shop', { namespace: 'shop' }) (CIS 5.7.4)",
  dup: "Validation failed with the following errors:\n  [shop] constructs 'shop/api' and 'shop/api2' produce the same objects: ServiceAccount shop/api, NetworkPolicy shop/api-ingress, Deployment shop/api, Service shop/api, PodDisruptionBudget shop/api. Allowed: one object per kind, namespace and name. Fix: give one of them a different `name` prop.",
  'probe port':
    'HardenedDeployment at \'shop/w\': prop \'readinessProbe\' received "a probe on the workload port" (the workload has no port). Allowed: a probe with an explicit port, an exec probe, or a workload with `port`. Fix: set `port`, or give the probe its own port, e.g. HealthProbe.http("/healthz", { port: 9090 })',
  'sts claim size':
    'HardenedStatefulSet at \'shop/db\': prop \'volumeClaims[0].size\' received "10GB" (not a Kubernetes quantity). Allowed: a non-negative quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti. Fix: write it like "10Gi" (note Mi/Gi, not MB/GB)',
  'sts claim path':
    "HardenedStatefulSet at 'shop/db': prop 'volumeClaims[0].mountPath' received \"data\" (not an absolute, normalized path below /). Allowed: an absolute path below '/', without '.' or '..' segments, e.g. '/tmp' or '/var/cache/app'. Fix: mount the volume at its data directory, e.g. '/var/lib/app'",
  'sts claim reserved':
    "HardenedStatefulSet at 'shop/db': prop 'volumeClaims[0].name' received \"rw-data\" (reserved for the volumes bulwark adds). Allowed: a name not starting with 'rw-', 'secret-' or 'config-' and not 'kube-api-access'. Fix: name the claim after its data, e.g. 'data'",
  'sts claim on writable path':
    "HardenedStatefulSet at 'shop/db': prop 'volumeClaims[0].mountPath' received \"/tmp\" (also a writablePaths entry). Allowed: a path not listed in writablePaths. Fix: remove the path from writablePaths: the claim is writable already",
  'job backoff':
    "HardenedJob at 'shop/migrate': prop 'backoffLimit' received -1. Allowed: an integer from 0 to 2147483647. Fix: use a small number of retries such as 3",
  'job deadline':
    "HardenedJob at 'shop/migrate': prop 'activeDeadlineSeconds' received 0. Allowed: an integer from 1 to 2147483647. Fix: give the longest a run may take, in seconds",
  'cron schedule':
    "HardenedCronJob at 'shop/report': prop 'schedule' received \"every day\" (expected exactly 5 fields, found 2: every day). Allowed: a cron schedule of five fields (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or jan-dec, day-of-week 0-6 or sun-sat) or @hourly, @daily, @weekly, @monthly, @yearly. Fix: write it like '*/15 * * * *' (every 15 minutes) or '0 3 * * *' (03:00 daily); set the zone with timeZone",
  'cron policy':
    "HardenedCronJob at 'shop/report': prop 'concurrencyPolicy' received \"Sometimes\". Allowed: 'Forbid', 'Replace' or 'Allow'. Fix: use 'Forbid' so that runs never overlap",
  'ingress no tls':
    "HardenedIngress at 'shop/ing': prop 'tls' received {} (an Ingress without TLS serves plain HTTP). Allowed: { secretName } of an existing TLS Secret, or { clusterIssuer } / { issuer } for cert-manager. Fix: use cert-manager: tls: { clusterIssuer: 'letsencrypt' }",
  'ingress wildcard':
    "HardenedIngress at 'shop/ing': prop 'hosts[0]' received \"*.example.com\" (a wildcard host routes every name under the domain to this backend). Allowed: exact host names. Fix: list the exact hosts, or add the exemption { rule: 'ingress-wildcard-host', reason: '<why>' }",
  'ingress bad host':
    "HardenedIngress at 'shop/ing': prop 'hosts[0]' received \"Shop_Example\". Allowed: a fully qualified lower-case DNS name such as shop.example.com. Fix: write the host name the clients use",
  'ingress no port backend':
    "HardenedIngress at 'shop/ing': prop 'backend' received \"shop/job\" (the backend has no port and so no Service). Allowed: a HardenedDeployment or HardenedStatefulSet with a `port`. Fix: give the backend workload the port it listens on",
  'loadbalancer without exemption':
    "HardenedDeployment at 'shop/mqtt': prop 'loadBalancer' received {\"sourceRanges\":[\"203.0.113.0/24\"]} (a LoadBalancer opens the workload to networks outside the cluster). Allowed: a loadBalancer with the exemption { rule: 'service-loadbalancer', reason }. Fix: expose HTTP(S) with a HardenedIngress; for other protocols add the exemption { rule: 'service-loadbalancer', reason: '<why>' }",
  'loadbalancer open to all':
    "HardenedDeployment at 'shop/mqtt': prop 'loadBalancer.sourceRanges[0]' received \"0.0.0.0/0\" (admits every address on the internet). Allowed: an IPv4 or IPv6 CIDR narrower than /0, e.g. 203.0.113.0/24. Fix: list the client networks that need access",
  'loadbalancer bad cidr':
    "HardenedDeployment at 'shop/mqtt': prop 'loadBalancer.sourceRanges[0]' received \"203.0.113.0\" (not a CIDR). Allowed: an IPv4 or IPv6 CIDR narrower than /0, e.g. 203.0.113.0/24. Fix: list the client networks that need access",
  'hpa max below min':
    "HardenedDeployment at 'shop/api': prop 'autoscaling.maxReplicas' received 2 (below minReplicas 4). Allowed: an integer from minReplicas (4) to 2147483647. Fix: set maxReplicas to at least 4",
  'isolation pool':
    "HardenedDeployment at 'shop/api': prop 'isolation.pool' received \"Sensitive Pool\". Allowed: a node pool name (DNS-1123 label). Fix: name the dedicated pool, e.g. 'sensitive', and create it with the cluster component's isolated pool",
  'external secret no data':
    "ExternalSecret at 'shop/db': prop 'data' received []. Allowed: at least one { key, remoteKey }. Fix: list the remote secrets to materialize, e.g. [{ key: 'password', remoteKey: 'prod/db/password' }]",
  'external secret bad key':
    "ExternalSecret at 'shop/db': prop 'data[0].key' received \"pass word\" (not a valid Secret key). Allowed: a unique key of letters, digits, '-', '_' and '.'. Fix: use a file-name-like key such as 'password' or 'tls.crt'",
  'secret env unknown key':
    "HardenedDeployment at 'shop/api': prop 'secretEnv['DB_USER'].key' received \"username\" (ExternalSecret shop/db has no such key). Allowed: a key listed in the ExternalSecret data. Fix: add the key to the ExternalSecret or fix the name",
  'secret env from csi':
    "HardenedDeployment at 'shop/api': prop 'secretEnv['TLS'].source' received \"SecretProviderClass shop/tls\" (a CSI volume materializes no Kubernetes Secret to read environment variables from). Allowed: an ExternalSecret. Fix: mount the SecretProviderClass with secretFiles and read the file, or use an ExternalSecret",
  'secret other namespace':
    "HardenedDeployment at 'shop/api': prop 'secretFiles[0].source' received \"ExternalSecret other/db\" (a pod in namespace 'shop' cannot mount a secret of namespace 'other'). Allowed: a secret source in namespace 'shop'. Fix: create the ExternalSecret or SecretProviderClass in the workload’s namespace",
  'secret-looking env literal':
    "HardenedDeployment at 'shop/api': prop 'env['DB_PASSWORD']' received \"<redacted>\" (a secret-looking variable with a literal value would be written into the manifest). Allowed: plain configuration only; secrets come from secretEnv or secretFiles (OWASP K08). Fix: move it to an ExternalSecret and read it with secretEnv: { DB_PASSWORD: { source, key } }",
};

describe('bad input is refused with an actionable message', () => {
  it.each(cases)('%s', (name, build) => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    expect(errorOf(() => build(chart))).toEqual(expected[name]);
  });

  it('covers every case with an expected message', () => {
    expect(Object.keys(expected).sort()).toEqual(cases.map(([n]) => n).sort());
  });
});
