/**
 * The floor of the real-world benchmark, run in a fresh process: reads every manifest file under a directory (the
 * files `bulwark audit` reads) and parses each with the `yaml` package alone (parseAllDocuments + toJS), nothing else.
 *   node -r tsx/cjs bench/yaml-parse-child.ts <dir>
 * Prints one JSON line: documents parsed.
 */
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { listManifestFiles } from '../lib/manifest/manifests';

function main(dir: string): void {
  let documents = 0;
  for (const file of listManifestFiles(dir)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.toJS({ maxAliasCount: 100 }) !== null) documents++;
    }
  }
  process.stdout.write(`${JSON.stringify({ documents })}\n`);
}

main(process.argv[2] ?? '.');
