import { resolvePlainScalarGo } from './go-yaml-decode';
import type { KubectlChunk, TextDocument } from './kubectl-documents';

/**
 * A fast reader for the block-style YAML that Kubernetes manifests are written in (kubectl, helm and cdk8s output):
 * block mappings and sequences, plain and one-line quoted scalars, literal block scalars (`|`, `|-`) and one-line
 * flow collections. The `yaml` package reads such input at about 2.5 MB/s; this reads it an order of magnitude faster.
 *
 * It is deliberately conservative: on anything else (anchors, aliases, tags, folded or keep-chomped scalars,
 * multi-line plain, quoted or flow scalars, explicit or non-string keys, tabs, duplicate keys, anything odd) it gives
 * up on the document and the caller parses that document with the `yaml` package, which also reports the errors.
 * When it does return a value, the value is what go-yaml v2 and sigs.k8s.io/yaml (kubectl) make of the document
 * (checked differentially against the Go library in test/manifest/go-yaml-differential.test.ts).
 */

/** Thrown internally to give up on a document; never escapes this module. */
const UNSUPPORTED: unique symbol = Symbol('unsupported YAML construct');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const PIPE = 124;
const PLUS = 43;
const QUESTION = 63;
/** Characters from a key's start to its `:` that go-yaml still reads as a key (it allows 1024). */
const MAX_KEY_SPAN = 1000;
/** Deepest nesting the fast reader follows (it recurses); deeper documents go to the full reader. */
const MAX_FAST_DEPTH = 200;

/** Plain keys we read ourselves: what Kubernetes field names, labels and annotations look like. */
const SAFE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\t': '\t',
  '\\': '\\',
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const HEX = /^[0-9a-fA-F]+$/;

/**
 * One document's lines: `lines[start]` to `lines[end - 1]`, without document markers. `openEnd` says that the last
 * of them has no line break after it (end of a file without a final newline).
 */
export interface FastDocumentLines {
  readonly lines: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly openEnd: boolean;
}

/**
 * Where the fast reader found each key and entry: for each mapping read, the line (an index into the lines read) of
 * each key; for each sequence, the line of each entry, as go-yaml's nodes have them. Filled only when asked for.
 */
export type FastPositions = Map<object, Map<string, number> | number[]>;

export interface FastDocument {
  readonly value: unknown;
  /** 1-based line where the document's content starts (its first key or `-`). */
  readonly line: number;
  /** 1-based line of each entry of the top-level `items` sequence (List kinds), when there is one. */
  readonly itemLines?: readonly number[];
}

/** Parses one YAML document. Returns undefined when the document uses anything outside the supported subset. */
export function parseDocumentFast(doc: FastDocumentLines, positions?: FastPositions): FastDocument | undefined {
  try {
    return new FastParser(doc, positions).document();
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

function hasOwn(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

function isSeqEntry(line: string, k: number): boolean {
  return line.charCodeAt(k) === DASH && (k + 1 === line.length || line.charCodeAt(k + 1) === SPACE);
}

/** Index of the `:` that ends an implicit key starting at `from` (a `:` followed by a space or the line end). */
function keyColon(line: string, from: number): number {
  let j = line.indexOf(':', from);
  while (j !== -1) {
    if (j + 1 === line.length || line.charCodeAt(j + 1) === SPACE) return j;
    j = line.indexOf(':', j + 1);
  }
  return -1;
}

/**
 * First characters after which go-yaml reads a plain scalar as text without looking further (its resolve table has
 * no hint for them): not a digit, sign, `.`, `~` or the first letter of a YAML 1.1 boolean or null (yYnNtTfFoO).
 * Non-ASCII first characters are text too.
 */
const TEXT_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  TEXT_START[c] = /[0-9+\-.~yYnNtTfFoO]/.test(ch) ? 0 : 1;
}

/** go-yaml's value of a plain scalar; gives up on .inf and .nan, which JSON cannot hold. */
function resolvePlainScalar(text: string): string | number | boolean | null {
  const c = text.charCodeAt(0);
  if (c >= 128 || TEXT_START[c] === 1) return text; // NaN (empty text) is neither
  const v = resolvePlainScalarGo(text);
  if (v === undefined) throw UNSUPPORTED;
  return v;
}

/** Plain keys already found safe (field names repeat across documents); emptied when it grows past a bound. */
const SAFE_KEYS = new Set<string>();
const MAX_SAFE_KEYS = 20_000;

function checkPlainKey(key: string): void {
  if (SAFE_KEYS.has(key)) return;
  if (!SAFE_KEY.test(key) || typeof resolvePlainScalar(key) !== 'string') throw UNSUPPORTED;
  if (SAFE_KEYS.size >= MAX_SAFE_KEYS) SAFE_KEYS.clear();
  SAFE_KEYS.add(key);
}

class FastParser {
  private readonly lines: readonly string[];
  private readonly end: number;
  private readonly openEnd: boolean;
  /** Current line. */
  private i: number;
  /** Column after the last quoted scalar or flow collection read. */
  private pos = 0;
  /** Lines of the top-level `items` entries: collected while reading that value, kept after. */
  private collecting: number[] | undefined;
  private itemLines: number[] | undefined;

  constructor(
    doc: FastDocumentLines,
    private readonly positions?: FastPositions,
  ) {
    this.lines = doc.lines;
    this.i = doc.start;
    this.end = doc.end;
    this.openEnd = doc.openEnd;
    this.first = doc.start;
    this.contentIndent = new Int32Array(Math.max(0, doc.end - doc.start));
  }

  /** Index of the document's first line in `lines`. */
  private readonly first: number;
  /**
   * nextContent's answer for each line, remembered: 0 not yet known, -1 blank or comment-only, else the indentation
   * plus 1. A line is asked about again each time a nested block ends on it.
   */
  private readonly contentIndent: Int32Array;

  document(): FastDocument {
    const ind = this.nextContent();
    if (ind < 0) return { value: null, line: this.end };
    const start = this.i + 1;
    const line = this.lines[this.i];
    let value: unknown;
    let itemLines: number[] | undefined;
    if (isSeqEntry(line, ind)) value = this.sequence(ind, 0);
    else if (keyColon(line, ind) !== -1) {
      value = this.mapping(ind, ind, 0);
      itemLines = this.itemLines;
    } else throw UNSUPPORTED;
    if (this.nextContent() !== -1) throw UNSUPPORTED;
    return itemLines ? { value, line: start, itemLines } : { value, line: start };
  }

  /** Skips blank and comment-only lines; returns the indentation of the next content line, or -1 at the end. */
  private nextContent(): number {
    const { lines, end, contentIndent, first } = this;
    while (this.i < end) {
      const known = contentIndent[this.i - first];
      if (known > 0) return known - 1;
      if (known < 0) {
        this.i++;
        continue;
      }
      const line = lines[this.i];
      let k = 0;
      while (line.charCodeAt(k) === SPACE) k++;
      if (k === line.length || line.charCodeAt(k) === HASH) {
        contentIndent[this.i - first] = -1;
        this.i++;
        continue;
      }
      contentIndent[this.i - first] = k + 1;
      return k;
    }
    return -1;
  }

  /** A block mapping whose keys sit at column `indent`; its first key starts at column `col` of the current line. */
  private mapping(indent: number, col: number, depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const keyLines = this.positions && new Map<string, number>();
    if (keyLines) this.positions?.set(obj, keyLines);
    for (let first = true; ; first = false) {
      if (!first) {
        const ind = this.nextContent();
        if (ind < indent) break;
        if (ind > indent) throw UNSUPPORTED;
        col = ind;
      }
      const line = this.lines[this.i];
      if (line.indexOf('\t') !== -1) throw UNSUPPORTED;
      let key: string;
      let p: number;
      const c = line.charCodeAt(col);
      if (c === DQUOTE || c === SQUOTE) {
        key = this.quoted(line, col);
        p = this.pos;
        while (line.charCodeAt(p) === SPACE) p++;
        if (line.charCodeAt(p) !== COLON || (p + 1 < line.length && line.charCodeAt(p + 1) !== SPACE)) {
          throw UNSUPPORTED;
        }
        p++;
      } else {
        const colon = keyColon(line, col);
        if (colon === -1) throw UNSUPPORTED;
        key = line.slice(col, colon);
        checkPlainKey(key);
        p = colon + 1;
      }
      // go-yaml forgets a possible key after 1024 characters ("could not find expected ':'").
      if (p - col > MAX_KEY_SPAN) throw UNSUPPORTED;
      if (key === '__proto__' || hasOwn(obj, key)) throw UNSUPPORTED;
      keyLines?.set(key, this.i);
      while (line.charCodeAt(p) === SPACE) p++;
      if (p >= line.length || line.charCodeAt(p) === HASH) {
        this.i++;
        if (depth === 0 && key === 'items') {
          this.collecting = [];
          obj[key] = this.blockChild(indent, true, depth + 1);
          this.itemLines = this.collecting;
          this.collecting = undefined;
        } else {
          obj[key] = this.blockChild(indent, true, depth + 1);
        }
      } else {
        obj[key] = this.inlineValue(line, p, indent);
      }
    }
    return obj;
  }

  /** A block sequence whose `-` indicators sit at column `indent`. */
  private sequence(indent: number, depth: number): unknown[] {
    const arr: unknown[] = [];
    const entryLines: number[] | undefined = this.positions && [];
    if (entryLines) this.positions?.set(arr, entryLines);
    for (;;) {
      const ind = this.nextContent();
      if (ind < indent) break;
      if (ind > indent) throw UNSUPPORTED;
      const line = this.lines[this.i];
      if (!isSeqEntry(line, ind)) break;
      if (line.indexOf('\t') !== -1) throw UNSUPPORTED;
      let p = ind + 1;
      while (line.charCodeAt(p) === SPACE) p++;
      const record = depth === 1 ? this.collecting : undefined;
      if (p >= line.length || line.charCodeAt(p) === HASH) {
        this.i++;
        if (record || entryLines) {
          const at = this.nextContent() === -1 ? this.i - 1 : this.i;
          record?.push(at + 1);
          entryLines?.push(at);
        }
        arr.push(this.blockChild(indent, false, depth + 1));
      } else {
        record?.push(this.i + 1);
        entryLines?.push(this.i);
        arr.push(this.entryValue(line, p, indent, depth + 1));
      }
    }
    return arr;
  }

  /** The node on the lines after `key:` or `-` (null when there is none). */
  private blockChild(parentIndent: number, allowSameIndentSequence: boolean, depth: number): unknown {
    // Deep nesting goes to the full reader, which does not recurse (the JavaScript stack is small).
    if (depth > MAX_FAST_DEPTH) throw UNSUPPORTED;
    const ind = this.nextContent();
    if (ind < 0) return null;
    const line = this.lines[this.i];
    if (ind > parentIndent) {
      return isSeqEntry(line, ind) ? this.sequence(ind, depth) : this.mapping(ind, ind, depth);
    }
    if (ind === parentIndent && allowSameIndentSequence && isSeqEntry(line, ind)) return this.sequence(ind, depth);
    return null;
  }

  /** The value after `- ` at column `p`: a compact mapping (`- name: x`) or any inline value. */
  private entryValue(line: string, p: number, seqIndent: number, depth: number): unknown {
    const c = line.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const text = this.quoted(line, p);
      let q = this.pos;
      while (line.charCodeAt(q) === SPACE) q++;
      if (line.charCodeAt(q) === COLON) return this.mapping(p, p, depth);
      this.lineEnd(line, this.pos);
      this.i++;
      return text;
    }
    if (c === DASH && isSeqEntry(line, p)) throw UNSUPPORTED;
    if (c !== LBRACKET && c !== LBRACE && c !== PIPE && keyColon(line, p) !== -1) return this.mapping(p, p, depth);
    return this.inlineValue(line, p, seqIndent);
  }

  /** A value that starts on the current line at column `p` (after `key: ` or `- `). */
  private inlineValue(line: string, p: number, parentIndent: number): unknown {
    const c = line.charCodeAt(p);
    switch (c) {
      case DQUOTE:
      case SQUOTE: {
        const text = c === SQUOTE && !this.closesOnLine(line, p) ? this.singleQuotedLines(p) : this.quoted(line, p);
        this.lineEnd(this.lines[this.i], this.pos);
        this.i++;
        return text;
      }
      case LBRACKET:
      case LBRACE: {
        this.pos = p;
        const value = this.flow(line);
        this.lineEnd(line, this.pos);
        this.i++;
        return value;
      }
      case PIPE:
        return this.literal(line, p, parentIndent);
      case DASH:
        if (isSeqEntry(line, p)) throw UNSUPPORTED;
        break;
      default:
        // Indicators that start something else than a plain scalar: > & * ! % @ ` ? : , ] } #
        if ('>&*!%@`?:,]}#'.includes(line[p])) throw UNSUPPORTED;
    }
    const hash = line.indexOf(' #', p);
    let last = (hash === -1 ? line.length : hash) - 1;
    while (line.charCodeAt(last) === SPACE) last--;
    let text = line.slice(p, last + 1);
    if (text.charCodeAt(text.length - 1) === COLON || text.includes(': ')) throw UNSUPPORTED;
    this.i++;
    if (hash === -1) text = this.plainContinuation(text, parentIndent + 1);
    return resolvePlainScalar(text);
  }

  /**
   * The lines that continue a plain scalar (go-yaml reads every following line indented past the block's indentation
   * as more of it): folded into one line, an empty line standing for a line break.
   */
  private plainContinuation(first: string, minIndent: number): string {
    const { lines, end } = this;
    let text = first;
    let breaks = 0;
    for (let k = this.i; k < end; k++) {
      const l = lines[k];
      let s = 0;
      while (l.charCodeAt(s) === SPACE) s++;
      if (s === l.length) {
        breaks++;
        continue;
      }
      if (s < minIndent) break;
      let e = l.length - 1;
      while (l.charCodeAt(e) === SPACE) e--;
      const content = l.slice(s, e + 1);
      // A comment, or a `: ` that ends the scalar: leave those to the full reader.
      if (
        content.charCodeAt(0) === HASH ||
        content.includes(' #') ||
        content.includes(': ') ||
        l.charCodeAt(e) === COLON
      ) {
        throw UNSUPPORTED;
      }
      text += breaks > 0 ? '\n'.repeat(breaks) : ' ';
      text += content;
      breaks = 0;
      this.i = k + 1;
    }
    return text;
  }

  /** Whether the single-quoted scalar opening at column `p` closes on this line. */
  private closesOnLine(line: string, p: number): boolean {
    for (let q = line.indexOf("'", p + 1); q !== -1; q = line.indexOf("'", q + 2)) {
      if (line.charCodeAt(q + 1) !== SQUOTE) return true;
    }
    return false;
  }

  /**
   * A single-quoted scalar over several lines, opening at column `p` of the current line: line breaks fold into a
   * space (n empty lines into n line breaks), white space around them dropped, as go-yaml does. Leaves `i` on the line
   * of the closing quote and `pos` after it.
   */
  private singleQuotedLines(p: number): string {
    const { lines, end } = this;
    let out = '';
    let from = p + 1;
    let breaks = -1; // -1: still on the first line
    for (let k = this.i; k < end; k++) {
      const l = lines[k];
      if (breaks >= 0) {
        let s = 0;
        while (l.charCodeAt(s) === SPACE) s++;
        if (s === l.length) {
          breaks++;
          continue;
        }
        from = s;
        out += breaks > 0 ? '\n'.repeat(breaks) : ' ';
      }
      let segment = '';
      for (let q = l.indexOf("'", from); ; q = l.indexOf("'", from)) {
        if (q === -1) {
          segment += l.slice(from);
          break;
        }
        if (l.charCodeAt(q + 1) === SQUOTE) {
          segment += l.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        this.i = k;
        this.pos = q + 1;
        return out + segment + l.slice(from, q);
      }
      let e = segment.length - 1;
      while (segment.charCodeAt(e) === SPACE) e--;
      out += segment.slice(0, e + 1);
      breaks = 0;
    }
    throw UNSUPPORTED;
  }

  /** After a complete value: only spaces, then the line end or a comment. */
  private lineEnd(line: string, from: number): void {
    let q = from;
    while (line.charCodeAt(q) === SPACE) q++;
    if (q === line.length) return;
    if (line.charCodeAt(q) === HASH && q > from) return;
    throw UNSUPPORTED;
  }

  /** A quoted scalar that closes on the same line; sets `pos` after the closing quote. */
  private quoted(line: string, p: number): string {
    let out = '';
    let from = p + 1;
    if (line.charCodeAt(p) === SQUOTE) {
      for (;;) {
        const q = line.indexOf("'", from);
        if (q === -1) throw UNSUPPORTED;
        if (line.charCodeAt(q + 1) === SQUOTE) {
          out += line.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        this.pos = q + 1;
        return out + line.slice(from, q);
      }
    }
    for (;;) {
      const q = line.indexOf('"', from);
      if (q === -1) throw UNSUPPORTED;
      const b = line.indexOf('\\', from);
      if (b === -1 || b > q) {
        this.pos = q + 1;
        return out + line.slice(from, q);
      }
      out += line.slice(from, b);
      const e = line[b + 1];
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        from = b + 2;
        continue;
      }
      const length = HEX_ESCAPE_LENGTH[e];
      if (length === undefined) throw UNSUPPORTED;
      const hex = line.slice(b + 2, b + 2 + length);
      const code = hex.length === length && HEX.test(hex) ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw UNSUPPORTED;
      out += String.fromCodePoint(code);
      from = b + 2 + length;
    }
  }

  /** A flow collection that closes on the current line, starting at `pos`. */
  private flow(line: string, depth = 0): unknown {
    if (depth > MAX_FAST_DEPTH) throw UNSUPPORTED;
    const open = line.charCodeAt(this.pos);
    this.pos++;
    this.skipSpaces(line);
    // A flow collection closes on its line: every key and entry in it is on that line.
    const at = this.i;
    if (open === LBRACKET) {
      const arr: unknown[] = [];
      const entryLines: number[] | undefined = this.positions && [];
      if (entryLines) this.positions?.set(arr, entryLines);
      if (line.charCodeAt(this.pos) === RBRACKET) {
        this.pos++;
        return arr;
      }
      for (;;) {
        entryLines?.push(at);
        arr.push(this.flowValue(line, depth));
        this.skipSpaces(line);
        const c = line.charCodeAt(this.pos);
        this.pos++;
        if (c === RBRACKET) return arr;
        if (c !== COMMA) throw UNSUPPORTED;
        this.skipSpaces(line);
      }
    }
    const obj: Record<string, unknown> = {};
    const keyLines = this.positions && new Map<string, number>();
    if (keyLines) this.positions?.set(obj, keyLines);
    if (line.charCodeAt(this.pos) === RBRACE) {
      this.pos++;
      return obj;
    }
    for (;;) {
      let key: string;
      const keyStart = this.pos;
      const c = line.charCodeAt(this.pos);
      if (c === DQUOTE || c === SQUOTE) {
        key = this.quoted(line, this.pos);
        this.skipSpaces(line);
        if (line.charCodeAt(this.pos) !== COLON) throw UNSUPPORTED;
        this.pos++;
      } else {
        const colon = keyColon(line, this.pos);
        if (colon === -1) throw UNSUPPORTED;
        key = line.slice(this.pos, colon);
        checkPlainKey(key);
        this.pos = colon + 1;
      }
      if (this.pos - keyStart > MAX_KEY_SPAN || key === '__proto__' || hasOwn(obj, key)) throw UNSUPPORTED;
      keyLines?.set(key, at);
      this.skipSpaces(line);
      obj[key] = this.flowValue(line, depth);
      this.skipSpaces(line);
      const d = line.charCodeAt(this.pos);
      this.pos++;
      if (d === RBRACE) return obj;
      if (d !== COMMA) throw UNSUPPORTED;
      this.skipSpaces(line);
    }
  }

  /** A value inside a flow collection, starting at `pos`. */
  private flowValue(line: string, depth: number): unknown {
    const c = line.charCodeAt(this.pos);
    if (c === LBRACKET || c === LBRACE) return this.flow(line, depth + 1);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(line, this.pos);
    if (Number.isNaN(c) || '>&*!%@`?:,[]{}#|\'"'.includes(line[this.pos])) throw UNSUPPORTED;
    if (c === DASH && (this.pos + 1 === line.length || line.charCodeAt(this.pos + 1) === SPACE)) throw UNSUPPORTED;
    const start = this.pos;
    let j = start;
    for (; j < line.length; j++) {
      const ch = line.charCodeAt(j);
      if (ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) break;
      // go-yaml v2 ends a flow plain scalar at `?` too (YAML 1.1); leave that to the full reader.
      if (ch === QUESTION) throw UNSUPPORTED;
      if (ch === COLON) {
        const next = line.charCodeAt(j + 1);
        if (
          j + 1 === line.length ||
          next === SPACE ||
          next === COMMA ||
          next === LBRACKET ||
          next === RBRACKET ||
          next === LBRACE ||
          next === RBRACE
        ) {
          throw UNSUPPORTED;
        }
      }
      if (ch === HASH && line.charCodeAt(j - 1) === SPACE) throw UNSUPPORTED;
    }
    let last = j - 1;
    while (line.charCodeAt(last) === SPACE) last--;
    this.pos = last + 1;
    return resolvePlainScalar(line.slice(start, last + 1));
  }

  private skipSpaces(line: string): void {
    while (line.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** A literal block scalar (`|` or `|-`) whose header is at column `p` of the current line. */
  private literal(line: string, p: number, parentIndent: number): string {
    let q = p + 1;
    const strip = line.charCodeAt(q) === DASH;
    if (strip) q++;
    else if (line.charCodeAt(q) === PLUS) throw UNSUPPORTED;
    this.lineEnd(line, q);
    const { lines, end } = this;
    // The first non-empty line sets the indentation; a longer empty line before it is an error for yaml to report.
    let indent = -1;
    let leadingMax = 0;
    for (let k = this.i + 1; k < end; k++) {
      const l = lines[k];
      let s = 0;
      while (l.charCodeAt(s) === SPACE) s++;
      if (s === l.length) {
        if (s > leadingMax) leadingMax = s;
        continue;
      }
      indent = s;
      break;
    }
    if (indent <= parentIndent || leadingMax > indent) throw UNSUPPORTED;
    const parts: string[] = [];
    let pendingEmpty = 0;
    let j = this.i + 1;
    for (; j < end; j++) {
      const l = lines[j];
      let s = 0;
      while (s < indent && l.charCodeAt(s) === SPACE) s++;
      if (s < indent) {
        if (s === l.length) {
          pendingEmpty++;
          continue;
        }
        break;
      }
      if (l.length === indent) {
        pendingEmpty++;
        continue;
      }
      let k = indent;
      while (l.charCodeAt(k) === SPACE) k++;
      // A line of spaces longer than the indentation: content or trailing? Leave it to yaml.
      if (k === l.length) throw UNSUPPORTED;
      for (; pendingEmpty > 0; pendingEmpty--) parts.push('');
      parts.push(l.slice(indent));
    }
    if (j === end && this.openEnd) throw UNSUPPORTED;
    this.i = j;
    const text = parts.join('\n');
    return strip ? text : `${text}\n`;
  }
}

/**
 * What may appear in a document the fast reader reads: no control characters, byte order marks or line breaks other
 * than LF (go-yaml refuses the first, and reads NEL, LS, PS and CR as line breaks), no tabs, no directives and no
 * `...` end markers. Anything else goes to the full reader.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what the test looks for
const OUTSIDE_FAST_SUBSET = /[\x00-\x08\t\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|^(?:%|\.\.\.)/m;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const EXPLICIT_START = /^---(?: *| +#.*)$/;

// eslint-disable-next-line no-control-regex -- these control characters are exactly what the test looks for
const OUTSIDE_FAST_CHARACTERS = /[\x00-\x08\t\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

/**
 * Whether every document of a decoded text is in the fast reader's subset (see parseTextDocumentFast): what
 * OUTSIDE_FAST_SUBSET tests, as a character class and string searches for the line starts (one pass each over a
 * large text rather than an alternation tried at every character).
 */
export function inFastSubset(text: string): boolean {
  return !(
    OUTSIDE_FAST_CHARACTERS.test(text) ||
    text.startsWith('%') ||
    text.startsWith('...') ||
    text.includes('\n%') ||
    text.includes('\n...')
  );
}

/**
 * Reads one document cut from a file's text (cutKubectlText) with the fast reader, from `lines` (the file's lines when
 * `lines` is `text.split('\n')`, with `base` 0; a document's own lines with `base` its first line's index in the file),
 * or returns undefined to leave it to the full go-yaml reader. The text must be in the fast subset (inFastSubset).
 * Lines in the result are lines of the file; `positions`, when given, receives the line index (into `lines`) of every
 * key and entry. Its value is nested at most a few hundred levels (the reader's own bound), far below MAX_JSON_DEPTH.
 */
export function parseTextDocumentFast(
  lines: readonly string[],
  doc: TextDocument,
  base: number,
  positions?: FastPositions,
): { value: unknown; line: number; itemLines?: readonly number[] } | undefined {
  const first = doc.line - 1 - base;
  // kubectl keeps a leading `---` (with nothing or a comment after it) in the document: go-yaml's document start.
  const start = EXPLICIT_START.test(lines[first]) ? first + 1 : first;
  const parsed = parseDocumentFast({ lines, start, end: first + doc.lines, openEnd: false }, positions);
  if (!parsed || base === 0) return parsed;
  const line = base + parsed.line;
  return parsed.itemLines
    ? { value: parsed.value, line, itemLines: parsed.itemLines.map((l) => base + l) }
    : { value: parsed.value, line };
}

/**
 * Reads one document of a kubectl-split stream (LF line ends) with the fast reader, or returns undefined to leave it
 * to the full go-yaml reader. Lines in the result are lines of the file.
 */
export function parseChunkFast(
  chunk: KubectlChunk,
): { value: unknown; line: number; itemLines?: number[] } | undefined {
  let text: string;
  try {
    text = utf8.decode(chunk.bytes);
  } catch {
    return undefined;
  }
  if (OUTSIDE_FAST_SUBSET.test(text)) return undefined;
  const lines = text.split('\n');
  // kubectl keeps a leading `---` (with nothing or a comment after it) in the document: go-yaml's document start.
  const start = EXPLICIT_START.test(lines[0]) ? 1 : 0;
  const parsed = parseDocumentFast({ lines, start, end: lines.length - 1, openEnd: false });
  if (!parsed) return undefined;
  const base = chunk.line - 1;
  const line = base + parsed.line;
  return parsed.itemLines
    ? { value: parsed.value, line, itemLines: parsed.itemLines.map((l) => base + l) }
    : { value: parsed.value, line };
}
