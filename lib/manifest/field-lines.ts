import { composeFirstDocument, GoYamlError, NodeKind, YamlNode } from './go-yaml-parser';
import { KubectlChunk, splitKubectlDocuments } from './kubectl-documents';

/**
 * Where a field of an object is in its file: findings name a field path (`spec.template.spec.containers[0]
 * .securityContext.privileged`) and reports point at that line, not at the object's first line. The document is read
 * again with the go-yaml port (the same reader as kubectl) only for objects that have findings, so the fast reader
 * keeps no positions.
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

/**
 * Lines of fields in the files of one run: each file's documents are cut once and each document composed once, on
 * first use. Any problem (a document that no longer composes, a path not of the usual form) gives undefined, and the
 * report keeps the object's own line.
 */
export class FieldLocator {
  private readonly chunks = new Map<string, readonly KubectlChunk[]>();
  private readonly roots = new Map<string, YamlNode | null>();

  constructor(private readonly texts: ReadonlyMap<string, Uint8Array>) {}

  /** 1-based line of `path` in the object at `position` of `file`. */
  lineOf(file: string, position: ObjectPosition, path: string): number | undefined {
    const segments = parseFieldPath(path);
    if (!segments) return undefined;
    const chunk = this.chunksOf(file)?.[position.document];
    if (!chunk) return undefined;
    const root = this.rootOf(file, position.document, chunk);
    if (!root) return undefined;
    const full = position.item === undefined ? segments : ['items', position.item, ...segments];
    return chunk.line + lineOfPath(root, full);
  }

  private chunksOf(file: string): readonly KubectlChunk[] | undefined {
    let chunks = this.chunks.get(file);
    if (chunks === undefined) {
      const bytes = this.texts.get(file);
      if (!bytes) return undefined;
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
