import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Where `bulwark synth` writes, and how it replaces a previous output without ever losing data or showing a half
 * written one.
 *
 * Layout for `--out dist` (in the folder holding `dist`):
 * - `.dist.bulwark/` the store: one folder per generation (`g-<id>/`) and the lock of the runs writing `dist`;
 * - `dist` a symbolic link to the current generation, `.dist.bulwark/g-<id>`, which holds the manifests, the marker
 *   file `.bulwark-output` and the posture report in `.bulwark-report/`;
 * - `dist-report` a symbolic link to `dist/.bulwark-report`, so the report is always the one of the manifests beside it;
 * - `dist-grant-requests.yaml` a symbolic link to `dist/.bulwark-grant-requests`, the exemption grant requests of the
 *   manifests beside it.
 *
 * A new output is written completely into a fresh generation, then `dist` is switched to it with rename(2) of a new
 * link over the old one, which is atomic: at every instant `dist` (and through it `dist-report` and
 * `dist-grant-requests.yaml`) is the complete old or the complete new output. Runs writing the same output take its lock in turn (a lock file holding the pid; the lock of
 * a process that no longer runs is taken over) and, holding it, remove what killed runs left in the store.
 */

/** The file every output of bulwark synth holds, so the next run knows it may replace it. */
export const OUTPUT_MARKER = '.bulwark-output';
/** Inside an output: its posture report and network graph. */
export const REPORT_SUBDIR = '.bulwark-report';
/**
 * Inside an output: the grant requests of its exemptions (lib/policy/grant-requests.ts). No file extension, so that
 * `kubectl apply -f <out>` (with or without -R) and `bulwark audit <out>` never read it; `<out>-grant-requests.yaml`
 * beside the output links to it.
 */
export const GRANT_REQUESTS_FILE = '.bulwark-grant-requests';
/** The first line bulwark synth wrote into `<out>-grant-requests.yaml` when it was a file (before it became a link). */
const OLD_REQUESTS_HEADER = '# Exemption grant requests of this app, written by bulwark synth.';

const MARKER_TEXT =
  'Written by `bulwark synth`. This folder is replaced as a whole by the next `bulwark synth` with the same --out.\n';
const GENERATION = /^g-[0-9a-z]+-[0-9]+-[0-9a-f]+$/;

export interface OutputTarget {
  /** The --out path as given, for messages. */
  readonly given: string;
  /** Absolute path of the output (the link). */
  readonly out: string;
  /** Absolute path of the report link, `<out>-report`. */
  readonly reportLink: string;
  /** Absolute path of the store, `.<name>.bulwark` beside the output. */
  readonly store: string;
  /** What is at `out` now. */
  readonly current: 'none' | 'empty-dir' | 'link' | 'marked-dir';
  /** What is at `reportLink` now. */
  readonly currentReport: 'none' | 'link' | 'old-report-dir';
  /** Absolute path of the grant requests link, `<out>-grant-requests.yaml`. */
  readonly requestsLink: string;
}

export class OutRefused extends Error {}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The nearest folder at or above `from` holding package.json (the project), or undefined. */
export function projectRootOf(from: string): string | undefined {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The path of a `.git` at or below `dir` (not following links), or undefined; gives up after `budget` entries. */
function findGit(dir: string, budget = { left: 20000 }): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    if (--budget.left < 0) return undefined;
    if (e.name === '.git') return path.join(dir, e.name);
    if (e.isDirectory()) {
      const found = findGit(path.join(dir, e.name), budget);
      if (found) return found;
    }
  }
  return undefined;
}

/** The generation a bulwark output link points at (absolute), or undefined when `link` is not one. */
function generationOf(link: string, store: string): string | undefined {
  let text: string;
  try {
    text = fs.readlinkSync(link);
  } catch {
    return undefined;
  }
  const target = path.resolve(path.dirname(link), text);
  if (path.dirname(target) !== store || !GENERATION.test(path.basename(target))) return undefined;
  return target;
}

/**
 * Checks that `--out <given>` may be replaced, without changing anything. Refused (OutRefused, saying why): an empty
 * path; the current folder, the project root or any folder holding either; a folder holding the app module; anything
 * holding `.git`; a file; a link that is not a bulwark output; a folder that is neither empty nor a previous bulwark
 * output (it has no marker file); the same for `<out>-report`, which may also be the report folder an older bulwark
 * wrote (only its report files).
 */
export function checkOutTarget(
  given: string,
  context: { readonly cwd: string; readonly appModule: string; readonly reportFiles: readonly string[] },
): OutputTarget {
  const refuse = (why: string, fix: string): never => {
    throw new OutRefused(`refusing --out '${given}': ${why}; nothing was changed. Fix: ${fix}`);
  };
  if (given.trim() === '') refuse('the path is empty (it would mean the current folder)', 'give a folder such as dist');
  const out = path.resolve(context.cwd, given);
  const cwd = path.resolve(context.cwd);
  const project = projectRootOf(path.dirname(context.appModule)) ?? projectRootOf(cwd);
  if (project && isInside(project, out)) {
    refuse(
      out === project ? 'it is the project root' : `it holds the project root (${project})`,
      'give a folder of its own inside the project, such as dist',
    );
  }
  if (isInside(cwd, out)) {
    refuse(
      out === cwd ? 'it is the current folder' : `it holds the current folder (${cwd})`,
      'give a folder of its own, such as dist',
    );
  }
  if (isInside(context.appModule, out)) {
    refuse(`it holds the app module ${context.appModule}`, 'give a folder of its own, such as dist');
  }
  if (path.dirname(out) === out) refuse('it is the root of the file system', 'give a folder such as dist');

  const name = path.basename(out);
  const store = path.join(path.dirname(out), `.${name}.bulwark`);
  const reportLink = `${out}-report`;
  let current: OutputTarget['current'] = 'none';
  const st = lstat(out);
  if (st?.isSymbolicLink()) {
    if (!generationOf(out, store)) {
      refuse(
        `it is a symbolic link to ${fs.readlinkSync(out)}, not a previous bulwark output`,
        'remove the link yourself or choose another --out',
      );
    }
    current = 'link';
  } else if (st?.isDirectory()) {
    const entries = fs.readdirSync(out);
    if (entries.length === 0) current = 'empty-dir';
    else if (entries.includes(OUTPUT_MARKER) && fs.lstatSync(path.join(out, OUTPUT_MARKER)).isFile()) {
      const git = findGit(out);
      if (git) refuse(`it holds ${git}`, 'choose another --out');
      current = 'marked-dir';
    } else {
      if (entries.includes('.git')) refuse(`it holds ${path.join(out, '.git')}`, 'choose another --out');
      refuse(
        `it is a folder that is not empty and is not a previous bulwark output (it has no ${OUTPUT_MARKER} file; ` +
          `it holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, e.g. ${entries.slice(0, 3).join(', ')})`,
        'empty or remove the folder yourself, or choose another --out',
      );
    }
  } else if (st) {
    refuse('it is a file, not a folder', 'choose a folder for --out');
  }

  let currentReport: OutputTarget['currentReport'] = 'none';
  const rst = lstat(reportLink);
  const reportGiven = `${given.replace(/[\\/]+$/, '')}-report`;
  if (rst?.isSymbolicLink()) {
    if (fs.readlinkSync(reportLink) !== path.join(name, REPORT_SUBDIR)) {
      refuse(
        `the report path ${reportGiven} is a symbolic link to ${fs.readlinkSync(reportLink)}, not bulwark's report link`,
        `remove ${reportGiven} yourself or choose another --out`,
      );
    }
    currentReport = 'link';
  } else if (rst?.isDirectory()) {
    const entries = fs.readdirSync(reportLink);
    if (!entries.every((e) => context.reportFiles.includes(e))) {
      refuse(
        `the report path ${reportGiven} is a folder holding files bulwark did not write ` +
          `(${entries.filter((e) => !context.reportFiles.includes(e)).slice(0, 3)})`,
        `remove ${reportGiven} yourself or choose another --out`,
      );
    }
    currentReport = 'old-report-dir';
  } else if (rst) {
    refuse(`the report path ${reportGiven} is a file`, `remove ${reportGiven} yourself or choose another --out`);
  }
  const requestsLink = grantRequestsPath(out);
  const requestsGiven = grantRequestsPath(given);
  const qst = lstat(requestsLink);
  if (qst?.isSymbolicLink()) {
    if (fs.readlinkSync(requestsLink) !== path.join(name, GRANT_REQUESTS_FILE)) {
      refuse(
        `the grant requests path ${requestsGiven} is a symbolic link to ${fs.readlinkSync(requestsLink)}, not bulwark's link`,
        `remove ${requestsGiven} yourself or choose another --out`,
      );
    }
  } else if (qst?.isFile()) {
    if (!fs.readFileSync(requestsLink, 'utf8').startsWith(OLD_REQUESTS_HEADER)) {
      refuse(
        `the grant requests path ${requestsGiven} is a file bulwark did not write`,
        `remove ${requestsGiven} yourself or choose another --out`,
      );
    }
  } else if (qst) {
    refuse(
      `the grant requests path ${requestsGiven} is not a file`,
      `remove ${requestsGiven} yourself or choose another --out`,
    );
  }
  const sst = lstat(store);
  if (sst && !sst.isDirectory()) {
    refuse(`bulwark's store ${store} is not a folder`, `remove ${store} yourself or choose another --out`);
  }
  return { given, out, reportLink, store, current, currentReport, requestsLink };
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LockOptions {
  /** How long to wait for another run's lock before refusing. */
  readonly waitMs: number;
  /** Called once when the lock is held by a running process and this run starts waiting. */
  readonly onWait?: (holder: string) => void;
}

/**
 * Takes the lock of the output (`<store>/lock`, holding `pid host started`): created with link(2) from a file of this
 * process, so exactly one run gets it. A lock whose process no longer runs (a killed run) is taken over. Resolves to
 * the function releasing it; rejects with OutRefused after `waitMs` if another run still holds it.
 */
export async function lockOutput(target: OutputTarget, options: LockOptions): Promise<() => void> {
  fs.mkdirSync(target.store, { recursive: true });
  // git then shows neither the store nor what is in it.
  if (!fs.existsSync(path.join(target.store, '.gitignore')))
    fs.writeFileSync(path.join(target.store, '.gitignore'), '*\n');
  const lock = path.join(target.store, 'lock');
  const mine = `${process.pid} ${os.hostname()} ${new Date().toISOString()}\n`;
  const own = path.join(target.store, `lock.${process.pid}.${Math.random().toString(16).slice(2)}`);
  fs.writeFileSync(own, mine);
  const deadline = Date.now() + options.waitMs;
  let told = false;
  try {
    for (;;) {
      try {
        fs.linkSync(own, lock);
        return () => {
          try {
            if (fs.readFileSync(lock, 'utf8') === mine) fs.unlinkSync(lock);
          } catch {
            // Already gone.
          }
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let held: string;
      try {
        held = fs.readFileSync(lock, 'utf8');
      } catch {
        continue; // released in between
      }
      const [pidText, host] = held.split(' ');
      const pid = Number(pidText);
      if (held.trim() === '' || (host === os.hostname() && !isRunning(pid))) {
        // A killed run's lock (or one cut before its content was written): move it aside, then check that what was
        // moved is what was read, and put back a live lock taken in between.
        const aside = path.join(target.store, `stale.${process.pid}.${Math.random().toString(16).slice(2)}`);
        try {
          fs.renameSync(lock, aside);
        } catch {
          continue;
        }
        const moved = fs.readFileSync(aside, 'utf8');
        if (moved !== held) {
          try {
            fs.linkSync(aside, lock);
          } catch {
            // Someone else holds it now; theirs stays.
          }
        }
        fs.rmSync(aside, { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        throw new OutRefused(
          `another bulwark synth (pid ${pid}, since ${held.split(' ')[2]?.trim()}) is writing --out '${target.given}' ` +
            `and did not finish within ${Math.round(options.waitMs / 1000)} s; nothing was changed. Fix: wait for it ` +
            `to end, or, if no such process runs, remove ${lock}`,
        );
      }
      if (!told) options.onWait?.(`pid ${pid}, since ${held.split(' ')[2]?.trim()}`);
      told = true;
      await sleep(50);
    }
  } finally {
    fs.rmSync(own, { force: true });
  }
}

/**
 * Removes what killed runs left in the store: every generation but the current one, links and lock files of
 * processes that no longer run. Call only while holding the lock.
 */
export function cleanStore(target: OutputTarget): void {
  const current = lstat(target.out)?.isSymbolicLink() ? generationOf(target.out, target.store) : undefined;
  for (const entry of fs.readdirSync(target.store)) {
    const full = path.join(target.store, entry);
    if (entry === 'lock' || entry === '.gitignore' || full === current) continue;
    const pid = /^(?:lock|stale)\.(\d+)\./.exec(entry)?.[1];
    if (pid !== undefined && isRunning(Number(pid))) continue;
    fs.rmSync(full, { recursive: true, force: true });
  }
}

/** A fresh, empty generation folder in the store, holding the marker file. */
export function newGeneration(target: OutputTarget): string {
  const id = `g-${Date.now().toString(36)}-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  const dir = path.join(target.store, id);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, OUTPUT_MARKER), MARKER_TEXT);
  return dir;
}

/**
 * Where synth's grant requests are seen: beside the output folder (`dist-grant-requests.yaml` for `dist/`), a link
 * into the output (GRANT_REQUESTS_FILE), so that they always belong to the manifests beside them.
 */
export function grantRequestsPath(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}-grant-requests.yaml`;
}

/** `link` made a symbolic link to `text` by rename(2) of a new link over whatever is there (a file or older link). */
function replaceLink(target: OutputTarget, link: string, text: string): void {
  const st = lstat(link);
  if (st?.isSymbolicLink() && fs.readlinkSync(link) === text) return;
  const tmp = path.join(target.store, `link.${process.pid}.${Math.random().toString(16).slice(2)}`);
  fs.symlinkSync(text, tmp);
  if (st?.isDirectory()) fs.rmSync(link, { recursive: true, force: true });
  fs.renameSync(tmp, link);
}

/**
 * Makes `generation` the output: a new link to it renamed over `out` (atomic), `<out>-report` a link to the
 * report inside the output and `<out>-grant-requests.yaml` a link to its grant requests. An output left as a real folder (empty, or marked by an older layout) is moved into the
 * store first. Then removes the previous generation. Call only while holding the lock.
 */
export function publishGeneration(target: OutputTarget, generation: string): void {
  const parent = path.dirname(target.out);
  const link = path.join(target.store, `link.${process.pid}.${Math.random().toString(16).slice(2)}`);
  fs.symlinkSync(path.relative(parent, generation), link);
  const now = lstat(target.out);
  if (now && !now.isSymbolicLink() && now.isDirectory()) {
    fs.renameSync(target.out, path.join(target.store, `old-${Date.now().toString(36)}`));
  }
  fs.renameSync(link, target.out);
  replaceLink(target, target.reportLink, path.join(path.basename(target.out), REPORT_SUBDIR));
  replaceLink(target, target.requestsLink, path.join(path.basename(target.out), GRANT_REQUESTS_FILE));
  cleanStore(target);
}
