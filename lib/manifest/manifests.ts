import * as fs from 'fs';
import { Minimatch } from 'minimatch';
import * as path from 'path';
import { isRecord, K8sObject } from '../k8s/k8s-object';
import { inFastSubset, parseChunkFast, parseTextDocumentFast } from './fast-yaml';
import { MAX_JSON_DEPTH } from './go-yaml-decode';
import { jsonItemOffsets } from './json-item-offsets';
import {
  chunkOfText,
  CutText,
  cutKubectlText,
  KubectlDocument,
  readKubectlChunk,
  readKubectlDocuments,
} from './kubectl-documents';
import type { SourceLocation } from './source-location';
import { byCodePoint } from '../util/by-code-point';

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
  /** Files skipped without failing the run (non-Kubernetes YAML found in a directory), with why. */
  readonly notes: InputError[];
  /** Every file read (`stdin` for standard input), in reading order, as shown in reports. */
  readonly files: string[];
  /**
   * Each file read, by its name in reports: findings are located at their field's line from it. Its text and the
   * documents it was cut into when it was read that way, else its bytes.
   */
  readonly texts: Map<string, Uint8Array | CutText>;
}

export function emptyManifests(): Manifests {
  return { objects: [], sources: new Map(), errors: [], notes: [], files: [], texts: new Map() };
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

/** What is wrong with an object's metadata.name and metadata.namespace, when one of them is not a string. */
function metadataProblem(obj: Record<string, unknown>): string | undefined {
  const metadata = obj.metadata;
  if (metadata === undefined || metadata === null) return undefined;
  if (!isRecord(metadata)) return `has ${describe(metadata)} as metadata: metadata must be a mapping`;
  for (const field of ['name', 'namespace', 'generateName']) {
    const v = metadata[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      return `has ${describe(v)} as metadata.${field}: the API server accepts only a string there`;
    }
  }
  return undefined;
}

/** Where the objects of one text go, with the line bookkeeping of one file. */
class ManifestSink {
  /** Documents that look like Kubernetes objects (a mapping with apiVersion or kind). */
  kubernetesLike = 0;
  /** Documents that are mappings with neither apiVersion nor kind: another tool's YAML (swagger, app config). */
  foreign = 0;
  /** Errors other than a foreign document's (YAML syntax, bad type meta of a Kubernetes-like document). */
  otherErrors = 0;
  private document_ = 0;

  constructor(
    private readonly into: Manifests,
    private readonly file: string,
  ) {}

  /** The file was cut as text: keep the cut (not the bytes) for locating findings' fields. */
  cut(cut: CutText): void {
    this.into.texts.set(this.file, cut);
  }

  error(line: number | undefined, message: string, foreign = false): void {
    if (!foreign) this.otherErrors++;
    this.into.errors.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message });
  }

  /**
   * Adds one parsed document, the `index`th of the file (0-based, as kubectl's reader cuts it). `itemLine(i)` gives
   * the line of `items[i]` for List kinds when known.
   */
  document(value: unknown, line: number, itemLine: (index: number) => number | undefined, index = 0): void {
    if (value === null || value === undefined) return; // empty or comments-only document
    this.document_ = index;
    if (isRecord(value) && (value.apiVersion !== undefined || value.kind !== undefined)) this.kubernetesLike++;
    else this.foreign++;
    this.object(value, line, 'document', itemLine, undefined);
  }

  private object(
    value: unknown,
    line: number,
    where: string,
    itemLine: ((index: number) => number | undefined) | undefined,
    item: number | undefined,
  ): void {
    if (!isRecord(value)) {
      this.error(
        line,
        `${where} is ${describe(value)}, not a Kubernetes object: expected a mapping with apiVersion and kind`,
        item === undefined && where === 'document',
      );
      return;
    }
    const problem = typeMetaProblem(value);
    if (problem) {
      this.error(
        line,
        `${where} ${problem}`,
        item === undefined && where === 'document' && value.apiVersion === undefined && value.kind === undefined,
      );
      return;
    }
    const metadata = metadataProblem(value);
    if (metadata) {
      this.error(line, `${where} ${metadata}`);
      return;
    }
    const obj = value as K8sObject;
    if (obj.kind.endsWith('List') && obj.items !== undefined && obj.items !== null && !Array.isArray(obj.items)) {
      // kubectl cannot decode such a List; reading it as one object would hide whatever the items hold.
      this.error(
        line,
        `${where} is a ${obj.kind} whose items is ${describe(obj.items)}: items must be a sequence of objects ` +
          '(- apiVersion: ...)',
      );
      return;
    }
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
            i,
          );
        } else {
          this.object(item, at, label, undefined, i);
        }
      });
      return;
    }
    this.into.objects.push(obj);
    this.into.sources.set(
      obj,
      item === undefined
        ? { file: this.file, line, document: this.document_ }
        : { file: this.file, line, document: this.document_, item },
    );
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
  const depth = nestingProblem(value);
  if (depth) {
    sink.error(linesOfOffsets(text, [start])[0], depth);
    return true;
  }
  const items = isRecord(value) && Array.isArray(value.items) ? jsonItemOffsets(text) : [];
  const lines = linesOfOffsets(text, [start, ...items]);
  sink.document(value, lines[0], (i) => lines[i + 1]);
  return true;
}

/** Reads a YAML stream as kubectl does: its documents, each with go-yaml's JSON value, up to the first error. */
export function readYamlDocuments(bytes: Uint8Array): KubectlDocument[] {
  return readKubectlDocuments(bytes, parseChunkFast);
}

/**
 * Reads the documents of a file's text (its bytes decoded as UTF-8) as readYamlDocuments reads its bytes, cutting the
 * text once, without copying it, when it allows (cutKubectlText, and every character in the fast reader's subset):
 * each document read by the fast reader, else by the go-yaml port. `shallow` marks documents the fast reader read
 * (nested far less than MAX_JSON_DEPTH). Undefined when the text must be read as bytes.
 */
function readYamlText(text: string): { docs: (KubectlDocument & { shallow?: true })[]; cut: CutText } | undefined {
  if (!inFastSubset(text)) return undefined;
  const documents = cutKubectlText(text);
  if (!documents) return undefined;
  const lines = text.split('\n');
  const docs: (KubectlDocument & { shallow?: true })[] = [];
  for (const d of documents) {
    const quick = parseTextDocumentFast(lines, d, 0);
    docs.push(quick ? { ...quick, shallow: true } : readKubectlChunk(chunkOfText(text, d)));
  }
  return { docs, cut: { text, documents } };
}

function parseYaml(bytes: Uint8Array, text: string | undefined, sink: ManifestSink, kind: 'YAML' | 'JSON'): void {
  const read = text === undefined ? undefined : readYamlText(text);
  const docs: (KubectlDocument & { shallow?: true })[] = read ? read.docs : readYamlDocuments(bytes);
  if (read) sink.cut(read.cut);
  for (let index = 0; index < docs.length; index++) {
    const doc = docs[index];
    if ('error' in doc) {
      const { line, column, message } = doc.error;
      sink.error(line, `invalid ${kind}${column !== undefined ? ` (column ${column})` : ''}: ${message}`);
      continue;
    }
    const depth = doc.shallow ? undefined : nestingProblem(doc.value);
    if (depth) {
      sink.error(doc.line, depth);
      continue;
    }
    sink.document(doc.value, doc.line, (i) => doc.itemLines?.[i], index);
  }
}

/** Go's JSON decoder (kubectl's, the API server's) refuses values nested deeper than this; so does bulwark. */
function nestingProblem(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > MAX_JSON_DEPTH) {
      return `nested more than ${MAX_JSON_DEPTH} levels deep: Go's JSON decoder (kubectl, the API server) refuses that`;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses the text of one manifest file (YAML, possibly multi-document, or JSON) into `into`, reading YAML exactly as
 * kubectl does (go-yaml v2 through sigs.k8s.io/yaml: merge keys, YAML 1.1 scalars, duplicate keys, line ends).
 * `format: 'json'` (for *.json files) tries JSON first; JSON that does not parse is read as YAML, like kubectl does,
 * so the error says where the problem is. Text that starts with `{` is tried as JSON too (kubectl -o json output).
 */
export function parseManifestText(
  input: string | Uint8Array,
  file: string,
  into: Manifests = emptyManifests(),
  format: 'json' | 'yaml' = 'yaml',
): Manifests {
  parseFile(input, file, into, format);
  return into;
}

/** `{{` (Helm, Go templates) or `{%` (Jinja) outside a comment: the first line that has one, 1-based. */
export function templateLine(bytes: Uint8Array): number | undefined {
  if (bytes.indexOf(123) === -1) return undefined; // no '{' at all: the common case, decided without decoding
  const lines = Buffer.from(bytes).toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const at = l.search(/\{\{|\{%/);
    if (at === -1) continue;
    const hash = l.indexOf('#');
    if (hash !== -1 && hash < at && /^\s*#/.test(l)) continue;
    return i + 1;
  }
  return undefined;
}

/** What a file's errors get when the file holds template actions: the reader sees a template, not its output. */
export function templateHint(line: number): string {
  return (
    `this looks like an unrendered template ({{ or {% on line ${line}): render it first, e.g. ` +
    '`helm template my-release ./chart | bulwark audit -`'
  );
}

function parseFile(input: string | Uint8Array, file: string, into: Manifests, format: 'json' | 'yaml'): ManifestSink {
  const sink = new ManifestSink(into, file);
  const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'utf8')) : input;
  into.texts.set(file, bytes);
  const errorsBefore = into.errors.length;
  let text: string | undefined;
  try {
    text = typeof input === 'string' ? input : utf8.decode(bytes);
  } catch {
    text = undefined; // not UTF-8: UTF-16, or invalid (the YAML reader says where)
  }
  let done = false;
  if (text !== undefined) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    done = (format === 'json' || body[firstContentOffset(body)] === '{') && parseJson(body, sink);
  }
  // A string given in place of bytes may hold lone surrogates, which its UTF-8 bytes do not: read those bytes then.
  const yamlText = typeof input === 'string' && /[\ud800-\udfff]/.test(input) ? undefined : text;
  if (!done) parseYaml(bytes, yamlText, sink, format === 'json' ? 'JSON' : 'YAML');
  if (into.errors.length > errorsBefore) {
    const line = templateLine(bytes);
    if (line !== undefined) {
      for (let i = errorsBefore; i < into.errors.length; i++) {
        const e = into.errors[i];
        into.errors[i] = { ...e, message: `${e.message}; ${templateHint(line)}` };
      }
    }
  }
  return sink;
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

/** Default of the per-file (and standard input) size limit, in MiB; `--max-file-size` raises it. */
export const DEFAULT_MAX_FILE_MIB = 64;
/** Most files one directory walk lists: a walk that finds more is stopped with an input error. */
export const MAX_WALKED_FILES = 100_000;

function kindOfFile(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function tooLarge(size: string, maxMib: number): string {
  return (
    `${size} is larger than the ${maxMib} MiB input limit: check that this is the manifest you meant, ` +
    `or raise the limit with --max-file-size <MiB>`
  );
}

/**
 * Manifest files under a directory, recursively, in the order kubectl's `apply -R` visits them (Go's filepath.Walk:
 * sorted by name, dot-files and dot-folders included). Like kubectl it does not descend into symbolic links to
 * directories (a link to `/` cannot make the walk leave the folder); a link to a file is read when its name has a
 * manifest extension. A walk that finds more than MAX_WALKED_FILES entries stops with an input error.
 */
export function listManifestFiles(
  dir: string,
  errors: InputError[] = [],
  cwd = process.cwd(),
  excluded: (abs: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  let visited = 0;
  const walk = (d: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: displayName(d, cwd), message: readError(e) });
      return true;
    }
    entries.sort((a, b) => byCodePoint(a.name, b.name));
    for (const entry of entries) {
      if (++visited > MAX_WALKED_FILES) {
        errors.push({
          file: displayName(dir, cwd),
          message: `more than ${MAX_WALKED_FILES} files and folders under this directory: give narrower inputs`,
        });
        return false;
      }
      const full = path.join(d, entry.name);
      if (excluded(full)) continue;
      if (entry.isDirectory()) {
        if (!walk(full)) return false;
      } else if (hasManifestExtension(entry.name)) {
        out.push(full); // files, links, and anything else with a manifest name: reading says what it is
      }
    }
    return true;
  };
  walk(dir);
  return out;
}

export interface ReadManifestsOptions {
  /** Directory relative inputs and reported file names are resolved against. */
  readonly cwd: string;
  /** Reads standard input, at most `maxBytes` bytes of it (more tells it is too large); required when an input is `-`. */
  readonly readStdin?: (maxBytes: number) => Promise<string | Uint8Array>;
  /** Largest file (and standard input) read, in MiB. @default DEFAULT_MAX_FILE_MIB */
  readonly maxFileMib?: number;
  /**
   * Globs of files and folders to leave out (`--exclude`), matched against the path relative to the directory given
   * as input and the path shown in reports; a glob without `/` matches a file or folder name at any depth.
   */
  readonly exclude?: readonly string[];
  /**
   * A file found in a directory whose documents are all other tools' YAML (no apiVersion and no kind anywhere) is an
   * input error, not a skipped file with a note. @default false
   */
  readonly strict?: boolean;
}

/** Whether `abs` (found under `root`, or given itself when `root` is undefined) matches one of the `--exclude` globs. */
function excludedBy(globs: readonly Minimatch[], abs: string, root: string | undefined, cwd: string): boolean {
  if (globs.length === 0) return false;
  const candidates = [displayName(abs, cwd)];
  if (root !== undefined) candidates.push(path.relative(root, abs).split(path.sep).join('/'));
  return globs.some((g) => candidates.some((c) => g.match(c)));
}

/** The note of a file skipped for holding no Kubernetes object. */
export const NOT_KUBERNETES_NOTE =
  'skipped: no document has an apiVersion or a kind, so this is not a Kubernetes manifest ' +
  '(--strict reports it as an error, --exclude leaves it out silently)';

/**
 * Reads one regular file of at most `maxBytes`, without blocking on FIFOs or reading devices: opened non-blocking,
 * checked with fstat, read to the limit.
 */
function readRegularFile(abs: string, maxBytes: number, maxMib: number): Uint8Array | string {
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return readError(e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      return `${kindOfFile(st)}, not a regular file: bulwark reads files, directories and - (standard input) only`;
    }
    if (st.size > maxBytes) return tooLarge(`the file (${st.size} bytes)`, maxMib);
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === buf.length) {
        if (n > maxBytes) return tooLarge('the file', maxMib);
        break;
      }
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } catch (e) {
    return readError(e);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads manifests from files, directories (recursively: *.yaml, *.yml, *.json, as kubectl apply -R) and `-`
 * (standard input). Never throws for bad input: every problem becomes an InputError and the other inputs are still
 * read. Inputs are bounded: regular files only (a FIFO or device is refused, not opened for reading), at most
 * `maxFileMib` MiB each, nesting at most MAX_JSON_DEPTH levels, aliases expanded within go-yaml's limits.
 */
export async function readManifests(inputs: readonly string[], options: ReadManifestsOptions): Promise<Manifests> {
  const into = emptyManifests();
  const done = new Set<string>();
  const maxMib = options.maxFileMib ?? DEFAULT_MAX_FILE_MIB;
  const maxBytes = Math.floor(maxMib * 1024 * 1024);
  const globs = (options.exclude ?? []).map((g) => new Minimatch(g, { dot: true, matchBase: !g.includes('/') }));
  const readFile = (abs: string, fromDirectory: boolean) => {
    if (done.has(abs)) return;
    done.add(abs);
    const name = displayName(abs, options.cwd);
    const text = readRegularFile(abs, maxBytes, maxMib);
    if (typeof text === 'string') {
      into.errors.push({ file: name, message: text });
      return;
    }
    into.files.push(name);
    const errorsBefore = into.errors.length;
    const sink = parseFile(text, name, into, abs.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
    if (fromDirectory && !options.strict && sink.foreign > 0 && sink.kubernetesLike === 0 && sink.otherErrors === 0) {
      // Another tool's YAML (swagger, app config) beside the manifests: say so, and do not fail the run for it.
      into.errors.splice(errorsBefore);
      into.files.pop();
      into.texts.delete(name);
      into.notes.push({ file: name, message: NOT_KUBERNETES_NOTE });
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      if (done.has('-')) continue;
      done.add('-');
      if (!options.readStdin) {
        into.errors.push({ file: STDIN_NAME, message: 'standard input is not available here' });
        continue;
      }
      const text = await options.readStdin(maxBytes);
      const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
      if (size > maxBytes) {
        into.errors.push({ file: STDIN_NAME, message: tooLarge('standard input', maxMib) });
        continue;
      }
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
      if (!excludedBy(globs, abs, undefined, options.cwd)) readFile(abs, false);
      continue;
    }
    const files = listManifestFiles(abs, into.errors, options.cwd, (f) => excludedBy(globs, f, abs, options.cwd));
    if (files.length === 0) {
      into.errors.push({
        file: displayName(abs, options.cwd),
        message: `directory has no ${MANIFEST_EXTENSIONS.map((e) => `*${e}`).join(', ')} files (searched recursively${
          globs.length > 0 ? ', after --exclude' : ''
        })`,
      });
    }
    for (const f of files) readFile(f, true);
  }
  return into;
}
