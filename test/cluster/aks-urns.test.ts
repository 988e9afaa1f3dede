import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { planStack, StackPlan } from '../../lib/cluster/plan/plan-stack';
import type { PlannedResource } from '../../lib/cluster/posture/planned-resource';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The URNs the AKS example stacks had before HardenedAksCluster was split into sub-components (commit d34d548, a
 * constructor of 294 lines), computed from `bulwark plan --json` of that commit as the engine forms them. A stack
 * deployed then has these URNs in its state: a resource the program no longer registers under one of them (or under
 * an alias naming it) would be deleted and created again.
 */
const BEFORE: Readonly<Record<string, readonly string[]>> = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'aks-urns-before-split.json'), 'utf8'),
) as Record<string, string[]>;

/** The sub-components the split introduced: components only, with no cloud resource of their own. */
const NEW_COMPONENTS = ['bulwark:cluster:AksControlPlaneIdentity', 'bulwark:cluster:AksClusterAdmins'];

/**
 * The engine's URN: the types of every ancestor below the stack, joined by `$`. (The mock monitor's URNs name the
 * parent's type only, so they are recomputed here from the resource tree.)
 */
function engineUrns(plan: StackPlan): Map<string, string> {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const qualified = (r: PlannedResource): string => {
    const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
    return parent === undefined || parent.type === 'pulumi:pulumi:Stack' ? r.type : `${qualified(parent)}$${r.type}`;
  };
  const prefix = `urn:pulumi:${plan.stack}::${plan.project}::`;
  return new Map(plan.resources.map((r) => [r.urn, `${prefix}${qualified(r)}::${r.name}`]));
}

interface Registered {
  readonly type: string;
  /** The engine URN the resource has, and those its aliases name. */
  readonly urn: string;
  readonly aliases: readonly string[];
}

/** Plans a stack; every resource with its engine URN and the engine URNs its aliases name. */
async function urnsAndAliases(stack: string): Promise<Registered[]> {
  const seen: { name: string; type: string; aliases: Promise<{ parent: string; name: string; type: string }[]> }[] = [];
  const record: pulumi.ResourceTransformation = (a) => {
    const aliases = (a.opts.aliases ?? []).map((alias) => {
      if (typeof alias === 'string' || pulumi.Output.isInstance(alias) || alias instanceof Promise) {
        throw new Error(`${a.name}: an alias given as a URN; this test reads alias specs`);
      }
      if (alias.stack !== undefined || alias.project !== undefined)
        throw new Error(`${a.name}: alias to another stack`);
      const parent = alias.parent ?? a.opts.parent;
      if (!pulumi.Resource.isInstance(parent)) throw new Error(`${a.name}: alias without a parent resource`);
      return new Promise<{ parent: string; name: string; type: string }>((resolve) =>
        parent.urn.apply((urn) =>
          resolve({ parent: urn, name: (alias.name as string) ?? a.name, type: (alias.type as string) ?? a.type }),
        ),
      );
    });
    seen.push({ name: a.name, type: a.type, aliases: Promise.all(aliases) });
    return undefined;
  };
  const plan = await planStack(stack, { cwd: ROOT, transformations: [record] });
  const engine = engineUrns(plan);
  const aliasesOf = new Map<string, { parent: string; name: string; type: string }[]>();
  for (const s of seen) aliasesOf.set(`${s.type}::${s.name}`, await s.aliases);
  return plan.resources.map((r) => ({
    type: r.type,
    urn: engine.get(r.urn) ?? '',
    aliases: (aliasesOf.get(`${r.type}::${r.name}`) ?? []).map((a) => {
      const parentUrn = engine.get(a.parent) ?? '';
      const qualifiedParent = parentUrn.split('::')[2];
      return `urn:pulumi:${plan.stack}::${plan.project}::${qualifiedParent}$${a.type}::${a.name}`;
    }),
  }));
}

describe('splitting HardenedAksCluster into sub-components replaces nothing in existing stacks', () => {
  it.each(['aks-prod', 'aks-staging'])(
    '%s: every resource of the stack before the split is registered under its URN or aliased to it',
    async (stack) => {
      const before = new Set(BEFORE[stack]);
      expect(before.size).toBeGreaterThan(30);
      const after = await urnsAndAliases(stack);
      const claimed = new Map<string, string>();
      const moved: string[] = [];
      const created: string[] = [];
      for (const { urn, type, aliases } of after) {
        const old = [urn, ...aliases].filter((u) => before.has(u));
        if (old.length === 0) {
          if (!NEW_COMPONENTS.includes(type)) created.push(`${type} ${urn.split('::').pop() ?? ''}`);
          continue;
        }
        expect(old).toHaveLength(1);
        expect(claimed.get(old[0])).toBeUndefined();
        claimed.set(old[0], urn);
        if (old[0] !== urn) moved.push(old[0].split('::').pop() ?? '');
      }
      // Only the new sub-components themselves are new, and what was added since (the disk encryption set, its key
      // and grants); nothing of the old stack is left behind.
      const cluster = stack === 'aks-prod' ? 'payroll-prod' : 'payroll-staging';
      expect(created.sort()).toEqual([
        `azure-native:authorization:RoleAssignment ${cluster}-disk-encryption-cluster-contributor`,
        `azure-native:authorization:RoleAssignment ${cluster}-disk-encryption-key-encryption-user`,
        `azure-native:compute:DiskEncryptionSet ${cluster}-disk-encryption`,
        `azure-native:keyvault:Key ${cluster}-kms-vault-disk-key`,
        `bulwark:cluster:AksDiskEncryption ${cluster}-disk-encryption`,
      ]);
      expect([...before].filter((u) => !claimed.has(u))).toEqual([]);
      // The aliases are what keeps them: the split did move these resources to new URNs.
      expect(moved.sort()).toEqual([
        `${cluster}-admin-0`,
        `${cluster}-admin-0-user`,
        `${cluster}-control-plane-identity`,
        `${cluster}-node-subnet-network-contributor`,
      ]);
    },
    120_000,
  );
});
