import * as pulumi from '@pulumi/pulumi';
import { markSecretKeys, RawConfig } from './config-reader';

/**
 * The stack's config for one namespace as `pulumi up` sees it, keys without the prefix. Pulumi hands every value over
 * as a string and structured values (lists, mappings) as JSON, which is parsed back so that the same validation
 * applies to the stack file and to a real run.
 */
export function rawConfigFromPulumi(namespace = 'bulwark'): RawConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    const [ns, name] = key.split(':');
    if (ns !== namespace || name === undefined) continue;
    raw[name] = parseStructured(value);
  }
  return markSecretKeys(raw, secretKeys(namespace));
}

function parseStructured(value: string): unknown {
  const t = value.trim();
  if (!t.startsWith('[') && !t.startsWith('{')) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

/** The keys of `namespace` that Pulumi marks secret, as it hands them to the program (PULUMI_CONFIG_SECRET_KEYS). */
function secretKeys(namespace: string): string[] {
  try {
    const keys = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? '[]') as unknown;
    return Array.isArray(keys)
      ? keys
          .filter((k): k is string => typeof k === 'string' && k.startsWith(`${namespace}:`))
          .map((k) => k.slice(namespace.length + 1))
      : [];
  } catch {
    return [];
  }
}
