import { DefaultDenyNamespace, HardenedDeployment, IstioStrictMtls } from '../../lib';
import { audit } from '../../lib/policy';
import { find, IMAGE, shopChart, synth } from '../helpers/charts';
import { findingsOf } from '../helpers/run-rule';

function meshedShop(withMtls: boolean) {
  const { chart } = shopChart();
  const ns = new DefaultDenyNamespace(chart, 'ns', {
    name: 'shop',
    // Without the construct, an author can still put the namespace in the mesh by label: the rule must see that.
    ...(withMtls ? {} : { labels: { 'istio.io/dataplane-mode': 'ambient' } }),
  });
  if (withMtls) new IstioStrictMtls(chart, 'mtls', { namespace: ns });
  new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
  return synth(chart);
}

describe('IstioStrictMtls', () => {
  const objects = meshedShop(true);

  it('puts the namespace in the ambient mesh and requires mTLS for every workload', () => {
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    const pa = find(objects, 'PeerAuthentication', 'default');
    expect(pa).toMatchObject({ apiVersion: 'security.istio.io/v1', metadata: { namespace: 'shop' } });
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  it('opens the default deny only for HBONE between ambient namespaces and for probes from ztunnel', () => {
    const np = find(objects, 'NetworkPolicy', 'allow-istio-ambient');
    const meshed = { namespaceSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } } };
    expect(np.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [meshed], ports: [{ protocol: 'TCP', port: 15008 }] },
        { from: [{ ipBlock: { cidr: '169.254.7.127/32' } }] },
      ],
      egress: [{ to: [meshed], ports: [{ protocol: 'TCP', port: 15008 }] }],
    });
  });

  it('its output passes the whole catalog (the rule network-mesh-mtls included)', () => {
    expect(audit(objects).findings.map((f) => `${f.ruleId} ${f.object.kind} ${f.object.name}: ${f.message}`)).toEqual(
      [],
    );
  });

  it('a namespace put in the mesh by label alone is flagged by network-mesh-mtls', () => {
    expect(findingsOf('network-mesh-mtls', meshedShop(false))).toEqual([
      "Namespace shop metadata.name: namespace 'shop' is in the Istio mesh but no PeerAuthentication requires mTLS for all its workloads (none without selector with mtls.mode STRICT here or in istio-system), so they accept plaintext; add PeerAuthentication 'default' with spec.mtls.mode STRICT",
    ]);
  });
});
