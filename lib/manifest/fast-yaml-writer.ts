import { Document } from 'yaml';

/**
 * A YAML writer for the JSON-like documents cdk8s synthesizes, producing byte for byte what
 * `YAML.stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' })` of the `yaml` package (v2) produces —
 * the call cdk8s's `Yaml.stringify` makes per document — or `undefined` whenever it is not certain to: the caller then
 * writes that document with `yaml` itself.
 *
 * It writes only the block layout `yaml` uses for plain data (two-space indent, sequences indented under their key,
 * `- key:` for maps in sequences, `{}` and `[]` for empty collections) and only scalars whose form it knows for
 * certain: null/undefined (`null`), booleans, finite numbers other than -0, and single-line printable-ASCII strings,
 * plain or quoted exactly as `yaml` decides (YAML 1.1: `yes`, `off`, `~`, `0755`, `12:30`, `2024-01-01`, `""`, `a: b`
 * are quoted). It gives up on the whole document for anything else: multi-line strings (block scalars), non-ASCII or
 * control characters, strings starting with `---`, `...`, `?` or `:`, the merge key `<<`, keys longer than 500 characters, NaN,
 * ±Infinity, -0, bigints, functions, symbols, class instances (Date, Map, …), an object or array appearing twice
 * (which `yaml` writes as an anchor and an alias) and a top level that is not a non-empty map.
 */

/**
 * Strings whose plain form YAML 1.1 would read as something else (null, boolean, int, float, timestamp, merge key):
 * the resolution tests of the default tags of the `yaml` package's YAML 1.1 schema, the same ones `yaml` checks
 * before writing a string plain. Taken from the installed `yaml` so the two agree.
 */
const NOT_A_STRING: readonly RegExp[] = (() => {
  const schema = new Document(null, { version: '1.1' }).schema;
  const tags = [...schema.tags, ...(schema.compat ?? [])];
  const tests: RegExp[] = [];
  for (const tag of tags) {
    const t = tag as { default?: unknown; tag?: string; test?: RegExp };
    if (t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp) tests.push(t.test);
  }
  return tests;
})();

/** One regular expression for all of NOT_A_STRING, when they can be joined (no flags); otherwise undefined. */
const NOT_A_STRING_JOINED: RegExp | undefined = NOT_A_STRING.every((t) => t.flags === '')
  ? new RegExp(NOT_A_STRING.map((t) => `(?:${t.source})`).join('|'))
  : undefined;

/** Printable ASCII only (or empty): no control characters, tabs, newlines or non-ASCII text. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** `yaml`'s own test (stringifyString.js, plainString) for a string it must not write plain. */
const YAML_NEEDS_QUOTES = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/**
 * Strings this writer leaves to `yaml` although it could tell: a document marker (`---`, `...`) at the start, which
 * `yaml` handles by position (quoted as a top-level key, plain deeper), a leading `?` or `:` it writes plain, and the
 * merge key `<<`, which its YAML 1.1 schema writes through a tag of its own.
 */
const UNSURE = /^(?:---|\.\.\.|[?:]|<<$)/;

/** Whether YAML 1.1 reads the plain scalar `s` as something other than a string. */
function isNotAString(s: string): boolean {
  if (NOT_A_STRING_JOINED) return NOT_A_STRING_JOINED.test(s);
  return NOT_A_STRING.some((t) => t.test(s));
}

/**
 * A string as `yaml` writes it, as a map key or a value (block context, lineWidth 0: never folded), or undefined when
 * this writer is unsure. Single-line printable ASCII only. `yaml` writes it plain unless its plain form needs quotes or
 * would read as another type; then, as it has no newline, single-quoted when it contains `"` and no `'` (nothing to
 * escape), otherwise double-quoted, which for printable ASCII is exactly JSON.stringify (only `"` and `\` escaped).
 */
export function stringifyString(s: string): string | undefined {
  if (!PRINTABLE_ASCII.test(s) || UNSURE.test(s)) return undefined;
  if (!YAML_NEEDS_QUOTES.test(s) && !isNotAString(s)) return s;
  if (s.includes('"') && !s.includes("'")) return `'${s}'`;
  return JSON.stringify(s);
}

/**
 * stringifyString's answers for the strings written lately. A manifest repeats its keys and many of its values
 * (`apiVersion`, `securityContext`, label values) in every object; a string met again costs one lookup instead of
 * the four tests. Bounded: emptied when full. `null` stands for undefined (unsure).
 */
const WRITTEN = new Map<string, string | null>();
const WRITTEN_MAX_ENTRIES = 20_000;
const WRITTEN_MAX_LENGTH = 200;

/** stringifyString(s), remembered for short strings. */
function writtenString(s: string): string | undefined {
  const known = WRITTEN.get(s);
  if (known !== undefined) return known ?? undefined;
  const written = stringifyString(s);
  if (s.length <= WRITTEN_MAX_LENGTH) {
    if (WRITTEN.size >= WRITTEN_MAX_ENTRIES) WRITTEN.clear();
    WRITTEN.set(s, written ?? null);
  }
  return written;
}

/** Keys `yaml` writes as an explicit `? key` pair beyond 1024 characters; stay well below. */
const MAX_KEY_LENGTH = 500;

function isPlainMap(v: object): v is Record<string, unknown> {
  return Object.getPrototypeOf(v) === Object.prototype;
}

function isPlainSeq(v: object): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

/** Thrown inside the writer to give up on the document; never escapes stringifyManifest. */
const GIVE_UP = Symbol('give up');

class Writer {
  /** Objects and arrays already written in this document: `yaml` would write a second occurrence as an alias. */
  private readonly seen = new Set<object>();
  /**
   * The document's text in pieces, joined once at the end: one flat string per document, where appending to a string
   * would leave a tree of thousands of small strings per document alive until cdk8s joins a whole chart's documents.
   */
  private readonly out: string[] = [];

  /** A non-empty top-level map and the final newline. */
  document(doc: Record<string, unknown>, keys: readonly string[]): string {
    this.seen.add(doc);
    this.map(doc, keys, '');
    this.out.push('\n');
    return this.out.join('');
  }

  /** A scalar as `yaml` writes it, or undefined when `v` is not a scalar; throws GIVE_UP when unsure. */
  private scalar(v: unknown): string | undefined {
    switch (typeof v) {
      case 'string': {
        const s = writtenString(v);
        if (s === undefined) throw GIVE_UP;
        return s;
      }
      case 'number':
        // yaml writes JSON.stringify(n) for finite numbers, '-0' for -0, .nan/.inf otherwise.
        if (!Number.isFinite(v) || Object.is(v, -0)) throw GIVE_UP;
        return JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'undefined':
        return 'null';
      case 'object':
        return v === null ? 'null' : undefined;
      default:
        // bigint, symbol, function
        throw GIVE_UP;
    }
  }

  /** A non-empty map whose first line continues the current one; later lines start at `indent`. */
  private map(obj: Record<string, unknown>, keys: readonly string[], indent: string): void {
    const inner = indent + '  ';
    const lineStart = '\n' + indent;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const k = key.length > MAX_KEY_LENGTH ? undefined : writtenString(key);
      if (k === undefined) throw GIVE_UP;
      if (i > 0) this.out.push(lineStart);
      this.out.push(k, ':');
      this.value(obj[key], inner);
    }
  }

  /** A non-empty sequence whose first line continues the current one; later lines start at `indent`. */
  private seq(arr: readonly unknown[], indent: string): void {
    const inner = indent + '  ';
    const lineStart = '\n' + indent;
    for (let i = 0; i < arr.length; i++) {
      if (i > 0) this.out.push(lineStart);
      this.out.push('- ');
      this.item(arr[i], inner);
    }
  }

  /** What follows `key:` for a value; nested collections start on the next line at `inner`. */
  private value(v: unknown, inner: string): void {
    const scalar = this.scalar(v);
    if (scalar !== undefined) {
      this.out.push(' ', scalar);
      return;
    }
    const o = this.enter(v as object);
    if (Array.isArray(o)) {
      if (o.length === 0) this.out.push(' []');
      else {
        this.out.push('\n', inner);
        this.seq(o, inner);
      }
      return;
    }
    const keys = Object.keys(o);
    if (keys.length === 0) this.out.push(' {}');
    else {
      this.out.push('\n', inner);
      this.map(o, keys, inner);
    }
  }

  /** What follows `- ` for a sequence item; nested collections continue on the same line. */
  private item(v: unknown, inner: string): void {
    const scalar = this.scalar(v);
    if (scalar !== undefined) {
      this.out.push(scalar);
      return;
    }
    const o = this.enter(v as object);
    if (Array.isArray(o)) {
      if (o.length === 0) this.out.push('[]');
      else this.seq(o, inner);
      return;
    }
    const keys = Object.keys(o);
    if (keys.length === 0) this.out.push('{}');
    else this.map(o, keys, inner);
  }

  /** Checks an object or array is plain data seen for the first time in this document. */
  private enter(o: object): Record<string, unknown> | unknown[] {
    if (!(isPlainSeq(o) || isPlainMap(o)) || this.seen.has(o)) throw GIVE_UP;
    this.seen.add(o);
    return o;
  }
}

/**
 * `doc` as `YAML.stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' })` writes it, byte for byte, or
 * `undefined` when this writer is not certain to match (see the file's header): write it with `yaml` then.
 */
export function stringifyManifest(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || !isPlainMap(doc)) return undefined;
  const keys = Object.keys(doc);
  if (keys.length === 0) return undefined;
  const writer = new Writer();
  try {
    return writer.document(doc, keys);
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
