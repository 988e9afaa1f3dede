import * as fs from 'fs';
import * as path from 'path';

/**
 * A clone tests green on its own: nothing that CI or the test suite runs may read the `shared/` folder that sits
 * beside the repository on developer machines (a user's clone does not have it). Data a test needs is vendored with
 * its provenance (test/conformance/README.md).
 */
const ROOT = path.join(__dirname, '..', '..');
const SCANNED = ['test', 'bench', 'scripts', '.ci', 'lib', 'bin', 'package.json', 'jest.config.js'];
const SOURCE = /\.(ts|js|mjs|cjs|sh|json)$|^run$/;
const SELF = path.relative(ROOT, __filename);

/** A path to `shared/` beside the repo: `../shared/...` or a path.join(..., '..', 'shared', ...) segment. */
const READS_SHARED = /\.\.\/shared\b|['"`]\.\.['"`]\s*,\s*['"`]shared['"`]|['"`]shared\/(conformance|corpus)/;

function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return [rel];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && e.name !== 'conformance' && e.name !== 'results')
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(rel, e.name)) : SOURCE.test(e.name) ? [path.join(rel, e.name)] : [],
    );
}

describe('the repository is self-contained', () => {
  it('reads nothing from ../shared in tests, benchmarks, scripts, CI or the library', () => {
    const files = SCANNED.flatMap(filesUnder).filter((f) => f !== SELF);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => READS_SHARED.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the pattern catches both spellings the suite used before the fixtures were vendored', () => {
    expect(READS_SHARED.test("path.join(__dirname, '../../../shared/conformance/x')")).toBe(true);
    expect(READS_SHARED.test("path.join(\n  __dirname,\n  '..',\n  'shared',\n  'conformance',\n)")).toBe(true);
    expect(READS_SHARED.test("const shared = { a: 1 }; it('uses the shared hardened pod'); pool('shared', {})")).toBe(
      false,
    );
  });

  it('vendors the upstream Pod Security fixtures with their license and provenance', () => {
    const dir = path.join(ROOT, 'test', 'conformance');
    expect(fs.readFileSync(path.join(dir, 'pod-security-admission', 'LICENSE'), 'utf8')).toMatch(
      /Apache License\s+Version 2\.0/,
    );
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('https://github.com/kubernetes/pod-security-admission');
    expect(readme).toContain('8f84a87c7f617f64a4ddc1aea24aeeb7a2e07cb8');
  });
});
