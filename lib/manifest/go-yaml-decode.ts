import { composeFirstDocument, GoYamlError, NodeKind, YamlNode } from './go-yaml-parser';

/**
 * What kubectl gets from one YAML document: go-yaml v2's decoding into interface{} (decode.go, resolve.go), then
 * sigs.k8s.io/yaml's conversion to JSON (string keys, numbers and booleans as keys turned into text), then the JSON
 * nesting limit of Go's encoding/json (kubectl decodes that JSON into a RawExtension). Ported from gopkg.in/yaml.v2
 * 2.4.0 and sigs.k8s.io/yaml 1.3.0.
 *
 * Differences on purpose (documented, tested): where Go's result depends on map iteration order (two different keys
 * that become the same JSON key, like `1` and `"1"`), bulwark refuses the document instead of guessing.
 *
 * @see https://github.com/go-yaml/yaml/blob/v2.4.0/decode.go
 * @see https://github.com/kubernetes-sigs/yaml/blob/v1.3.0/yaml.go
 */

const STR_TAG = 'tag:yaml.org,2002:str';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const NULL_TAG = 'tag:yaml.org,2002:null';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const BINARY_TAG = 'tag:yaml.org,2002:binary';
const MERGE_TAG = 'tag:yaml.org,2002:merge';
const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

/** The JSON nesting limit of Go's encoding/json (and so of kubectl and the API server). */
export const MAX_JSON_DEPTH = 10000;

/** A Go float64 (kept apart from integers: `1` and `1.0` are different map keys in Go). */
class GoFloat {
  constructor(readonly v: number) {}
}
/** A Go uint64 (integers above 2^63-1). */
class GoUint {
  constructor(readonly v: bigint) {}
}
/** A Go string that is not valid UTF-8 (from !!binary). */
class GoBytes {
  constructor(readonly b: Uint8Array) {}
}
type GoScalar = null | boolean | string | number | bigint | GoFloat | GoUint | GoBytes;
type GoValue = GoScalar | GoValue[] | GoMap;

interface MapEntry {
  key: GoScalar;
  value: GoValue;
}
/** Go's map[interface{}]interface{}: keys compared as Go compares them. */
class GoMap {
  readonly entries = new Map<string, MapEntry>();
}

let nanKeys = 0;
function keyIdentity(k: GoScalar): string {
  if (k === null) return 'n';
  switch (typeof k) {
    case 'string':
      return `s${k}`;
    case 'boolean':
      return k ? 'b1' : 'b0';
    case 'number':
    case 'bigint':
      return `i${k.toString()}`;
  }
  if (k instanceof GoFloat) return Number.isNaN(k.v) ? `fNaN${nanKeys++}` : `f${String(k.v)}`;
  if (k instanceof GoUint) return `u${k.v.toString()}`;
  return `x${Buffer.from(k.b).toString('latin1')}`;
}

function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? `!!${tag.slice(LONG_TAG_PREFIX.length)}` : tag;
}

function fail(message: string, n?: YamlNode): never {
  throw new GoYamlError(message, n?.line, n?.column);
}

const WORDS = new Map<string, [string, GoScalar]>();
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
  WORDS.set(w, [BOOL_TAG, true]);
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) {
  WORDS.set(w, [BOOL_TAG, false]);
}
for (const w of ['', '~', 'null', 'Null', 'NULL']) WORDS.set(w, [NULL_TAG, null]);
for (const w of ['.nan', '.NaN', '.NAN']) WORDS.set(w, [FLOAT_TAG, new GoFloat(Number.NaN)]);
for (const w of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) {
  WORDS.set(w, [FLOAT_TAG, new GoFloat(Number.POSITIVE_INFINITY)]);
}
for (const w of ['-.inf', '-.Inf', '-.INF']) WORDS.set(w, [FLOAT_TAG, new GoFloat(Number.NEGATIVE_INFINITY)]);
WORDS.set('<<', [MERGE_TAG, '<<']);

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64) on a string without underscores; undefined when Go would fail. */
function parseUint0(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1].toLowerCase() : '';
    if (p === 'b') [base, digits] = [2, s.slice(2)];
    else if (p === 'o') [base, digits] = [8, s.slice(2)];
    else if (p === 'x') [base, digits] = [16, s.slice(2)];
    else [base, digits] = [8, s.slice(1)];
  }
  const valid = base === 2 ? /^[01]*$/ : base === 8 ? /^[0-7]*$/ : base === 10 ? /^[0-9]+$/ : /^[0-9a-fA-F]+$/;
  if (!valid.test(digits)) return undefined;
  if (digits === '') return 0n;
  const prefix = base === 2 ? '0b' : base === 8 ? '0o' : base === 16 ? '0x' : '';
  const v = BigInt(prefix + digits);
  return v > MAX_UINT64 ? undefined : v;
}

/** strconv.ParseInt(s, 0, 64). */
function parseInt0(s: string): bigint | undefined {
  let neg = false;
  let rest = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    rest = s.slice(1);
  }
  const u = parseUint0(rest);
  if (u === undefined) return undefined;
  if (!neg && u > MAX_INT64) return undefined;
  if (neg && u > MAX_INT64 + 1n) return undefined;
  return neg ? -u : u;
}

function goInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat accepts after a leading dot (underscores only between digits). */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[-+]\d{2}:\d{2})?)?$/;

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** go-yaml's parseTimestamp: Go's time.Parse with its four layouts. */
function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, sec, tz] = m;
  const month = Number(mo);
  if (month < 1 || month > 12 || Number(d) < 1 || Number(d) > daysIn(month, Number(y))) return false;
  if (sep === undefined) return true;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  // "2006-1-2T15:4:5.999999999Z07:00" needs a zone; "2006-1-2 15:4:5.999999999" has none.
  return sep === ' ' ? tz === undefined : tz !== undefined;
}

function resolvable(tag: string): boolean {
  return (
    tag === '' ||
    tag === STR_TAG ||
    tag === BOOL_TAG ||
    tag === INT_TAG ||
    tag === FLOAT_TAG ||
    tag === NULL_TAG ||
    tag === TIMESTAMP_TAG
  );
}

function tagOf(v: GoScalar): string {
  if (v === null) return NULL_TAG;
  if (typeof v === 'boolean') return BOOL_TAG;
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof GoUint) return INT_TAG;
  if (v instanceof GoFloat) return FLOAT_TAG;
  return STR_TAG;
}

function resolveUntagged(tag: string, input: string): [string, GoScalar] {
  const c = input.charCodeAt(0);
  let hint = 0;
  if (input === '')
    hint = 78; // 'N'
  else if (c === 43 || c === 45)
    hint = 83; // 'S'
  else if (c >= 48 && c <= 57)
    hint = 68; // 'D'
  else if ('yYnNtTfFoO~'.includes(input[0]))
    hint = 77; // 'M'
  else if (c === 46) hint = 46;
  if (hint !== 0 && tag !== STR_TAG && tag !== BINARY_TAG) {
    const item = WORDS.get(input);
    if (item) return item;
    if (hint === 46) {
      if (DOT_FLOAT.test(input)) {
        const f = Number(input.replace(/_/g, ''));
        if (Number.isFinite(f)) return [FLOAT_TAG, new GoFloat(f)];
      }
    } else if (hint === 68 || hint === 83) {
      if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(input)) return [TIMESTAMP_TAG, input];
      const plain = input.includes('_') ? input.replace(/_/g, '') : input;
      const i = parseInt0(plain);
      if (i !== undefined) return [INT_TAG, goInt(i)];
      const u = parseUint0(plain);
      if (u !== undefined) return [INT_TAG, new GoUint(u)];
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = Number(plain);
        if (Number.isFinite(f)) return [FLOAT_TAG, new GoFloat(f)];
      }
    }
  }
  return [STR_TAG, input];
}

/** go-yaml's resolve(tag, in). */
function resolve(tag: string, input: string, n: YamlNode): [string, GoScalar] {
  if (!resolvable(tag)) return [tag, input];
  const [rtag, out] = resolveUntagged(tag, input);
  if (tag === '' || tag === rtag || tag === STR_TAG) return [rtag, out];
  if (tag === FLOAT_TAG && rtag === INT_TAG && (typeof out === 'number' || typeof out === 'bigint')) {
    return [FLOAT_TAG, new GoFloat(Number(out))];
  }
  const shown = rtag === TIMESTAMP_TAG ? input : input;
  return fail(`cannot decode ${shortTag(rtag)} \`${shown}\` as a ${shortTag(tag)}`, n);
}

/** Go's base64.StdEncoding.DecodeString (line breaks ignored). */
function base64Decode(s: string): Uint8Array | undefined {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) return undefined;
  return new Uint8Array(Buffer.from(t, 'base64'));
}

/** Go's conversion of bytes to a JSON string: each byte that is not part of valid UTF-8 becomes U+FFFD. */
export function goUtf8String(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    let cp = 0;
    if (c >= 0xc2 && c <= 0xdf) [need, cp, min] = [1, c & 0x1f, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, cp, min] = [2, c & 0x0f, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, cp, min] = [3, c & 0x07, 0x10000];
    let ok = need > 0 && i + need < b.length + 1;
    for (let k = 1; ok && k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += '\ufffd';
      i++;
    }
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function isValidUtf8(b: Uint8Array): boolean {
  try {
    strictUtf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml turns float keys into text. */
export function formatFloat32(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (x === Number.POSITIVE_INFINITY) return '.inf';
  if (x === Number.NEGATIVE_INFINITY) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(x).toExponential(p - 1);
    if (Math.fround(Number(s) * Math.sign(x)) === x) {
      const [mant, e] = s.split('e');
      digits = mant.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${es}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function isMerge(n: YamlNode): boolean {
  return n.kind === NodeKind.SCALAR && n.value === '<<' && (n.implicit || n.tag === MERGE_TAG);
}

const RANGE_LOW = 400000;
const RANGE_HIGH = 4000000;
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= RANGE_LOW) return 0.99;
  if (decodeCount >= RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - RANGE_LOW) / (RANGE_HIGH - RANGE_LOW));
}

const enum F {
  EVAL,
  SEQ,
  MAP,
  MERGE,
  ALIAS_EXIT,
}
interface EvalFrame {
  f: F.EVAL;
  node: YamlNode;
  target?: GoMap;
}
interface SeqFrame {
  f: F.SEQ;
  node: YamlNode;
  arr: GoValue[];
  i: number;
}
interface MapFrame {
  f: F.MAP;
  node: YamlNode;
  map: GoMap;
  i: number;
  phase: 0 | 1 | 2 | 3;
  key?: GoScalar;
}
interface MergeFrame {
  f: F.MERGE;
  node: YamlNode;
  map: GoMap;
  j: number;
}
interface AliasExitFrame {
  f: F.ALIAS_EXIT;
  node: YamlNode;
}
type Frame = EvalFrame | SeqFrame | MapFrame | MergeFrame | AliasExitFrame;

function failWantMap(n: YamlNode): never {
  return fail('map merge requires map or sequence of maps as the value', n);
}

/** go-yaml's decoder for an interface{} target, without recursion (documents may nest 20,000 levels). */
class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly aliases = new Set<YamlNode>();

  private count(n: YamlNode): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      fail(
        `document contains excessive aliasing (${this.aliasCount} of ${this.decodeCount} nodes come from aliases; ` +
          `go-yaml refuses such documents, as kubectl does)`,
        n,
      );
    }
  }

  private scalar(n: YamlNode): GoScalar {
    if (n.tag === '' && !n.implicit) return n.value;
    const [tag, resolved] = resolve(n.tag, n.value, n);
    if (tag === BINARY_TAG) {
      const data = base64Decode(resolved as string);
      if (!data) fail('!!binary value contains invalid base64 data', n);
      if (isValidUtf8(data)) return strictUtf8.decode(data);
      return new GoBytes(data);
    }
    if (resolved === null) return null;
    if (tag === TIMESTAMP_TAG) return n.value;
    return resolved;
  }

  decode(root: YamlNode): GoValue {
    this.count(root); // the document node
    const stack: Frame[] = [{ f: F.EVAL, node: root }];
    let ret: GoValue = null;
    while (stack.length > 0) {
      const fr = stack[stack.length - 1];
      switch (fr.f) {
        case F.EVAL: {
          stack.pop();
          const n = fr.node;
          this.count(n);
          switch (n.kind) {
            case NodeKind.SCALAR:
              ret = this.scalar(n);
              break;
            case NodeKind.ALIAS:
              if (this.aliases.has(n)) fail(`anchor '${n.value}' value contains itself`, n);
              this.aliases.add(n);
              this.aliasDepth++;
              stack.push({ f: F.ALIAS_EXIT, node: n });
              stack.push({ f: F.EVAL, node: n.alias as YamlNode, target: fr.target });
              break;
            case NodeKind.SEQUENCE:
              stack.push({ f: F.SEQ, node: n, arr: [], i: 0 });
              break;
            case NodeKind.MAPPING:
              stack.push({ f: F.MAP, node: n, map: fr.target ?? new GoMap(), i: 0, phase: 0 });
              break;
            default:
              throw new Error(`internal error: unknown node kind ${n.kind}`);
          }
          break;
        }
        case F.ALIAS_EXIT:
          stack.pop();
          this.aliasDepth--;
          this.aliases.delete(fr.node);
          break;
        case F.SEQ:
          if (fr.i > 0) fr.arr.push(ret);
          if (fr.i < fr.node.children.length) {
            stack.push({ f: F.EVAL, node: fr.node.children[fr.i++] });
          } else {
            stack.pop();
            ret = fr.arr;
          }
          break;
        case F.MAP: {
          const children = fr.node.children;
          if (fr.phase === 1) {
            if (Array.isArray(ret) || ret instanceof GoMap) {
              fail('invalid map key: a mapping or sequence cannot be a key', children[fr.i]);
            }
            fr.key = ret;
            fr.phase = 2;
            stack.push({ f: F.EVAL, node: children[fr.i + 1] });
            break;
          }
          if (fr.phase === 2) {
            const key = fr.key as GoScalar;
            fr.map.entries.set(keyIdentity(key), { key, value: ret });
            fr.i += 2;
          } else if (fr.phase === 3) {
            fr.i += 2;
          }
          if (fr.i >= children.length) {
            stack.pop();
            ret = fr.map;
            break;
          }
          if (isMerge(children[fr.i])) {
            fr.phase = 3;
            stack.push({ f: F.MERGE, node: children[fr.i + 1], map: fr.map, j: -2 });
          } else {
            fr.phase = 1;
            stack.push({ f: F.EVAL, node: children[fr.i] });
          }
          break;
        }
        case F.MERGE: {
          const n = fr.node;
          if (fr.j === -2) {
            if (n.kind === NodeKind.MAPPING) {
              stack.pop();
              stack.push({ f: F.EVAL, node: n, target: fr.map });
              break;
            }
            if (n.kind === NodeKind.ALIAS) {
              if (n.alias && n.alias.kind !== NodeKind.MAPPING) failWantMap(n);
              stack.pop();
              stack.push({ f: F.EVAL, node: n, target: fr.map });
              break;
            }
            if (n.kind !== NodeKind.SEQUENCE) failWantMap(n);
            fr.j = n.children.length - 1;
          }
          if (fr.j >= 0) {
            const ni = n.children[fr.j--];
            if (ni.kind === NodeKind.ALIAS) {
              if (ni.alias && ni.alias.kind !== NodeKind.MAPPING) failWantMap(ni);
            } else if (ni.kind !== NodeKind.MAPPING) {
              failWantMap(ni);
            }
            stack.push({ f: F.EVAL, node: ni, target: fr.map });
          } else {
            stack.pop();
          }
          break;
        }
      }
    }
    return ret;
  }
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function describeKey(k: GoScalar): string {
  if (k === null) return 'null';
  if (k instanceof GoUint) return k.v.toString();
  if (k instanceof GoFloat) return String(k.v);
  if (k instanceof GoBytes) return goUtf8String(k.b);
  return typeof k === 'string' ? JSON.stringify(k) : String(k);
}

/** sigs.k8s.io/yaml's key to text, or undefined when it refuses the key. */
function jsonKey(k: GoScalar): string | undefined {
  if (k === null) return undefined;
  switch (typeof k) {
    case 'string':
      return k;
    case 'boolean':
      return k ? 'true' : 'false';
    case 'number':
    case 'bigint':
      return k.toString();
  }
  if (k instanceof GoFloat) return formatFloat32(k.v);
  if (k instanceof GoUint) return undefined;
  return goUtf8String(k.b);
}

/** sigs.k8s.io/yaml's convertToJSONableObject followed by json.Marshal and the JSON nesting limit. */
function toJson(root: GoValue): unknown {
  type Job = { src: GoValue; put: (v: unknown) => void; depth: number };
  let result: unknown;
  const jobs: Job[] = [{ src: root, put: (v) => (result = v), depth: 0 }];
  while (jobs.length > 0) {
    const { src, put, depth } = jobs.pop() as Job;
    if (src === null || typeof src === 'string' || typeof src === 'boolean' || typeof src === 'number') {
      put(src);
    } else if (typeof src === 'bigint') {
      put(Number(src));
    } else if (src instanceof GoFloat) {
      if (!Number.isFinite(src.v)) {
        throw new GoYamlError(
          `json: unsupported value: ${Number.isNaN(src.v) ? 'NaN' : src.v > 0 ? '+Inf' : '-Inf'} (.nan and .inf have no JSON form; quote the value if it is text)`,
          undefined,
          undefined,
        );
      }
      put(src.v);
    } else if (src instanceof GoUint) {
      put(Number(src.v));
    } else if (src instanceof GoBytes) {
      put(goUtf8String(src.b));
    } else {
      if (depth + 1 > MAX_JSON_DEPTH) {
        throw new GoYamlError(
          `nested more than ${MAX_JSON_DEPTH} levels deep: Go's JSON decoder (kubectl, the API server) refuses that`,
          undefined,
          undefined,
        );
      }
      if (Array.isArray(src)) {
        const arr: unknown[] = new Array(src.length);
        put(arr);
        for (let i = src.length - 1; i >= 0; i--)
          jobs.push({ src: src[i], put: (v) => (arr[i] = v), depth: depth + 1 });
      } else {
        const obj: Record<string, unknown> = {};
        put(obj);
        const seen = new Map<string, GoScalar>();
        for (const { key, value } of src.entries.values()) {
          const k = jsonKey(key);
          if (k === undefined) {
            throw new GoYamlError(
              `unsupported map key ${describeKey(key)}: JSON keys must be text, numbers or booleans`,
              undefined,
              undefined,
            );
          }
          const other = seen.get(k);
          if (other !== undefined) {
            throw new GoYamlError(
              `keys ${describeKey(other)} and ${describeKey(key)} both become "${k}" in JSON, and which one Kubernetes ` +
                'keeps is left to chance: keep only one of them',
              undefined,
              undefined,
            );
          }
          seen.set(k, key);
          setKey(obj, k, undefined);
          jobs.push({ src: value, put: (v) => setKey(obj, k, v), depth: depth + 1 });
        }
      }
    }
  }
  return result;
}

/**
 * What sigs.k8s.io/yaml's YAMLToJSON (and kubectl's decoding into a RawExtension) makes of one document: the first
 * YAML document in `input`, as a JSON value (null for an empty document). Throws GoYamlError.
 */
export function goYamlToJson(input: Uint8Array): unknown {
  return goYamlToJsonWithLines(input).value;
}

/** goYamlToJson, plus the 0-based lines of the top-level `items` entries (List kinds) when they are plain to see. */
export function goYamlToJsonWithLines(input: Uint8Array): { value: unknown; line?: number; itemLines?: number[] } {
  const root = composeFirstDocument(input);
  if (root === null) return { value: null };
  const value = toJson(new Decoder().decode(root));
  let itemLines: number[] | undefined;
  if (root.kind === NodeKind.MAPPING) {
    for (let i = 0; i < root.children.length; i += 2) {
      const k = root.children[i];
      const v = root.children[i + 1];
      if (k.kind === NodeKind.SCALAR && k.value === 'items' && v.kind === NodeKind.SEQUENCE) {
        itemLines = v.children.map((c) => c.line);
      }
    }
  }
  return itemLines ? { value, line: root.line, itemLines } : { value, line: root.line };
}

/** go-yaml's value of a plain (untagged, unquoted) scalar, as JSON sees it; undefined when JSON has no form for it. */
export function resolvePlainScalarGo(text: string): string | number | boolean | null | undefined {
  const [, v] = resolveUntagged('', text);
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoFloat) return Number.isFinite(v.v) ? v.v : undefined;
  if (v instanceof GoUint) return Number(v.v);
  return undefined;
}

export { tagOf as goTagOf };
