import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Volume } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { resolveName, resolveNamespace, standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { requireDnsLabel } from '../construct/validators';
import { ISecretSource } from './secret-source';
import { rejectUnknownProps } from '../construct/known-props';

export interface ExternalSecretData {
  /** Key in the materialized Kubernetes Secret (and file name when mounted). */
  readonly key: string;
  /** Key of the secret in the external store. */
  readonly remoteKey: string;
  /** Property inside a structured (JSON) remote secret. @default the whole value */
  readonly property?: string;
}

export interface ExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it materializes. @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace */
  readonly namespace?: string;
  /** Name of the SecretStore (or ClusterSecretStore) that reaches the external store. */
  readonly store: string;
  /** @default 'SecretStore' (namespaced: the team's own store, not a cluster-wide one) */
  readonly storeKind?: 'SecretStore' | 'ClusterSecretStore';
  /** Which remote secrets become which keys. */
  readonly data: readonly ExternalSecretData[];
  /** How often the operator re-reads the store, so rotations reach pods. @default '1h' */
  readonly refreshInterval?: string;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A reference to secrets held in an external store (Vault, AWS Secrets Manager, GCP Secret Manager, Azure Key Vault)
 * through the External Secrets Operator: the manifest carries only the reference, never the value.
 * @see https://external-secrets.io/latest/api/externalsecret/ , OWASP K08
 */
export class ExternalSecret extends Construct implements ISecretSource {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: ApiObject;
  /** @internal */
  public readonly _kubernetesSecretName: string;
  private readonly keys: readonly string[];

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    rejectUnknownProps(this, props);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    requireDnsLabel(this, 'store', props.store);
    if (!props.data || props.data.length === 0) {
      throw propError({
        scope: this,
        prop: 'data',
        received: props.data,
        allowed: 'at least one { key, remoteKey }',
        fix: "list the remote secrets to materialize, e.g. [{ key: 'password', remoteKey: 'prod/db/password' }]",
      });
    }
    const seen = new Set<string>();
    props.data.forEach((d, i) => {
      if (typeof d.key !== 'string' || !SECRET_KEY.test(d.key) || seen.has(d.key)) {
        throw propError({
          scope: this,
          prop: `data[${i}].key`,
          received: d.key,
          problem: seen.has(d.key) ? 'duplicate key' : 'not a valid Secret key',
          allowed: "a unique key of letters, digits, '-', '_' and '.'",
          fix: "use a file-name-like key such as 'password' or 'tls.crt'",
        });
      }
      seen.add(d.key);
      if (typeof d.remoteKey !== 'string' || d.remoteKey.trim() === '') {
        throw propError({
          scope: this,
          prop: `data[${i}].remoteKey`,
          received: d.remoteKey,
          allowed: 'the non-empty key of the secret in the external store',
          fix: "name the secret in the store, e.g. 'prod/orders/db-password'",
        });
      }
    });
    const refreshInterval = props.refreshInterval ?? '1h';
    if (!DURATION.test(refreshInterval)) {
      throw propError({
        scope: this,
        prop: 'refreshInterval',
        received: refreshInterval,
        allowed: "a Go duration such as '15m' or '1h'",
        fix: "write it like '1h'",
      });
    }
    this.keys = [...seen];
    this._kubernetesSecretName = this.name;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: this.name, namespace: this.namespace, labels: standardLabels(this.name, 'secret') },
      spec: {
        refreshInterval,
        secretStoreRef: { kind: props.storeKind ?? 'SecretStore', name: props.store },
        // The operator owns the Secret it creates: deleting the ExternalSecret deletes the material too.
        target: { name: this.name, creationPolicy: 'Owner', deletionPolicy: 'Delete' },
        data: props.data.map((d) => ({
          secretKey: d.key,
          remoteRef: { key: d.remoteKey, ...(d.property !== undefined ? { property: d.property } : {}) },
        })),
      },
    });
    ensureSynthValidation(this);
  }

  public get description(): string {
    return `ExternalSecret ${this.namespace}/${this.name}`;
  }

  /** True when the secret materializes this key. */
  public hasKey(key: string): boolean {
    return this.keys.includes(key);
  }

  /** @internal */
  public _volume(): Omit<Volume, 'name'> {
    // Owner and group read only (the pod's fsGroup), mounted read-only.
    return { secret: { secretName: this.name, defaultMode: 0o440 } };
  }
}
