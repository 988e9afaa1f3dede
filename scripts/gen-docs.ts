import * as fs from 'fs';
import * as path from 'path';
import { POSTURE_DOC_PATH, renderPostureDoc } from '../lib/docs/posture-doc';
import { renderRulesDoc, RULES_DOC_PATH } from '../lib/docs/rules-doc';
import { RULES } from '../lib/policy/catalog';

export interface GenDocsIo {
  /** Repository root the doc path is relative to. */
  readonly root: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = 'usage: tsx scripts/gen-docs.ts [--check]\n';

/**
 * Writes docs/rules.md from the rule catalog, or with `--check` exits 1 when the file on disk differs from what would
 * be written. Returns the exit code.
 */
export function genDocs(argv: readonly string[], io: GenDocsIo): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    io.stderr(`gen-docs: unknown argument '${unknown[0]}'\n${USAGE}`);
    return 2;
  }
  const docs = [
    {
      file: RULES_DOC_PATH,
      expected: renderRulesDoc(RULES),
      what: `${RULES.length} rules`,
      source: 'the rule catalog',
    },
    {
      file: POSTURE_DOC_PATH,
      expected: renderPostureDoc(),
      what: 'cluster posture controls',
      source: 'the posture controls',
    },
  ];
  if (argv.includes('--check')) {
    let code = 0;
    for (const d of docs) {
      const file = path.join(io.root, d.file);
      const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (actual === d.expected) {
        io.stdout(`${d.file} is up to date (${d.what})\n`);
        continue;
      }
      io.stderr(
        `${d.file} ${actual === undefined ? 'does not exist' : `is out of date with ${d.source}`}: run \`npm run docs\` and commit the result\n`,
      );
      code = 1;
    }
    return code;
  }
  for (const d of docs) {
    const file = path.join(io.root, d.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, d.expected);
    io.stdout(`wrote ${d.file} (${d.what})\n`);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = genDocs(process.argv.slice(2), {
    root: path.join(__dirname, '..'),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
