import { findingsOf } from '../../helpers/run-rule';

const IMG = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describe('workload-resources', () => {
  const deployment = (resources: string, init = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  template:
    spec:
      ${init}
      containers:
        - name: api
          image: ${IMG}
          resources: ${resources}
`;

  it('accepts requests and limits with limits at least the requests, in any valid notation', () => {
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: 0.5, memory: 1Gi }, limits: { cpu: 500m, memory: 1073741824 } }'),
      ),
    ).toEqual([]);
  });

  it('lists the missing fields of each container, init containers included', () => {
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: 100m, memory: 64Mi } }', `initContainers: [{ name: setup, image: '${IMG}' }]`),
      ),
    ).toEqual([
      "Deployment api spec.template.spec.containers[0].resources: container 'api' does not set resources.limits.cpu, resources.limits.memory; set cpu and memory requests and limits",
      "Deployment api spec.template.spec.initContainers[0].resources: container 'setup' does not set resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory; set cpu and memory requests and limits",
    ]);
  });

  it('reports a limit below its request and a malformed quantity with the value received', () => {
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: "1", memory: 128Mi }, limits: { cpu: 999m, memory: 128 Mi } }'),
      ),
    ).toEqual([
      "Deployment api spec.template.spec.containers[0].resources.limits.memory: container 'api' resources.limits.memory '128 Mi' is not a valid quantity; use e.g. '128Mi' or '1Gi'",
      "Deployment api spec.template.spec.containers[0].resources.limits.cpu: container 'api' resources.limits.cpu '999m' is below resources.requests.cpu '1'; raise the limit to at least the request",
    ]);
    expect(
      findingsOf(
        'workload-resources',
        deployment('{ requests: { cpu: -1, memory: 1Mi }, limits: { cpu: 1, memory: [] } }'),
      ),
    ).toEqual([
      "Deployment api spec.template.spec.containers[0].resources.requests.cpu: container 'api' resources.requests.cpu '-1' is not a valid quantity; use e.g. '250m' or '1'",
      "Deployment api spec.template.spec.containers[0].resources.limits.memory: container 'api' resources.limits.memory '[]' is not a valid quantity; use e.g. '128Mi' or '1Gi'",
    ]);
  });
});

describe('workload-probes', () => {
  const pod = (meta: string, spec: string) => `
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop${meta} }
spec:
  ${spec}
  initContainers: [{ name: setup, image: '${IMG}' }]
  containers:
    - name: api
      image: ${IMG}
      startupProbe: { httpGet: { path: /, port: 80 } }
`;

  it('reports regular containers of long-running pods, not init containers, and a startupProbe is not enough', () => {
    expect(findingsOf('workload-probes', pod('', ''))).toEqual([
      "Pod p spec.containers[0].readinessProbe: container 'api' has no readinessProbe and no livenessProbe; add both probes",
    ]);
    expect(findingsOf('workload-probes', pod('', 'restartPolicy: Always'))).toHaveLength(1);
  });

  it('skips pods that run to completion', () => {
    expect(findingsOf('workload-probes', pod('', 'restartPolicy: Never'))).toEqual([]);
    expect(findingsOf('workload-probes', pod('', 'restartPolicy: OnFailure'))).toEqual([]);
    expect(findingsOf('workload-probes', pod(', labels: { job-name: migrate }', ''))).toEqual([]);
    expect(
      findingsOf(
        'workload-probes',
        pod(', ownerReferences: [{ apiVersion: batch/v1, kind: Job, name: m, uid: u }]', ''),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        'workload-probes',
        pod(', ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: m, uid: u }]', ''),
      ),
    ).toHaveLength(1);
  });
});

describe('workload-read-only-root-filesystem', () => {
  it('reports every container that does not set it to true, with the value received', () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - { name: a, image: '${IMG}', securityContext: { readOnlyRootFilesystem: true } }
    - { name: b, image: '${IMG}', securityContext: { readOnlyRootFilesystem: "true" } }
    - { name: c, image: '${IMG}' }
  ephemeralContainers:
    - { name: debug, image: '${IMG}', securityContext: { readOnlyRootFilesystem: false } }
`;
    expect(findingsOf('workload-read-only-root-filesystem', yaml)).toEqual([
      'Pod p spec.containers[1].securityContext.readOnlyRootFilesystem: container \'b\' sets securityContext.readOnlyRootFilesystem="true"; set it to true',
      "Pod p spec.containers[2].securityContext.readOnlyRootFilesystem: container 'c' does not set securityContext.readOnlyRootFilesystem; set it to true",
      "Pod p spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem: container 'debug' sets securityContext.readOnlyRootFilesystem=false; set it to true",
    ]);
  });
});

describe('workload-sa-token-automount', () => {
  const sa = (name: string, ns: string, automount: string) => `
apiVersion: v1
kind: ServiceAccount
metadata: { name: ${name}, namespace: ${ns} }
${automount}
---`;
  const pod = (spec: string, ns = '') => `
apiVersion: v1
kind: Pod
metadata: { name: p${ns ? `, namespace: ${ns}` : ''} }
spec:
  ${spec}
  containers: [{ name: a, image: '${IMG}' }]
`;

  it('passes when the pod disables it, or leaves it to a ServiceAccount in the input that disables it', () => {
    expect(findingsOf('workload-sa-token-automount', pod('automountServiceAccountToken: false'))).toEqual([]);
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('api', 'shop', 'automountServiceAccountToken: false') + pod('serviceAccountName: api', 'shop'),
      ),
    ).toEqual([]);
    // A pod without namespace runs in `default`, and so does a ServiceAccount without one.
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('default', 'default', 'automountServiceAccountToken: false').replace(', namespace: default', '') + pod(''),
      ),
    ).toEqual([]);
  });

  it('reports a pod that sets true even when its ServiceAccount disables it', () => {
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('api', 'shop', 'automountServiceAccountToken: false') +
          pod('serviceAccountName: api\n  automountServiceAccountToken: true', 'shop'),
      ),
    ).toEqual([
      'Pod p spec.automountServiceAccountToken: pod sets spec.automountServiceAccountToken=true, so the token of ServiceAccount shop/api is mounted into every container whatever the ServiceAccount says; set it to false',
    ]);
  });

  it('reports an unset pod whose ServiceAccount allows it or is not in the input', () => {
    expect(
      findingsOf('workload-sa-token-automount', sa('api', 'shop', '') + pod('serviceAccountName: api', 'shop')),
    ).toEqual([
      'Pod p spec.automountServiceAccountToken: pod does not set spec.automountServiceAccountToken and ServiceAccount shop/api does not set automountServiceAccountToken: false, so its token is mounted; set it to false on the pod or the ServiceAccount',
    ]);
    expect(
      findingsOf(
        'workload-sa-token-automount',
        sa('api', 'ops', 'automountServiceAccountToken: false') + pod('serviceAccount: api', 'shop'),
      ),
    ).toEqual([
      'Pod p spec.automountServiceAccountToken: pod does not set spec.automountServiceAccountToken and ServiceAccount shop/api is not in the input, so its token is mounted unless that ServiceAccount disables it; set spec.automountServiceAccountToken: false',
    ]);
  });
});

describe('workload-default-service-account', () => {
  const pod = (spec: string) => `
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  ${spec}
  containers: [{ name: a, image: '${IMG}' }]
`;
  it('reports the implicit and explicit default, including the deprecated serviceAccount field', () => {
    expect(findingsOf('workload-default-service-account', pod('serviceAccountName: ""'))).toEqual([
      "Pod p spec.serviceAccountName: pod sets no spec.serviceAccountName, so it runs as the namespace's 'default' ServiceAccount; set it to a dedicated ServiceAccount",
    ]);
    expect(findingsOf('workload-default-service-account', pod('serviceAccount: default'))).toEqual([
      "Pod p spec.serviceAccount: pod sets spec.serviceAccount='default'; set spec.serviceAccountName to a dedicated ServiceAccount",
    ]);
    expect(findingsOf('workload-default-service-account', pod('serviceAccount: api'))).toEqual([]);
  });
});
