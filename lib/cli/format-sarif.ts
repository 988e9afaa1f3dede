import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ArtifactLocation, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { pathToFileURL } from 'url';
import { ruleById } from '../policy/catalog';
import { ExemptedFinding, Finding, findingKey } from '../policy/engine';
import { formatObjectRef } from '../k8s/k8s-object';
import { formatInputError, InputError, STDIN_NAME } from '../manifest/manifests';
import type { Rule, Severity } from '../policy/rule';
import { AuditReport } from './audit-report';

const PACKAGE = require('../../package.json') as { version: string; homepage?: string };

/** Where people learn about the tool: package.json `homepage` (placeholder until the project has one). */
export const INFORMATION_URI = PACKAGE.homepage ?? 'https://github.com/bulwark-k8s/bulwark';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * partialFingerprints key: one alert per rule, file, object, container and field (or message, when the rule names no
 * field), wherever the object moves in its file (findingKey).
 */
export const FINGERPRINT_KEY = 'bulwarkFinding/v2';
/** uriBaseId of files under a git repository's root, for inputs given by absolute path. */
export const REPO_ROOT_BASE = 'REPOROOT';

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

/** The folder holding `.git` above an absolute file, if any: the root code scanning resolves URIs against. */
function repositoryRoot(file: string, cache: Map<string, string | null>): string | undefined {
  const start = path.dirname(file);
  const seen: string[] = [];
  let found: string | null = null;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const known = cache.get(dir);
    if (known !== undefined) {
      found = known;
      break;
    }
    seen.push(dir);
    if (fs.existsSync(path.join(dir, '.git'))) {
      found = dir;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const d of seen) cache.set(d, found);
  return found ?? undefined;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/**
 * A file as a SARIF artifact: relative to where bulwark ran (%SRCROOT%), `stdin`; an absolute path (an input outside
 * the working folder) relative to the git repository holding it (REPOROOT, declared in originalUriBaseIds), else a
 * file: URL.
 */
function artifactLocation(file: string, roots: Map<string, string | null>): ArtifactLocation {
  if (file === STDIN_NAME) return { uri: STDIN_NAME };
  if (path.isAbsolute(file)) {
    const root = repositoryRoot(file, roots);
    if (root === undefined) return { uri: pathToFileURL(file).href };
    return { uri: encodePath(path.relative(root, file).split(path.sep).join('/')), uriBaseId: REPO_ROOT_BASE };
  }
  return { uri: encodePath(file), uriBaseId: '%SRCROOT%' };
}

function physicalLocation(file: string, line: number | undefined, roots: Map<string, string | null>): Location {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(file, roots),
      ...(line !== undefined ? { region: { startLine: line } } : {}),
    },
  };
}

function fingerprint(f: Finding): string {
  return createHash('sha256').update(findingKey(f)).digest('hex');
}

function notification(e: InputError, level: 'error' | 'note', roots: Map<string, string | null>): Notification {
  return {
    level,
    message: { text: formatInputError(e) },
    locations: [physicalLocation(e.file, e.line, roots)],
  };
}

/** SARIF 2.1.0 for GitHub code scanning: one run, the rules that ran, one result per finding (exempted = suppressed). */
export function toSarif(report: AuditReport): Log {
  const roots = new Map<string, string | null>();
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
          ...(f.source ? physicalLocation(f.source.file, f.line ?? f.source.line, roots) : {}),
          logicalLocations: [{ name: o.name, fullyQualifiedName: objectName, kind: 'resource' }],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
      properties: {
        findingId: f.id,
        ...(f.container !== undefined ? { container: f.container } : {}),
        ...(f.path ? { path: f.path } : {}),
        ...(f.source?.document !== undefined ? { document: f.source.document } : {}),
      },
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
  const notifications = [
    ...report.inputErrors.map((e) => notification(e, 'error', roots)),
    ...(report.notes ?? []).map((n) => notification(n, 'note', roots)),
  ];
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
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        ...(repoRootUri(roots) ? { originalUriBaseIds: { [REPO_ROOT_BASE]: { uri: repoRootUri(roots) } } } : {}),
        results,
      },
    ],
  };
}

/** The file: URL of the one repository root absolute inputs were found in (several roots: none is declared). */
function repoRootUri(roots: Map<string, string | null>): string | undefined {
  const found = new Set([...roots.values()].filter((r): r is string => r !== null));
  if (found.size !== 1) return undefined;
  const href = pathToFileURL([...found][0]).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function formatSarif(report: AuditReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
