import { exitCodeOf, formatSummary, summarize } from '../../lib/cli/audit-report';
import { formatJson } from '../../lib/cli/format-json';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { FINGERPRINT_KEY, formatSarif, REPO_ROOT_BASE, toSarif } from '../../lib/cli/format-sarif';
import { formatText } from '../../lib/cli/format-text';
import { demoReport, EXEMPTED, GRANTED, NO_PROBES, NO_PROBES_SVC_POD, PRIVILEGED } from '../helpers/audit-report';
import { sarifSchemaErrors } from '../helpers/sarif-schema';

const INPUT_ERROR = { file: 'bad.yaml', line: 4, message: 'invalid YAML (column 1): Map keys must be unique' };

describe('summary and exit code', () => {
  it('counts findings by severity and pluralizes', () => {
    expect(formatSummary(summarize(demoReport()))).toBe(
      '4 objects, 1 error, 2 warnings, 1 exempted (1 not granted) in 3 files',
    );
    expect(formatSummary(summarize(demoReport({ inputErrors: [INPUT_ERROR, INPUT_ERROR] })))).toBe(
      '4 objects, 1 error, 2 warnings, 1 exempted (1 not granted) in 3 files; 2 input errors',
    );
    const granted = demoReport({ result: { findings: [], exempted: [GRANTED], objectCount: 1 } });
    expect(formatSummary(summarize(granted))).toBe('1 object, 0 errors, 0 warnings, 1 exempted in 3 files');
  });

  it('fails on errors by default, on warnings with failOn warning, never on exempted findings; input errors win', () => {
    const only = (...findings: (typeof PRIVILEGED)[]) => ({ findings, exempted: [EXEMPTED], objectCount: 1 });
    expect(exitCodeOf(demoReport({ result: only(NO_PROBES) }))).toBe(0);
    expect(exitCodeOf(demoReport({ result: only(NO_PROBES), failOn: 'warning' }))).toBe(1);
    expect(exitCodeOf(demoReport({ result: only(PRIVILEGED) }))).toBe(1);
    expect(exitCodeOf(demoReport({ result: only(), failOn: 'warning' }))).toBe(0);
    expect(exitCodeOf(demoReport({ result: only(PRIVILEGED), inputErrors: [INPUT_ERROR] }))).toBe(2);
  });

  it('fails on an exemption declared by annotation only with failOnUngranted, never on a granted one', () => {
    const exempted = (f: typeof EXEMPTED) => ({ findings: [], exempted: [f], objectCount: 1 });
    expect(exitCodeOf(demoReport({ result: exempted(EXEMPTED) }))).toBe(0);
    expect(exitCodeOf(demoReport({ result: exempted(EXEMPTED), failOnUngranted: true }))).toBe(1);
    expect(exitCodeOf(demoReport({ result: exempted(GRANTED), failOnUngranted: true }))).toBe(0);
  });
});

describe('text format', () => {
  it('groups findings by object in file order, at the line of their field, with per-rule totals and remediations', () => {
    expect(formatText(demoReport())).toBe(
      [
        'Deployment prod/web (deploy/app.yaml:3)',
        "   9  error     demo-privileged  container 'web' sets securityContext.privileged=true",
        "   3  warning   demo-probes      container 'sidecar' has no readinessProbe",
        '',
        'Pod debug (a dir/pod #1.yaml:12)',
        "  12  warning   demo-probes      container 'c' has no readinessProbe",
        '',
        'DaemonSet kube-system/agent (stdin:1)',
        "   1  exempted  demo-privileged  container 'agent' sets securityContext.privileged=true (exempted by",
        '                                 annotation only, not granted: node agent needs host access',
        '                                 (SEC-42))',
        '',
        'Rules',
        '  demo-privileged  1 error, 1 exempted',
        '                   Remove securityContext.privileged or set it to false on every container.',
        '  demo-probes      2 warnings',
        '                   Add a readinessProbe and a livenessProbe to every container.',
        '',
        '4 objects, 1 error, 2 warnings, 1 exempted (1 not granted) in 3 files',
        '',
      ].join('\n'),
    );
  });

  it('shows who granted an exemption and until when', () => {
    const granted = demoReport({ result: { findings: [], exempted: [GRANTED], objectCount: 1 } });
    expect(formatText(granted).split('\n').slice(0, 4)).toEqual([
      'DaemonSet kube-system/agent (stdin:1)',
      "  1  exempted  demo-privileged  container 'agent' sets securityContext.privileged=true (exempted:",
      '                                node agent needs host access (SEC-42); granted by alice@example.com',
      '                                until 2099-01-01T00:00:00Z)',
    ]);
  });

  it('folds a rule repeating on one object into one row, and exempted findings into one row per rule and reason', () => {
    const at = (path: string, line: number) => ({ ...PRIVILEGED, path, line, message: `'${path}' is privileged` });
    const exempt = (path: string) => ({ ...EXEMPTED, path, message: `a long message about ${path} `.repeat(8) });
    const report = demoReport({
      result: {
        findings: [at('a', 4), at('b', 5), at('c', 6), at('d', 7), at('e', 8)],
        exempted: [exempt('x'), exempt('y'), exempt('z')],
        objectCount: 2,
      },
    });
    const text = formatText(report);
    expect(text.split('\n').slice(0, 8)).toEqual([
      'Deployment prod/web (deploy/app.yaml:3)',
      "  4  error     demo-privileged  'a' is privileged (and 4 more of this rule)",
      '',
      'DaemonSet kube-system/agent (stdin:1)',
      '  1  exempted  demo-privileged  3 findings (exempted by annotation only, not granted: node agent',
      '                                needs host access (SEC-42))',
      '',
      'Rules',
    ]);
    expect(text).toContain('  demo-privileged  5 errors, 3 exempted\n');
    expect(formatSummary(summarize(report))).toBe(
      '2 objects, 5 errors, 0 warnings, 3 exempted (3 not granted) in 3 files',
    );
    const three = formatText(
      demoReport({ result: { findings: [at('a', 4), at('b', 5)], exempted: [], objectCount: 1 } }),
    );
    expect(three).toContain("  4  error     demo-privileged  'a' is privileged (and 1 more of this rule: b)\n");
  });

  it('keeps lines within the width, wrapping messages under themselves, or under the rule id when ids are long', () => {
    const long = { ...PRIVILEGED, message: 'word '.repeat(60).trim() };
    for (const width of [60, 80, 100, 120]) {
      const text = formatText(demoReport({ result: { findings: [long], exempted: [], objectCount: 1 } }), { width });
      const rows = text.split('\n').filter((l) => l.startsWith('  '));
      expect(Math.max(...rows.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(rows.join(' ').match(/word/g)).toHaveLength(60);
    }
    const longId = { ...PRIVILEGED, ruleId: 'a-rule-id-long-enough-to-push-the-message-past-half-the-width' };
    const text = formatText(demoReport({ result: { findings: [longId], exempted: [], objectCount: 1 } }), {
      width: 100,
    });
    expect(text.split('\n').slice(1, 3)).toEqual([
      '  9  error     a-rule-id-long-enough-to-push-the-message-past-half-the-width',
      "               container 'web' sets securityContext.privileged=true",
    ]);
  });

  it('prints only the summary when there is nothing to report, notes skipped files, and colours only when asked', () => {
    const clean = demoReport({ result: { findings: [], exempted: [], objectCount: 2 }, files: ['a.yaml'] });
    expect(formatText(clean)).toBe('2 objects, 0 errors, 0 warnings, 0 exempted in 1 file\n');
    expect(formatText({ ...clean, notes: [{ file: 'swagger.yaml', message: 'skipped: not Kubernetes' }] })).toBe(
      'note: swagger.yaml: skipped: not Kubernetes\n\n2 objects, 0 errors, 0 warnings, 0 exempted in 1 file\n',
    );
    expect(formatText(demoReport())).not.toContain('\x1b[');
    const coloured = formatText(demoReport(), { color: true });
    expect(coloured).toContain('\x1b[1mDeployment prod/web (deploy/app.yaml:3)\x1b[0m');
    expect(coloured).toContain('\x1b[31merror   \x1b[0m');
    expect(coloured).toContain('\x1b[33mwarning \x1b[0m');
  });
});

describe('JSON format', () => {
  it('has summary, findings with object and source, exempted with reasons, and input errors', () => {
    const json = JSON.parse(formatJson(demoReport({ inputErrors: [INPUT_ERROR] })));
    expect(Object.keys(json)).toEqual(['summary', 'rules', 'findings', 'exempted', 'errors', 'notes']);
    expect(json.rules).toEqual([
      { ruleId: 'demo-privileged', errors: 1, warnings: 0, exempted: 1 },
      { ruleId: 'demo-probes', errors: 0, warnings: 2, exempted: 0 },
    ]);
    expect(json.findings.map((f: { id: string }) => f.id)).toEqual([NO_PROBES_SVC_POD.id, PRIVILEGED.id, NO_PROBES.id]);
    expect(new Set(json.findings.map((f: { id: string }) => f.id)).size).toBe(3);
    expect(json.findings[1].source).toEqual({
      file: 'deploy/app.yaml',
      line: 9,
      objectLine: 3,
      document: 0,
      item: null,
    });
    expect(json.summary).toEqual({
      objects: 4,
      files: 3,
      errors: 1,
      warnings: 2,
      exempted: 1,
      notGranted: 1,
      inputErrors: 1,
    });
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'demo-probes',
      'demo-privileged',
      'demo-probes',
    ]);
    expect(json.findings[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      ruleId: 'demo-probes',
      severity: 'warning',
      title: 'Containers should have probes',
      message: "container 'c' has no readinessProbe",
      remediation: 'Add a readinessProbe and a livenessProbe to every container.',
      object: { apiVersion: 'v1', kind: 'Pod', namespace: null, name: 'debug' },
      container: 'c',
      path: null,
      source: { file: 'a dir/pod #1.yaml', line: 12, objectLine: 12, document: null, item: null },
      exemption: null,
    });
    expect(json.exempted).toEqual([
      {
        id: EXEMPTED.id,
        ruleId: 'demo-privileged',
        severity: 'error',
        title: 'Privileged containers are disallowed',
        message: "container 'agent' sets securityContext.privileged=true",
        remediation: 'Remove securityContext.privileged or set it to false on every container.',
        object: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'agent' },
        container: 'agent',
        path: 'spec.template.spec.containers[0].securityContext.privileged',
        source: { file: 'stdin', line: 1, objectLine: 1, document: null, item: null },
        exemption: null,
        reason: 'node agent needs host access (SEC-42)',
        granted: false,
        grant: null,
      },
    ]);
    const granted = JSON.parse(
      formatJson(demoReport({ result: { findings: [], exempted: [GRANTED], objectCount: 1 } })),
    );
    expect(granted.exempted[0].granted).toBe(true);
    expect(granted.exempted[0].grant).toEqual(GRANTED.grant);
    expect(json.errors).toEqual([INPUT_ERROR]);
    expect(json.notes).toEqual([]);
  });
});

describe('SARIF format', () => {
  it('is valid against the SARIF 2.1.0 schema, with and without input errors', () => {
    expect(sarifSchemaErrors(JSON.parse(formatSarif(demoReport())))).toEqual([]);
    expect(sarifSchemaErrors(JSON.parse(formatSarif(demoReport({ inputErrors: [INPUT_ERROR] }))))).toEqual([]);
    expect(sarifSchemaErrors({ version: '2.1.0', runs: [{ results: [] }] })).not.toEqual([]);
  });

  it('describes the tool and every rule that ran the way GitHub code scanning reads them', () => {
    const driver = toSarif(demoReport()).runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'bulwark', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules?.[0]).toEqual({
      id: 'demo-privileged',
      name: 'DemoPrivileged',
      shortDescription: { text: 'Privileged containers are disallowed' },
      fullDescription: {
        text: 'Privileged containers are disallowed. Pod Security Standards: baseline: Privileged Containers. CIS Kubernetes Benchmark: 5.2.2. OWASP Kubernetes Top 10: K01.',
      },
      help: {
        text: 'Remove securityContext.privileged or set it to false on every container.',
        markdown: [
          '**Privileged containers are disallowed**',
          '',
          '**Remediation:** Remove securityContext.privileged or set it to false on every container.',
          '',
          '**References:**',
          '- Pod Security Standards: baseline: Privileged Containers',
          '- CIS Kubernetes Benchmark: 5.2.2',
          '- OWASP Kubernetes Top 10: K01',
          '',
          'Exempt an object with the annotation `exempt.bulwark.dev/demo-privileged: <reason>`.',
        ].join('\n'),
      },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'pss', 'pss-baseline', 'cis-5.2.2', 'owasp-k01'],
        precision: 'high',
        'security-severity': '8.0',
      },
    });
    expect(driver.rules?.[1].properties?.['security-severity']).toBe('5.0');
    expect(driver.rules?.[1].properties?.tags).toEqual(['security', 'workload', 'nsa-cisa', 'owasp-k05']);
  });

  it('has one result per finding with rule index, level, location relative to %SRCROOT% and a stable fingerprint', () => {
    const run = toSarif(demoReport()).runs[0];
    const [pod, privileged, , exempted] = run.results ?? [];
    expect(privileged).toMatchObject({
      ruleId: 'demo-privileged',
      ruleIndex: 0,
      level: 'error',
      message: { text: "Deployment prod/web: container 'web' sets securityContext.privileged=true" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'deploy/app.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 9 },
          },
          logicalLocations: [{ name: 'web', fullyQualifiedName: 'Deployment/prod/web', kind: 'resource' }],
        },
      ],
    });
    expect(privileged.suppressions).toBeUndefined();
    expect(pod.ruleIndex).toBe(1);
    expect(pod.locations?.[0].physicalLocation?.artifactLocation).toEqual({
      uri: 'a%20dir/pod%20%231.yaml',
      uriBaseId: '%SRCROOT%',
    });
    expect(exempted.locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri: 'stdin' });
    expect(exempted.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'underReview',
        justification: 'node agent needs host access (SEC-42) (exemption by annotation only, not granted)',
      },
    ]);
    const granted = toSarif(demoReport({ result: { findings: [], exempted: [GRANTED], objectCount: 1 } }));
    expect(granted.runs[0].results?.[0].suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification:
          'node agent needs host access (SEC-42) (granted by alice@example.com until 2099-01-01T00:00:00Z)',
      },
    ]);
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('fingerprints by rule, file, object, container and field: moving the object keeps its alert', () => {
    const fp = (f: typeof PRIVILEGED) =>
      toSarif(demoReport({ result: { findings: [f], exempted: [], objectCount: 1 } })).runs[0].results?.[0]
        .partialFingerprints?.[FINGERPRINT_KEY];
    const base = fp(PRIVILEGED);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fp({ ...PRIVILEGED, message: 'reworded', source: { file: 'deploy/app.yaml', line: 99 }, line: 120 })).toBe(
      base,
    );
    expect(fp({ ...PRIVILEGED, source: { file: 'other.yaml', line: 3 } })).not.toBe(base);
    expect(fp({ ...PRIVILEGED, path: 'spec.template.spec.containers[1].securityContext.privileged' })).not.toBe(base);
    expect(fp({ ...PRIVILEGED, container: 'other' })).not.toBe(base);
    expect(fp({ ...PRIVILEGED, object: { ...PRIVILEGED.object, namespace: 'staging' } })).not.toBe(base);
    // Without a field the message tells findings apart.
    const noPath = { ...PRIVILEGED, path: undefined };
    expect(fp({ ...noPath, message: 'one' })).not.toBe(fp({ ...noPath, message: 'two' }));
  });

  it('makes absolute paths relative to the git repository holding them, declared in originalUriBaseIds', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-sarif-'));
    try {
      fs.mkdirSync(path.join(repo, '.git'));
      fs.mkdirSync(path.join(repo, 'deploy'));
      const file = path.join(repo, 'deploy', 'app.yaml');
      const run = toSarif(
        demoReport({
          result: { findings: [{ ...PRIVILEGED, source: { file, line: 3 } }], exempted: [], objectCount: 1 },
        }),
      ).runs[0];
      expect(run.results?.[0].locations?.[0].physicalLocation?.artifactLocation).toEqual({
        uri: 'deploy/app.yaml',
        uriBaseId: REPO_ROOT_BASE,
      });
      expect(run.originalUriBaseIds).toEqual({ [REPO_ROOT_BASE]: { uri: `${pathToFileURL(repo).href}/` } });
      const outside = path.join(os.tmpdir(), 'no-repo-here.yaml');
      const lone = toSarif(
        demoReport({
          result: { findings: [{ ...PRIVILEGED, source: { file: outside, line: 3 } }], exempted: [], objectCount: 1 },
        }),
      ).runs[0];
      expect(lone.results?.[0].locations?.[0].physicalLocation?.artifactLocation).toEqual({
        uri: pathToFileURL(outside).href,
      });
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('reports input errors as tool notifications and marks the run unsuccessful', () => {
    const run = toSarif(demoReport({ inputErrors: [INPUT_ERROR, { file: 'nope.yaml', message: 'no such file' }] }))
      .runs[0];
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'bad.yaml:4: invalid YAML (column 1): Map keys must be unique' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'bad.yaml', uriBaseId: '%SRCROOT%' },
                  region: { startLine: 4 },
                },
              },
            ],
          },
          {
            level: 'error',
            message: { text: 'nope.yaml: no such file' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'nope.yaml', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });
});
