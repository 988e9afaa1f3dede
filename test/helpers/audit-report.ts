import { createHash } from 'crypto';
import { AuditReport } from '../../lib/cli/audit-report';
import { defineRule, ExemptedFinding, Finding, findingKey, NO_VIOLATIONS, Rule } from '../../lib/policy';

/** Rules and a report built by hand, so formatter tests do not depend on the catalog's contents. */
export const DEMO_ERROR_RULE: Rule = defineRule({
  id: 'demo-privileged',
  title: 'Privileged containers are disallowed',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  references: { pss: 'baseline: Privileged Containers', cis: ['5.2.2'], owasp: ['K01'] },
  remediation: 'Remove securityContext.privileged or set it to false on every container.',
  check: () => NO_VIOLATIONS,
});

export const DEMO_WARNING_RULE: Rule = defineRule({
  id: 'demo-probes',
  title: 'Containers should have probes',
  severity: 'warning',
  group: 'workload',
  scope: 'pod',
  references: { nsa: ['Logging and monitoring'], owasp: ['K05'] },
  remediation: 'Add a readinessProbe and a livenessProbe to every container.',
  check: () => NO_VIOLATIONS,
});

function finding(rule: Rule, rest: Omit<Finding, 'id' | 'ruleId' | 'severity' | 'title' | 'remediation'>): Finding {
  const base = { ruleId: rule.id, severity: rule.severity, title: rule.title, remediation: rule.remediation, ...rest };
  return { id: createHash('sha256').update(findingKey(base)).digest('hex').slice(0, 16), ...base };
}

const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' };

export const PRIVILEGED: Finding = finding(DEMO_ERROR_RULE, {
  message: "container 'web' sets securityContext.privileged=true",
  object: web,
  container: 'web',
  path: 'spec.template.spec.containers[0].securityContext.privileged',
  source: { file: 'deploy/app.yaml', line: 3, document: 0 },
  line: 9,
});

export const NO_PROBES: Finding = finding(DEMO_WARNING_RULE, {
  message: "container 'sidecar' has no readinessProbe",
  object: web,
  container: 'sidecar',
  source: { file: 'deploy/app.yaml', line: 3 },
});

export const NO_PROBES_SVC_POD: Finding = finding(DEMO_WARNING_RULE, {
  message: "container 'c' has no readinessProbe",
  object: { apiVersion: 'v1', kind: 'Pod', name: 'debug' },
  container: 'c',
  source: { file: 'a dir/pod #1.yaml', line: 12 },
});

export const EXEMPTED: ExemptedFinding = {
  ...finding(DEMO_ERROR_RULE, {
    message: "container 'agent' sets securityContext.privileged=true",
    object: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'agent' },
    container: 'agent',
    path: 'spec.template.spec.containers[0].securityContext.privileged',
    source: { file: 'stdin', line: 1 },
  }),
  reason: 'node agent needs host access (SEC-42)',
};

/** EXEMPTED with a grant (as `bulwark audit --exemptions` reports it). */
export const GRANTED: ExemptedFinding = {
  ...EXEMPTED,
  grant: {
    namespace: 'kube-system',
    name: 'agent',
    rule: 'demo-privileged',
    reason: 'host networking agent',
    approver: 'alice@example.com',
    expires: '2099-01-01T00:00:00Z',
  },
};

/** Files deploy/app.yaml, `a dir/pod #1.yaml` and stdin; 4 objects; one error, two warnings, one exempted. */
export function demoReport(overrides: Partial<AuditReport> = {}): AuditReport {
  return {
    result: { findings: [NO_PROBES_SVC_POD, PRIVILEGED, NO_PROBES], exempted: [EXEMPTED], objectCount: 4 },
    inputErrors: [],
    files: ['deploy/app.yaml', 'a dir/pod #1.yaml', 'stdin'],
    rules: [DEMO_ERROR_RULE, DEMO_WARNING_RULE],
    failOn: 'error',
    ...overrides,
  };
}
