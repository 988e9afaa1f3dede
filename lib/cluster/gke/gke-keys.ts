import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import { nameSuffix } from '../name-suffix';

/** 90 days: the Cloud KMS rotation period recommended for symmetric keys. */
export const GKE_KEY_ROTATION_PERIOD = '7776000s';

export interface GkeKeysArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly projectNumber: pulumi.Input<string>;
}

/**
 * The cluster's Cloud KMS keys in a key ring of its own, in its region, rotating every 90 days: the etcd key
 * (application-layer Secrets encryption, CIS GKE 5.3.1) and the volumes key (boot disks and persistent disks, CIS GKE
 * 5.9.1 / 5.9.2). Key rings cannot be deleted, so the ring's name carries a random suffix kept in the stack's state: a
 * destroyed and recreated stack gets a new ring instead of failing on the old name.
 */
export class GkeKeys extends BulwarkComponent {
  public readonly etcdKeyId: pulumi.Output<string>;
  public readonly volumesKeyId: pulumi.Output<string>;
  /** IAM grants that must exist before the cluster and the node pools use the keys. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: GkeKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('GkeKeys', name, opts);
    const child = { parent: this };
    const suffix = nameSuffix(`${name}-suffix`, 2, child);
    const ringArgs: gcp.kms.KeyRingArgs = {
      name: pulumi.interpolate`${args.clusterName}-${suffix}`,
      location: args.region,
    };
    const ring = new gcp.kms.KeyRing(`${name}-ring`, ringArgs, child);
    const key = (suffix: string, member: pulumi.Input<string>, what: string) => {
      const keyArgs: gcp.kms.CryptoKeyArgs = {
        name: `${args.clusterName}-${suffix}`,
        keyRing: ring.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: GKE_KEY_ROTATION_PERIOD,
      };
      const cryptoKey = new gcp.kms.CryptoKey(`${name}-${suffix}`, keyArgs, child);
      // One service agent may use this key, and only this key.
      const accessArgs: gcp.kms.CryptoKeyIAMMemberArgs = {
        cryptoKeyId: cryptoKey.id,
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member,
      };
      const access = new gcp.kms.CryptoKeyIAMMember(`${name}-${suffix}-${what}`, accessArgs, child);
      return { cryptoKey, access };
    };
    const etcd = key(
      'etcd',
      pulumi.interpolate`serviceAccount:service-${args.projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
      'gke-agent',
    );
    // Compute Engine's service agent encrypts the disks (node boot disks and PD CSI volumes).
    const volumes = key(
      'volumes',
      pulumi.interpolate`serviceAccount:service-${args.projectNumber}@compute-system.iam.gserviceaccount.com`,
      'compute-agent',
    );
    this.etcdKeyId = etcd.cryptoKey.id;
    this.volumesKeyId = volumes.cryptoKey.id;
    this.ready = [etcd.access, volumes.access];
    this.registerOutputs({ etcdKeyId: this.etcdKeyId, volumesKeyId: this.volumesKeyId });
  }
}
