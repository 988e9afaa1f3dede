import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The prop names of every construct of the public API, read from the TypeScript types with the compiler API and
 * written to lib/construct/prop-shapes.ts. At run time a construct refuses a prop its type does not declare (a typo
 * such as `memoryLimt` would otherwise be ignored silently wherever nothing type-checks: tsx, plain JavaScript).
 *
 *   tsx scripts/gen-prop-shapes.ts [--check]
 */
export const PROP_SHAPES_PATH = 'lib/construct/prop-shapes.ts';
const ENTRY = 'lib/index.ts';
const USAGE = 'usage: tsx scripts/gen-prop-shapes.ts [--check]\n';

/** Prop name → the shape of its value when that is a plain data object (or an array of them), else 0. */
export interface Shape {
  [prop: string]: Shape | 0;
}

function nonUndefined(type: ts.Type): ts.Type[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
}

/**
 * Whether a value of this type is a plain data object whose keys can be checked: an object type with named properties
 * only, none of them a method, no call, construct or index signature, and not a class instance (a class has a
 * constructor symbol; a construct reference or a Duration is passed as itself and is not walked).
 */
function isDataObject(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type)) return false;
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return false;
  if (checker.getIndexInfosOfType(type).length > 0) return false;
  const symbol = type.getSymbol();
  if (symbol && symbol.flags & ts.SymbolFlags.Class) return false;
  const props = checker.getPropertiesOfType(type);
  if (props.length === 0) return false;
  return props.every((p) => !(p.flags & ts.SymbolFlags.Method));
}

function shapeOf(checker: ts.TypeChecker, type: ts.Type, seen: readonly ts.Type[]): Shape {
  const shape: Shape = {};
  for (const p of [...checker.getPropertiesOfType(type)].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    shape[p.name] = valueShape(checker, checker.getTypeOfSymbol(p), [...seen, type]);
  }
  return shape;
}

/** The shape of a prop's value: the union of the data objects it may be (or hold in an array), else 0. */
function valueShape(checker: ts.TypeChecker, type: ts.Type, seen: readonly ts.Type[]): Shape | 0 {
  const candidates: ts.Type[] = [];
  for (const t of nonUndefined(type)) {
    const element = checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : t;
    for (const e of nonUndefined(element)) {
      if (!(e.flags & ts.TypeFlags.Object)) continue;
      // A union with something that is not a plain data object (a class, a record) is not walked at all: the
      // runtime check would have to tell the two apart.
      if (!isDataObject(checker, e) || seen.includes(e)) return 0;
      candidates.push(e);
    }
  }
  if (candidates.length === 0) return 0;
  const merged: Shape = {};
  for (const c of candidates) {
    for (const [k, v] of Object.entries(shapeOf(checker, c, seen))) {
      const prev = merged[k];
      merged[k] = prev === undefined ? v : prev === 0 || v === 0 ? 0 : { ...prev, ...v };
    }
  }
  return merged;
}

/** Every exported class of the entry with a `(scope, id, props)` constructor, and the shape of its props. */
export function propShapes(root: string): Record<string, Shape> {
  const configFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
  if (!configFile) throw new Error(`no tsconfig.json in ${root}`);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  const entry = path.join(root, ENTRY);
  const program = ts.createProgram({ rootNames: [entry], options: { ...parsed.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${ENTRY}: not found by the compiler`);
  const shapes: Record<string, Shape> = {};
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Class) || !symbol.valueDeclaration) continue;
    const ctorType = checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration);
    for (const signature of ctorType.getConstructSignatures()) {
      const params = signature.getParameters();
      if (params.length !== 3 || params[0].name !== 'scope' || params[1].name !== 'id') continue;
      const propsType = checker.getTypeOfSymbol(params[2]);
      const shape = nonUndefined(propsType).find((t) => isDataObject(checker, t));
      if (shape) shapes[symbol.name] = shapeOf(checker, shape, []);
    }
  }
  return Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** An object literal as prettier prints it here: one key a line, trailing commas, quotes only where needed. */
function literal(value: Shape | 0, indent: string): string {
  if (value === 0) return '0';
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k.replace(/[\\']/g, '\\$&')}'`);
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},\n`).join('')}${indent}}`;
}

export function renderPropShapes(shapes: Readonly<Record<string, Shape>>): string {
  return [
    '// Generated by `npm run docs` (scripts/gen-prop-shapes.ts) from the props types of the constructs. Do not edit',
    '// by hand. The props each construct declares, and of a prop holding plain data objects (or arrays of them) the',
    '// props those declare; 0 where the value is not walked (a primitive, a class instance, a record).',
    '',
    '/** Prop name → the shape of its value (a plain data object, or an array of them) or 0. */',
    'export interface PropShape {',
    '  readonly [prop: string]: PropShape | 0;',
    '}',
    '',
    `export const PROP_SHAPES: Readonly<Record<string, PropShape>> = ${literal(shapes, '')};`,
    '',
  ].join('\n');
}

export interface GenIo {
  readonly root: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Writes lib/construct/prop-shapes.ts, or with `--check` exits 1 when it differs from what would be written. */
export function genPropShapes(argv: readonly string[], io: GenIo): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    io.stderr(`gen-prop-shapes: unknown argument '${unknown[0]}'\n${USAGE}`);
    return 2;
  }
  const shapes = propShapes(io.root);
  const expected = renderPropShapes(shapes);
  const file = path.join(io.root, PROP_SHAPES_PATH);
  const count = Object.keys(shapes).length;
  if (argv.includes('--check')) {
    const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (actual === expected) {
      io.stdout(`${PROP_SHAPES_PATH} is up to date (${count} constructs)\n`);
      return 0;
    }
    io.stderr(
      `${PROP_SHAPES_PATH} ${actual === undefined ? 'does not exist' : 'is out of date with the props types of the constructs'}: ` +
        'run `npm run docs` and commit the result\n',
    );
    return 1;
  }
  fs.writeFileSync(file, expected);
  io.stdout(`wrote ${PROP_SHAPES_PATH} (${count} constructs)\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = genPropShapes(process.argv.slice(2), {
    root: path.join(__dirname, '..'),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
