import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Volume } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { resolveName, resolveNamespace, standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { ISecretSource } from './secret-source';
import { rejectUnknownProps } from '../construct/known-props';

export type SecretsStoreProvider = 'aws' | 'azure' | 'gcp' | 'vault';

export interface SecretProviderClassProps {
  /** @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace */
  readonly namespace?: string;
  /** The Secrets Store CSI driver provider. */
  readonly provider: SecretsStoreProvider;
  /**
   * Provider parameters, e.g. for aws `{ objects: '- objectName: "prod/db"\n  objectType: "secretsmanager"' }`.
   * The pod authenticates with its own service account (workload identity); nothing else is granted.
   */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * Secrets mounted straight from an external store by the Secrets Store CSI driver: no Kubernetes Secret is created,
 * the files exist only in the pod's read-only volume.
 * @see https://secrets-store-csi-driver.sigs.k8s.io/ , OWASP K08
 */
export class SecretProviderClass extends Construct implements ISecretSource {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    rejectUnknownProps(this, props);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    if (!['aws', 'azure', 'gcp', 'vault'].includes(props.provider)) {
      throw propError({
        scope: this,
        prop: 'provider',
        received: props.provider,
        allowed: "'aws', 'azure', 'gcp' or 'vault'",
        fix: 'name the Secrets Store CSI provider installed in the cluster',
      });
    }
    if (!props.parameters || Object.keys(props.parameters).length === 0) {
      throw propError({
        scope: this,
        prop: 'parameters',
        received: props.parameters,
        allowed: 'the provider parameters naming the secrets to mount',
        fix: 'see the provider documentation, e.g. `objects` for aws, `secrets` for gcp',
      });
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: this.name, namespace: this.namespace, labels: standardLabels(this.name, 'secret') },
      spec: { provider: props.provider, parameters: { ...props.parameters } },
    });
    ensureSynthValidation(this);
  }

  public get description(): string {
    return `SecretProviderClass ${this.namespace}/${this.name}`;
  }

  /** Always false: a CSI volume materializes no Kubernetes Secret, so there is no key to read into an env var. */
  public hasKey(_key: string): boolean {
    return false;
  }

  /** @internal */
  public _volume(): Omit<Volume, 'name'> {
    return {
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: this.name },
      },
    };
  }
}
