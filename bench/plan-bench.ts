import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, runMeasured, RunOptions } from './measured-process';

const BIN = path.join(REPO_ROOT, 'bin', 'bulwark.js');

/** Stack names of the example stacks: stacks/Pulumi.<name>.yaml, sorted. */
export function exampleStacks(root = REPO_ROOT): string[] {
  const dir = path.join(root, 'stacks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** One offline plan: `node bin/bulwark.js plan --stack <name> --json` from spawn to exit. */
export interface PlanRun {
  readonly stack: string;
  readonly wallMs: number;
  readonly resources: number;
  readonly controls: number;
  readonly failedControls: number;
  readonly maxRssMb: number;
}

/** Thrown when this checkout has no `bulwark plan` command, so the benchmark can say so instead of failing. */
export class PlanUnavailableError extends Error {}

interface PlanJson {
  readonly summary: { readonly resources: number; readonly controls: number; readonly failed: number };
}

export async function measurePlan(stack: string, options: RunOptions = {}): Promise<PlanRun> {
  const p = await runMeasured([BIN, 'plan', '--stack', stack, '--json'], options);
  if (p.code === 2 && /unknown command 'plan'/.test(p.stderr)) {
    throw new PlanUnavailableError("this checkout's CLI has no 'plan' command");
  }
  // 0: every posture control passes, 1: some fail; both are complete plans.
  if (p.code !== 0 && p.code !== 1) {
    throw new Error(`bulwark plan --stack ${stack} exited with ${p.code}:\n${p.stderr.trim()}`);
  }
  const plan = JSON.parse(p.stdout) as PlanJson;
  return {
    stack,
    wallMs: p.wallMs,
    resources: plan.summary.resources,
    controls: plan.summary.controls,
    failedControls: plan.summary.failed,
    maxRssMb: p.maxRssKb / 1024,
  };
}
