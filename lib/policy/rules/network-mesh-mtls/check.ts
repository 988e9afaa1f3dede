import { asRecord, isRecord, K8sObject } from '../../../k8s/k8s-object';
import { ObjectIndex } from '../../../k8s/object-index';
import { podViewOf } from '../../../k8s/pod-template';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';

/** Istio's root namespace, where a PeerAuthentication without selector applies to the whole mesh. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';
/** Linkerd default inbound policies that admit only mTLS-authenticated clients (or nothing unauthorized). */
export const LINKERD_STRICT_POLICIES: readonly string[] = ['all-authenticated', 'cluster-authenticated', 'deny'];

/** How a namespace joined a mesh, or undefined when nothing in the input puts it in one. */
export function meshOf(namespace: K8sObject, index: ObjectIndex): 'istio' | 'linkerd' | undefined {
  const labels = asRecord(namespace.metadata?.labels);
  const annotations = asRecord(namespace.metadata?.annotations);
  if (
    labels['istio-injection'] === 'enabled' ||
    typeof labels['istio.io/rev'] === 'string' ||
    labels['istio.io/dataplane-mode'] === 'ambient'
  ) {
    return 'istio';
  }
  if (annotations['linkerd.io/inject'] === 'enabled') return 'linkerd';
  // A pod can join on its own (label or annotation on its template) in a namespace that did not opt in.
  const name = namespace.metadata?.name ?? '';
  for (const kind of ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']) {
    for (const o of index.inNamespace(kind, name)) {
      const meta = podViewOf(o)?.metadata;
      const podLabels = asRecord(meta?.labels);
      const podAnnotations = asRecord(meta?.annotations);
      if (
        podLabels['sidecar.istio.io/inject'] === 'true' ||
        podAnnotations['sidecar.istio.io/inject'] === 'true' ||
        podLabels['istio.io/dataplane-mode'] === 'ambient'
      ) {
        return 'istio';
      }
      if (podAnnotations['linkerd.io/inject'] === 'enabled') return 'linkerd';
    }
  }
  return undefined;
}

function peerAuthentications(index: ObjectIndex, namespace: string): K8sObject[] {
  return index
    .inNamespace('PeerAuthentication', namespace)
    .filter((o) => o.apiVersion.startsWith('security.istio.io/'));
}

/** True when a PeerAuthentication applies to every workload of its namespace (no selector, or one without labels). */
function namespaceWide(pa: K8sObject): boolean {
  const selector = asRecord(pa.spec).selector;
  return (
    selector === undefined || selector === null || Object.keys(asRecord(asRecord(selector).matchLabels)).length === 0
  );
}

function modeOf(pa: K8sObject): string | undefined {
  const mode = asRecord(asRecord(pa.spec).mtls).mode;
  return typeof mode === 'string' ? mode : undefined;
}

/** Every PeerAuthentication of the namespace that lets plaintext in: mode PERMISSIVE/DISABLE, or a port-level one. */
function relaxations(index: ObjectIndex, namespace: string): string[] {
  const out: string[] = [];
  for (const pa of peerAuthentications(index, namespace)) {
    const name = pa.metadata?.name ?? '<unnamed>';
    const mode = modeOf(pa);
    if (mode === 'PERMISSIVE' || mode === 'DISABLE') out.push(`PeerAuthentication '${name}' sets mtls.mode ${mode}`);
    const ports = asRecord(asRecord(pa.spec).portLevelMtls);
    for (const [port, value] of Object.entries(ports)) {
      const m = isRecord(value) ? value.mode : undefined;
      if (m === 'PERMISSIVE' || m === 'DISABLE')
        out.push(`PeerAuthentication '${name}' sets port ${port} to ${String(m)}`);
    }
  }
  return out;
}

/**
 * network-mesh-mtls: a namespace whose workloads are in a service mesh must require mutual TLS for all of them. Istio:
 * a namespace-wide PeerAuthentication with `mtls.mode: STRICT` in the namespace (or one in the mesh's root namespace,
 * istio-system, that no namespace-wide PeerAuthentication of the namespace overrides), and no PeerAuthentication that
 * lets plaintext in (PERMISSIVE or DISABLE, for a workload or a port). Linkerd: the namespace's
 * `config.linkerd.io/default-inbound-policy` admits only authenticated clients.
 */
export const networkMeshMtls = defineRule({
  id: 'network-mesh-mtls',
  title: 'Namespaces in a service mesh must require mutual TLS (Istio PeerAuthentication STRICT)',
  severity: 'warning',
  group: 'network',
  scope: 'object',
  kinds: ['Namespace'],
  references: {
    nsa: ['Network separation and hardening: encrypt traffic (TLS) between components'],
    owasp: ['K07'],
  },
  remediation:
    "Add a PeerAuthentication named 'default' with no selector and spec.mtls.mode STRICT to the namespace (bulwark's IstioStrictMtls construct), and remove PERMISSIVE or DISABLE PeerAuthentications; for Linkerd, annotate the namespace config.linkerd.io/default-inbound-policy: all-authenticated.",
  check(object, ctx) {
    const namespace = object.metadata?.name;
    if (!namespace) return NO_VIOLATIONS;
    const mesh = meshOf(object, ctx.index);
    if (!mesh) return NO_VIOLATIONS;
    if (mesh === 'linkerd') {
      const policy = asRecord(object.metadata?.annotations)['config.linkerd.io/default-inbound-policy'];
      if (typeof policy === 'string' && LINKERD_STRICT_POLICIES.includes(policy)) return NO_VIOLATIONS;
      return [
        {
          message: `namespace '${namespace}' is meshed by Linkerd, whose default inbound policy (${
            typeof policy === 'string' ? `'${policy}'` : "unset, so the cluster default 'all-unauthenticated'"
          }) admits plaintext clients; annotate it config.linkerd.io/default-inbound-policy: all-authenticated`,
          path: "metadata.annotations['config.linkerd.io/default-inbound-policy']",
        },
      ];
    }
    const out: Violation[] = [];
    const local = peerAuthentications(ctx.index, namespace).filter(namespaceWide);
    const strictHere = local.some((pa) => modeOf(pa) === 'STRICT');
    const overridden = local.some((pa) => modeOf(pa) !== undefined && modeOf(pa) !== 'STRICT');
    const strictMeshWide = peerAuthentications(ctx.index, ISTIO_ROOT_NAMESPACE)
      .filter(namespaceWide)
      .some((pa) => modeOf(pa) === 'STRICT');
    if (!strictHere && !(strictMeshWide && !overridden)) {
      out.push({
        message: `namespace '${namespace}' is in the Istio mesh but no PeerAuthentication requires mTLS for all its workloads (none without selector with mtls.mode STRICT here or in ${ISTIO_ROOT_NAMESPACE}), so they accept plaintext; add PeerAuthentication 'default' with spec.mtls.mode STRICT`,
        path: 'metadata.name',
      });
    }
    for (const r of relaxations(ctx.index, namespace)) {
      out.push({
        message: `namespace '${namespace}' is in the Istio mesh but ${r}, which accepts plaintext; use STRICT`,
        path: 'metadata.name',
      });
    }
    return out;
  },
});
