import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Only programs are executable. Data (fixtures, docs, configs) and modules checked in with mode 755 run as programs
 * when someone types their name, and show up as noise in every diff of modes; git records the mode, so this reads it
 * from the index (what a clone gets), not from the working tree.
 */
const ROOT = path.join(__dirname, '..', '..');
const PROGRAMS = new Set(['.ci/run', 'bin/bulwark.js', 'scripts/consumer-test.sh', 'scripts/screenshot-report.sh']);

function trackedModes(): Map<string, string> {
  const out = execFileSync('git', ['ls-files', '--stage', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const modes = new Map<string, string>();
  for (const entry of out.split('\0')) {
    const m = /^(\d{6}) [0-9a-f]+ \d\t(.+)$/.exec(entry);
    if (m) modes.set(m[2], m[1]);
  }
  return modes;
}

describe('file modes', () => {
  const modes = trackedModes();

  it('reads the whole index', () => {
    expect(modes.size).toBeGreaterThan(4000);
    expect(modes.get('package.json')).toBe('100644');
  });

  it('only the listed programs are executable (fixtures and data are 644)', () => {
    const executable = [...modes].filter(([, mode]) => mode === '100755').map(([file]) => file);
    expect(executable.filter((f) => !PROGRAMS.has(f))).toEqual([]);
  });

  it('every listed program is executable', () => {
    expect([...PROGRAMS].filter((f) => modes.get(f) !== '100755')).toEqual([]);
  });
});
