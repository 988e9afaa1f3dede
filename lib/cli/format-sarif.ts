import { createHash } from 'crypto';
import * as path from 'path';
import type { ArtifactLocation, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { pathToFileURL } from 'url';
import { ruleById } from '../policy/catalog';
import type { ExemptedFinding, Finding } from '../policy/engine';
import { formatObjectRef } from '../k8s/k8s-object';
import { formatInputError, InputError, STDIN_NAME } from '../manifest/manifests';
import type { Rule, Severity } from '../policy/rule';
import { AuditReport } from './audit-report';

const PACKAGE = require('../../package.json') as { version: string; homepage?: string };

/** Where people learn about the tool: package.json `homepage` (placeholder until the project has one). */
export const INFORMATION_URI = PACKAGE.homepage ?? 'https://github.com/bulwark-k8s/bulwark';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** partialFingerprints key: one alert per object, rule and container, wherever the object moves. */
export const FINGERPRINT_KEY = 'bulwarkObjectRuleContainer/v1';

/** GitHub ranks security alerts by this score (critical >= 9.0, high >= 7.0, medium >= 4.0). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: '8.0', warning: '5.0' };

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function referenceLines(rule: Rule): string[] {
  const r = rule.references;
  return [
    ...(r.pss ? [`Pod Security Standards: ${r.pss}`] : []),
    ...(r.cis?.length ? [`CIS Kubernetes Benchmark: ${r.cis.join(', ')}`] : []),
    ...(r.nsa?.length ? [`NSA/CISA Kubernetes Hardening Guide: ${r.nsa.join('; ')}`] : []),
    ...(r.owasp?.length ? [`OWASP Kubernetes Top 10: ${r.owasp.join(', ')}`] : []),
  ];
}

function tags(rule: Rule): string[] {
  const r = rule.references;
  return [
    'security',
    rule.group,
    ...(r.pss ? [`pss-${r.pss.split(':')[0].trim()}`] : []),
    ...(r.cis ?? []).map((c) => `cis-${c}`),
    ...(r.nsa?.length ? ['nsa-cisa'] : []),
    ...(r.owasp ?? []).map((k) => `owasp-${k.toLowerCase()}`),
  ];
}

function descriptor(rule: Rule): ReportingDescriptor {
  const refs = referenceLines(rule);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: refs.length ? `${rule.title}. ${refs.join('. ')}.` : `${rule.title}.` },
    help: {
      text: rule.remediation,
      markdown: [
        `**${rule.title}**`,
        '',
        `**Remediation:** ${rule.remediation}`,
        ...(refs.length ? ['', '**References:**', ...refs.map((l) => `- ${l}`)] : []),
        '',
        `Exempt an object with the annotation \`exempt.bulwark.dev/${rule.id}: <reason>\`.`,
      ].join('\n'),
    },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: tags(rule), precision: 'high', 'security-severity': SECURITY_SEVERITY[rule.severity] },
  };
}

/** A file as a SARIF artifact: relative to the repository root (%SRCROOT%), `stdin`, or a file: URL outside it. */
function artifactLocation(file: string): ArtifactLocation {
  if (file === STDIN_NAME) return { uri: STDIN_NAME };
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function physicalLocation(file: string, line: number | undefined): Location {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(file),
      ...(line !== undefined ? { region: { startLine: line } } : {}),
    },
  };
}

function fingerprint(f: Finding): string {
  const o = f.object;
  return createHash('sha256')
    .update([o.kind, o.namespace ?? '', o.name, f.ruleId, f.container ?? ''].join('\0'))
    .digest('hex');
}

function notification(e: InputError): Notification {
  return {
    level: 'error',
    message: { text: formatInputError(e) },
    locations: [physicalLocation(e.file, e.line)],
  };
}

/** SARIF 2.1.0 for GitHub code scanning: one run, the rules that ran, one result per finding (exempted = suppressed). */
export function toSarif(report: AuditReport): Log {
  const rules = [...report.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const f of [...report.result.findings, ...report.result.exempted]) {
    const rule = index.has(f.ruleId) ? undefined : ruleById(f.ruleId);
    if (rule) {
      index.set(rule.id, rules.length);
      rules.push(rule);
    }
  }
  const result = (f: Finding, exempted?: ExemptedFinding): Result => {
    const o = f.object;
    const objectName = `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: f.severity,
      kind: 'fail',
      message: { text: `${formatObjectRef(o)}: ${f.message}` },
      locations: [
        {
          ...(f.source ? physicalLocation(f.source.file, f.source.line) : {}),
          logicalLocations: [{ name: o.name, fullyQualifiedName: objectName, kind: 'resource' }],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
      ...(f.container !== undefined || f.path !== undefined
        ? {
            properties: {
              ...(f.container !== undefined ? { container: f.container } : {}),
              ...(f.path ? { path: f.path } : {}),
            },
          }
        : {}),
      // A granted exemption is an accepted suppression; one declared by an annotation only is still under review.
      ...(exempted !== undefined
        ? {
            suppressions: [
              {
                kind: 'inSource',
                status: exempted.grant ? 'accepted' : 'underReview',
                justification: exempted.grant
                  ? `${exempted.reason} (granted by ${exempted.grant.approver} until ${exempted.grant.expires})`
                  : `${exempted.reason} (exemption by annotation only, not granted)`,
              },
            ],
          }
        : {}),
    };
  };
  const results = [...report.result.findings.map((f) => result(f)), ...report.result.exempted.map((f) => result(f, f))];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bulwark',
            informationUri: INFORMATION_URI,
            version: PACKAGE.version,
            semanticVersion: PACKAGE.version,
            rules: rules.map(descriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: report.inputErrors.length === 0,
            ...(report.inputErrors.length ? { toolExecutionNotifications: report.inputErrors.map(notification) } : {}),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: AuditReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
