import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../construct/errors';
import { resolveName, resolveNamespace, standardLabels } from '../construct/object-names';
import { ensureSynthValidation } from '../construct/synth-validation';
import { SECRET_LIKE_NAME } from './container-env';
import { rejectUnknownProps } from '../construct/known-props';

export interface HardenedConfigMapProps {
  /** Base of the name; the object is named `<name>-<hash of data>`. @default the construct id */
  readonly name?: string;
  /** @default the chart's namespace */
  readonly namespace?: string;
  /** Configuration, key → text. Keys are file names when mounted with `configFiles`. */
  readonly data: Readonly<Record<string, string>>;
}

/** Kubernetes' limit on a ConfigMap's data (etcd value size). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Non-secret configuration for workloads (`configFiles`, `configEnv`). Immutable (a running pod never sees its
 * configuration change underneath it, and the API server stops watching it), and named after a hash of its content:
 * a change is a new ConfigMap, so the pods that read it roll out through the normal, reversible, rollout.
 * Secret-looking keys are refused: secrets come from an ExternalSecret (OWASP K08).
 */
export class HardenedConfigMap extends Construct {
  public readonly resource: ApiObject;
  /** The object's name, with the content hash. */
  public readonly name: string;
  public readonly namespace: string;
  private readonly keys: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: HardenedConfigMapProps) {
    super(scope, id);
    rejectUnknownProps(this, props);
    const base = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    const data = props.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.keys(data).length === 0) {
      throw propError({
        scope: this,
        prop: 'data',
        received: data,
        allowed: 'one or more entries key → string',
        fix: "give the configuration, e.g. data: { 'app.yaml': 'level: info' }",
      });
    }
    let bytes = 0;
    for (const [key, value] of Object.entries(data)) {
      if (!KEY.test(key) || key.length > 253 || key === '.' || key.startsWith('..')) {
        throw propError({
          scope: this,
          prop: 'data',
          received: key,
          allowed: "a key of letters, digits, '-', '_', '.' (at most 253), not '.' and not starting with '..'",
          fix: "name the entry like a file, e.g. 'app.yaml'",
        });
      }
      if (typeof value !== 'string') {
        throw propError({
          scope: this,
          prop: `data['${key}']`,
          received: value,
          allowed: 'a string',
          fix: 'write the value as text (JSON.stringify for structured values)',
        });
      }
      if (SECRET_LIKE_NAME.test(key)) {
        throw propError({
          scope: this,
          prop: `data['${key}']`,
          received: '<redacted>',
          problem:
            'a secret-looking key in a ConfigMap is stored unencrypted and readable by anyone who can read config',
          allowed: 'non-secret configuration',
          fix: 'put the secret in an ExternalSecret and read it with secretFiles or secretEnv',
        });
      }
      bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    if (bytes > CONFIG_MAP_MAX_BYTES) {
      throw propError({
        scope: this,
        prop: 'data',
        received: `${bytes} bytes`,
        problem: `above the ${CONFIG_MAP_MAX_BYTES} bytes Kubernetes stores in one ConfigMap`,
        allowed: `at most ${CONFIG_MAP_MAX_BYTES} bytes of keys and values`,
        fix: 'split the configuration, or ship large files in the image',
      });
    }
    this.keys = new Set(Object.keys(data));
    this.name = `${base.slice(0, 52)}-${contentHash(data)}`;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.namespace, labels: standardLabels(base, 'config') },
      immutable: true,
      data: Object.fromEntries(Object.entries(data)),
    });
    ensureSynthValidation(this);
  }

  /** True when the data has this key. */
  public hasKey(key: string): boolean {
    return this.keys.has(key);
  }

  /** Keys of the data, sorted. */
  public get dataKeys(): string[] {
    return [...this.keys].sort();
  }

  /** A human name for errors. */
  public get description(): string {
    return `HardenedConfigMap ${this.namespace}/${this.name}`;
  }
}

/** First 10 hex digits of the SHA-256 of the data (keys sorted, so the order of writing does not matter). */
export function contentHash(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 10);
}
