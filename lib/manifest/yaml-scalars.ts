import type { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';
import { resolvePlainScalarGo } from './go-yaml-decode';

/**
 * How Kubernetes tooling reads plain (unquoted) YAML scalars. kubectl, helm and client-go convert YAML to JSON with
 * sigs.k8s.io/yaml, which resolves scalars the go-yaml v2 way (YAML 1.1 flavoured): `yes`, `on` and `y` are true,
 * `no`, `off` and `n` are false, `0644` is octal (420), `1_000` is 1000. A YAML 1.2 reader sees `privileged: yes` as
 * the string "yes" while the cluster receives `true`: the audit must read manifests the way the cluster will.
 *
 * Timestamp-looking scalars (`2024-01-02`) stay strings, as go-yaml v2 keeps them when decoding into interface{}.
 * The resolution itself is go-yaml's resolve(), ported in lib/manifest/go-yaml-decode.ts.
 *
 * @see https://github.com/kubernetes/kubernetes/issues/34146
 * @see https://github.com/kubernetes-sigs/yaml/blob/master/goyaml.v2/resolve.go
 */
/** The value a plain scalar has for Kubernetes tooling: null, a boolean, a number, or the text itself. */
export function resolvePlainScalar(text: string): string | number | boolean | null {
  const v = resolvePlainScalarGo(text);
  if (v !== undefined) return v;
  // .inf and .nan: numbers for go-yaml, which JSON (and so kubectl) then refuses.
  return WORDS_NON_FINITE.get(text) ?? text;
}

const WORDS_NON_FINITE: ReadonlyMap<string, number> = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, Number.NEGATIVE_INFINITY] as const),
]);

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
