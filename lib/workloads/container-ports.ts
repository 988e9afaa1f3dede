import { IConstruct } from 'constructs';
import type { ContainerPort as K8sContainerPort } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { requirePort } from '../construct/validators';
import { isValidPortName } from '../k8s/port-name';
import { ContainerOptions, PortProtocol } from './container-spec';

/** A port of a container, checked, with its protocol resolved. */
export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: PortProtocol;
  readonly appProtocol?: string;
}

/** The name `port` gets. */
export const MAIN_PORT_NAME = 'main';
const PROTOCOLS: readonly PortProtocol[] = ['TCP', 'UDP', 'SCTP'];
/** Kubernetes' IANA_SVC_NAME: what a container port name (and a Service targetPort name) must be. */
export function isPortName(name: string): boolean {
  return isValidPortName(name);
}
const APP_PROTOCOL = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function lowPortError(scope: IConstruct, prop: string, port: number) {
  return propError({
    scope,
    prop,
    received: port,
    problem: 'a non-root process cannot bind a port below 1024 without NET_BIND_SERVICE',
    allowed: 'a port from 1024 to 65535, or a lower port with netBindService: true',
    fix: 'listen on a port ≥ 1024 (the Service can still expose 80/443), or set netBindService: true',
  });
}

/**
 * The ports of one container: `port` (named 'main', TCP) first, then `ports`. Names must be unique in the pod
 * (`taken`, shared by its containers) because Services, probes and policies refer to ports by name, and so must
 * numbers: the containers of a pod share one network namespace, two cannot bind the same port.
 */
export function resolvePorts(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  taken: Map<string, string>,
): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  const claim = (prop: string, portProp: string, r: ResolvedPort) => {
    const first = taken.get(r.name);
    if (first !== undefined) {
      throw propError({
        scope,
        prop,
        received: r.name,
        problem: `port name already used by ${first}`,
        allowed: 'a port name unique in the pod',
        fix: r.name === MAIN_PORT_NAME ? "'main' is the name of `port`: name this one after its use" : 'rename one',
      });
    }
    const numberKey = `${r.port}/${r.protocol}`;
    const clash = taken.get(numberKey);
    if (clash !== undefined) {
      throw propError({
        scope,
        prop: portProp,
        received: r.port,
        problem: `port ${numberKey} is already declared by ${clash}: containers of a pod share one network namespace`,
        allowed: 'each port number and protocol once per pod',
        fix: 'listen on another port, or remove the duplicate',
      });
    }
    taken.set(numberKey, prop);
    taken.set(r.name, prop);
    out.push(r);
  };
  if (spec.port !== undefined) {
    const port = requirePort(scope, p('port'), spec.port);
    if (port < 1024 && !spec.netBindService) throw lowPortError(scope, p('port'), port);
    claim(p('port'), p('port'), { name: MAIN_PORT_NAME, port, protocol: 'TCP' });
  }
  if (spec.ports !== undefined && !Array.isArray(spec.ports)) {
    throw propError({
      scope,
      prop: p('ports'),
      received: spec.ports,
      allowed: 'a list of { name, port, protocol?, appProtocol? }',
      fix: "e.g. ports: [{ name: 'http', port: 8080, appProtocol: 'http' }]",
    });
  }
  (spec.ports ?? []).forEach((cp, i) => {
    const prop = p(`ports[${i}]`);
    if (!isPortName(cp?.name)) {
      throw propError({
        scope,
        prop: `${prop}.name`,
        received: cp?.name,
        allowed: "an IANA service name: at most 15 lowercase letters, digits and '-', with a letter, no '--'",
        fix: "name the port after its use, e.g. 'http', 'grpc', 'metrics'",
      });
    }
    const port = requirePort(scope, `${prop}.port`, cp.port);
    if (port < 1024 && !spec.netBindService) throw lowPortError(scope, `${prop}.port`, port);
    const protocol = cp.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) {
      throw propError({
        scope,
        prop: `${prop}.protocol`,
        received: protocol,
        allowed: "'TCP', 'UDP' or 'SCTP'",
        fix: "leave it out for TCP, or write 'UDP'",
      });
    }
    if (cp.appProtocol !== undefined && (typeof cp.appProtocol !== 'string' || !APP_PROTOCOL.test(cp.appProtocol))) {
      throw propError({
        scope,
        prop: `${prop}.appProtocol`,
        received: cp.appProtocol,
        allowed: "an IANA service name or a prefixed name, e.g. 'http', 'grpc', 'kubernetes.io/h2c'",
        fix: "write the application protocol, e.g. appProtocol: 'grpc'",
      });
    }
    claim(`${prop}.name`, `${prop}.port`, {
      name: cp.name,
      port,
      protocol,
      ...(cp.appProtocol !== undefined ? { appProtocol: cp.appProtocol } : {}),
    });
  });
  return out;
}

/** The container's `ports` field. (appProtocol belongs to the Service port, not the container port.) */
export function containerPorts(ports: readonly ResolvedPort[]): K8sContainerPort[] {
  return ports.map((r) => ({ name: r.name, containerPort: r.port, protocol: r.protocol }));
}

/** "8080 (main), 9090/UDP (metrics)": a workload's ports in an error message. */
export function describePorts(ports: readonly ResolvedPort[]): string {
  return ports.map((r) => `${r.port}${r.protocol === 'TCP' ? '' : `/${r.protocol}`} ('${r.name}')`).join(', ');
}
