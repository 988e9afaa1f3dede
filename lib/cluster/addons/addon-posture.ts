import { GRANT_API_VERSION, GRANT_SET_KIND, GRANT_SET_NAME } from '../../policy/exemption-grants';
import { getPath, resourceLabel } from '../posture/planned-resource';
import { isPinnedByDigest } from '../../k8s/image-ref';
import { Check, control, Evidence, expect, PostureControl, prop, TargetSpec } from '../posture/posture-control';
import { AddonGrantRequest, approvalProblem } from './addon-grants';
import type { AddonsConfig } from './addons-config';
import { FALCO_CAPABILITIES, FALCO_NAMESPACE, falcoGrantRequests } from './falco';
import { IMAGE_POLICY_NAMESPACE_LABEL, SBOM_PREDICATE_TYPE, VULN_PREDICATE_TYPE } from './image-policy';
import {
  POLICY_CONTROLLER_NAMESPACE,
  POLICY_CONTROLLER_UPSTREAM,
  POLICY_CONTROLLER_WEBHOOK,
  POLICY_CONTROLLER_WEBHOOK_NAMES,
  policyControllerGrantRequests,
} from './policy-controller';
import { logShippingControl } from './log-shipping';
import { KUBE_BENCH_BENCHMARKS, KUBE_BENCH_NAMESPACE, kubeBenchGrantRequests } from './kube-bench';

const GRANT_SET = `kubernetes:${GRANT_API_VERSION}:${GRANT_SET_KIND}`;

/**
 * Each of the add-on's exemption requests is granted in the ExemptionGrantSet `bulwark` the baseline installs: same
 * namespace, kind, name and rule, with an approver and an expiry within the add-on expiry policy (judged at `now`).
 * Without it admission denies the add-on's pods.
 */
function granted(requests: readonly AddonGrantRequest[], now: () => Date): Check {
  return (r) => {
    const grants = getPath(r.inputs, 'spec.grants');
    const list = Array.isArray(grants) ? (grants as Record<string, unknown>[]) : [];
    return requests.map((q): Evidence => {
      const g = list.find(
        (x) => x.namespace === q.namespace && x.kind === q.kind && x.name === q.name && x.rule === q.rule,
      );
      const problem = g ? approvalProblem({ approver: g.approver, expires: g.expires }, now()) : 'no grant';
      return {
        resource: resourceLabel(r),
        property: `spec.grants[${q.kind} ${q.namespace === undefined ? '' : `${q.namespace}/`}${q.name} ${q.rule}]`,
        actual: g ? `by ${String(g.approver)} until ${String(g.expires)}` : undefined,
        expected: 'granted with an approver, expiring within a year',
        pass: problem === undefined,
      };
    });
  };
}

function grantTarget(requests: readonly AddonGrantRequest[]): TargetSpec {
  return {
    resourceType: GRANT_SET,
    where: (r) => getPath(r.inputs, 'metadata.name') === GRANT_SET_NAME,
    whereDescribe: `ExemptionGrantSet ${GRANT_SET_NAME} of the baseline`,
    checks: [granted(requests, () => new Date())],
  };
}
const CIP = 'kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy';
const CRON_JOB = 'kubernetes:batch/v1:CronJob';

const DEPLOYMENT = 'kubernetes:apps/v1:Deployment';
const VALIDATING_WEBHOOK = 'kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration';
const CLUSTER_ROLE = 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole';

function imagePolicyControl(config: NonNullable<AddonsConfig['imagePolicy']>): PostureControl {
  const types = [
    ...(config.requireSbom ? [SBOM_PREDICATE_TYPE] : []),
    ...(config.maxScanAgeHours > 0 ? [VULN_PREDICATE_TYPE] : []),
  ];
  return control({
    id: 'addon-image-policy',
    title: 'Only images signed by the allowed signers (with SBOM and a recent scan) are admitted',
    references: ['NSA/CISA: supply chain', 'OWASP K02', 'CIS 5.5.1'],
    targets: [
      {
        resourceType: DEPLOYMENT,
        where: (r) =>
          getPath(r.inputs, 'metadata.namespace') === POLICY_CONTROLLER_NAMESPACE &&
          getPath(r.inputs, 'metadata.name') === POLICY_CONTROLLER_WEBHOOK,
        whereDescribe: `Deployment ${POLICY_CONTROLLER_NAMESPACE}/${POLICY_CONTROLLER_WEBHOOK}`,
        checks: [
          prop('spec.template.spec.containers[0].image', expect.equals(POLICY_CONTROLLER_UPSTREAM.image)),
          prop('spec.template.spec.securityContext.runAsNonRoot', expect.equals(true)),
        ],
      },
      {
        resourceType: VALIDATING_WEBHOOK,
        where: (r) => getPath(r.inputs, 'metadata.name') === POLICY_CONTROLLER_WEBHOOK_NAMES.images,
        whereDescribe: `ValidatingWebhookConfiguration ${POLICY_CONTROLLER_WEBHOOK_NAMES.images}`,
        checks: [
          prop('webhooks[0].failurePolicy', expect.equals('Fail')),
          prop(
            'webhooks[0].namespaceSelector.matchExpressions',
            expect.that(
              `${IMAGE_POLICY_NAMESPACE_LABEL} In (true)`,
              (m) =>
                JSON.stringify(m) ===
                JSON.stringify([{ key: IMAGE_POLICY_NAMESPACE_LABEL, operator: 'In', values: ['true'] }]),
            ),
          ),
        ],
      },
      {
        resourceType: CLUSTER_ROLE,
        where: (r) => getPath(r.inputs, 'metadata.name') === POLICY_CONTROLLER_WEBHOOK,
        whereDescribe: `ClusterRole ${POLICY_CONTROLLER_WEBHOOK}`,
        checks: [
          prop(
            'rules',
            expect.that(
              'no Secret of any namespace',
              (rules) =>
                Array.isArray(rules) &&
                !rules.some((x) => {
                  const res = getPath(x, 'resources');
                  return Array.isArray(res) && (res.includes('secrets') || res.includes('*'));
                }),
            ),
          ),
        ],
      },
      {
        resourceType: CIP,
        checks: [
          prop('spec.mode', expect.equals('enforce')),
          prop(
            'spec.authorities',
            expect.that(
              `one authority per signer (${config.signers.length})`,
              (a) => Array.isArray(a) && a.length === config.signers.length,
            ),
          ),
          prop(
            'spec.authorities',
            expect.every(
              expect.field(
                'attestations',
                expect.that(`attestations ${types.join(', ') || 'none'}`, (a) =>
                  types.every((t) => Array.isArray(a) && a.some((x) => getPath(x, 'predicateType') === t)),
                ),
              ),
            ),
          ),
        ],
      },
      grantTarget(policyControllerGrantRequests()),
    ],
  });
}

const DAEMON_SET = 'kubernetes:apps/v1:DaemonSet';
const CONFIG_MAP = 'kubernetes:core/v1:ConfigMap';
const FALCO_CONTAINER = 'spec.template.spec.containers[0]';

const FALCO_CONTROL = control({
  id: 'addon-falco',
  title: "Runtime detection: Falco with bulwark's rules, least-privileged eBPF driver",
  references: ['NSA/CISA: threat detection', 'OWASP K10'],
  targets: [
    {
      resourceType: DAEMON_SET,
      where: (r) => getPath(r.inputs, 'metadata.namespace') === FALCO_NAMESPACE,
      whereDescribe: `DaemonSet in ${FALCO_NAMESPACE}`,
      checks: [
        prop(
          `${FALCO_CONTAINER}.image`,
          expect.that('pinned by digest', (a) => typeof a === 'string' && isPinnedByDigest(a)),
        ),
        prop(`${FALCO_CONTAINER}.securityContext.privileged`, expect.equals(false)),
        prop(`${FALCO_CONTAINER}.securityContext.capabilities.drop`, expect.includesAll(['ALL'])),
        prop(
          `${FALCO_CONTAINER}.securityContext.capabilities.add`,
          expect.that(
            `exactly ${FALCO_CAPABILITIES.join(', ')}`,
            (a) => Array.isArray(a) && [...a].sort().join() === [...FALCO_CAPABILITIES].sort().join(),
          ),
        ),
        prop('spec.template.spec.hostPID', expect.absent('not set (no host PID namespace)')),
        prop('spec.template.spec.hostNetwork', expect.absent('not set (no host network)')),
      ],
    },
    {
      resourceType: CONFIG_MAP,
      where: (r) =>
        getPath(r.inputs, 'metadata.namespace') === FALCO_NAMESPACE &&
        getPath(r.inputs, 'metadata.name') === 'falco-rules',
      whereDescribe: `ConfigMap falco-rules in ${FALCO_NAMESPACE}`,
      checks: [
        prop(
          'data["bulwark-rules.yaml"]',
          expect.that(
            "bulwark's four rules",
            (a) => typeof a === 'string' && (a.match(/^- rule: bulwark /gm) ?? []).length === 4,
          ),
        ),
      ],
    },
    grantTarget(falcoGrantRequests()),
  ],
});

function kubeBenchControl(cloud: 'aws' | 'gcp' | 'azure'): PostureControl {
  return control({
    id: 'addon-kube-bench',
    title: `Scheduled CIS scan of the nodes (kube-bench, benchmark ${KUBE_BENCH_BENCHMARKS[cloud]})`,
    references: ['CIS 4 (worker nodes)', 'NSA/CISA: audit'],
    targets: [
      {
        resourceType: CRON_JOB,
        where: (r) => getPath(r.inputs, 'metadata.namespace') === KUBE_BENCH_NAMESPACE,
        whereDescribe: `CronJob in ${KUBE_BENCH_NAMESPACE}`,
        checks: [
          prop(
            'spec.jobTemplate.spec.template.spec.containers[0].command',
            expect.includesAll(['--benchmark', KUBE_BENCH_BENCHMARKS[cloud]]),
          ),
          prop('spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged', expect.equals(false)),
        ],
      },
      grantTarget(kubeBenchGrantRequests()),
    ],
  });
}

/** The posture controls of the add-ons a stack switched on (none for those that are off). */
export function addonControls(cloud: 'aws' | 'gcp' | 'azure', addons: AddonsConfig): PostureControl[] {
  return [
    ...(addons.imagePolicy ? [imagePolicyControl(addons.imagePolicy)] : []),
    ...(addons.falco ? [FALCO_CONTROL] : []),
    ...(addons.kubeBench ? [kubeBenchControl(cloud)] : []),
    ...(addons.logShipping ? [logShippingControl(cloud)] : []),
  ];
}
