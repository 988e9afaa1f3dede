import type { K8sObject } from '../../k8s/k8s-object';
import { AddonGrantRequest, requestAnnotations } from './addon-grants';
import { addonNamespaceObjects } from './addon-namespace';

export const KUBE_BENCH_NAMESPACE = 'bulwark-kube-bench';
const NAME = 'kube-bench';

/**
 * The CIS benchmark kube-bench runs on each cloud's worker nodes (the managed control plane is the cloud's): the
 * benchmark ids of kube-bench's own job-eks.yaml, job-gke.yaml and job-aks.yaml, with `--targets node` (and
 * `policies`, the Kubernetes-policy section, which it checks through the API).
 * @see https://github.com/aquasecurity/kube-bench/blob/main/docs/running.md
 */
export const KUBE_BENCH_BENCHMARKS: Readonly<Record<'aws' | 'gcp' | 'azure', string>> = {
  aws: 'eks-1.5.0',
  gcp: 'gke-1.6.0',
  azure: 'aks-1.7',
};

/** Host paths kube-bench reads (read-only) to check the kubelet's files and flags. */
const HOST_PATHS: readonly { name: string; path: string }[] = [
  { name: 'var-lib-kubelet', path: '/var/lib/kubelet' },
  { name: 'etc-systemd', path: '/etc/systemd' },
  { name: 'etc-kubernetes', path: '/etc/kubernetes' },
  { name: 'home-kubernetes', path: '/home/kubernetes' },
];

export interface KubeBenchOptions {
  readonly cloud: 'aws' | 'gcp' | 'azure';
  /** kube-bench image pinned by digest (`docker.io/aquasec/kube-bench:v0.x.y@sha256:...`). */
  readonly image: string;
  /** Cron schedule. @default '17 3 * * *' (daily) */
  readonly schedule?: string;
}

/** The exemptions kube-bench's CronJob asks for, each with why: it reads the node's own files and processes. */
export function kubeBenchGrantRequests(): AddonGrantRequest[] {
  const g = (rule: string, reason: string): AddonGrantRequest => ({
    namespace: KUBE_BENCH_NAMESPACE,
    kind: 'CronJob',
    name: NAME,
    rule,
    reason,
  });
  return [
    g(
      'pss-baseline-host-namespaces',
      'kube-bench checks the kubelet flags of the running process, which it can only see in the host PID namespace (CIS 4.2)',
    ),
    g(
      'pss-baseline-host-path-volumes',
      'kube-bench checks the owner, mode and content of the kubelet config and kubeconfig files on the node (CIS 4.1), mounted read-only, nothing created on the node',
    ),
    g(
      'pss-restricted-volume-types',
      'kube-bench reads the kubelet files from hostPath volumes (read-only, no type: nothing is created on the node)',
    ),
    g(
      'pss-restricted-run-as-non-root',
      'the kubelet files kube-bench checks are readable by root only (mode 600 as CIS 4.1 requires); it runs as root without any capability',
    ),
    g(
      'pss-restricted-run-as-user',
      'the kubelet files kube-bench checks are readable by root only (mode 600 as CIS 4.1 requires); it runs as root without any capability',
    ),
  ];
}

/**
 * A CronJob that runs kube-bench on a node with the cloud's benchmark and writes the JSON result to standard output,
 * where the cluster's log pipeline (the cloud's managed agent, see docs/supply-chain.md) collects it. Everything but
 * the granted exemptions stays hardened: no capability, no privilege escalation, read-only root and host mounts,
 * RuntimeDefault seccomp, resources, its own namespace and ServiceAccount without API token.
 */
export function kubeBenchObjects(options: KubeBenchOptions): K8sObject[] {
  const grants = kubeBenchGrantRequests();
  const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/managed-by': 'bulwark' };
  return [
    ...addonNamespaceObjects('kube-bench', KUBE_BENCH_NAMESPACE, NAME),
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: NAME, namespace: KUBE_BENCH_NAMESPACE, labels, annotations: requestAnnotations(grants) },
      spec: {
        schedule: options.schedule ?? '17 3 * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 86400,
            template: {
              metadata: { labels, annotations: requestAnnotations(grants) },
              spec: {
                serviceAccountName: NAME,
                automountServiceAccountToken: false,
                hostPID: true,
                restartPolicy: 'Never',
                securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: NAME,
                    image: options.image,
                    command: [
                      'kube-bench',
                      'run',
                      '--targets',
                      'node',
                      '--benchmark',
                      KUBE_BENCH_BENCHMARKS[options.cloud],
                      '--json',
                    ],
                    securityContext: {
                      runAsUser: 0,
                      runAsNonRoot: false,
                      allowPrivilegeEscalation: false,
                      privileged: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    resources: {
                      requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
                      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
                    },
                    volumeMounts: HOST_PATHS.map((h) => ({ name: h.name, mountPath: h.path, readOnly: true })),
                  },
                ],
                volumes: HOST_PATHS.map((h) => ({ name: h.name, hostPath: { path: h.path } })),
              },
            },
          },
        },
      },
    },
  ];
}
