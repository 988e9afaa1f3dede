import { isIP } from 'net';
import { annotationsSize, TOTAL_ANNOTATION_SIZE_LIMIT } from './annotation-size';
import { isInt32 } from './api-integers';
import { cronScheduleProblem, cronScheduleTimeZoneProblem } from './cron-schedule';
import { isDns1123Label, isDns1123Subdomain } from './dns-names';
import { isEnvVarName } from './env-var-name';
import { ingressPathProblem } from './ingress-path';
import { asArray, asRecord, isRecord, K8sObject } from './k8s-object';
import { isValidLabelValue } from './label-value';
import { nameRuleOf } from './object-name-rules';
import { podViewsOf } from './pod-template';
import { isValidPortName } from './port-name';
import { qualifiedNameProblem } from './qualified-name';
import { timeZoneProblem } from './time-zone';

/** A field the API server would refuse, with its dotted path in the object and the reason, worded like the server. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The API server's name and format rules that its OpenAPI schema does not express (the `validation` packages of
 * k8s.io/kubernetes and apimachinery): object names per kind, namespaces, label and annotation keys and values,
 * the total annotation size, container, port, volume and env var names, duplicate mount paths, port numbers, probe
 * timings, int32 ranges, CronJob schedules and time zones, Ingress hosts and paths. Together with the OpenAPI schema
 * check this is what `kubectl apply` would refuse. Partial input is read defensively.
 */
export function apiFieldProblems(obj: K8sObject): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const meta = asRecord(obj.metadata);
  const name = meta.name;
  const rule = nameRuleOf(obj.kind);
  if (rule && typeof name === 'string' && !rule.test(name)) add('metadata.name', `must be ${rule.allowed}`);
  if (meta.namespace !== undefined && !isDns1123Label(meta.namespace)) {
    add('metadata.namespace', 'must be a DNS-1123 label');
  }
  checkMetadata(meta, 'metadata', add);
  checkInt32s(obj, add);
  // A StatefulSet's claim templates are volumes of its pods, by name.
  const claims = asArray(asRecord(obj.spec).volumeClaimTemplates).map((c) => asRecord(asRecord(c).metadata).name);
  for (const pod of podViewsOf(obj)) {
    const base = pod.specPath.replace(/\.spec$/, '').replace(/^spec$/, '');
    checkMetadata(asRecord(pod.metadata), base ? `${base}.metadata` : 'metadata', add, pod.specPath === 'spec');
    checkPodSpec(pod.spec, pod.specPath, add, obj.kind === 'StatefulSet' ? claims : []);
  }
  if (obj.kind === 'Service') checkService(asRecord(obj.spec), add);
  if (obj.kind === 'CronJob') checkCronJob(asRecord(obj.spec), add);
  if (obj.kind === 'Ingress') checkIngress(asRecord(obj.spec), add);
  return out;
}

type Add = (path: string, message: string) => void;

function checkMetadata(meta: Record<string, unknown>, at: string, add: Add, skipOwn = false): void {
  if (skipOwn) return; // a Pod's own metadata was checked as the object's
  for (const [k, v] of Object.entries(asRecord(meta.labels))) {
    const problem = qualifiedNameProblem(k);
    if (problem) add(`${at}.labels`, `key ${JSON.stringify(k)}: ${problem}`);
    if (!isValidLabelValue(v)) {
      add(
        `${at}.labels.${k}`,
        "a label value must be at most 63 characters: alphanumerics, '-', '_' or '.', starting and ending alphanumeric",
      );
    }
  }
  const annotations = asRecord(meta.annotations);
  for (const k of Object.keys(annotations)) {
    const problem = qualifiedNameProblem(k.toLowerCase());
    if (problem) add(`${at}.annotations`, `key ${JSON.stringify(k)}: ${problem}`);
  }
  const size = annotationsSize(annotations);
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    add(`${at}.annotations`, `may not have more than 256 KiB in total (${size} bytes)`);
  }
}

const INT32_FIELDS: Readonly<Record<string, readonly string[][]>> = {
  Deployment: [
    ['spec', 'replicas'],
    ['spec', 'revisionHistoryLimit'],
    ['spec', 'minReadySeconds'],
  ],
  StatefulSet: [
    ['spec', 'replicas'],
    ['spec', 'revisionHistoryLimit'],
    ['spec', 'minReadySeconds'],
  ],
  ReplicaSet: [['spec', 'replicas']],
  HorizontalPodAutoscaler: [
    ['spec', 'minReplicas'],
    ['spec', 'maxReplicas'],
  ],
  Job: [
    ['spec', 'backoffLimit'],
    ['spec', 'completions'],
    ['spec', 'parallelism'],
    ['spec', 'ttlSecondsAfterFinished'],
  ],
  CronJob: [
    ['spec', 'successfulJobsHistoryLimit'],
    ['spec', 'failedJobsHistoryLimit'],
    ['spec', 'jobTemplate', 'spec', 'backoffLimit'],
    ['spec', 'jobTemplate', 'spec', 'completions'],
    ['spec', 'jobTemplate', 'spec', 'parallelism'],
    ['spec', 'jobTemplate', 'spec', 'ttlSecondsAfterFinished'],
  ],
};

function checkInt32s(obj: K8sObject, add: Add): void {
  for (const path of INT32_FIELDS[obj.kind] ?? []) {
    let v: unknown = obj;
    for (const p of path) v = isRecord(v) ? v[p] : undefined;
    if (v === undefined || v === null) continue;
    if (!isInt32(v) || v < 0) add(path.join('.'), 'must be an integer from 0 to 2147483647 (int32)');
  }
}

function isPortNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

function checkPortRef(v: unknown, at: string, add: Add): void {
  if (typeof v === 'string') {
    if (!isValidPortName(v)) add(at, 'must be a port number from 1 to 65535 or an IANA service name');
  } else if (!isPortNumber(v)) {
    add(at, 'must be a port number from 1 to 65535');
  }
}

const PROBE_TIMINGS = [
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
];

function checkProbe(probe: Record<string, unknown>, at: string, add: Add): void {
  for (const t of PROBE_TIMINGS) {
    const v = probe[t];
    if (v !== undefined && (!isInt32(v) || v < 0)) add(`${at}.${t}`, 'must be greater than or equal to 0 (int32)');
  }
  const httpGet = asRecord(probe.httpGet);
  if (probe.httpGet !== undefined) checkPortRef(httpGet.port, `${at}.httpGet.port`, add);
  if (probe.tcpSocket !== undefined) checkPortRef(asRecord(probe.tcpSocket).port, `${at}.tcpSocket.port`, add);
  if (probe.grpc !== undefined && !isPortNumber(asRecord(probe.grpc).port)) {
    add(`${at}.grpc.port`, 'must be a port number from 1 to 65535');
  }
  if (probe.exec !== undefined && asArray(asRecord(probe.exec).command).length === 0) {
    add(`${at}.exec.command`, 'Required value');
  }
}

function checkPodSpec(spec: Record<string, unknown>, at: string, add: Add, claims: readonly unknown[]): void {
  const volumeNames = new Set<string>(claims.filter((c): c is string => typeof c === 'string'));
  asArray(spec.volumes).forEach((v, i) => {
    const n = asRecord(v).name;
    if (!isDns1123Label(n)) add(`${at}.volumes[${i}].name`, 'must be a DNS-1123 label');
    else if (volumeNames.has(n as string)) add(`${at}.volumes[${i}].name`, `Duplicate value: ${JSON.stringify(n)}`);
    else volumeNames.add(n as string);
  });
  const containerNames = new Set<string>();
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers']) {
    asArray(spec[kind]).forEach((c, i) => {
      const container = asRecord(c);
      const cat = `${at}.${kind}[${i}]`;
      const n = container.name;
      if (!isDns1123Label(n)) add(`${cat}.name`, 'must be a DNS-1123 label');
      else if (containerNames.has(n as string)) add(`${cat}.name`, `Duplicate value: ${JSON.stringify(n)}`);
      else containerNames.add(n as string);
      const portNames = new Set<string>();
      asArray(container.ports).forEach((p, j) => {
        const port = asRecord(p);
        if (!isPortNumber(port.containerPort))
          add(`${cat}.ports[${j}].containerPort`, 'must be a port number from 1 to 65535');
        if (port.name !== undefined) {
          if (!isValidPortName(port.name))
            add(`${cat}.ports[${j}].name`, 'must be an IANA service name (at most 15 characters)');
          else if (portNames.has(port.name as string))
            add(`${cat}.ports[${j}].name`, `Duplicate value: ${JSON.stringify(port.name)}`);
          else portNames.add(port.name as string);
        }
      });
      asArray(container.env).forEach((e, j) => {
        if (!isEnvVarName(asRecord(e).name)) add(`${cat}.env[${j}].name`, 'must be a valid environment variable name');
      });
      const mountPaths = new Set<string>();
      asArray(container.volumeMounts).forEach((m, j) => {
        const mount = asRecord(m);
        if (typeof mount.name === 'string' && !volumeNames.has(mount.name)) {
          add(`${cat}.volumeMounts[${j}].name`, `Not found: ${JSON.stringify(mount.name)}`);
        }
        const mp = mount.mountPath;
        if (typeof mp !== 'string' || mp === '') add(`${cat}.volumeMounts[${j}].mountPath`, 'Required value');
        else if (mountPaths.has(mp)) add(`${cat}.volumeMounts[${j}].mountPath`, 'must be unique');
        else mountPaths.add(mp);
      });
      for (const p of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        if (isRecord(container[p])) checkProbe(container[p] as Record<string, unknown>, `${cat}.${p}`, add);
      }
    });
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) {
    add(`${at}.terminationGracePeriodSeconds`, 'must be greater than or equal to 0');
  }
}

function checkService(spec: Record<string, unknown>, add: Add): void {
  const ports = asArray(spec.ports);
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = asRecord(p);
    const at = `spec.ports[${i}]`;
    if (port.name === undefined || port.name === '') {
      if (ports.length > 1) add(`${at}.name`, 'Required value (a Service with several ports names each)');
    } else if (!isValidPortName(port.name)) {
      add(`${at}.name`, 'must be an IANA service name (at most 15 characters)');
    } else if (names.has(port.name as string)) {
      add(`${at}.name`, `Duplicate value: ${JSON.stringify(port.name)}`);
    } else {
      names.add(port.name as string);
    }
    if (!isPortNumber(port.port)) add(`${at}.port`, 'must be a port number from 1 to 65535');
    if (port.targetPort !== undefined) checkPortRef(port.targetPort, `${at}.targetPort`, add);
  });
}

function checkCronJob(spec: Record<string, unknown>, add: Add): void {
  const schedule = spec.schedule;
  const problem = cronScheduleProblem(schedule);
  if (problem) add('spec.schedule', problem);
  else {
    const tz = cronScheduleTimeZoneProblem(schedule as string);
    if (tz) add('spec.schedule', tz);
  }
  if (spec.timeZone !== undefined) {
    const zone = timeZoneProblem(spec.timeZone);
    if (zone) add('spec.timeZone', `unknown time zone ${JSON.stringify(spec.timeZone)}: ${zone}`);
  }
}

function checkHost(host: unknown, at: string, add: Add): void {
  if (typeof host !== 'string') return;
  if (isIP(host) !== 0) return add(at, 'must be a DNS name, not an IP address');
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (!isDns1123Subdomain(bare)) add(at, 'must be a DNS-1123 subdomain, optionally prefixed by "*."');
}

function checkIngress(spec: Record<string, unknown>, add: Add): void {
  asArray(spec.rules).forEach((r, i) => {
    const rule = asRecord(r);
    if (rule.host !== undefined) checkHost(rule.host, `spec.rules[${i}].host`, add);
    asArray(asRecord(rule.http).paths).forEach((p, j) => {
      const path = asRecord(p);
      if (path.pathType !== 'Exact' && path.pathType !== 'Prefix') return;
      const problem = ingressPathProblem(path.path);
      if (problem) add(`spec.rules[${i}].http.paths[${j}].path`, problem);
    });
  });
  asArray(spec.tls).forEach((t, i) =>
    asArray(asRecord(t).hosts).forEach((h, j) => checkHost(h, `spec.tls[${i}].hosts[${j}]`, add)),
  );
}
