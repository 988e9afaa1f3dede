import * as pulumi from '@pulumi/pulumi';
import { RawConfig } from './config-reader';

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
  return raw;
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
