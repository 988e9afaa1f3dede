import { networkGraphOf } from '../graph/reachability';
import { selectRules } from '../policy/catalog';
import { AuditOptions, AuditResult, Auditor } from '../policy/engine';
import type { Manifests } from '../manifest/manifests';
import { buildPostureReport, PostureReport } from './posture-report';

/** Audits manifests with `options` and computes their network graph: everything a posture report shows. */
export function postureReportOf(
  manifests: Manifests,
  options: AuditOptions = {},
  title?: string,
): { report: PostureReport; result: AuditResult } {
  const result = new Auditor(options).audit(manifests.objects, manifests.sources);
  const settings: [string, string][] = [
    ['Pod Security level', options.level ?? 'restricted'],
    ['PSS version', options.pssVersion ?? 'latest'],
  ];
  if (options.only?.length) settings.push(['rules', options.only.join(',')]);
  if (options.allowedRegistries?.length) settings.push(['allowed registries', options.allowedRegistries.join(',')]);
  const report = buildPostureReport({
    result,
    objects: manifests.objects,
    graph: networkGraphOf(manifests.objects, manifests.sources),
    files: manifests.files,
    inputErrors: manifests.errors,
    rules: selectRules(options.only),
    settings,
    ...(title !== undefined ? { title } : {}),
  });
  return { report, result };
}
