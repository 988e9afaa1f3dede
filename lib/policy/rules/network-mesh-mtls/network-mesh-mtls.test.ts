import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

describeRuleFixtures('network-mesh-mtls');

const ns = (labels: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { ${labels} } }\n---\n`;
const pa = (namespace: string, spec: string, name = 'default') =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: ${spec}\n---\n`;
const NO_STRICT =
  "Namespace shop metadata.name: namespace 'shop' is in the Istio mesh but no PeerAuthentication requires mTLS for all its workloads (none without selector with mtls.mode STRICT here or in istio-system), so they accept plaintext; add PeerAuthentication 'default' with spec.mtls.mode STRICT";

describe('network-mesh-mtls', () => {
  it('names each way plaintext gets in', () => {
    expect(findingsOf('network-mesh-mtls', ns('istio-injection: enabled'))).toEqual([NO_STRICT]);
    expect(
      findingsOf(
        'network-mesh-mtls',
        ns('istio.io/dataplane-mode: ambient') +
          pa('istio-system', '{ mtls: { mode: STRICT } }') +
          pa('shop', '{ mtls: { mode: PERMISSIVE } }'),
      ),
    ).toEqual([
      NO_STRICT,
      "Namespace shop metadata.name: namespace 'shop' is in the Istio mesh but PeerAuthentication 'default' sets mtls.mode PERMISSIVE, which accepts plaintext; use STRICT",
    ]);
    expect(
      findingsOf(
        'network-mesh-mtls',
        ns('istio.io/dataplane-mode: ambient') +
          pa('shop', '{ mtls: { mode: STRICT } }') +
          pa('shop', '{ selector: { matchLabels: { app: a } }, portLevelMtls: { "8080": { mode: DISABLE } } }', 'a'),
      ),
    ).toEqual([
      "Namespace shop metadata.name: namespace 'shop' is in the Istio mesh but PeerAuthentication 'a' sets port 8080 to DISABLE, which accepts plaintext; use STRICT",
    ]);
  });

  it('an empty selector is namespace-wide; a mode-less PeerAuthentication does not override the mesh', () => {
    expect(
      findingsOf(
        'network-mesh-mtls',
        ns('istio-injection: enabled') + pa('shop', '{ selector: {}, mtls: { mode: STRICT } }'),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        'network-mesh-mtls',
        ns('istio-injection: enabled') + pa('istio-system', '{ mtls: { mode: STRICT } }') + pa('shop', '{}'),
      ),
    ).toEqual([]);
  });

  it('says what Linkerd admits when the policy is unset or open', () => {
    const linkerd = (policy: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, annotations: { linkerd.io/inject: enabled${policy} } }\n`;
    expect(findingsOf('network-mesh-mtls', linkerd(''))).toEqual([
      "Namespace shop metadata.annotations['config.linkerd.io/default-inbound-policy']: namespace 'shop' is meshed by Linkerd, whose default inbound policy (unset, so the cluster default 'all-unauthenticated') admits plaintext clients; annotate it config.linkerd.io/default-inbound-policy: all-authenticated",
    ]);
    expect(
      findingsOf('network-mesh-mtls', linkerd(', config.linkerd.io/default-inbound-policy: cluster-unauthenticated')),
    ).toHaveLength(1);
    expect(
      findingsOf('network-mesh-mtls', linkerd(', config.linkerd.io/default-inbound-policy: cluster-authenticated')),
    ).toEqual([]);
  });
});
