import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from './errors';
import { requireDnsLabel } from './validators';

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
  return requireDnsLabel(scope, 'namespace', ns);
}

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
