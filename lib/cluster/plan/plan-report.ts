import { PlannedResource } from '../posture/planned-resource';
import { Evidence } from '../posture/posture-control';
import { APPLY_PATH_TEXT, BASELINE_STACK_TEXT, RUNNER_TOOLS } from './apply-paths';
import { StackPlan } from './plan-stack';
import { oneLine } from '../../util/visible-text';

/** Resources with the stack first and every child right after its parent, with its depth. */
function treeOrder(resources: readonly PlannedResource[]): { r: PlannedResource; depth: number }[] {
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const known = new Set(resources.map((r) => r.urn));
  const out: { r: PlannedResource; depth: number }[] = [];
  const visit = (r: PlannedResource, depth: number) => {
    out.push({ r, depth });
    for (const c of children.get(r.urn) ?? []) visit(c, depth + 1);
  };
  for (const r of resources) if (r.parent === undefined || !known.has(r.parent)) visit(r, 0);
  return out;
}

function short(value: unknown, max = 70): string {
  const text = value === undefined ? 'not set' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function evidenceLine(e: Evidence): string {
  return `        ${e.pass ? 'ok' : 'NO'}  ${e.resource}  ${e.property} = ${short(e.actual)}  (expected ${e.expected})`;
}

export function summarize(plan: StackPlan): { resources: number; controls: number; passed: number; failed: number } {
  const failed = plan.posture.filter((c) => c.status === 'fail').length;
  return {
    resources: plan.resources.length,
    controls: plan.posture.length,
    passed: plan.posture.length - failed,
    failed,
  };
}

/** How this stack's baseline reaches the cluster, naming the baseline stacks of a separate-stack cluster stack. */
export function applyPathText(plan: StackPlan): string {
  if (plan.role === 'baseline') return BASELINE_STACK_TEXT.replaceAll('<cluster>', plan.clusterStack ?? '?');
  const text = APPLY_PATH_TEXT[plan.baselineApply].replace('<stack>', plan.stack);
  if (plan.baselineApply !== 'separate-stack') return text;
  const stacks = plan.baselineStacks ?? [];
  return stacks.length > 0
    ? `${text}; baseline stack${stacks.length === 1 ? '' : 's'} of this project: ${stacks.join(', ')}`
    : `${text}; no baseline stack of this project names it yet: add stacks/Pulumi.${plan.stack}-baseline.yaml with bulwark:baselineFor: ${plan.stack}`;
}

/** Where the grants of the plan are installed, in words. */
function grantsWhere(plan: StackPlan): string {
  switch (plan.exemptionGrants.source) {
    case 'installed':
      return 'this stack installs';
    case 'gitops':
      return 'in the baselineManifests output, which CI commits to the GitOps repository Flux applies';
    case 'configured':
      return 'configured; the baseline stack installs them from the baselineSpec output';
  }
}

/** The exemption grants, one line each, expired ones flagged; text from the stack config made safe for a terminal. */
function grantLines(plan: StackPlan): string[] {
  const { grants } = plan.exemptionGrants;
  const expired = grants.filter((g) => g.expired).length;
  return [
    `Exemption grants (${grants.length}, ${grantsWhere(plan)}${expired > 0 ? `, ${expired} EXPIRED` : ''}):`,
    ...(grants.length === 0
      ? ['  none (bulwark:exemptionGrants is empty: no annotation exempts anything in the cluster)']
      : grants.map(
          (g) =>
            `  ${g.expired ? 'EXPIRED  ' : ''}${oneLine(g.rule)} in ${oneLine(g.namespace)} for ${oneLine(g.object)}: ` +
            `${oneLine(g.reason)} (approved by ${oneLine(g.approver)}, expires ${oneLine(g.expires)})`,
        )),
  ];
}

/** The plan as people read it: resources as a tree, then the checklist with the property proving each control. */
export function formatPlanText(plan: StackPlan): string {
  const s = summarize(plan);
  const names = new Map(plan.resources.map((r) => [r.urn, r.name]));
  const rows = treeOrder(plan.resources).map(({ r, depth }) => [
    `${'  '.repeat(depth)}${r.name}`,
    r.type,
    r.parent ? (names.get(r.parent) ?? r.parent) : '',
  ]);
  const width = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length), 4));
  const lines: string[] = [
    plan.role === 'baseline'
      ? `bulwark plan: stack '${plan.stack}' (${plan.stackFile}), baseline of ${plan.cloudLabel} cluster '${plan.clusterName}' (stack '${plan.clusterStack}')`
      : `bulwark plan: stack '${plan.stack}' (${plan.stackFile}), ${plan.cloudLabel} cluster '${plan.clusterName}'`,
    `Offline: the real program (${plan.program}) ran under pulumi.runtime.setMocks. No Pulumi CLI, no credentials, nothing created.`,
    `Baseline apply path: ${applyPathText(plan)}.`,
    `Runner tools: ${RUNNER_TOOLS[plan.cloud]}.`,
    '',
    `Resources it would create (${s.resources}):`,
    `  ${'NAME'.padEnd(width[0])}  ${'TYPE'.padEnd(width[1])}  PARENT`,
    ...rows.map((row) => `  ${row[0].padEnd(width[0])}  ${row[1].padEnd(width[1])}  ${row[2]}`.trimEnd()),
    '',
    `Posture checklist (${s.passed} of ${s.controls} controls pass${s.failed > 0 ? `, ${s.failed} FAIL` : ''}):`,
  ];
  for (const c of plan.posture) {
    lines.push(`  ${c.status === 'pass' ? 'PASS' : 'FAIL'}  ${c.id}: ${c.title} [${c.references.join('; ')}]`);
    lines.push(...c.evidence.map(evidenceLine));
  }
  lines.push('', ...grantLines(plan));
  lines.push('', 'Assumed offline (answered by mocks, checked by the cloud at deploy time):');
  lines.push(...plan.assumptions.map((a) => `  - ${a}`));
  lines.push(
    '',
    s.failed > 0
      ? `Result: FAIL, ${s.failed} posture control${s.failed === 1 ? '' : 's'} failed: ${plan.posture
          .filter((c) => c.status === 'fail')
          .map((c) => c.id)
          .join(', ')}`
      : `Result: PASS, ${s.controls} posture controls pass for ${s.resources} resources`,
  );
  return `${lines.join('\n')}\n`;
}

/** The plan for tools: resources (type, name, parent) and the checklist with its evidence. */
export function planJson(plan: StackPlan): Record<string, unknown> {
  const names = new Map(plan.resources.map((r) => [r.urn, r.name]));
  return {
    project: plan.project,
    stack: plan.stack,
    stackFile: plan.stackFile,
    program: plan.program,
    cloud: plan.cloud,
    clusterName: plan.clusterName,
    baselineApply: plan.baselineApply,
    role: plan.role,
    ...(plan.clusterStack !== undefined ? { clusterStack: plan.clusterStack } : {}),
    ...(plan.baselineStacks !== undefined ? { baselineStacks: plan.baselineStacks } : {}),
    applyPath: applyPathText(plan),
    runnerTools: RUNNER_TOOLS[plan.cloud],
    summary: summarize(plan),
    resources: plan.resources.map((r) => ({
      type: r.type,
      name: r.name,
      parent: r.parent ? (names.get(r.parent) ?? null) : null,
      urn: r.urn,
    })),
    posture: plan.posture,
    exemptionGrants: { ...plan.exemptionGrants, where: grantsWhere(plan) },
    assumptions: plan.assumptions,
  };
}
