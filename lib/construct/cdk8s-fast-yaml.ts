import { Yaml } from 'cdk8s';
import { stringifyManifest } from '../manifest/fast-yaml-writer';

/**
 * Makes cdk8s write YAML with the fast writer until the returned function is called: cdk8s's `Yaml.stringify` (which
 * `Yaml.save` and `App.synthYaml` call) is replaced by one writing each document with stringifyManifest, and with the
 * original when that is unsure, so every document is byte for byte what the original writes. Same join and undefined
 * handling as cdk8s 2.70: an undefined document is an empty line, documents are joined by `---\n`.
 *
 * bulwark's synth wrapper (synth-validation.ts) does this for the duration of each App.synth / synthYaml call of an app
 * with bulwark constructs; the benchmark uses it to measure plain cdk8s-plus-27 with the same writer.
 */
export function useFastYamlWriter(): () => void {
  const original = Yaml.stringify;
  Yaml.stringify = (...docs: unknown[]): string =>
    docs.map((doc) => (doc === undefined ? '\n' : (stringifyManifest(doc) ?? original.call(Yaml, doc)))).join('---\n');
  return () => {
    Yaml.stringify = original;
  };
}
