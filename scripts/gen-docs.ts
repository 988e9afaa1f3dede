import * as fs from 'fs';
import * as path from 'path';
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
  const file = path.join(io.root, RULES_DOC_PATH);
  const expected = renderRulesDoc(RULES);
  if (argv.includes('--check')) {
    const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (actual === expected) {
      io.stdout(`${RULES_DOC_PATH} is up to date (${RULES.length} rules)\n`);
      return 0;
    }
    io.stderr(
      `${RULES_DOC_PATH} ${
        actual === undefined ? 'does not exist' : 'is out of date with the rule catalog'
      }: run \`npm run docs\` and commit the result\n`,
    );
    return 1;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, expected);
  io.stdout(`wrote ${RULES_DOC_PATH} (${RULES.length} rules)\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = genDocs(process.argv.slice(2), {
    root: path.join(__dirname, '..'),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
