/**
 * Writes test/fixtures/falco-0.44.1/fields.json: every field a Falco 0.44.1 rule condition can use, read from the
 * sources Falco 0.44.1 is built from (its CMakeLists.txt and cmake/modules pin them):
 * - falcosecurity/libs 0.25.4, userspace/libsinsp/sinsp_filtercheck_*.cpp (the `evt.`, `fd.`, `proc.`, `user.`, ...
 *   fields: name, whether it takes an argument, whether it is deprecated);
 * - falcosecurity/plugins, tag plugins/container/v0.7.1, plugins/container/README.md (the container plugin's
 *   `container.` and `k8s.` fields, its table of name, type and argument).
 * Usage: npx tsx scripts/extract-falco-fields.ts <libs checkout at 0.25.4> <plugins checkout at plugins/container/v0.7.1>
 */
import * as fs from 'fs';
import * as path from 'path';

interface Field {
  readonly name: string;
  readonly arg: 'none' | 'allowed' | 'required';
  readonly deprecated: boolean;
  readonly source: 'libsinsp' | 'container';
}

function libsinspFields(libs: string): Field[] {
  const dir = path.join(libs, 'userspace', 'libsinsp');
  const files = fs.readdirSync(dir).filter((f) => /^sinsp_filtercheck_\w+\.cpp$/.test(f));
  const out: Field[] = [];
  // {PT_TYPE, FLAGS, PF_PRINT, "name", "Display", "description"}: flags are EPF_ names joined by |.
  const entry = /\{\s*PT_\w+\s*,\s*([A-Z_|\s]+?)\s*,\s*PF_\w+\s*,\s*"([a-z0-9_.]+)"/g;
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(entry)) {
      const flags = m[1];
      out.push({
        name: m[2],
        arg: flags.includes('EPF_ARG_REQUIRED') ? 'required' : flags.includes('EPF_ARG_ALLOWED') ? 'allowed' : 'none',
        deprecated: flags.includes('EPF_DEPRECATED'),
        source: 'libsinsp',
      });
    }
  }
  return out;
}

function containerFields(plugins: string): Field[] {
  const text = fs.readFileSync(path.join(plugins, 'plugins', 'container', 'README.md'), 'utf8');
  const row = /^\| `([a-z0-9_.]+)`\s*\| `[a-z0-9_]+`\s*\| ([^|]+?)\s*\|/gm;
  return [...text.matchAll(row)].map((m) => ({
    name: m[1],
    arg: /Required/.test(m[2]) ? 'required' : /Key|Index/.test(m[2]) ? 'allowed' : 'none',
    deprecated: false,
    source: 'container',
  }));
}

if (require.main === module) {
  const [libs, plugins] = process.argv.slice(2);
  const fields = [...libsinspFields(libs), ...containerFields(plugins)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const out = path.join(__dirname, '..', 'test', 'fixtures', 'falco-0.44.1', 'fields.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(fields, null, 1)}\n`);
  process.stdout.write(`${fields.length} fields\n`);
}
