import { goYamlToJsonWithLines } from './go-yaml-decode';
import { GoYamlError } from './go-yaml-parser';

/**
 * How kubectl cuts a YAML stream into documents before converting each with sigs.k8s.io/yaml: the YAMLReader of
 * k8s.io/apimachinery/pkg/util/yaml (lines as bufio's ReadLine gives them, CRLF becoming LF; a line starting with
 * `---` ends a document, and anything but white space or a comment after it is an error), after the byte order mark
 * handling of kubectl's FileVisitor (UTF-16 by its mark, a UTF-8 mark dropped).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/yaml/decoder.go
 * @see https://github.com/kubernetes/cli-runtime/blob/master/pkg/resource/visitor.go
 */

/** One document of a stream: its bytes with LF line ends, and the 1-based line of the file where it starts. */
export interface KubectlChunk {
  readonly bytes: Uint8Array;
  readonly line: number;
}

export interface SplitResult {
  readonly chunks: KubectlChunk[];
  /** The separator or encoding problem that stopped the split (kubectl stops reading the file there). */
  readonly error?: { readonly line: number; readonly message: string };
}

/** Go's unicode.IsSpace. */
function isGoSpace(cp: number): boolean {
  return (
    (cp >= 9 && cp <= 13) ||
    cp === 32 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** strings.TrimSpace's first byte, or -1 when the bytes are all white space (invalid UTF-8 is not space). */
function firstNonSpaceByte(b: Uint8Array, from: number, to: number): number {
  const text = Buffer.from(b.subarray(from, to)).toString('utf8');
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (!isGoSpace(cp)) return cp === 0xfffd ? -2 : cp;
  }
  return -1;
}

function fromUtf16(b: Uint8Array, bigEndian: boolean): Uint8Array | string {
  if (b.length % 2 !== 0) return 'invalid UTF-16: odd number of bytes';
  const units = new Uint16Array(b.length / 2);
  for (let i = 0; i < units.length; i++) {
    units[i] = bigEndian ? (b[2 * i] << 8) | b[2 * i + 1] : (b[2 * i + 1] << 8) | b[2 * i];
  }
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u >= 0xd800 && u < 0xdc00) {
      if (i + 1 < units.length && units[i + 1] >= 0xdc00 && units[i + 1] < 0xe000) {
        i++;
        continue;
      }
      return 'invalid UTF-16: unpaired surrogate';
    }
    if (u >= 0xdc00 && u < 0xe000) return 'invalid UTF-16: unpaired surrogate';
  }
  let text = '';
  for (let i = 0; i < units.length; i += 8192) text += String.fromCharCode(...units.subarray(i, i + 8192));
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** Splits a stream into documents as kubectl does. */
export function splitKubectlDocuments(input: Uint8Array): SplitResult {
  let data = input;
  if (data[0] === 0xfe && data[1] === 0xff) {
    const d = fromUtf16(data.subarray(2), true);
    if (typeof d === 'string') return { chunks: [], error: { line: 1, message: d } };
    data = d;
  } else if (data[0] === 0xff && data[1] === 0xfe) {
    const d = fromUtf16(data.subarray(2), false);
    if (typeof d === 'string') return { chunks: [], error: { line: 1, message: d } };
    data = d;
  } else if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    data = data.subarray(3);
  }
  const chunks: KubectlChunk[] = [];
  const n = data.length;
  // The current document: line pieces (start, end) of `data`, each followed by LF.
  let pieces: number[] = [];
  let size = 0;
  let chunkLine = 1;
  const flush = () => {
    const out = new Uint8Array(size);
    let o = 0;
    for (let k = 0; k < pieces.length; k += 2) {
      out.set(data.subarray(pieces[k], pieces[k + 1]), o);
      o += pieces[k + 1] - pieces[k];
      out[o++] = 10;
    }
    chunks.push({ bytes: out, line: chunkLine });
    pieces = [];
    size = 0;
  };
  let pos = 0;
  let line = 1;
  while (pos < n) {
    const nl = data.indexOf(10, pos);
    let end = nl === -1 ? n : nl;
    const next = nl === -1 ? n : nl + 1;
    // bufio.ReadLine drops the CR of a CRLF, not a CR at the very end of the input.
    if (nl !== -1 && end > pos && data[end - 1] === 13) end--;
    if (end - pos >= 3 && data[pos] === 45 && data[pos + 1] === 45 && data[pos + 2] === 45) {
      const first = firstNonSpaceByte(data, pos + 3, end);
      if (first !== -1 && first !== 35) {
        const rest = Buffer.from(data.subarray(pos + 3, end))
          .toString('utf8')
          .trim();
        return { chunks, error: { line, message: `invalid Yaml document separator: ${rest}` } };
      }
      if (pieces.length > 0) {
        flush();
      } else {
        // With nothing read yet, the separator stays in the document (as go-yaml's explicit document start).
        chunkLine = line;
        pieces.push(pos, end);
        size += end - pos + 1;
      }
    } else {
      if (pieces.length === 0) chunkLine = line;
      pieces.push(pos, end);
      size += end - pos + 1;
    }
    pos = next;
    line++;
  }
  if (pieces.length > 0) flush();
  return { chunks };
}

/** One document as kubectl reads it: its JSON value, or why kubectl refuses it. */
export type KubectlDocument =
  | { readonly line: number; readonly value: unknown; readonly itemLines?: readonly number[] }
  | {
      readonly line: number;
      readonly error: { readonly line: number; readonly column?: number; readonly message: string };
    };

/**
 * One document cut from decoded text (cutKubectlText): `text.slice(start, end)` is its lines, each but perhaps the
 * last followed by LF, and `line` the 1-based line of the file where it starts.
 */
export interface TextDocument {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** How many lines of the file it holds. */
  readonly lines: number;
}

/**
 * Cuts the text of a file (its bytes decoded as UTF-8) into the documents splitKubectlDocuments cuts its bytes into,
 * without copying: for text with no carriage return and no byte order mark whose `---` lines have nothing but spaces
 * or a comment after them. Undefined for any other text, which the caller cuts as bytes (that cut reports separator
 * errors and handles line ends and encodings).
 */
export function cutKubectlText(text: string): TextDocument[] | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.indexOf('\r') !== -1) return undefined;
  const docs: TextDocument[] = [];
  const n = text.length;
  // The current document: its first character and line, -1 when none has started.
  let docStart = -1;
  let docLine = 0;
  let pos = 0;
  let line = 1;
  while (pos < n) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? n : nl;
    if (
      end - pos >= 3 &&
      text.charCodeAt(pos) === 45 &&
      text.charCodeAt(pos + 1) === 45 &&
      text.charCodeAt(pos + 2) === 45
    ) {
      let k = pos + 3;
      while (k < end && text.charCodeAt(k) === 32) k++;
      if (k < end && text.charCodeAt(k) !== 35) return undefined; // an error, or other white space: cut the bytes
      if (docStart !== -1) {
        docs.push({ start: docStart, end: pos, line: docLine, lines: line - docLine });
        docStart = -1;
      } else {
        // With nothing read yet, the separator stays in the document (as go-yaml's explicit document start).
        docStart = pos;
        docLine = line;
      }
    } else if (docStart === -1) {
      docStart = pos;
      docLine = line;
    }
    pos = nl === -1 ? n : nl + 1;
    line++;
  }
  if (docStart !== -1) docs.push({ start: docStart, end: n, line: docLine, lines: line - docLine });
  return docs;
}

/** A file's text, all of it in the fast reader's subset (inFastSubset), and the documents cutKubectlText cut it into. */
export interface CutText {
  readonly text: string;
  readonly documents: readonly TextDocument[];
}

/** The bytes splitKubectlDocuments gives a document cut from text: its lines, each followed by LF. */
export function chunkOfText(text: string, doc: TextDocument): KubectlChunk {
  const body = text.slice(doc.start, doc.end);
  return { bytes: new Uint8Array(Buffer.from(body.endsWith('\n') ? body : `${body}\n`, 'utf8')), line: doc.line };
}

/** One document read with the go-yaml port (go-yaml and sigs.k8s.io/yaml, as kubectl): its JSON value or its error. */
export function readKubectlChunk(chunk: KubectlChunk): KubectlDocument {
  try {
    const { value, line, itemLines } = goYamlToJsonWithLines(chunk.bytes);
    const at = chunk.line + (line ?? 0);
    return itemLines ? { line: at, value, itemLines: itemLines.map((l) => chunk.line + l) } : { line: at, value };
  } catch (e) {
    if (!(e instanceof GoYamlError)) throw e;
    const line = e.line === undefined ? chunk.line : chunk.line + e.line;
    return {
      line: chunk.line,
      error: e.column === undefined ? { line, message: e.message } : { line, column: e.column + 1, message: e.message },
    };
  }
}

/**
 * Every document of a YAML stream as kubectl reads it (split by kubectl's reader, each converted by go-yaml and
 * sigs.k8s.io/yaml). kubectl stops at the first document it cannot read; bulwark reads on to report every problem
 * (a separator error still ends the stream: what follows it has no defined documents). `fast` may read a document first and
 * return undefined to leave it to the full reader; it must then return exactly what the full reader would.
 */
export function readKubectlDocuments(
  input: Uint8Array,
  fast?: (chunk: KubectlChunk) => { value: unknown; line: number; itemLines?: readonly number[] } | undefined,
): KubectlDocument[] {
  const { chunks, error } = splitKubectlDocuments(input);
  const out: KubectlDocument[] = [];
  // kubectl reads a document only after finding where it ends: a separator error comes before the last document.
  for (const chunk of chunks) {
    const quick = fast?.(chunk);
    if (quick) {
      out.push(quick);
      continue;
    }
    out.push(readKubectlChunk(chunk));
  }
  if (error) out.push({ line: error.line, error });
  return out;
}
