import { composeFirstDocument, GoYamlError, NodeKind, YamlNode } from './go-yaml-parser';
import { FastPositions, parseTextDocumentFast } from './fast-yaml';
import { chunkOfText, CutText, KubectlChunk, splitKubectlDocuments } from './kubectl-documents';

/**
 * Where a field of an object is in its file: findings name a field path (`spec.template.spec.containers[0]
 * .securityContext.privileged`) and reports point at that line, not at the object's first line. The document is read
 * again only for objects that have findings, so reading keeps no positions: with the fast reader recording where each
 * key and entry is when the file was read by it, else with the go-yaml port (the same reader as kubectl).
 */

/** One step of a field path: a mapping key or a sequence index. */
export type PathSegment = string | number;

/**
 * The steps of a finding's field path: `a.b[0].c`, `metadata.annotations['x.y/z']` (a key in brackets and quotes,
 * `\'` and `\\` escaped). Undefined for a path that is not of that form.
 */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  if (path === '') return undefined;
  const out: PathSegment[] = [];
  let i = 0;
  const n = path.length;
  while (i < n) {
    const c = path[i];
    if (c === '[') {
      if (path[i + 1] === "'") {
        let key = '';
        let j = i + 2;
        for (; j < n && path[j] !== "'"; j++) {
          if (path[j] === '\\' && j + 1 < n) j++;
          key += path[j];
        }
        if (path[j] !== "'" || path[j + 1] !== ']') return undefined;
        out.push(key);
        i = j + 2;
      } else {
        const close = path.indexOf(']', i);
        const index = close === -1 ? '' : path.slice(i + 1, close);
        if (!/^[0-9]+$/.test(index)) return undefined;
        out.push(Number(index));
        i = close + 1;
      }
      if (i < n && path[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < n && path[j] !== '.' && path[j] !== '[') j++;
    if (j === i) return undefined;
    out.push(path.slice(i, j));
    i = j < n && path[j] === '.' ? j + 1 : j;
  }
  return out;
}

function deref(node: YamlNode): YamlNode {
  let n = node;
  for (let hops = 0; n.kind === NodeKind.ALIAS && n.alias && hops < 64; hops++) n = n.alias;
  return n;
}

/** The key and value nodes of `key` in a mapping, looking through merge keys (`<<`) as go-yaml does; the last wins. */
function entryOf(mapping: YamlNode, key: string, depth = 0): { key: YamlNode; value: YamlNode } | undefined {
  let found: { key: YamlNode; value: YamlNode } | undefined;
  const merges: YamlNode[] = [];
  for (let i = 0; i + 1 < mapping.children.length; i += 2) {
    const k = deref(mapping.children[i]);
    if (k.kind !== NodeKind.SCALAR) continue;
    if (k.value === key) found = { key: mapping.children[i], value: mapping.children[i + 1] };
    else if (k.value === '<<' && k.tag !== '!!str') merges.push(deref(mapping.children[i + 1]));
  }
  if (found || depth > 16) return found;
  for (const m of merges) {
    const sources = m.kind === NodeKind.SEQUENCE ? m.children.map(deref) : [m];
    for (const s of sources) {
      if (s.kind !== NodeKind.MAPPING) continue;
      const e = entryOf(s, key, depth + 1);
      if (e) return e;
    }
  }
  return undefined;
}

/**
 * lineOfPath over a value the fast reader read with positions: the same line, as an index into the lines it read
 * (the fast reader reads no aliases or merge keys).
 */
export function lineOfValuePath(
  value: unknown,
  rootLine: number,
  positions: FastPositions,
  segments: readonly PathSegment[],
): number {
  let node = value;
  let line = rootLine;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') break;
    const at = positions.get(node);
    if (typeof s === 'number') {
      if (!Array.isArray(at) || s >= at.length) break;
      line = at[s];
      node = (node as unknown[])[s];
    } else {
      if (!(at instanceof Map)) break;
      const keyLine = at.get(s);
      if (keyLine === undefined) break;
      line = keyLine;
      node = (node as Record<string, unknown>)[s];
    }
  }
  return line;
}

/**
 * The 0-based line, within the document, of the deepest node of `segments` that exists: the key of the last field
 * found (a missing field points at its parent), or the entry of a sequence.
 */
export function lineOfPath(root: YamlNode, segments: readonly PathSegment[]): number {
  let node = deref(root);
  let line = root.line;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (node.kind !== NodeKind.SEQUENCE || s >= node.children.length) break;
      line = node.children[s].line;
      node = deref(node.children[s]);
    } else {
      if (node.kind !== NodeKind.MAPPING) break;
      const e = entryOf(node, s);
      if (!e) break;
      line = e.key.line;
      node = deref(e.value);
    }
  }
  return line;
}

/** Where an object sits in its file: the document (0-based, as kubectl's reader cuts the file) and List item. */
export interface ObjectPosition {
  readonly document: number;
  readonly item?: number;
}

/** A document read again by the fast reader, with where its keys and entries are. */
interface PositionedDocument {
  readonly value: unknown;
  /** Index, into the lines read, of the document's first content line. */
  readonly rootLine: number;
  readonly positions: FastPositions;
  /** The 1-based file line of the first of the lines read. */
  readonly firstLine: number;
}

/**
 * Lines of fields in the files of one run: each document with findings is read again once, on first use (a file cut
 * as text, by the fast reader with positions; else cut again and composed by the go-yaml port). Any problem (a
 * document that no longer reads, a path not of the usual form) gives undefined, and the report keeps the object's own
 * line.
 */
export class FieldLocator {
  private readonly chunks = new Map<string, readonly KubectlChunk[]>();
  private readonly roots = new Map<string, YamlNode | null>();
  private readonly positioned = new Map<string, PositionedDocument | null>();

  constructor(private readonly texts: ReadonlyMap<string, Uint8Array | CutText>) {}

  /** 1-based line of `path` in the object at `position` of `file`. */
  lineOf(file: string, position: ObjectPosition, path: string): number | undefined {
    const segments = parseFieldPath(path);
    if (!segments) return undefined;
    const full = position.item === undefined ? segments : ['items', position.item, ...segments];
    const source = this.texts.get(file);
    if (source !== undefined && !(source instanceof Uint8Array)) {
      const doc = source.documents[position.document];
      if (!doc) return undefined;
      const read = this.positionedOf(file, position.document, source);
      if (read) return read.firstLine + lineOfValuePath(read.value, read.rootLine, read.positions, full);
      const root = this.rootOf(file, position.document, chunkOfText(source.text, doc));
      return root ? doc.line + lineOfPath(root, full) : undefined;
    }
    const chunk = this.chunksOf(file)?.[position.document];
    if (!chunk) return undefined;
    const root = this.rootOf(file, position.document, chunk);
    if (!root) return undefined;
    return chunk.line + lineOfPath(root, full);
  }

  /** The document read again by the fast reader with positions; null when the fast reader leaves it to go-yaml. */
  private positionedOf(file: string, document: number, source: CutText): PositionedDocument | null {
    const key = `${document}\0${file}`;
    let read = this.positioned.get(key);
    if (read === undefined) {
      const doc = source.documents[document];
      const body = source.text.slice(doc.start, doc.end);
      const lines = body.split('\n');
      const positions: FastPositions = new Map();
      // A cut text is in the fast reader's subset (readYamlText cuts no other), so is each of its documents.
      const parsed = parseTextDocumentFast(lines, doc, doc.line - 1, positions);
      // parsed.line is the file line of the first content line: its index in `lines` is that minus doc.line.
      read = parsed ? { value: parsed.value, rootLine: parsed.line - doc.line, positions, firstLine: doc.line } : null;
      this.positioned.set(key, read);
    }
    return read;
  }

  private chunksOf(file: string): readonly KubectlChunk[] | undefined {
    let chunks = this.chunks.get(file);
    if (chunks === undefined) {
      const bytes = this.texts.get(file);
      if (!(bytes instanceof Uint8Array)) return undefined;
      chunks = splitKubectlDocuments(bytes).chunks;
      this.chunks.set(file, chunks);
    }
    return chunks;
  }

  private rootOf(file: string, document: number, chunk: KubectlChunk): YamlNode | null {
    const key = `${document}\0${file}`;
    let root = this.roots.get(key);
    if (root === undefined) {
      try {
        root = composeFirstDocument(chunk.bytes);
      } catch (e) {
        if (!(e instanceof GoYamlError)) throw e;
        root = null;
      }
      this.roots.set(key, root);
    }
    return root;
  }
}
