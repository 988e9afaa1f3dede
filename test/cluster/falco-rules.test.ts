import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  BULWARK_FALCO_RULES,
  FALCO_CONFIG,
  FALCO_NODE_KERNELS,
  FALCO_UPSTREAM,
  NO_EGRESS_LABEL,
} from '../../lib/cluster/addons/falco';
import { amiTypeFor } from '../../lib/cluster/eks/eks-node-group';
import { hardenedNodeConfig } from '../../lib/cluster/gke/gke-node-pool';
import { hardenedPoolProfile } from '../../lib/cluster/aks/aks-node-pool';
import type { NodeGroupConfig } from '../../lib/cluster/contracts/cloud-contracts';
import { conditionRefs, FalcoField, outputFields, resolveField } from './falco-condition';

// bulwark's Falco rules and configuration against what Falco 0.44.1 really runs, vendored in
// test/fixtures/falco-0.44.1 (README.md there: versions, commits, licenses): the fields of libsinsp 0.25.4 and of the
// container plugin 0.7.1, the default rules falco-rules-5.1.0, the default falco.yaml and the plugin's config schema.

const DIR = path.join(__dirname, '..', 'fixtures', 'falco-0.44.1');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');
const FIELDS = new Map((JSON.parse(read('fields.json')) as FalcoField[]).map((f) => [f.name, f]));
type Item = { rule?: string; macro?: string; list?: string; condition?: string; output?: string; items?: unknown[] };
const DEFAULTS = parse(read('falco_rules-5.1.0.yaml')) as Item[];
const OURS = parse(BULWARK_FALCO_RULES) as Item[];

const names = (items: Item[], key: 'rule' | 'macro' | 'list') =>
  new Set(items.map((i) => i[key]).filter((n): n is string => typeof n === 'string'));

/** Every field, macro and list a set of rule items names that does not resolve (against the given definitions). */
function unresolved(items: Item[], macros: Set<string>, lists: Set<string>): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (typeof item.condition === 'string') {
      const refs = conditionRefs(item.condition);
      for (const f of refs.fields) if (!resolveField(f, FIELDS)) out.push(`field ${f}`);
      for (const m of refs.macros) if (!macros.has(m)) out.push(`macro ${m}`);
    }
    for (const f of outputFields(item.output ?? '')) if (!resolveField(f, FIELDS)) out.push(`output field ${f}`);
    for (const x of item.items ?? [])
      if (typeof x === 'string' && /^[a-z_]+_[a-z_]+$/.test(x) && !lists.has(x)) {
        // A bare identifier with an underscore in a list's items: a list reference (Falco expands it) or a typo.
        out.push(`list ${x}`);
      }
  }
  return out;
}

describe('the condition reader agrees with Falco on its own default rules (falco-rules-5.1.0)', () => {
  it('reads every condition of the default rules, and every field they name is in the field list', () => {
    const conditions = DEFAULTS.filter((i) => typeof i.condition === 'string');
    expect(conditions.length).toBeGreaterThan(100);
    const macros = names(DEFAULTS, 'macro');
    const problems = DEFAULTS.flatMap((i) => {
      if (typeof i.condition !== 'string') return [];
      const refs = conditionRefs(i.condition);
      return [
        ...refs.fields.filter((f) => !resolveField(f, FIELDS)).map((f) => `${i.rule ?? i.macro}: field ${f}`),
        ...refs.macros.filter((m) => !macros.has(m)).map((m) => `${i.rule ?? i.macro}: macro ${m}`),
        ...outputFields(i.output ?? '')
          .filter((f) => !resolveField(f, FIELDS))
          .map((f) => `${i.rule}: output ${f}`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ['a field that does not exist', 'evt.typ = open', 'field evt.typ'],
    ['a field that needs an argument, without it', 'k8s.pod.label = x', 'field k8s.pod.label'],
    ['an undefined macro', 'bulwark_contaner and evt.type = open', 'macro bulwark_contaner'],
  ])('catches %s', (_label, condition, problem) => {
    expect(unresolved([{ rule: 'x', condition }], new Set(), new Set())).toEqual([problem]);
  });

  it('refuses what Falco would not parse', () => {
    expect(() => conditionRefs('evt.type in open')).toThrow("expected '(' after a list operator, got 'open'");
    expect(() => conditionRefs('(evt.type = open')).toThrow('unexpected end of condition');
  });
});

describe("bulwark's Falco rules (BULWARK_FALCO_RULES) on Falco 0.44.1", () => {
  const macros = new Set([...names(DEFAULTS, 'macro'), ...names(OURS, 'macro')]);
  const lists = new Set([...names(DEFAULTS, 'list'), ...names(OURS, 'list')]);

  it('name only fields that exist (libsinsp 0.25.4 and the container plugin 0.7.1), macros and lists they define', () => {
    expect(unresolved(OURS, macros, lists)).toEqual([]);
    // Self-contained: nothing of the default rules is needed, so a changed default cannot change bulwark's rules.
    expect(unresolved(OURS, names(OURS, 'macro'), names(OURS, 'list'))).toEqual([]);
  });

  it('use no deprecated field (Falco 0.44 warns on evt.dir: the drivers send exit events only)', () => {
    const used = OURS.flatMap((i) => [
      ...(typeof i.condition === 'string' ? conditionRefs(i.condition).fields : []),
      ...outputFields(i.output ?? ''),
    ]);
    expect(used.filter((f) => resolveField(f, FIELDS)?.deprecated)).toEqual([]);
    expect(FIELDS.get('evt.dir')?.deprecated).toBe(true);
  });

  it('override no default rule, macro or list (loaded after them, a same name would replace or weaken it)', () => {
    for (const key of ['rule', 'macro', 'list'] as const) {
      const clash = [...names(OURS, key)].filter((n) => names(DEFAULTS, key).has(n));
      expect([key, clash]).toEqual([key, []]);
    }
    expect([...names(OURS, 'macro'), ...names(OURS, 'list')].every((n) => n.startsWith('bulwark_'))).toBe(true);
    expect(OURS.some((i) => 'append' in i || 'override' in i)).toBe(false);
  });

  it("match the seeds' four cases with the fields each needs", () => {
    const rule = (name: string) => {
      const r = OURS.find((i) => i.rule === name)!;
      return conditionRefs(r.condition!);
    };
    expect(rule('bulwark shell in a container').macros).toEqual(['bulwark_spawned', 'bulwark_container']);
    expect(rule('bulwark outbound connection from a workload without egress').fields).toContain(
      `k8s.pod.label[${NO_EGRESS_LABEL}]`,
    );
    expect(rule('bulwark write below /etc or /usr').fields).toContain('evt.is_open_write');
    expect(rule('bulwark ServiceAccount token read by another process').fields).toEqual(
      expect.arrayContaining(['evt.is_open_read', 'fd.name', 'proc.vpid']),
    );
    // The pod label is read from the container runtime by the container plugin (a field with a required key).
    expect(FIELDS.get('k8s.pod.label')).toMatchObject({ arg: 'required' });
  });
});

describe("bulwark's Falco configuration drop-in on Falco 0.44.1's falco.yaml", () => {
  const defaults = parse(read('falco.yaml')) as Record<string, unknown>;
  const ours = parse(FALCO_CONFIG) as Record<string, unknown>;

  it("is read by the image's falco.yaml (config.d), and bulwark's rules are loaded after the defaults (rules.d)", () => {
    expect(defaults.config_files).toContain('/etc/falco/config.d');
    const rulesFiles = defaults.rules_files as string[];
    expect(rulesFiles.indexOf('/etc/falco/rules.d')).toBeGreaterThan(rulesFiles.indexOf('/etc/falco/falco_rules.yaml'));
  });

  it('sets only keys falco.yaml knows (a misspelt key would be ignored, not refused)', () => {
    const paths = (o: unknown, prefix = ''): string[] =>
      o !== null && typeof o === 'object' && !Array.isArray(o)
        ? Object.entries(o).flatMap(([k, v]) => {
            const p = prefix ? `${prefix}.${k}` : k;
            return v !== null && typeof v === 'object' && !Array.isArray(v) ? paths(v, p) : [p];
          })
        : [];
    const known = new Set(paths(defaults));
    const ourPaths = paths({ ...ours, plugins: undefined, load_plugins: undefined });
    expect(ourPaths.filter((p) => !known.has(p) && p !== 'plugins' && p !== 'load_plugins')).toEqual([]);
    expect(ours.engine).toMatchObject({ kind: 'modern_ebpf' });
  });

  it("configures the container plugin with settings its schema (v0.7.1) knows, on containerd's CRI socket", () => {
    const header = read('container-plugin-config-schema.h');
    const schema = JSON.parse(header.slice(header.indexOf('{'), header.lastIndexOf('}') + 1)) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
      definitions?: Record<string, { properties?: Record<string, unknown> }>;
    };
    const plugin = (ours.plugins as { name: string; init_config: Record<string, unknown> }[])[0];
    expect(plugin.name).toBe('container');
    expect(ours.load_plugins).toEqual(['container']);
    expect(Object.keys(plugin.init_config).filter((k) => !(k in schema.properties))).toEqual([]);
    const engines = plugin.init_config.engines as Record<string, Record<string, unknown>>;
    // Engines has additionalProperties: false: an engine the plugin does not know would be refused at start.
    const known = Object.keys(schema.definitions?.Engines?.properties ?? {});
    expect(Object.keys(engines).filter((n) => !known.includes(n))).toEqual([]);
    expect(engines.cri).toEqual({ enabled: true, sockets: ['/run/containerd/containerd.sock'] });
  });
});

describe('the modern eBPF driver on the nodes bulwark provisions', () => {
  const readme = read('libs-0.25.4-README-drivers.txt');
  const minimum = (arch: string) => {
    const row = readme.split('\n').find((l) => l.includes(`**${arch}**`));
    const m = row?.match(/\|\s*>=\s*([\d.]+)\s*\|\s*_STABLE_/);
    return m ? m[1] : undefined;
  };
  const atLeast = (a: string, b: string) => {
    const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
    return x[0] > y[0] || (x[0] === y[0] && x[1] >= y[1]);
  };

  it('needs a 5.8 kernel on x86_64 and aarch64 (libs 0.25.4, the libs of Falco 0.44.1)', () => {
    expect([minimum('x86_64'), minimum('aarch64')]).toEqual(['5.8', '5.8']);
    expect(FALCO_UPSTREAM.appVersion).toBe('0.44.1');
  });

  it("the node image of each cloud is the one bulwark's node pools use, and its kernel is new enough", () => {
    const group = { name: 'g', machineType: 'm', diskSizeGb: 50, minCount: 1, maxCount: 2, desiredCount: 1 };
    const provisioned = {
      aws: [amiTypeFor('m7i.large'), amiTypeFor('m7g.large')],
      gcp: [hardenedNodeConfig(group, 'sa', 'key').imageType],
      azure: [hardenedPoolProfile(group as unknown as NodeGroupConfig, '1.34', 'subnet').osSKU],
    };
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      const row = FALCO_NODE_KERNELS[cloud];
      expect([cloud, [...row.nodeImages].sort()]).toEqual([cloud, [...provisioned[cloud]].sort()]);
      expect([cloud, atLeast(row.kernel, minimum('x86_64')!)]).toEqual([cloud, true]);
    }
    // What a stored source confirms, and what it does not (docs/supply-chain.md says the same).
    expect(Object.entries(FALCO_NODE_KERNELS).map(([c, r]) => [c, r.confirmed])).toEqual([
      ['aws', true],
      ['gcp', false],
      ['azure', false],
    ]);
  });
});
