import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { VolumeMount } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { requireDnsLabel, requireIntegerAtLeast, requireMountPath, requireQuantity } from '../construct/validators';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { requireServiceName } from '../construct/object-names';

/** Persistent storage for each replica, from a volumeClaimTemplate. */
export interface VolumeClaim {
  /** Claim name (DNS-1123 label); each replica gets `<name>-<statefulset>-<ordinal>`. */
  readonly name: string;
  /** Absolute directory the volume is mounted at (writable: the root filesystem stays read-only). */
  readonly mountPath: string;
  /** Requested size, e.g. '10Gi'. */
  readonly size: string;
  /** @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default 'ReadWriteOncePod' is not universal yet: 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod';
}

export interface HardenedStatefulSetProps extends HardenedWorkloadProps {
  /**
   * Number of pods, each with its own identity and volumes. Required: a stateful store is either one instance or a
   * cluster that replicates itself, and only its author knows which (a silent default of 2 would make a single Redis
   * two independent ones).
   */
  readonly replicas: number;
  /** Persistent volumes per replica. @default none */
  readonly volumeClaims?: readonly VolumeClaim[];
}

/**
 * A StatefulSet with the same hardened pod as HardenedDeployment, per-replica persistent volumes owned by the pod's
 * fsGroup, a headless Service for stable network identities, ordered rolling updates, a PodDisruptionBudget, and
 * volumes retained when the set is deleted or scaled down (data outlives mistakes).
 */
export class HardenedStatefulSet extends HardenedWorkload {
  public readonly resource: ApiObject;
  /** The headless Service (`clusterIP: None`) giving each replica a stable DNS name. */
  public readonly service: ApiObject;
  public readonly podDisruptionBudget: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id, props);
    if (props.replicas === undefined) {
      throw propError({
        scope: this,
        prop: 'replicas',
        received: undefined,
        problem:
          'a StatefulSet has no safe default: each replica is an independent store unless the software replicates',
        allowed: 'an integer ≥ 1',
        fix: 'set replicas: 1 for a single-instance store, or the cluster size your software replicates across',
      });
    }
    const replicas = requireIntegerAtLeast(
      this,
      'replicas',
      props.replicas,
      1,
      'set 1 for a single-instance store, or the size of a replicating cluster',
    );
    // The headless Service carries the workload's name: a DNS-1035 label.
    requireServiceName(this, this.name, props.name);
    const claimNames = new Map<string, number>();
    const claims = (props.volumeClaims ?? []).map((c, i) => {
      const claim = this.claim(c, i);
      const first = claimNames.get(claim.name);
      if (first !== undefined) {
        throw propError({
          scope: this,
          prop: `volumeClaims[${i}].name`,
          received: claim.name,
          problem: `also the name of volumeClaims[${first}]`,
          allowed: 'a claim name unique in the StatefulSet',
          fix: 'rename one of the claims',
        });
      }
      claimNames.set(claim.name, i);
      return claim;
    });
    const writable = new Set((props.writablePaths ?? ['/tmp']).map((p) => p.replace(/\/+$/, '')));
    const mounts: VolumeMount[] = claims.map((c, i) => {
      if (writable.has(c.mountPath)) {
        throw propError({
          scope: this,
          prop: `volumeClaims[${i}].mountPath`,
          received: c.mountPath,
          problem: 'also a writablePaths entry',
          allowed: 'a path not listed in writablePaths',
          fix: 'remove the path from writablePaths: the claim is writable already',
        });
      }
      return { name: c.name, mountPath: c.mountPath };
    });

    const template = this.podTemplate(props, {
      requiresProbes: true,
      extraVolumeMounts: mounts,
      extraSpec: { topologySpreadConstraints: this.spreadConstraints() },
    });
    // Change volume ownership only when the root's group differs: fast restarts on large volumes.
    template.spec!.securityContext = { ...template.spec!.securityContext, fsGroupChangePolicy: 'OnRootMismatch' };

    const ports = this.servicePorts();
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.metadata(),
      spec: { type: 'ClusterIP', clusterIP: 'None', selector: { ...this.selector }, ports },
    });

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: this.workloadMetadata(),
      spec: {
        replicas,
        serviceName: this.name,
        revisionHistoryLimit: 5,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: { ...this.selector } },
        template,
        ...(claims.length
          ? {
              volumeClaimTemplates: claims.map((c) => ({
                metadata: { name: c.name, labels: { ...this.labels } },
                spec: {
                  accessModes: [c.accessMode],
                  resources: { requests: { storage: c.size } },
                  ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}),
                },
              })),
            }
          : {}),
      },
    });
    this.guardPodLabels(this.resource, ['spec', 'template']);
    this.podDisruptionBudget = this.disruptionBudget();
  }

  private claim(
    c: VolumeClaim,
    i: number,
  ): Required<Omit<VolumeClaim, 'storageClassName'>> & { storageClassName?: string } {
    const prop = `volumeClaims[${i}]`;
    requireDnsLabel(this, `${prop}.name`, c.name);
    if (/^(rw|secret|config)-/.test(c.name) || c.name === 'kube-api-access') {
      throw propError({
        scope: this,
        prop: `${prop}.name`,
        received: c.name,
        problem: 'reserved for the volumes bulwark adds',
        allowed: "a name not starting with 'rw-', 'secret-' or 'config-' and not 'kube-api-access'",
        fix: "name the claim after its data, e.g. 'data'",
      });
    }
    const mountPath = requireMountPath(
      this,
      `${prop}.mountPath`,
      c.mountPath,
      "mount the volume at its data directory, e.g. '/var/lib/app'",
    );
    if (requireQuantity(this, `${prop}.size`, c.size, '10Gi') === 0) {
      throw propError({
        scope: this,
        prop: `${prop}.size`,
        received: c.size,
        problem: 'a claim of no storage',
        allowed: 'a quantity greater than zero',
        fix: "request the size the data needs, e.g. '10Gi'",
      });
    }
    if (c.storageClassName !== undefined) requireDnsLabel(this, `${prop}.storageClassName`, c.storageClassName);
    return { ...c, mountPath, accessMode: c.accessMode ?? 'ReadWriteOnce' };
  }
}
