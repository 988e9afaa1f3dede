import { IConstruct } from 'constructs';
import type { EnvVar } from 'kubernetes-types/core/v1';
import { propError } from '../construct/errors';
import { isEnvVarName } from '../k8s/env-var-name';
import { ContainerOptions } from './container-spec';

/** Names that say their value is a secret: such a value must come from a store, not sit in the manifest. */
export const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Pod fields the downward API gives as env (fieldRef), as Kubernetes accepts them; secrets are not among them. */
const POD_FIELDS = new Set([
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const LABEL_OR_ANNOTATION = /^metadata\.(labels|annotations)\['[-._a-zA-Z0-9/]{1,316}'\]$/;
/** The container's own resources (resourceFieldRef). */
const RESOURCE_FIELD = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/;

/** Where a namespaced source of env or files lives, for the same-namespace check. */
interface NamespacedSource {
  readonly namespace: string;
  readonly description: string;
}

const SAME_NAMESPACE = {
  secret: {
    problem: 'cannot mount a secret',
    allowed: 'a secret source',
    fix: 'create the ExternalSecret or SecretProviderClass in the workload’s namespace',
  },
  config: {
    problem: 'cannot read a ConfigMap',
    allowed: 'a HardenedConfigMap',
    fix: 'create the HardenedConfigMap in the workload’s namespace',
  },
};

/** Refuses a source from another namespace (a pod can read only its own namespace's ConfigMaps and Secrets). */
export function requireSameNamespace(
  scope: IConstruct,
  prop: string,
  source: NamespacedSource,
  namespace: string,
  what: keyof typeof SAME_NAMESPACE,
): void {
  if (source.namespace !== namespace) {
    const t = SAME_NAMESPACE[what];
    throw propError({
      scope,
      prop,
      received: source.description,
      problem: `a pod in namespace '${namespace}' ${t.problem} of namespace '${source.namespace}'`,
      allowed: `${t.allowed} in namespace '${namespace}'`,
      fix: t.fix,
    });
  }
}

function requireEnvName(scope: IConstruct, prop: string, name: string, example: string): void {
  if (!isEnvVarName(name)) {
    throw propError({
      scope,
      prop,
      received: name,
      allowed: "an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)",
      fix: `use a name such as '${example}'`,
    });
  }
}

/**
 * The environment of one container: plain `env`, downward-API `fieldEnv`, `configEnv` and `secretEnv`, each name
 * once. `p` turns a prop name into its path in the props (`env`, `sidecars[0].env`).
 */
export function buildEnv(
  scope: IConstruct,
  p: (prop: string) => string,
  spec: ContainerOptions,
  namespace: string,
): EnvVar[] {
  const out: EnvVar[] = [];
  const seen = new Map<string, string>();
  const once = (prop: string, name: string) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw propError({
        scope,
        prop: p(prop),
        received: name,
        problem: `also set by ${p(first)}`,
        allowed: 'each variable name once across env, fieldEnv, configEnv and secretEnv',
        fix: 'keep one of the two',
      });
    }
    seen.set(name, prop);
  };

  for (const [name, value] of Object.entries(spec.env ?? {})) {
    requireEnvName(scope, p('env'), name, 'LOG_LEVEL');
    if (SECRET_LIKE_NAME.test(name)) {
      throw propError({
        scope,
        prop: p(`env['${name}']`),
        received: typeof value === 'string' && value.length > 0 ? '<redacted>' : value,
        problem: 'a secret-looking variable with a literal value would be written into the manifest',
        allowed: 'plain configuration only; secrets come from secretEnv or secretFiles (OWASP K08)',
        fix: `move it to an ExternalSecret and read it with secretEnv: { ${name}: { source, key } }`,
      });
    }
    once('env', name);
    out.push({ name, value });
  }

  for (const [name, path] of Object.entries(spec.fieldEnv ?? {})) {
    const prop = `fieldEnv['${name}']`;
    requireEnvName(scope, p('fieldEnv'), name, 'POD_NAME');
    const resource = typeof path === 'string' && RESOURCE_FIELD.test(path);
    if (typeof path !== 'string' || (!POD_FIELDS.has(path) && !LABEL_OR_ANNOTATION.test(path) && !resource)) {
      throw propError({
        scope,
        prop: p(prop),
        received: path,
        allowed: `a downward API field: ${[...POD_FIELDS].join(', ')}, metadata.labels['<key>'], metadata.annotations['<key>'], or the container's limits.cpu, requests.memory, ...`,
        fix: "e.g. fieldEnv: { POD_NAME: 'metadata.name', POD_IP: 'status.podIP' }; read secrets with secretEnv",
      });
    }
    once('fieldEnv', name);
    out.push({
      name,
      valueFrom: resource
        ? { resourceFieldRef: { resource: path } }
        : { fieldRef: { apiVersion: 'v1', fieldPath: path } },
    });
  }

  for (const [name, ref] of Object.entries(spec.configEnv ?? {})) {
    const prop = `configEnv['${name}']`;
    requireEnvName(scope, p('configEnv'), name, 'LOG_LEVEL');
    requireSameNamespace(scope, p(`${prop}.config`), ref.config, namespace, 'config');
    if (!ref.config.hasKey(ref.key)) {
      throw propError({
        scope,
        prop: p(`${prop}.key`),
        received: ref.key,
        problem: `${ref.config.description} has no such key`,
        allowed: `one of its keys: ${ref.config.dataKeys.join(', ')}`,
        fix: 'add the key to the ConfigMap data or fix the name',
      });
    }
    once('configEnv', name);
    out.push({ name, valueFrom: { configMapKeyRef: { name: ref.config.name, key: ref.key } } });
  }

  for (const [name, ref] of Object.entries(spec.secretEnv ?? {})) {
    const prop = `secretEnv['${name}']`;
    requireSameNamespace(scope, p(`${prop}.source`), ref.source, namespace, 'secret');
    requireEnvName(scope, p('secretEnv'), name, 'DB_PASSWORD');
    if (ref.source._kubernetesSecretName === undefined) {
      throw propError({
        scope,
        prop: p(`${prop}.source`),
        received: ref.source.description,
        problem: 'a CSI volume materializes no Kubernetes Secret to read environment variables from',
        allowed: 'an ExternalSecret',
        fix: 'mount the SecretProviderClass with secretFiles and read the file, or use an ExternalSecret',
      });
    }
    if (!ref.source.hasKey(ref.key)) {
      throw propError({
        scope,
        prop: p(`${prop}.key`),
        received: ref.key,
        problem: `${ref.source.description} has no such key`,
        allowed: 'a key listed in the ExternalSecret data',
        fix: 'add the key to the ExternalSecret or fix the name',
      });
    }
    once('secretEnv', name);
    out.push({ name, valueFrom: { secretKeyRef: { name: ref.source._kubernetesSecretName, key: ref.key } } });
  }
  return out;
}
