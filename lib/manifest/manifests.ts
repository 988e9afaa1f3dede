import * as fs from 'fs';
import * as path from 'path';
import { isMap, isNode, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { parseDocumentFast } from './fast-yaml';
import { jsonItemOffsets } from './json-item-offsets';
import { isRecord, K8sObject } from '../k8s/k8s-object';
import type { SourceLocation } from './source-location';
import { KUBERNETES_YAML_OPTIONS } from './yaml-scalars';

/** A problem with the input itself (unreadable file, malformed YAML, a document that is not an object). */
export interface InputError {
  readonly file: string;
  /** 1-based line, when the problem is inside the file. */
  readonly line?: number;
  readonly message: string;
}

/** `file:line: message` (or `file: message` when the problem is not at a line). */
export function formatInputError(e: InputError): string {
  return e.line !== undefined ? `${e.file}:${e.line}: ${e.message}` : `${e.file}: ${e.message}`;
}

/** Objects read from manifests, each with where it came from, plus everything that could not be read. */
export interface Manifests {
  /** Objects in input order; `List` kinds are expanded into their items. */
  readonly objects: K8sObject[];
  readonly sources: Map<K8sObject, SourceLocation>;
  readonly errors: InputError[];
  /** Every file read (`stdin` for standard input), in reading order, as shown in reports. */
  readonly files: string[];
}

export function emptyManifests(): Manifests {
  return { objects: [], sources: new Map(), errors: [], files: [] };
}

/** Name standard input has in reports and SARIF. */
export const STDIN_NAME = 'stdin';
/** File name endings read when walking a directory. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

const EXAMPLE_TYPE_META = 'for example apiVersion: apps/v1 and kind: Deployment';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `a string (${JSON.stringify(shown)})`;
  }
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} (${String(value)})`;
}

/** What is wrong with an object's apiVersion and kind, or undefined when both are non-empty strings. */
function typeMetaProblem(obj: Record<string, unknown>): string | undefined {
  const problems: string[] = [];
  const missing: string[] = [];
  for (const field of ['apiVersion', 'kind']) {
    const v = obj[field];
    if (v === undefined || v === null || v === '') missing.push(field);
    else if (typeof v !== 'string') problems.push(`${describe(v)} as ${field}`);
  }
  if (missing.length === 0 && problems.length === 0) return undefined;
  const what = [...(missing.length ? [`no ${missing.join(' and no ')}`] : []), ...problems].join(' and ');
  return `has ${what}: every Kubernetes object needs apiVersion and kind as strings (${EXAMPLE_TYPE_META})`;
}

/** Where the objects of one text go, with the line bookkeeping of one file. */
class ManifestSink {
  constructor(
    private readonly into: Manifests,
    private readonly file: string,
  ) {}

  error(line: number | undefined, message: string): void {
    this.into.errors.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message });
  }

  /**
   * Adds one parsed document. `itemLine(i)` gives the line of `items[i]` for List kinds when known.
   */
  document(value: unknown, line: number, itemLine: (index: number) => number | undefined): void {
    if (value === null || value === undefined) return; // empty or comments-only document
    this.object(value, line, 'document', itemLine);
  }

  private object(
    value: unknown,
    line: number,
    where: string,
    itemLine: ((index: number) => number | undefined) | undefined,
  ): void {
    if (!isRecord(value)) {
      this.error(
        line,
        `${where} is ${describe(value)}, not a Kubernetes object: expected a mapping with apiVersion and kind`,
      );
      return;
    }
    const problem = typeMetaProblem(value);
    if (problem) {
      this.error(line, `${where} ${problem}`);
      return;
    }
    const obj = value as K8sObject;
    if (obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      const itemKind = obj.kind === 'List' ? undefined : obj.kind.slice(0, -'List'.length);
      obj.items.forEach((item: unknown, i: number) => {
        const at = itemLine?.(i) ?? line;
        const label = where === 'document' ? `items[${i}]` : `${where}.items[${i}]`;
        // Typed lists (PodList, ...) may leave apiVersion and kind out of their items, as the API server does.
        if (itemKind && isRecord(item) && (item.kind === undefined || item.apiVersion === undefined)) {
          this.object(
            { ...item, apiVersion: item.apiVersion ?? obj.apiVersion, kind: item.kind ?? itemKind },
            at,
            label,
            undefined,
          );
        } else {
          this.object(item, at, label, undefined);
        }
      });
      return;
    }
    this.into.objects.push(obj);
    this.into.sources.set(obj, { file: this.file, line });
  }
}

/** Line numbers (1-based) of increasing offsets, in one pass over the text. */
function linesOfOffsets(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      line++;
      at = nl + 1;
    }
    out.push(line);
  }
  return out;
}

function firstContentOffset(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : 0;
}

function parseJson(text: string, sink: ManifestSink): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const start = firstContentOffset(text);
  const items = isRecord(value) && Array.isArray(value.items) ? jsonItemOffsets(text) : [];
  const lines = linesOfOffsets(text, [start, ...items]);
  sink.document(value, lines[0], (i) => lines[i + 1]);
  return true;
}

/** Parses a piece of YAML with the `yaml` package; `lineBase` is the number of lines before it in the file. */
function parseWithYamlPackage(text: string, lineBase: number, sink: ManifestSink, kind: 'YAML' | 'JSON'): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, lineCounter });
  const lineAt = (offset: number) => lineBase + lineCounter.linePos(offset).line;
  for (const doc of docs) {
    const contents = doc.contents;
    const line = lineAt(contents?.range?.[0] ?? doc.range[0]);
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = lineCounter.linePos(err.pos[0]);
      sink.error(lineBase + pos.line, `invalid ${kind} (column ${pos.col}): ${err.message}`);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      sink.error(line, `invalid ${kind}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const items = isMap(contents) ? contents.get('items', true) : undefined;
    sink.document(value, line, (i) => {
      const node: unknown = isSeq(items) ? items.items[i] : undefined;
      return isNode(node) && node.range ? lineAt(node.range[0]) : undefined;
    });
  }
}

/** `---` or `...` at the start of a line, alone or followed by white space. */
function isMarker(line: string, marker: '---' | '...'): boolean {
  return line.startsWith(marker) && (line.length === 3 || line[3] === ' ' || line[3] === '\t');
}

function parseYaml(source: string, sink: ManifestSink, kind: 'YAML' | 'JSON'): void {
  // CRLF is a line break like LF everywhere in YAML (never content); lone CRs, directives and `...` markers are rare
  // enough to leave entirely to the yaml package.
  const text = source.includes('\r') ? source.replace(/\r\n/g, '\n') : source;
  if (text.includes('\r')) return parseWithYamlPackage(text, 0, sink, kind);
  const lines = text.split('\n');
  const openEnd = !text.endsWith('\n');
  const total = openEnd ? lines.length : lines.length - 1;
  const chunks: number[] = [];
  let start = 0;
  for (let k = 0; k < total; k++) {
    const c = lines[k].charCodeAt(0);
    if (c === 45 /* - */ && isMarker(lines[k], '---')) {
      if (!/^---\s*(?:#.*)?$/.test(lines[k])) return parseWithYamlPackage(text, 0, sink, kind);
      chunks.push(start, k);
      start = k + 1;
    } else if (c === 37 /* % */ || (c === 46 /* . */ && isMarker(lines[k], '...'))) {
      return parseWithYamlPackage(text, 0, sink, kind);
    }
  }
  chunks.push(start, total);
  for (let c = 0; c < chunks.length; c += 2) {
    const from = chunks[c];
    const to = chunks[c + 1];
    const parsed = parseDocumentFast({ lines, start: from, end: to, openEnd: openEnd && to === total });
    if (parsed) {
      sink.document(parsed.value, parsed.line, (i) => parsed.itemLines?.[i]);
    } else {
      const piece = lines.slice(from, to).join('\n');
      parseWithYamlPackage(openEnd && to === total ? piece : `${piece}\n`, from, sink, kind);
    }
  }
}

/**
 * Parses the text of one manifest file (YAML, possibly multi-document, or JSON) into `into`.
 * `format: 'json'` (for *.json files) tries JSON first; JSON that does not parse is read as YAML, like kubectl does,
 * so the error says where the problem is. Text that starts with `{` is tried as JSON too (kubectl -o json output).
 */
export function parseManifestText(
  text: string,
  file: string,
  into: Manifests = emptyManifests(),
  format: 'json' | 'yaml' = 'yaml',
): Manifests {
  const sink = new ManifestSink(into, file);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if ((format === 'json' || body[firstContentOffset(body)] === '{') && parseJson(body, sink)) return into;
  parseYaml(body, sink, format === 'json' ? 'JSON' : 'YAML');
  return into;
}

function displayName(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel.split(path.sep).join('/');
}

function readError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return 'no such file or directory: check the path (inputs are files, directories or - for stdin)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: make the file readable or leave it out';
  return `cannot read: ${e instanceof Error ? e.message : String(e)}`;
}

function hasManifestExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Manifest files under a directory, recursively, sorted; hidden entries (`.git`, `.github`) are skipped. */
export function listManifestFiles(dir: string, errors: InputError[] = [], cwd = process.cwd()): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string) => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(d);
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: displayName(d, cwd), message: readError(e) });
      return;
    }
    if (seen.has(real)) return; // a symlink loop
    seen.add(real);
    entries.sort((a, b) => byCodePoint(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) walk(full);
      else if (isFile && hasManifestExtension(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

export interface ReadManifestsOptions {
  /** Directory relative inputs and reported file names are resolved against. */
  readonly cwd: string;
  /** Reads all of standard input; required when an input is `-`. */
  readonly readStdin?: () => Promise<string>;
}

/**
 * Reads manifests from files, directories (recursively: *.yaml, *.yml, *.json, sorted) and `-` (standard input).
 * Never throws for bad input: every problem becomes an InputError and the other inputs are still read.
 */
export async function readManifests(inputs: readonly string[], options: ReadManifestsOptions): Promise<Manifests> {
  const into = emptyManifests();
  const done = new Set<string>();
  const readFile = (abs: string) => {
    if (done.has(abs)) return;
    done.add(abs);
    const name = displayName(abs, options.cwd);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      into.errors.push({ file: name, message: readError(e) });
      return;
    }
    into.files.push(name);
    parseManifestText(text, name, into, abs.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  };
  for (const input of inputs) {
    if (input === '-') {
      if (done.has('-')) continue;
      done.add('-');
      if (!options.readStdin) {
        into.errors.push({ file: STDIN_NAME, message: 'standard input is not available here' });
        continue;
      }
      const text = await options.readStdin();
      into.files.push(STDIN_NAME);
      parseManifestText(text, STDIN_NAME, into);
      continue;
    }
    const abs = path.resolve(options.cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      into.errors.push({ file: displayName(abs, options.cwd), message: readError(e) });
      continue;
    }
    if (!stat.isDirectory()) {
      readFile(abs);
      continue;
    }
    const files = listManifestFiles(abs, into.errors, options.cwd);
    if (files.length === 0) {
      into.errors.push({
        file: displayName(abs, options.cwd),
        message: `directory has no ${MANIFEST_EXTENSIONS.map((e) => `*${e}`).join(', ')} files (searched recursively)`,
      });
    }
    for (const f of files) readFile(f);
  }
  return into;
}
