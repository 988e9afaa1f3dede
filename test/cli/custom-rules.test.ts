import * as fs from 'fs';
import * as path from 'path';
import { auditCommand } from '../../lib/cli/audit-command';
import { rulesCommand } from '../../lib/cli/rules-command';
import { captureIo } from '../helpers/capture-io';

// A team's own rules through `bulwark audit --rules` and `bulwark rules test`: the example folders of
// test/fixtures/custom-rules/team, and hostile rule folders written to a scratch folder inside the repository (so the
// repository's typescript compiles them, as a consumer's would).

const ROOT = path.join(__dirname, '..', '..');
const TEAM = 'test/fixtures/custom-rules/team';
const PLATFORM = 'test/fixtures/custom-rules/platform';

const RULE = (id: string, check: string, extra = '') => `
export const rule = {
  id: '${id}',
  title: 'A team rule',
  severity: 'error',
  group: 'workload',
  scope: 'object',
  kinds: ['ConfigMap'],
  references: { owasp: ['K01'], cis: ['5.7.4'] },
  remediation: 'Change the ConfigMap so that the team rule passes.',
  check(object: { metadata?: { name?: string } }): { message: string }[] {
    ${check}
  },
  ${extra}
};
`;
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n';

let tmp: string;
let rel: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
  fs.writeFileSync(path.join(tmp, file), text);
};
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(ROOT, '.bulwark-tmp-custom-rules-'));
  rel = path.relative(ROOT, tmp).split(path.sep).join('/');
  write('input.yaml', CONFIGMAP);
  write('throws/boom/check.ts', `throw new Error('cannot reach the config server');\n`);
  write('loops/spin/check.ts', `let n = 0;\nfor (;;) n++;\n`);
  write(
    'check-throws/nosy/check.ts',
    RULE('nosy', `throw new TypeError("Cannot read properties of undefined (reading 'x')");`),
  );
  write('check-loops/slow/check.ts', RULE('slow', `for (;;) { /* never returns */ }`));
  write('check-returns/odd/check.ts', RULE('odd', `return 'fine' as never;`));
  write('clash/service-nodeport/check.ts', RULE('service-nodeport', 'return [];'));
  write('dup-a/twin/check.ts', RULE('twin', 'return [];'));
  write('dup-b/twin/check.ts', RULE('twin', 'return [];'));
  write('misnamed/folder-name/check.ts', RULE('other-name', 'return [];'));
  write('shape/bad/check.ts', RULE('bad', 'return [];').replace("severity: 'error'", "severity: 'fatal'"));
  write('none/empty/check.ts', 'export const notARule = 42;\n');
  write(
    'badkind/kindly/check.ts',
    RULE('kindly', 'return [];').replace("kinds: ['ConfigMap']", "kinds: ['cert-manager.io/v1/certificate']"),
  );
  write(
    'incomplete/half/check.ts',
    RULE('half', `return object.metadata?.name === 'bad' ? [{ message: 'bad name' }] : [];`)
      .replace("cis: ['5.7.4']", '')
      .replace("owasp: ['K01'], ", ''),
  );
  write('incomplete/half/fixtures/pass/flagged.yaml', CONFIGMAP.replace('settings', 'bad'));
  write('incomplete/half/fixtures/extra/x.yaml', CONFIGMAP);
  write('incomplete/half/notes.txt', 'scratch');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function audit(args: string[], cwd = ROOT) {
  const io = captureIo(cwd);
  const code = await auditCommand(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function rulesTest(args: string[], cwd = ROOT) {
  const io = captureIo(cwd);
  const code = await rulesCommand(['test', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('custom rules in bulwark audit', () => {
  it('runs a team rule folder beside the catalog: TypeScript (an enum, a relative import) compiled by the project typescript', async () => {
    const r = await audit([
      '--rules',
      TEAM,
      '--format',
      'json',
      `${TEAM}/team-no-latest-tag/fixtures/fail/latest.yaml`,
      `${TEAM}/team-owner-label/fixtures/fail/unowned.yaml`,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    const mine = json.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('team-'));
    expect(
      mine.map((f: { ruleId: string; message: string; source: { line: number } }) => [
        f.ruleId,
        f.message,
        f.source.line,
      ]),
    ).toEqual([
      ['team-no-latest-tag', "container 'job' runs 'registry.example.com/job:latest', which is the latest tag", 14],
      ['team-owner-label', 'no example.com/owner label: nobody is paged for it', 5],
    ]);
    expect(json.rules.filter((t: { ruleId: string }) => t.ruleId.startsWith('team-'))).toEqual([
      { ruleId: 'team-no-latest-tag', errors: 1, warnings: 0, exempted: 0 },
      { ruleId: 'team-owner-label', errors: 0, warnings: 1, exempted: 0 },
    ]);
  });

  it('selects custom rules with --only and reads bulwark.config.json', async () => {
    const only = await audit([
      '--rules',
      TEAM,
      '--only',
      'team-owner-label',
      '--format',
      'json',
      `${TEAM}/team-owner-label/fixtures/fail/unowned.yaml`,
    ]);
    expect(JSON.parse(only.out).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['team-owner-label']);
    expect((await audit(['--only', 'team-owner-label', 'x.yaml'])).err).toBe(
      "bulwark audit: --only: unknown rule or group 'team-owner-label': use a group (pss, workload, image, rbac, network, service, secret, ingress, api, schema) or a rule id (see docs/rules.md)\n",
    );
    write('project/bulwark.config.json', JSON.stringify({ rules: ['../../test/fixtures/custom-rules/team'] }));
    write(
      'project/app.yaml',
      fs.readFileSync(path.join(ROOT, TEAM, 'team-owner-label/fixtures/fail/unowned.yaml'), 'utf8'),
    );
    const configured = await audit(['--only', 'team-owner-label', 'app.yaml'], path.join(tmp, 'project'));
    expect(configured.code).toBe(0); // a warning, below the default --fail-on error
    expect(configured.out).toContain(
      '  5  warning   team-owner-label  no example.com/owner label: nobody is paged for it\n',
    );
    write('project/bulwark.config.json', JSON.stringify({ rule: ['policies'] }));
    expect(await audit(['app.yaml'], path.join(tmp, 'project'))).toEqual({
      code: 2,
      out: '',
      err: "bulwark audit: bulwark.config.json: unknown key 'rule': allowed keys are rules\n",
    });
    fs.rmSync(path.join(tmp, 'project'), { recursive: true });
  });

  it('stops with exit 2 and a clear error on a rule folder that cannot be loaded', async () => {
    const errOf = async (dir: string) => {
      const r = await audit(['--rules', `${rel}/${dir}`, `${rel}/input.yaml`]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      return r.err;
    };
    expect(await errOf('throws')).toBe(
      `bulwark audit: ${rel}/throws/boom/check.ts: loading it threw: cannot reach the config server\n`,
    );
    const started = Date.now();
    expect(await errOf('loops')).toBe(
      `bulwark audit: ${rel}/loops/spin/check.ts: its top-level code did not finish within 2000 ms: a rule must not loop or wait\n`,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await errOf('clash')).toBe(
      `bulwark audit: ${rel}/clash/service-nodeport/check.ts: id 'service-nodeport' is a built-in rule's (docs/rules.md): choose another id\n`,
    );
    const dup = await audit(['--rules', `${rel}/dup-a`, '--rules', `${rel}/dup-b`, `${rel}/input.yaml`]);
    expect(dup.code).toBe(2);
    expect(dup.err).toBe(
      `bulwark audit: ${rel}/dup-b/twin/check.ts: id 'twin' is also the id of ${rel}/dup-a/twin/check.ts: rule ids are unique\n`,
    );
    expect(await errOf('misnamed')).toBe(
      `bulwark audit: ${rel}/misnamed/folder-name/check.ts: the rule's id 'other-name' is not its folder's name 'folder-name': rename one\n`,
    );
    expect(await errOf('shape')).toBe(
      `bulwark audit: ${rel}/shape/bad/check.ts: severity: expected error or warning, got "fatal"\n`,
    );
    expect(await errOf('none')).toBe(
      `bulwark audit: ${rel}/none/empty/check.ts: exports no rule: export const myRule = policy.defineRule({ id, title, severity, group, scope, references, remediation, check })\n`,
    );
    expect(await errOf('badkind')).toBe(
      `bulwark audit: ${rel}/badkind/kindly/check.ts: kinds: "cert-manager.io/v1/certificate" is not a kind: write Deployment (Kubernetes' own API groups), or group/Kind or group/version/Kind for a custom resource (cert-manager.io/v1/Certificate)\n`,
    );
    expect(await errOf('missing')).toBe(
      `bulwark audit: ${rel}/missing: no such directory: --rules takes a directory of rule folders (<rule-id>/check.ts)\n`,
    );
  });

  it('judges a custom resource the rule names by group/version/Kind, and only that one', async () => {
    const dir = `${PLATFORM}/platform-certificate-rotation/fixtures`;
    const r = await audit(['--rules', PLATFORM, '--only', 'platform-certificate-rotation', '--format', 'json', dir]);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json.summary.objects).toBe(4);
    expect(
      json.findings.map((f: { object: { apiVersion: string; name: string }; path: string }) => [
        f.object.apiVersion,
        f.object.name,
        f.path,
      ]),
    ).toEqual([['cert-manager.io/v1', 'api', 'spec.privateKey.rotationPolicy']]);
  });

  it('honours an --exemptions grant for a custom rule id, and names the custom ids for an unknown one', async () => {
    const certificate = fs
      .readFileSync(path.join(ROOT, PLATFORM, 'platform-certificate-rotation/fixtures/fail/key-reused.yaml'), 'utf8')
      .replace(
        '  namespace: shop\n',
        '  namespace: shop\n  annotations:\n    exempt.bulwark.dev/platform-certificate-rotation: the legacy client pins the key until Q3\n',
      );
    write('grants/certificate.yaml', certificate);
    const grants = (rule: string) =>
      [
        'apiVersion: bulwark.dev/v1alpha1',
        'kind: ExemptionGrantSet',
        'metadata:',
        '  name: bulwark',
        'spec:',
        '  grants:',
        '    - namespace: shop',
        '      kind: Certificate',
        '      name: api',
        `      rule: ${rule}`,
        '      reason: the legacy client pins the key until Q3',
        '      approver: platform-team (TICKET-902)',
        "      expires: '2099-01-01T00:00:00Z'",
        '',
      ].join('\n');
    write('grants/grants.yaml', grants('platform-certificate-rotation'));
    const args = ['--rules', PLATFORM, '--only', 'platform-certificate-rotation', '--format', 'json'];
    const granted = await audit([
      ...args,
      '--exemptions',
      `${rel}/grants/grants.yaml`,
      `${rel}/grants/certificate.yaml`,
    ]);
    expect([granted.code, granted.err]).toEqual([0, '']);
    const json = JSON.parse(granted.out);
    expect(json.findings).toEqual([]);
    expect(
      json.exempted.map((e: { ruleId: string; grant: { approver: string } }) => [e.ruleId, e.grant.approver]),
    ).toEqual([['platform-certificate-rotation', 'platform-team (TICKET-902)']]);
    write('grants/typo.yaml', grants('platform-certificate-rotaton'));
    const typo = await audit([...args, '--exemptions', `${rel}/grants/typo.yaml`, `${rel}/grants/certificate.yaml`]);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(
      `bulwark audit: ${rel}/grants/typo.yaml: --exemptions: ExemptionGrantSet bulwark: spec.grants[0].rule: expected the id of a catalog rule (docs/rules.md) or of a custom rule (platform-certificate-rotation, platform-no-latest-tag), got "platform-certificate-rotaton": did you mean 'platform-certificate-rotation'?\n`,
    );
  });

  it('stops with exit 2 naming the rule and the object when a check throws, loops or returns no violations', async () => {
    const run = (dir: string) => audit(['--rules', `${rel}/${dir}`, `${rel}/input.yaml`]);
    const threw = await run('check-throws');
    expect([threw.code, threw.out, threw.err]).toEqual([
      2,
      '',
      `bulwark audit: custom rule 'nosy' (${rel}/check-throws/nosy/check.ts) on ConfigMap settings threw: Cannot read properties of undefined (reading 'x')\n`,
    ]);
    const looped = await run('check-loops');
    expect([looped.code, looped.err]).toEqual([
      2,
      `bulwark audit: custom rule 'slow' (${rel}/check-loops/slow/check.ts) on ConfigMap settings did not finish within 2000 ms: a check must not loop or wait\n`,
    ]);
    const odd = await run('check-returns');
    expect([odd.code, odd.err]).toEqual([
      2,
      `bulwark audit: custom rule 'odd' (${rel}/check-returns/odd/check.ts) on ConfigMap settings returned "fine": a check returns an array of { message, path?, container? } (NO_VIOLATIONS when none)\n`,
    ]);
  });
});

describe('bulwark rules test', () => {
  it('passes complete rule folders whose fixtures agree', async () => {
    expect(await rulesTest([TEAM])).toEqual({
      code: 0,
      out: 'ok    team-no-latest-tag (1 pass, 1 fail fixtures)\nok    team-owner-label (1 pass, 1 fail fixtures)\n2 rules, 0 failed\n',
      err: '',
    });
  });

  it('passes the platform folders: a custom-resource rule and a pod rule with its admission CEL', async () => {
    expect(await rulesTest([PLATFORM])).toEqual({
      code: 0,
      out: 'ok    platform-certificate-rotation (1 pass, 1 fail fixtures)\nok    platform-no-latest-tag (1 pass, 1 fail fixtures)\n2 rules, 0 failed\n',
      err: '',
    });
  });

  it('fails an incomplete folder, listing every problem the catalog meta-test would', async () => {
    expect(await rulesTest([`${rel}/incomplete`])).toEqual({
      code: 1,
      out: [
        `FAIL  half (${rel}/incomplete/half)`,
        '      references.owasp: name at least one OWASP Kubernetes Top 10 entry (K01, K02, K03, K04, K05, K06, K07, K08, K09, K10)',
        '      references: name a CIS benchmark recommendation (cis), an NSA/CISA guide section (nsa) or a Pod Security control (pss)',
        '      notes.txt: a rule folder holds check.ts, cel.ts, fixtures/ and README.md only',
        '      fixtures/extra: fixtures/ holds pass/ and fail/ only',
        '      fixtures/pass/flagged.yaml: reported by the rule (a pass fixture must not be): bad name',
        '      fixtures/fail/: add at least one fail fixture (a YAML manifest)',
        '1 rule, 1 failed',
        '',
      ].join('\n'),
      err: '',
    });
  });

  it('refuses what it cannot load with exit 2, and usage errors', async () => {
    expect(await rulesTest([`${rel}/throws`])).toEqual({
      code: 2,
      out: '',
      err: `bulwark rules test: ${rel}/throws/boom/check.ts: loading it threw: cannot reach the config server\n`,
    });
    expect((await rulesTest([])).err).toBe(
      'bulwark rules test: no rule directory: give one, or list them in bulwark.config.json ("rules")\n',
    );
    const io = captureIo(ROOT);
    expect(await rulesCommand(['run', TEAM], io)).toBe(2);
    expect(io.err().split('\n')[0]).toBe("bulwark rules: unknown subcommand 'run': use test");
  });
});
