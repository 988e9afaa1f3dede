import * as fs from 'fs';
import { parse } from 'yaml';
import { ConfigError, ConfigProblem } from './config-error';
import { RawConfig } from './config-reader';

/** Namespaces a stack file may hold besides bulwark's own: Pulumi's engine settings. */
const ENGINE_NAMESPACES = ['pulumi'];

/**
 * The `config:` of a stack file (`stacks/Pulumi.<stack>.yaml`) for one namespace, keys without the prefix. Used by the
 * offline plan, which has no Pulumi CLI to read the file; `pulumi up` reads the same file through `pulumi.Config`.
 * Cloud provider keys (`aws:region`, `gcp:project`) are refused: the components configure their providers from
 * bulwark's own keys, so such a key would be silently ignored.
 */
export function readStackConfig(file: string, displayPath: string, namespace = 'bulwark'): RawConfig {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(displayPath, [
      {
        key: '(file)',
        received: (e as Error).message.split('\n')[0],
        problem: 'not readable YAML',
        allowed: 'a Pulumi stack file with a top-level `config:` mapping',
        fix: 'correct the YAML syntax at the position given',
      },
    ]);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(displayPath, [
      {
        key: 'config',
        received: config,
        problem: 'missing or not a mapping',
        allowed: `a mapping of '${namespace}:<key>' entries`,
        fix: `add config: with ${namespace}:cloud, ${namespace}:clusterName, ... (see stacks/Pulumi.eks-prod.yaml)`,
      },
    ]);
  }
  const raw: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const [ns, ...rest] = key.split(':');
    if (ns === namespace && rest.length === 1 && rest[0] !== '') raw[rest[0]] = value;
    else if (ENGINE_NAMESPACES.includes(ns)) continue;
    else
      problems.push({
        key,
        received: value,
        // Other tools' keys hold their credentials (aws:secretKey, azure:clientSecret): never printed.
        secret: true,
        problem: rest.length === 1 ? `the '${ns}' namespace is not read by bulwark` : 'not a namespace:key name',
        allowed: `'${namespace}:<key>' entries (and pulumi: engine settings)`,
        fix:
          rest.length === 1
            ? `remove it: the cluster components build their own ${ns} provider from ${namespace}:region and friends; give credentials through the environment`
            : `write the key as ${namespace}:<key>`,
      });
  }
  if (problems.length > 0) throw new ConfigError(displayPath, problems);
  return raw;
}
