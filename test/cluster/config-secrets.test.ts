import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { markSecretKeys, RawConfig } from '../../lib/cluster/config/config-reader';
import { runCli } from '../helpers/temp-project';

/**
 * `bulwark plan` and `pulumi up` never print a secret config value in an error: other tools' keys (aws:secretKey),
 * Pulumi's encrypted `secure:` values, keys Pulumi marks secret, keys named like credentials. Other values are printed
 * as the user wrote them (NaN and Infinity, not JSON's null).
 */
const ROOT = path.join(__dirname, '..', '..');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
jest.setTimeout(120_000);

function project(extra: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-plan-secret-'));
  fs.writeFileSync(
    path.join(dir, 'Pulumi.yaml'),
    `name: bulwark\nruntime: nodejs\nmain: ${path.join(ROOT, 'stacks', 'cluster', 'index.ts')}\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'Pulumi.leaky.yaml'),
    fs.readFileSync(path.join(ROOT, 'stacks', 'Pulumi.eks-staging.yaml'), 'utf8') + extra,
  );
  return dir;
}

const eks = {
  cloud: 'aws',
  clusterName: 'payments-staging',
  region: 'eu-west-1',
  kubernetesVersion: '1.35',
  environment: 'staging',
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  authorizedNetworks: ['10.20.0.0/16'],
  adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
  nodeGroups: [{ name: 'workers', instanceType: 'm7g.xlarge', minCount: 2, maxCount: 4 }],
  namespaces: ['payments'],
};

function messageOf(raw: RawConfig): string {
  try {
    validateClusterConfig(raw, 'Pulumi.test.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a config error');
}

describe('config errors never print a secret', () => {
  it('bulwark plan (real CLI): aws:secretKey, a secure: value and a credential-named key are refused without their values', async () => {
    const dir = project(
      `  aws:secretKey: ${SECRET}\n` +
        `  azure:clientSecret:\n    secure: AAABAKmDg2dJ6a7zuSTu7Kz1ZmeU0Ysv3T7E8WwnIzmtZEXAMPLE\n` +
        `  bulwark:dbPassword: ${SECRET}\n`,
    );
    const run = await runCli(['plan', '--stack', 'leaky'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toContain('AAABAKmDg2dJ6a7zuSTu7Kz1ZmeU0Ysv3T7E8WwnIzmtZEXAMPLE');
    expect(run.stderr).toContain(
      "config key 'aws:secretKey' received a value not shown (it is or may be a secret) (the 'aws' namespace is not read by bulwark).",
    );
    expect(run.stderr).toContain(
      "config key 'azure:clientSecret' received a value not shown (it is or may be a secret) (the 'azure' namespace is not read by bulwark).",
    );
    const ours = project(
      `  bulwark:dbPassword: ${SECRET}\n  bulwark:maintenanceWindow:\n    secure: AAABAKmDg2dJ6a7zuEXAMPLE\n`,
    );
    const own = await runCli(['plan', '--stack', 'leaky'], ours);
    expect(own.code).toBe(2);
    expect(own.stderr).not.toContain(SECRET);
    expect(own.stderr).not.toContain('AAABAKmDg2dJ6a7zuEXAMPLE');
    expect(own.stderr).toContain(
      "config key 'bulwark:dbPassword' received a value not shown (it is or may be a secret)",
    );
    expect(own.stderr).toContain(
      "config key 'bulwark:maintenanceWindow.secure' received a value not shown (it is or may be a secret)",
    );
  });

  it('property: a value under a key Pulumi marks secret never appears in the message, whatever key and value', () => {
    const keys = Object.keys(eks).concat(['maintenanceWindow', 'isolatedPools', 'exemptionGrants', 'somethingElse']);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.string({ minLength: 12, maxLength: 40 }), (key, value) => {
        const marker = `S3CR3T-${value}`;
        const raw = markSecretKeys({ ...eks, [key]: marker }, [key]);
        const message = messageOf(raw);
        expect(message).not.toContain(marker);
        expect(message).not.toContain(JSON.stringify(marker).slice(1, -1));
        expect(message).toContain(`'bulwark:${key}' received a value not shown`);
      }),
      { numRuns: 200 },
    );
  });

  it('prints other values as the user wrote them: NaN and Infinity, not null', () => {
    const nodeGroups = [{ name: 'workers', instanceType: 'm7g.xlarge', minCount: NaN, maxCount: Infinity }];
    const message = messageOf({ ...eks, nodeGroups });
    expect(message).toContain("config key 'bulwark:nodeGroups[0].minCount' received NaN");
    expect(message).toContain("config key 'bulwark:nodeGroups[0].maxCount' received Infinity");
    expect(message).not.toContain('received null');
  });
});
