import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { standardLabels } from '../construct/object-names';
import type { DefaultDenyNamespace } from '../namespaces/default-deny-namespace';

/** Istio's HBONE port: in ambient mode, ztunnel carries every meshed connection over mTLS to this port. */
const ISTIO_HBONE_PORT = 15008;
/** The address ztunnel gives kubelet's health probes in ambient mode (they arrive from it, not from the node). */
const ISTIO_AMBIENT_PROBE_SOURCE = '169.254.7.127/32';
/** The namespace label that puts its pods in the Istio ambient mesh. */
const ISTIO_AMBIENT_LABEL = 'istio.io/dataplane-mode';

export interface IstioStrictMtlsProps {
  /** The namespace to put under the mesh; it keeps all of its hardening (restricted PSS, default deny, quota). */
  readonly namespace: DefaultDenyNamespace;
}

/**
 * Puts a DefaultDenyNamespace in the Istio ambient mesh with mutual TLS required: the namespace gets the label
 * `istio.io/dataplane-mode: ambient`, a PeerAuthentication `default` with `mtls.mode: STRICT` (no selector: every
 * workload refuses plaintext), and a NetworkPolicy that lets the mesh's own traffic through the default deny: HBONE
 * (TCP 15008) to and from pods of ambient namespaces only, and kubelet's probes from ztunnel's probe address.
 *
 * Why Istio, and why ambient: a STRICT PeerAuthentication is one declarative object whose presence bulwark can check
 * (rule network-mesh-mtls) and that the data plane enforces; Linkerd's mTLS is automatic but admits plaintext unless
 * a default-inbound-policy annotation says otherwise. Ambient mode leaves pods untouched (no injected sidecar, no
 * init container with NET_ADMIN), so the pods bulwark audits and admission validates are the pods that run, and the
 * namespace stays Pod Security `restricted` without Istio's CNI plugin. Its cost: between meshed pods the packets a
 * NetworkPolicy sees go to port 15008, so port-level isolation among meshed workloads is Istio's
 * (AuthorizationPolicy), not the NetworkPolicies'; isolation from pods outside the mesh is kept.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://istio.io/latest/docs/ambient/usage/networkpolicy/
 */
export class IstioStrictMtls extends Construct {
  /** The PeerAuthentication. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstioStrictMtlsProps) {
    super(scope, id);
    const namespace = props.namespace.name;
    props.namespace.resource.metadata.addLabel(ISTIO_AMBIENT_LABEL, 'ambient');
    const labels = standardLabels(namespace, 'mesh');
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace, labels },
      spec: { mtls: { mode: 'STRICT' } },
    });
    const meshed = { namespaceSelector: { matchLabels: { [ISTIO_AMBIENT_LABEL]: 'ambient' } } };
    const hbone = [{ protocol: 'TCP', port: ISTIO_HBONE_PORT }];
    new ApiObject(this, 'AllowMesh', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-istio-ambient', namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [meshed], ports: hbone }, { from: [{ ipBlock: { cidr: ISTIO_AMBIENT_PROBE_SOURCE } }] }],
        egress: [{ to: [meshed], ports: hbone }],
      },
    });
  }
}
