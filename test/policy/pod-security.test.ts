import { evaluatePodSecurity, K8sObject, PodSecurityOptions } from '../../lib/policy';

/** A pod that satisfies restricted at every version; tests change one thing at a time. */
interface PodPatch {
  readonly spec?: Record<string, unknown>;
  /** Merged into the container's securityContext. */
  readonly securityContext?: Record<string, unknown>;
  /** Merged into the container. */
  readonly container?: Record<string, unknown>;
}

function restrictedPod(patch: PodPatch = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:1',
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            ...patch.securityContext,
          },
          ...patch.container,
        },
      ],
      ...patch.spec,
    },
  };
}

const ids = (object: K8sObject, options: PodSecurityOptions) =>
  evaluatePodSecurity(object, options).map((f) => f.ruleId);

describe('evaluatePodSecurity', () => {
  it('admits a restricted pod at every level and version', () => {
    for (const level of ['baseline', 'restricted'] as const) {
      for (let minor = 0; minor <= 37; minor++) {
        expect([level, minor, ids(restrictedPod(), { level, version: `v1.${minor}` })]).toEqual([level, minor, []]);
      }
      expect(ids(restrictedPod(), { level, version: 'latest' })).toEqual([]);
    }
  });

  it('runs only baseline rules at baseline', () => {
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'plain' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    };
    expect(ids(pod, { level: 'baseline', version: 'latest' })).toEqual([]);
    expect(ids(pod, { level: 'restricted', version: 'latest' })).toEqual([
      'pss-restricted-capabilities',
      'pss-restricted-privilege-escalation',
      'pss-restricted-run-as-non-root',
      'pss-restricted-seccomp',
    ]);
  });

  it('returns findings with the exact message and field path, for a workload template too', () => {
    const cronJob: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'finance' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'report', image: 'report:1' }] } } } },
      },
    };
    const findings = evaluatePodSecurity(cronJob, { level: 'restricted', version: 'v1.30' });
    expect(findings.find((f) => f.ruleId === 'pss-restricted-privilege-escalation')).toMatchObject({
      message:
        "container 'report' does not set securityContext.allowPrivilegeEscalation (unset means true); required: false",
      container: 'report',
      path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      object: { apiVersion: 'batch/v1', kind: 'CronJob', namespace: 'finance', name: 'report' },
    });
  });

  it('introduces checks at their upstream versions', () => {
    const root = restrictedPod({ securityContext: { runAsUser: 0 } });
    expect(ids(root, { level: 'restricted', version: 'v1.22' })).toEqual([]);
    expect(evaluatePodSecurity(root, { level: 'restricted', version: 'v1.23' }).map((f) => f.message)).toEqual([
      "container 'web' sets securityContext.runAsUser=0; allowed: a non-zero UID or unset",
    ]);

    const escalating = restrictedPod({ securityContext: { allowPrivilegeEscalation: true } });
    expect(ids(escalating, { level: 'restricted', version: 'v1.7' })).toEqual([]);
    expect(ids(escalating, { level: 'restricted', version: 'v1.8' })).toEqual(['pss-restricted-privilege-escalation']);

    const probeHost = restrictedPod({ container: { readinessProbe: { tcpSocket: { host: '::1', port: 8080 } } } });
    expect(ids(probeHost, { level: 'baseline', version: 'v1.33' })).toEqual([]);
    expect(evaluatePodSecurity(probeHost, { level: 'baseline', version: 'v1.34' }).map((f) => f.message)).toEqual([
      "container 'web' sets readinessProbe.tcpSocket.host='::1'; allowed: empty or unset (the pod IP)",
    ]);
  });

  it('grows the safe sysctl list and the SELinux types by version', () => {
    const sysctl = restrictedPod({
      spec: {
        securityContext: {
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
          sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }],
        },
      },
    });
    expect(evaluatePodSecurity(sysctl, { level: 'baseline', version: 'v1.31' }).map((f) => f.message)).toEqual([
      "pod sets securityContext.sysctls[0].name='net.ipv4.tcp_rmem', not a safe sysctl; allowed: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes",
    ]);
    expect(ids(sysctl, { level: 'baseline', version: 'v1.32' })).toEqual([]);

    const engine = restrictedPod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } });
    expect(evaluatePodSecurity(engine, { level: 'baseline', version: 'v1.30' }).map((f) => f.message)).toEqual([
      "container 'web' sets securityContext.seLinuxOptions.type='container_engine_t'; allowed: container_t, container_init_t, container_kvm_t or unset",
    ]);
    expect(ids(engine, { level: 'baseline', version: 'v1.31' })).toEqual([]);
  });

  it('checks seccomp annotations before v1.19 and the seccompProfile fields from v1.19', () => {
    const annotated: K8sObject = {
      ...restrictedPod(),
      metadata: { name: 'web', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
    };
    expect(evaluatePodSecurity(annotated, { level: 'baseline', version: 'v1.18' })).toMatchObject([
      {
        ruleId: 'pss-baseline-seccomp',
        message:
          "annotation seccomp.security.alpha.kubernetes.io/pod='unconfined'; allowed: runtime/default, docker/default or localhost/<profile> (checked before v1.19)",
        path: "metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']",
      },
    ]);
    expect(ids(annotated, { level: 'baseline', version: 'v1.19' })).toEqual([]);

    const unconfined = restrictedPod({ securityContext: { seccompProfile: { type: 'Unconfined' } } });
    expect(ids(unconfined, { level: 'baseline', version: 'v1.18' })).toEqual([]);
    expect(ids(unconfined, { level: 'baseline', version: 'v1.19' })).toEqual(['pss-baseline-seccomp']);
    expect(ids(unconfined, { level: 'restricted', version: 'v1.19' })).toEqual([
      'pss-baseline-seccomp',
      'pss-restricted-seccomp',
    ]);
  });

  describe('Windows pods (spec.os.name: windows)', () => {
    const windows = (container: Record<string, unknown>): K8sObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'iis' },
      spec: {
        os: { name: 'windows' },
        securityContext: { runAsNonRoot: true },
        containers: [{ name: 'iis', image: 'iis:1', securityContext: container }],
      },
    });

    it('are exempt from restricted privilege escalation, seccomp and capabilities from v1.25', () => {
      const bare = windows({});
      expect(ids(bare, { level: 'restricted', version: 'v1.24' })).toEqual([
        'pss-restricted-capabilities',
        'pss-restricted-privilege-escalation',
        'pss-restricted-seccomp',
      ]);
      expect(ids(bare, { level: 'restricted', version: 'v1.25' })).toEqual([]);
    });

    it('are admitted at restricted v1.25+ even where baseline rejects them, because upstream replaces those baseline checks at restricted', () => {
      const pod = windows({ capabilities: { add: ['NET_RAW'] }, seccompProfile: { type: 'Unconfined' } });
      expect(ids(pod, { level: 'baseline', version: 'v1.25' })).toEqual([
        'pss-baseline-capabilities',
        'pss-baseline-seccomp',
      ]);
      expect(ids(pod, { level: 'restricted', version: 'v1.25' })).toEqual([]);
      expect(ids(pod, { level: 'restricted', version: 'latest' })).toEqual([]);
      expect(ids(pod, { level: 'restricted', version: 'v1.24' })).toEqual([
        'pss-baseline-capabilities',
        'pss-baseline-seccomp',
        'pss-restricted-capabilities',
        'pss-restricted-capabilities',
        'pss-restricted-privilege-escalation',
        'pss-restricted-seccomp',
      ]);
    });

    it('are still subject to every other check', () => {
      const hostProcess = windows({ windowsOptions: { hostProcess: true } });
      expect(ids(hostProcess, { level: 'restricted', version: 'latest' })).toEqual([
        'pss-baseline-windows-host-process',
      ]);
    });
  });

  describe('user-namespace pods (spec.hostUsers: false)', () => {
    const userns = (securityContext: Record<string, unknown>) =>
      restrictedPod({
        spec: { hostUsers: false, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
        securityContext,
      });

    it('are exempt from runAsNonRoot and runAsUser from v1.35', () => {
      const root = userns({ runAsUser: 0 });
      expect(ids(root, { level: 'restricted', version: 'v1.34' })).toEqual([
        'pss-restricted-run-as-non-root',
        'pss-restricted-run-as-user',
      ]);
      expect(ids(root, { level: 'restricted', version: 'v1.35' })).toEqual([]);
    });

    it('may unmask /proc at baseline from v1.35, never at restricted', () => {
      const unmasked = userns({ procMount: 'Unmasked', runAsNonRoot: true });
      expect(ids(unmasked, { level: 'baseline', version: 'v1.34' })).toEqual(['pss-baseline-proc-mount']);
      expect(ids(unmasked, { level: 'baseline', version: 'v1.35' })).toEqual([]);
      expect(evaluatePodSecurity(unmasked, { level: 'restricted', version: 'v1.35' }).map((f) => f.message)).toEqual([
        "container 'web' sets securityContext.procMount='Unmasked'; allowed at restricted: Default or unset, even with spec.hostUsers=false",
      ]);
    });
  });

  it('treats latest as the newest version', () => {
    const pod = restrictedPod({
      spec: {
        securityContext: {
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
          sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }],
        },
      },
    });
    expect(ids(pod, { level: 'baseline', version: 'v1.36' })).toEqual(['pss-baseline-sysctls']);
    expect(ids(pod, { level: 'baseline', version: 'v1.37' })).toEqual([]);
    expect(ids(pod, { level: 'baseline', version: 'latest' })).toEqual([]);
  });

  it('leaves out findings waived by an exemption annotation', () => {
    const pod: K8sObject = {
      ...restrictedPod({ spec: { hostNetwork: true } }),
      metadata: { name: 'web', annotations: { 'exempt.bulwark.dev/pss-baseline-host-namespaces': 'CNI agent' } },
    };
    expect(ids(pod, { level: 'baseline', version: 'latest' })).toEqual([]);
  });

  it('ignores objects without a pod spec', () => {
    const service: K8sObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'NodePort' },
    };
    expect(ids(service, { level: 'restricted', version: 'latest' })).toEqual([]);
  });

  it('refuses a malformed version with what is allowed', () => {
    expect(() => evaluatePodSecurity(restrictedPod(), { level: 'restricted', version: '1.x' })).toThrow(
      new RangeError("invalid Pod Security version '1.x': use vX.Y (v1.0 to v1.37) or latest"),
    );
  });
});
