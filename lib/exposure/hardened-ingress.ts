import { isIP } from 'net';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { Exemption, exemptionAnnotations, validateExemptions } from '../construct/construct-exemptions';
import { declareExemptionAnnotations } from '../construct/exemption-guard';
import { resolveName, resolveNamespace, standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { isDns1123Subdomain, requireDnsSubdomain, requirePort } from '../construct/validators';
import { safeIngressPathProblem } from '../k8s/ingress-path';
import { NetworkPeer } from '../network/network-peer';
import { HardenedWorkload } from '../workloads/hardened-workload';
import { rejectUnknownProps } from '../construct/known-props';

/** The certificate of an Ingress: an existing TLS Secret, or one cert-manager issues. */
export type IngressTls =
  | { readonly secretName: string }
  | { readonly clusterIssuer: string; readonly secretName?: string }
  | { readonly issuer: string; readonly secretName?: string };

export interface HardenedIngressProps {
  /** @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace (the backend's namespace) */
  readonly namespace?: string;
  /** The workload served; it must have a port (and so a Service). */
  readonly backend: HardenedWorkload & { readonly service?: ApiObject };
  /** Port of the backend's Service. @default the backend's service port */
  readonly servicePort?: number;
  /**
   * Host names served. A wildcard (`*.example.com`) needs the exemption `ingress-wildcard-host`.
   * @see OWASP K07
   */
  readonly hosts: readonly string[];
  /** URL path prefixes routed to the backend. @default ['/'] */
  readonly paths?: readonly string[];
  /**
   * TLS is required: every host is served over HTTPS.
   * @see NSA/CISA "encryption in transit"
   */
  readonly tls: IngressTls;
  /** @default 'nginx' */
  readonly ingressClassName?: string;
  /**
   * The ingress controller's pods: the NetworkPolicy path is opened from them to the backend, and from nothing else.
   * @default ingress-nginx: namespace 'ingress-nginx', labels { 'app.kubernetes.io/name': 'ingress-nginx' }
   */
  readonly controller?: NetworkPeer;
  readonly exemptions?: readonly Exemption[];
}

export const INGRESS_NGINX: NetworkPeer = {
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
};

/**
 * An Ingress that always terminates TLS, names its hosts, and opens exactly the NetworkPolicy path from the ingress
 * controller to its backend. The only way to put a workload on the internet (no NodePort, no LoadBalancer).
 */
export class HardenedIngress extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedIngressProps) {
    super(scope, id);
    rejectUnknownProps(this, props);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    const exemptions = validateExemptions(this, props.exemptions);
    const backend = props.backend;
    if (!backend || backend.defaultPort === undefined || !backend.service) {
      throw propError({
        scope: this,
        prop: 'backend',
        received: backend ? backend.node.path : backend,
        problem: 'the backend has no port and so no Service',
        allowed: 'a HardenedDeployment or HardenedStatefulSet with a `port`',
        fix: 'give the backend workload the port it listens on',
      });
    }
    if (backend.namespace !== this.namespace) {
      throw propError({
        scope: this,
        prop: 'backend',
        received: `${backend.namespace}/${backend.name}`,
        problem: `an Ingress routes only to Services of its own namespace ('${this.namespace}')`,
        allowed: `a workload in namespace '${this.namespace}'`,
        fix: 'create the HardenedIngress in the backend’s chart or namespace',
      });
    }
    const servicePort = requirePort(
      this,
      'servicePort',
      props.servicePort ?? (backend.service.toJson() as { spec: { ports: { port: number }[] } }).spec.ports[0].port,
    );

    if (!Array.isArray(props.hosts) || props.hosts.length === 0) {
      throw propError({
        scope: this,
        prop: 'hosts',
        received: props.hosts,
        allowed: 'at least one host name',
        fix: "list the names served, e.g. ['shop.example.com']",
      });
    }
    props.hosts.forEach((h, i) => {
      const wildcard = typeof h === 'string' && h.startsWith('*.');
      const bare = wildcard ? h.slice(2) : h;
      if (typeof h !== 'string' || !isDns1123Subdomain(bare) || !bare.includes('.') || isIP(bare) !== 0) {
        throw propError({
          scope: this,
          prop: `hosts[${i}]`,
          received: h,
          ...(typeof bare === 'string' && isIP(bare) !== 0
            ? { problem: 'an IP address: Ingress hosts are DNS names (the API server refuses IPs)' }
            : {}),
          allowed: 'a fully qualified lower-case DNS name such as shop.example.com',
          fix: 'write the host name the clients use',
        });
      }
      if (wildcard && !exemptions.has('ingress-wildcard-host')) {
        throw propError({
          scope: this,
          prop: `hosts[${i}]`,
          received: h,
          problem: 'a wildcard host routes every name under the domain to this backend',
          allowed: 'exact host names',
          fix: "list the exact hosts, or add the exemption { rule: 'ingress-wildcard-host', reason: '<why>' }",
        });
      }
    });
    const paths = props.paths ?? ['/'];
    if (!Array.isArray(paths) || paths.length === 0) {
      throw propError({
        scope: this,
        prop: 'paths',
        received: paths,
        allowed: "one or more URL path prefixes such as '/' or '/api'",
        fix: "leave paths out for '/', or list the prefixes",
      });
    }
    paths.forEach((p, i) => {
      const problem = safeIngressPathProblem(p);
      if (problem !== undefined) {
        throw propError({
          scope: this,
          prop: `paths[${i}]`,
          received: p,
          problem,
          allowed:
            "an absolute URL path prefix of letters, digits, '-', '.', '_', '~' and '/', without '//', '/./' or '/../' and not ending in '/.' or '/..', such as '/' or '/api/v1'",
          fix: "write the prefix as clients send it, e.g. '/api'",
        });
      }
    });

    const tls = props.tls as Partial<{ secretName: string; clusterIssuer: string; issuer: string }> | undefined;
    if (!tls || (tls.secretName === undefined && tls.clusterIssuer === undefined && tls.issuer === undefined)) {
      throw propError({
        scope: this,
        prop: 'tls',
        received: props.tls,
        problem: 'an Ingress without TLS serves plain HTTP',
        allowed: '{ secretName } of an existing TLS Secret, or { clusterIssuer } / { issuer } for cert-manager',
        fix: "use cert-manager: tls: { clusterIssuer: 'letsencrypt' }",
      });
    }
    const secretName = requireDnsSubdomain(this, 'tls.secretName', tls.secretName ?? `${this.name}-tls`);
    const certAnnotations: Record<string, string> = {};
    if (tls.clusterIssuer !== undefined)
      certAnnotations['cert-manager.io/cluster-issuer'] = requireDnsSubdomain(
        this,
        'tls.clusterIssuer',
        tls.clusterIssuer,
      );
    if (tls.issuer !== undefined)
      certAnnotations['cert-manager.io/issuer'] = requireDnsSubdomain(this, 'tls.issuer', tls.issuer);

    const annotations = { ...certAnnotations, ...exemptionAnnotations(exemptions) };
    // The Ingress must carry exactly these exemptions: synth fails when a patch changes them.
    declareExemptionAnnotations(this, exemptionAnnotations(exemptions));
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: standardLabels(this.name, 'ingress'),
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      spec: {
        ingressClassName: requireDnsSubdomain(this, 'ingressClassName', props.ingressClassName ?? 'nginx'),
        tls: [{ hosts: [...props.hosts], secretName }],
        rules: props.hosts.map((host) => ({
          host,
          http: {
            paths: paths.map((path) => ({
              path,
              pathType: 'Prefix',
              backend: { service: { name: backend.name, port: { number: servicePort } } },
            })),
          },
        })),
      },
    });

    // The one network path an Ingress needs: controller pods -> backend pods, on the container port.
    backend._allowIngress(props.controller ?? INGRESS_NGINX, backend.defaultPort);
    ensureSynthValidation(this);
  }
}
