import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from './errors';
import { EXCLUDED_NAMESPACES } from '../policy/admission/admission-policies';
import { requireDnsLabel } from './validators';
import { isDns1035Label, DNS1035_LABEL_MAX_LENGTH } from '../k8s/dns-names';

/** The object name: the `name` prop when given, else the construct id; either way a DNS-1123 label. */
export function resolveName(scope: IConstruct, name: string | undefined): string {
  return requireDnsLabel(scope, 'name', name ?? scope.node.id, name === undefined);
}

/**
 * The namespace objects go to: the prop, else the chart's. Workloads never go to `default` implicitly.
 * @see CIS 5.7.4 "The default namespace should not be used"
 */
export function resolveNamespace(scope: IConstruct, namespace: string | undefined): string {
  const ns = namespace ?? Chart.of(scope).namespace;
  if (ns === undefined || ns === 'default') {
    throw propError({
      scope,
      prop: 'namespace',
      received: ns,
      problem: ns === undefined ? 'no namespace on the construct or its chart' : "the 'default' namespace",
      allowed: "a DNS-1123 namespace name other than 'default'",
      fix: "set `namespace` on the construct, or on the chart: new Chart(app, 'shop', { namespace: 'shop' }) (CIS 5.7.4)",
    });
  }
  if (SYSTEM_NAMESPACES.includes(ns)) {
    const unchecked = EXCLUDED_NAMESPACES.includes(ns);
    throw propError({
      scope,
      prop: 'namespace',
      received: ns,
      problem: unchecked
        ? `'${ns}' is left out of the admission policies: nothing placed there is checked in the cluster`
        : `'${ns}' is a Kubernetes system namespace`,
      allowed: `a namespace of your own; not ${SYSTEM_NAMESPACES.map((n) => `'${n}'`).join(', ')}`,
      fix: "set `namespace` to the application's namespace, e.g. new Chart(app, 'shop', { namespace: 'shop' })",
    });
  }
  return requireDnsLabel(scope, 'namespace', ns);
}

/** Kubernetes' own namespaces: the admission policies' excluded ones (kube-system) and kube-public, kube-node-lease. */
const SYSTEM_NAMESPACES: readonly string[] = [
  ...new Set([...EXCLUDED_NAMESPACES, 'kube-system', 'kube-public', 'kube-node-lease']),
];

/**
 * The pod label of a bulwark workload given no egress (no `allowTo`, and no peer's `allowFrom` opening egress on it):
 * any outbound connection but DNS is unexpected. The Falco add-on's rule "bulwark outbound connection from a workload
 * without egress" selects pods by it (its NetworkPolicies drop such a connection; Falco makes the attempt visible).
 */
export const NO_EGRESS_LABEL = 'egress.bulwark.dev/none';

/** Labels every bulwark object carries; `app.kubernetes.io/name` is also the pod selector. */
export function standardLabels(name: string, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
    'app.kubernetes.io/managed-by': 'bulwark',
  };
}

export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/**
 * Refuses a workload name that cannot name its Service: Service names are DNS-1035 labels (a letter first, at most
 * 63 characters), stricter than the DNS-1123 names of other objects. `suffix` is what the Service adds (`-lb`).
 */
export function requireServiceName(scope: IConstruct, name: string, nameProp: string | undefined, suffix = ''): void {
  const service = `${name}${suffix}`;
  if (isDns1035Label(service)) return;
  const defaulted = nameProp === undefined;
  const tooLong = service.length > DNS1035_LABEL_MAX_LENGTH;
  const room = DNS1035_LABEL_MAX_LENGTH - suffix.length;
  throw propError({
    scope,
    prop: 'name',
    received: name,
    problem: `${defaulted ? 'defaulted from the construct id; ' : ''}the Service '${service}' ${
      tooLong
        ? `would have ${service.length} characters, and Service names have at most ${DNS1035_LABEL_MAX_LENGTH}`
        : 'would start with a digit, and Service names (DNS-1035 labels) start with a letter'
    }`,
    allowed: `a name starting with a letter, of at most ${room} characters${suffix ? ` (the Service adds '${suffix}')` : ''}`,
    fix: tooLong
      ? `shorten the name to ${room} characters or fewer`
      : `start the name with a letter, e.g. ${JSON.stringify(`svc-${name}`.slice(0, room).replace(/-+$/, ''))}${defaulted ? ' (set `name`, or change the construct id)' : ''}`,
  });
}
