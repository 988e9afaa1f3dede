import { networkGraphOf } from '../../lib/graph/reachability';
import { renderMermaid } from '../../lib/graph/render-mermaid';
import { networkPolicy, SMALL_CASE } from '../helpers/graph-objects';

describe('renderMermaid', () => {
  it('draws a small case exactly: namespaces as subgraphs, ports on edges, outside edges dashed, open workloads marked', () => {
    expect(renderMermaid(networkGraphOf(SMALL_CASE))).toBe(`flowchart LR
  subgraph ns_back["namespace back"]
    w_back_Deployment_api["api<br/>Deployment"]
  end
  subgraph ns_front["namespace front"]
    w_front_Deployment_web["web<br/>Deployment<br/>⚠ open to all"]
  end
  x_anywhere(["anywhere"])
  x_pods_app_api(["any other namespace: app=api"])
  w_back_Deployment_api -->|"any"| w_front_Deployment_web
  w_back_Deployment_api -.->|"any"| x_anywhere
  w_front_Deployment_web -->|"TCP 8080"| w_back_Deployment_api
  w_front_Deployment_web -.->|"any"| x_pods_app_api
  x_anywhere -.->|"any"| w_front_Deployment_web
  classDef open fill:#fdecea,stroke:#c62828,stroke-width:2px,color:#7f1d1d
  classDef outside fill:#f4f4f5,stroke:#71717a,stroke-dasharray:4 3
  class w_front_Deployment_web open
  class x_anywhere,x_pods_app_api outside
`);
  });

  it('escapes quotes and angle brackets in labels and keeps ids unique after sanitizing', () => {
    const g = networkGraphOf([
      { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a' }, spec: { containers: [] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a', name: 'x.y' }, spec: { containers: [] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a', name: 'x-y' }, spec: { containers: [] } },
      networkPolicy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    const text = renderMermaid(g);
    expect(text).toContain('w_a_Pod_unnamed["#lt;unnamed#gt;<br/>Pod"]');
    expect(text).toContain('w_a_Pod_x_y["x-y<br/>Pod"]');
    expect(text).toContain('w_a_Pod_x_y_2["x.y<br/>Pod"]');
  });
});
