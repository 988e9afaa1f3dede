import { Chart, Testing } from 'cdk8s';
import {
  BulwarkError,
  DefaultDenyNamespace,
  HardenedConfigMap,
  HardenedCronJob,
  HardenedDeployment,
  HardenedIngress,
  HardenedIngressProps,
  HardenedJob,
  HardenedStatefulSet,
  HealthProbe,
  LeastPrivilegeServiceAccount,
} from '../../lib';
import { IMAGE } from '../helpers/charts';

// Issue 14: what the constructs write must pass the API server's validation of its fields. Each input below was
// written by a construct and refused by the API server (or, for ingress paths, by the ingress controller); now the
// construct refuses it at construction, with the usual error, and nothing is synthesized.
const lpsa = (c: Chart) =>
  new LeastPrivilegeServiceAccount(c, 'sa', {
    name: 'api',
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
  });
const backend = (c: Chart) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080 });
const ingress = (c: Chart, extra: Partial<HardenedIngressProps>) =>
  new HardenedIngress(c, 'web', {
    backend: backend(c),
    hosts: ['shop.example.com'],
    tls: { clusterIssuer: 'le' },
    ...extra,
  });
const LB = {
  loadBalancer: { sourceRanges: ['203.0.113.0/24'] },
  exemptions: [{ rule: 'service-loadbalancer', reason: 'UDP game server' }],
};

const CASES: [string, (c: Chart) => unknown][] = [
  ['Service named 1api', (c) => new HardenedDeployment(c, '1api', { image: IMAGE, port: 8080 })],
  [
    'StatefulSet Service named 9db',
    (c) => new HardenedStatefulSet(c, 'db', { name: '9db', image: IMAGE, port: 8080, replicas: 1 }),
  ],
  ['<name>-lb longer than 63', (c) => new HardenedDeployment(c, 'a'.repeat(62), { image: IMAGE, port: 8080, ...LB })],
  ['replicas above int32', (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, replicas: 2 ** 31 })],
  [
    'maxReplicas above int32',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, autoscaling: { maxReplicas: 2 ** 31 } }),
  ],
  [
    'StatefulSet replicas above int32',
    (c) => new HardenedStatefulSet(c, 'db', { image: IMAGE, port: 8080, replicas: 2 ** 40 }),
  ],
  ['Job completions above int32', (c) => new HardenedJob(c, 'migrate', { image: IMAGE, completions: 2 ** 31 })],
  [
    'CronJob history above int32',
    (c) => new HardenedCronJob(c, 'nightly', { image: IMAGE, schedule: '@daily', successfulJobsHistoryLimit: 2 ** 31 }),
  ],
  [
    'writable path at the token mount',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        serviceAccount: lpsa(c),
        writablePaths: ['/var/run/secrets/kubernetes.io/serviceaccount/'],
      }),
  ],
  [
    'writable path = config mount',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        writablePaths: ['/etc/app'],
        configFiles: [{ config: new HardenedConfigMap(c, 'cfg', { data: { 'a.yaml': 'x' } }), mountPath: '/etc/app' }],
      }),
  ],
  [
    'volume claim = config mount',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 8080,
        replicas: 1,
        volumeClaims: [{ name: 'data', mountPath: '/etc/app', size: '1Gi' }],
        configFiles: [{ config: new HardenedConfigMap(c, 'cfg', { data: { 'a.yaml': 'x' } }), mountPath: '/etc/app' }],
      }),
  ],
  [
    'probe port 0',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        readinessProbe: HealthProbe.http('/healthz', { port: 0 }),
      }),
  ],
  [
    'probe period -5',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        livenessProbe: HealthProbe.tcp({ periodSeconds: -5 }),
      }),
  ],
  [
    'probe initialDelaySeconds 1.5',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        readinessProbe: HealthProbe.tcp({ initialDelaySeconds: 1.5 }),
      }),
  ],
  [
    'exec probe without a command',
    (c) =>
      new HardenedDeployment(c, 'worker', {
        image: IMAGE,
        readinessProbe: HealthProbe.exec([]),
        livenessProbe: HealthProbe.exec(['true']),
      }),
  ],
  ['CronJob name over 52', (c) => new HardenedCronJob(c, 'a'.repeat(53), { image: IMAGE, schedule: '@daily' })],
  ['schedule 99 99 99 99 99', (c) => new HardenedCronJob(c, 'nightly', { image: IMAGE, schedule: '99 99 99 99 99' })],
  ['schedule day-of-week 7', (c) => new HardenedCronJob(c, 'nightly', { image: IMAGE, schedule: '0 3 * * 7' })],
  [
    'schedule with a zone',
    (c) => new HardenedCronJob(c, 'nightly', { image: IMAGE, schedule: 'CRON_TZ=UTC 0 3 * * *' }),
  ],
  [
    'unknown time zone',
    (c) => new HardenedCronJob(c, 'nightly', { image: IMAGE, schedule: '@daily', timeZone: 'Mars/Olympus' }),
  ],
  [
    '300 KB annotation',
    (c) =>
      new HardenedDeployment(c, 'api', {
        image: IMAGE,
        port: 8080,
        podAnnotations: { 'example.com/blob': 'x'.repeat(300 * 1024) },
      }),
  ],
  [
    'label value of 64',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, labels: { team: 'x'.repeat(64) } }),
  ],
  [
    'label key with two slashes',
    (c) => new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080, labels: { 'a/b/c': 'x' } }),
  ],
  [
    'namespace label value',
    (c) => new DefaultDenyNamespace(c, 'ns', { name: 'shop', labels: { owner: 'team payments' } }),
  ],
  ['ingress path /a;}', (c) => ingress(c, { paths: ['/a;}'] })],
  ['ingress path //', (c) => ingress(c, { paths: ['//'] })],
  ['ingress path /..', (c) => ingress(c, { paths: ['/..'] })],
  ['ingress path with a newline', (c) => ingress(c, { paths: ['/a\nb'] })],
  ['ingress host an IP', (c) => ingress(c, { hosts: ['10.0.0.1'] })],
  ['ingress without paths', (c) => ingress(c, { paths: [] })],
  ['config map key ..data', (c) => new HardenedConfigMap(c, 'cfg', { data: { '..data': 'x' } })],
  [
    'duplicate volume claim names',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 8080,
        replicas: 1,
        volumeClaims: [
          { name: 'data', mountPath: '/a', size: '1Gi' },
          { name: 'data', mountPath: '/b', size: '1Gi' },
        ],
      }),
  ],
  [
    'volume claim of size 0',
    (c) =>
      new HardenedStatefulSet(c, 'db', {
        image: IMAGE,
        port: 8080,
        replicas: 1,
        volumeClaims: [{ name: 'data', mountPath: '/data', size: '0' }],
      }),
  ],
];

const EXPECTED: Record<string, string> = {
  'Service named 1api':
    "HardenedDeployment at 'shop/1api': prop 'name' received \"1api\" (defaulted from the construct id; the Service '1api' would start with a digit, and Service names (DNS-1035 labels) start with a letter). Allowed: a name starting with a letter, of at most 63 characters. Fix: start the name with a letter, e.g. \"svc-1api\" (set `name`, or change the construct id)",
  'StatefulSet Service named 9db':
    "HardenedStatefulSet at 'shop/db': prop 'name' received \"9db\" (the Service '9db' would start with a digit, and Service names (DNS-1035 labels) start with a letter). Allowed: a name starting with a letter, of at most 63 characters. Fix: start the name with a letter, e.g. \"svc-9db\"",
  '<name>-lb longer than 63':
    "HardenedDeployment at 'shop/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': prop 'name' received \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" (defaulted from the construct id; the Service 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-lb' would have 65 characters, and Service names have at most 63). Allowed: a name starting with a letter, of at most 60 characters (the Service adds '-lb'). Fix: shorten the name to 60 characters or fewer",
  'replicas above int32':
    "HardenedDeployment at 'shop/api': prop 'replicas' received 2147483648. Allowed: an integer from 1 to 2147483647. Fix: use 2 or more so the service survives a node drain (1 at the least)",
  'maxReplicas above int32':
    "HardenedDeployment at 'shop/api': prop 'autoscaling.maxReplicas' received 2147483648 (above the int32 range of the field). Allowed: an integer from minReplicas (2) to 2147483647. Fix: set the most pods the workload may scale to",
  'StatefulSet replicas above int32':
    "HardenedStatefulSet at 'shop/db': prop 'replicas' received 1099511627776. Allowed: an integer from 1 to 2147483647. Fix: set 1 for a single-instance store, or the size of a replicating cluster",
  'Job completions above int32':
    "HardenedJob at 'shop/migrate': prop 'completions' received 2147483648. Allowed: an integer from 1 to 2147483647. Fix: use 1 or more",
  'CronJob history above int32':
    "HardenedCronJob at 'shop/nightly': prop 'successfulJobsHistoryLimit' received 2147483648. Allowed: an integer from 0 to 2147483647. Fix: keep a few, such as 3",
  'writable path at the token mount':
    "HardenedDeployment at 'shop/api': prop 'writablePaths[0]' received \"/var/run/secrets/kubernetes.io/serviceaccount/\" (the service account's API token is mounted at the same path). Allowed: each mount path once in a container. Fix: choose another directory: \"/var/run/secrets/kubernetes.io/serviceaccount\" is taken",
  'writable path = config mount':
    "HardenedDeployment at 'shop/api': prop 'configFiles[0].mountPath' received \"/etc/app\" (a writable path (writablePaths[0]) is mounted at the same path). Allowed: each mount path once in a container. Fix: mount one of them at another directory",
  'volume claim = config mount':
    "HardenedStatefulSet at 'shop/db': prop 'configFiles[0].mountPath' received \"/etc/app\" (the volume claim 'data' (volumeClaims) is mounted at the same path). Allowed: each mount path once in a container. Fix: mount one of them at another directory",
  'probe port 0':
    "HardenedDeployment at 'shop/api': prop 'readinessProbe' received 0. Allowed: a port from 1 to 65535 or a port name. Fix: give the port the probe checks",
  'probe period -5':
    "HardenedDeployment at 'shop/api': prop 'livenessProbe.periodSeconds' received -5. Allowed: an integer from 1 to 2147483647 (seconds or a count). Fix: e.g. periodSeconds: 10",
  'probe initialDelaySeconds 1.5':
    "HardenedDeployment at 'shop/api': prop 'readinessProbe.initialDelaySeconds' received 1.5. Allowed: an integer from 0 to 2147483647 (seconds or a count). Fix: e.g. initialDelaySeconds: 5",
  'exec probe without a command':
    "HardenedDeployment at 'shop/worker': prop 'readinessProbe' received [] (an exec probe needs a command). Allowed: a non-empty list of strings. Fix: e.g. HealthProbe.exec(['/app/healthcheck'])",
  'CronJob name over 52':
    'HardenedCronJob at \'shop/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\': prop \'name\' received "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" (defaulted from the construct id; 53 characters: the CronJob controller appends 11 to name each Job, and Job names have at most 63). Allowed: a name of at most 52 characters. Fix: shorten the name, e.g. "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
  'schedule 99 99 99 99 99':
    "HardenedCronJob at 'shop/nightly': prop 'schedule' received \"99 99 99 99 99\" (end of range (99) above maximum (59): 99). Allowed: a cron schedule of five fields (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or jan-dec, day-of-week 0-6 or sun-sat) or @hourly, @daily, @weekly, @monthly, @yearly. Fix: write it like '*/15 * * * *' (every 15 minutes) or '0 3 * * *' (03:00 daily); set the zone with timeZone",
  'schedule day-of-week 7':
    "HardenedCronJob at 'shop/nightly': prop 'schedule' received \"0 3 * * 7\" (end of range (7) above maximum (6): 7). Allowed: a cron schedule of five fields (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or jan-dec, day-of-week 0-6 or sun-sat) or @hourly, @daily, @weekly, @monthly, @yearly. Fix: write it like '*/15 * * * *' (every 15 minutes) or '0 3 * * *' (03:00 daily); set the zone with timeZone",
  'schedule with a zone':
    "HardenedCronJob at 'shop/nightly': prop 'schedule' received \"CRON_TZ=UTC 0 3 * * *\" (cannot use TZ or CRON_TZ in schedule, use timeZone field instead). Allowed: a cron schedule of five fields (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or jan-dec, day-of-week 0-6 or sun-sat) or @hourly, @daily, @weekly, @monthly, @yearly. Fix: write it like '*/15 * * * *' (every 15 minutes) or '0 3 * * *' (03:00 daily); set the zone with timeZone",
  'unknown time zone':
    "HardenedCronJob at 'shop/nightly': prop 'timeZone' received \"Mars/Olympus\" (unknown to the IANA time zone database). Allowed: an IANA time zone name such as 'Europe/Paris' or 'Etc/UTC'. Fix: name the zone the schedule is written in, e.g. timeZone: 'Europe/Paris'",
  '300 KB annotation':
    "HardenedDeployment at 'shop/api': prop 'podAnnotations' received \"1 annotation\" (307216 bytes of keys and values). Allowed: at most 262144 bytes (256 KiB) of annotations on a pod, the API server's limit. Fix: keep annotations short; put data in a HardenedConfigMap and mount it with configFiles",
  'label value of 64':
    "HardenedDeployment at 'shop/api': prop 'labels['team']' received \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" (not a label value). Allowed: a string of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric (or empty). Fix: shorten the value; put longer text in an annotation",
  'label key with two slashes':
    "HardenedDeployment at 'shop/api': prop 'labels['a/b/c']' received \"a/b/c\" (not a label key: more than one '/'). Allowed: an optional DNS-1123 subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric. Fix: e.g. 'team' or 'example.com/team'",
  'namespace label value':
    "DefaultDenyNamespace at 'shop/ns': prop 'labels['owner']' received \"team payments\" (not a label value). Allowed: a string of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric (or empty). Fix: shorten the value; put longer text in an annotation",
  'ingress path /a;}':
    "HardenedIngress at 'shop/web': prop 'paths[0]' received \"/a;}\" (has characters other than letters, digits, '-', '.', '_', '~' and '/' (an ingress controller may read them as configuration)). Allowed: an absolute URL path prefix of letters, digits, '-', '.', '_', '~' and '/', without '//', '/./' or '/../' and not ending in '/.' or '/..', such as '/' or '/api/v1'. Fix: write the prefix as clients send it, e.g. '/api'",
  'ingress path //':
    "HardenedIngress at 'shop/web': prop 'paths[0]' received \"//\" (must not contain '//'). Allowed: an absolute URL path prefix of letters, digits, '-', '.', '_', '~' and '/', without '//', '/./' or '/../' and not ending in '/.' or '/..', such as '/' or '/api/v1'. Fix: write the prefix as clients send it, e.g. '/api'",
  'ingress path /..':
    "HardenedIngress at 'shop/web': prop 'paths[0]' received \"/..\" (cannot end with '/..'). Allowed: an absolute URL path prefix of letters, digits, '-', '.', '_', '~' and '/', without '//', '/./' or '/../' and not ending in '/.' or '/..', such as '/' or '/api/v1'. Fix: write the prefix as clients send it, e.g. '/api'",
  'ingress path with a newline':
    "HardenedIngress at 'shop/web': prop 'paths[0]' received \"/a\\nb\" (has characters other than letters, digits, '-', '.', '_', '~' and '/' (an ingress controller may read them as configuration)). Allowed: an absolute URL path prefix of letters, digits, '-', '.', '_', '~' and '/', without '//', '/./' or '/../' and not ending in '/.' or '/..', such as '/' or '/api/v1'. Fix: write the prefix as clients send it, e.g. '/api'",
  'ingress host an IP':
    "HardenedIngress at 'shop/web': prop 'hosts[0]' received \"10.0.0.1\" (an IP address: Ingress hosts are DNS names (the API server refuses IPs)). Allowed: a fully qualified lower-case DNS name such as shop.example.com. Fix: write the host name the clients use",
  'ingress without paths':
    "HardenedIngress at 'shop/web': prop 'paths' received []. Allowed: one or more URL path prefixes such as '/' or '/api'. Fix: leave paths out for '/', or list the prefixes",
  'config map key ..data':
    "HardenedConfigMap at 'shop/cfg': prop 'data' received \"..data\". Allowed: a key of letters, digits, '-', '_', '.' (at most 253), not '.' and not starting with '..'. Fix: name the entry like a file, e.g. 'app.yaml'",
  'duplicate volume claim names':
    "HardenedStatefulSet at 'shop/db': prop 'volumeClaims[1].name' received \"data\" (also the name of volumeClaims[0]). Allowed: a claim name unique in the StatefulSet. Fix: rename one of the claims",
  'volume claim of size 0':
    "HardenedStatefulSet at 'shop/db': prop 'volumeClaims[0].size' received \"0\" (a claim of no storage). Allowed: a quantity greater than zero. Fix: request the size the data needs, e.g. '10Gi'",
};

describe('constructs refuse what the API server would refuse', () => {
  it.each(CASES)('%s', (name, build) => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    let error: unknown;
    try {
      build(chart);
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as Error).message).toBe(EXPECTED[name]);
  });

  it('every case has its expected message', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(CASES.map(([n]) => n).sort());
  });
});
