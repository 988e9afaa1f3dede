import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';

/**
 * How Kubernetes tooling reads plain (unquoted) YAML scalars. kubectl, helm and client-go convert YAML to JSON with
 * sigs.k8s.io/yaml, which resolves scalars the go-yaml v2 way (YAML 1.1 flavoured): `yes`, `on` and `y` are true,
 * `no`, `off` and `n` are false, `0644` is octal (420), `1_000` is 1000. A YAML 1.2 reader sees `privileged: yes` as
 * the string "yes" while the cluster receives `true`: the audit must read manifests the way the cluster will.
 *
 * Deliberate difference: timestamp-looking scalars (`2024-01-02`) stay strings (go-yaml v2 makes them a time that
 * JSON-encodes as an RFC 3339 string; no rule looks at them).
 *
 * @see https://github.com/kubernetes/kubernetes/issues/34146
 * @see https://github.com/kubernetes-sigs/yaml/blob/master/goyaml.v2/resolve.go
 */
const WORDS: ReadonlyMap<string, boolean | number | null> = new Map<string, boolean | number | null>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, Number.NEGATIVE_INFINITY] as const),
]);

/** Go's strconv.ParseInt(s, 0, 64) syntax: sign, then 0x / 0o / 0b prefixed, leading-zero octal, or decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
/** go-yaml's yamlStyleFloat. */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's strconv.ParseFloat accepts after a leading dot. */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

function goInt(text: string): number | undefined {
  const m = GO_INT.exec(text);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  let value: number;
  if (m[2] !== undefined) value = parseInt(m[2], 16);
  else if (m[3] !== undefined) value = parseInt(m[3], 8);
  else if (m[4] !== undefined) value = parseInt(m[4], 2);
  else if (m[5] !== undefined) value = m[5] === '' ? 0 : parseInt(m[5], 8);
  else value = Number(m[6]);
  // Go integers have no negative zero.
  return value === 0 ? 0 : sign * value;
}

/** The value a plain scalar has for Kubernetes tooling: null, a boolean, a number, or the text itself. */
export function resolvePlainScalar(text: string): string | number | boolean | null {
  const c = text.charCodeAt(0);
  const digit = c >= 48 && c <= 57;
  const sign = c === 43 || c === 45;
  // Only scalars starting with a digit, a sign, a dot, `~` or one of yYnNtTfFoO can be anything but a string.
  if (!digit && !sign && c !== 46 && text.length > 0 && !'yYnNtTfFoO~'.includes(text[0])) return text;
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  if (c === 46) {
    if (!DOT_FLOAT.test(text)) return text;
    const f = Number(text);
    return Number.isFinite(f) ? f : text;
  }
  if (!digit && !sign) return text;
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = goInt(plain);
  if (int !== undefined) return int;
  if (YAML_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return text;
}

function scalarTag(tag: string, matches: (value: unknown) => boolean): ScalarTag {
  return {
    tag,
    default: true,
    identify: matches,
    // The yaml package only calls `.test(text)` on this; a predicate keeps one source of truth with resolvePlainScalar.
    test: { test: (text: string) => matches(resolvePlainScalar(text)) } as unknown as RegExp,
    resolve: (text: string) => resolvePlainScalar(text),
  };
}

const KUBERNETES_SCALAR_TAGS: readonly ScalarTag[] = [
  scalarTag('tag:yaml.org,2002:null', (v) => v === null),
  scalarTag('tag:yaml.org,2002:bool', (v) => typeof v === 'boolean'),
  scalarTag('tag:yaml.org,2002:int', (v) => typeof v === 'number' && Number.isInteger(v)),
  scalarTag('tag:yaml.org,2002:float', (v) => typeof v === 'number' && !Number.isInteger(v)),
];

const COLLECTION_AND_STRING_TAGS = new Set(['tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq', 'tag:yaml.org,2002:str']);

/**
 * Options for the `yaml` package that read manifests like Kubernetes does: YAML 1.2 syntax, go-yaml v2 scalars,
 * `<<` merge keys (go-yaml supports them), duplicate keys rejected.
 */
export const KUBERNETES_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'core',
  customTags: (tags: Tags) => [
    ...tags.filter((t) => typeof t !== 'string' && COLLECTION_AND_STRING_TAGS.has(t.tag)),
    ...KUBERNETES_SCALAR_TAGS,
  ],
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
};
