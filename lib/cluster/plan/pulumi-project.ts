import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

export interface PulumiProject {
  /** Directory holding Pulumi.yaml. */
  readonly root: string;
  readonly name: string;
  /** Absolute directory of the stack files. */
  readonly stackConfigDir: string;
  /** The program (Pulumi.yaml `main`), relative to the root. */
  readonly main: string;
}

/** Finds Pulumi.yaml in `cwd` or above and reads the project name and `stackConfigDir`. */
export function findPulumiProject(cwd: string): PulumiProject | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'Pulumi.yaml');
    if (fs.existsSync(file)) {
      const doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as {
        name?: unknown;
        stackConfigDir?: unknown;
        main?: unknown;
      };
      if (typeof doc.name !== 'string') throw new Error(`${file}: 'name' is missing; a Pulumi project needs a name`);
      const configDir = typeof doc.stackConfigDir === 'string' ? doc.stackConfigDir : '.';
      const main = typeof doc.main === 'string' ? doc.main : '.';
      return { root: dir, name: doc.name, stackConfigDir: path.resolve(dir, configDir), main };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the project's stack config directory, sorted. */
export function listStacks(project: PulumiProject): string[] {
  if (!fs.existsSync(project.stackConfigDir)) return [];
  return fs
    .readdirSync(project.stackConfigDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function stackFile(project: PulumiProject, stack: string): string | undefined {
  for (const ext of ['yaml', 'yml']) {
    const file = path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}
