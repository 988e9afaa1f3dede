import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../lib/policy/engine';
import { K8sObject } from '../../lib/k8s/k8s-object';
import { parseManifestText } from '../../lib/manifest/manifests';
import { containersOf, POD_SEARCH_MAX_DEPTH, POD_SEARCH_MAX_NODES, podViewsOf } from '../../lib/k8s/pod-template';

const DIR = path.join(__dirname, '..', 'fixtures', 'pods-in-any-kind');

function fixture(name: string): K8sObject {
  const read = parseManifestText(fs.readFileSync(path.join(DIR, name), 'utf8'), name);
  expect(read.errors).toEqual([]);
  return read.objects[0];
}

describe('pods in any kind', () => {
  it.each([
    ['argo-rollout.yaml', 'spec.template.spec', ['canary-demo'], { app: 'canary-demo' }],
    ['openshift-deploymentconfig.yaml', 'spec.template.spec', ['helloworld'], { name: 'frontend' }],
    ['knative-service.yaml', 'spec.template.spec', ['containers[0]'], undefined],
    ['keda-scaledjob.yaml', 'spec.jobTargetRef.template.spec', ['rabbitmq-client'], undefined],
  ])('finds the pod spec of %s structurally at %s', (file, specPath, containers, labels) => {
    const pods = podViewsOf(fixture(file));
    expect(pods.map((p) => p.specPath)).toEqual([specPath]);
    expect(containersOf(pods[0]).map((c) => c.name)).toEqual(containers);
    expect(pods[0].metadata.labels).toEqual(labels);
  });

  it('finds no pod in a CustomResourceDefinition whose schema describes containers', () => {
    expect(podViewsOf(fixture('crd-with-pod-schema.yaml'))).toEqual([]);
  });

  it('an Argo Rollout with privileged and hostNetwork fails with the field paths of the template', () => {
    const result = audit([fixture('argo-rollout.yaml')], {
      only: ['pss-baseline-privileged', 'pss-baseline-host-namespaces'],
    });
    expect(result.findings.map((f) => [f.ruleId, f.path])).toEqual([
      ['pss-baseline-host-namespaces', 'spec.template.spec.hostNetwork'],
      ['pss-baseline-privileged', 'spec.template.spec.containers[0].securityContext.privileged'],
    ]);
  });

  it('the KEDA ScaledJob shares the host PID namespace: a finding at its job template', () => {
    const result = audit([fixture('keda-scaledjob.yaml')], { only: ['pss-baseline-host-namespaces'] });
    expect(result.findings.map((f) => f.path)).toEqual(['spec.jobTargetRef.template.spec.hostPID']);
  });

  it('finds every pod spec of an object (a driver and an executor), each with its own path', () => {
    const spark: K8sObject = {
      apiVersion: 'example.com/v1',
      kind: 'SparkLikeApp',
      metadata: { name: 's' },
      spec: {
        driver: { template: { spec: { containers: [{ name: 'd', image: 'spark:3' }] } } },
        executors: [{ podSpec: { containers: [{ name: 'e', image: 'spark:3' }] } }],
      },
    };
    expect(podViewsOf(spark).map((p) => p.specPath)).toEqual([
      'spec.driver.template.spec',
      'spec.executors[0].podSpec',
    ]);
  });

  it('stays within its depth bound and ignores metadata, status and lists of non-containers', () => {
    let deep: Record<string, unknown> = { containers: [{ name: 'x', image: 'x' }] };
    for (let i = 0; i < POD_SEARCH_MAX_DEPTH; i++) deep = { nested: deep };
    const objects: K8sObject[] = [
      { apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: 'd' }, spec: deep },
      {
        apiVersion: 'example.com/v1',
        kind: 'Meta',
        metadata: { name: 'm', annotations: {} },
        status: { containers: [{ image: 'x' }] },
        spec: { containers: ['image'], other: { containers: [{ name: 'no-image' }] } },
      },
    ];
    for (const o of objects) expect(podViewsOf(o)).toEqual([]);
  });

  it('reads the kind as data: a kind named like an Object property is not a pod kind', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(podViewsOf({ apiVersion: 'v1', kind, metadata: { name: 'x' } })).toEqual([]);
    }
  });

  it('a built-in kind name in a custom group is searched, not read at the built-in path', () => {
    const custom: K8sObject = {
      apiVersion: 'example.com/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { workload: { containers: [{ name: 'a', image: 'a' }] } },
    };
    expect(podViewsOf(custom).map((p) => p.specPath)).toEqual(['spec.workload']);
  });

  it('searches at most POD_SEARCH_MAX_NODES mappings: a pod after them in a long list is not found', () => {
    const spec = (n: number) => ({
      items: [...Array.from({ length: n }, () => ({ a: { b: 1 } })), { containers: [{ name: 'late', image: 'x' }] }],
    });
    const object = (n: number): K8sObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Big',
      metadata: {},
      spec: spec(n),
    });
    expect(podViewsOf(object(10)).map((p) => p.specPath)).toEqual(['spec.items[10]']);
    expect(podViewsOf(object(POD_SEARCH_MAX_NODES))).toEqual([]);
    expect(podViewsOf(object(100_000))).toEqual([]);
  });
});

describe('object rules match built-in groups', () => {
  it('a Knative Service is not judged by the Service rules; a core Service is', () => {
    const service = (apiVersion: string): K8sObject => ({
      apiVersion,
      kind: 'Service',
      metadata: { name: 's' },
      spec: { type: 'NodePort' },
    });
    expect(audit([service('serving.knative.dev/v1')], { only: ['service-nodeport'] }).findings).toEqual([]);
    expect(audit([service('v1')], { only: ['service-nodeport'] }).findings.map((f) => f.ruleId)).toEqual([
      'service-nodeport',
    ]);
  });
});
