import { IConstruct } from 'constructs';
import { closestName } from '../util/closest-name';
import { propError } from './errors';
import { PROP_SHAPES, PropShape } from './prop-shapes';

/** A plain data object as an object literal makes it (not a class instance, a Date, a construct). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

interface Unknown {
  readonly path: string;
  readonly key: string;
  readonly value: unknown;
  readonly allowed: readonly string[];
}

function findUnknown(value: unknown, shape: PropShape, at: string): Unknown | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnknown(value[i], shape, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const key of Object.keys(value)) {
    const path = at ? `${at}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(shape, key)) {
      return { path, key, value: value[key], allowed: Object.keys(shape) };
    }
    const inner = shape[key];
    if (inner !== 0) {
      const found = findUnknown(value[key], inner, path);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses a prop that the construct's props type does not declare, at any depth of plain data (`memoryLimt`,
 * `isolation.pol`, `ports[1].protocl`). TypeScript catches these where it type-checks; this catches them where nothing
 * does (tsx, plain JavaScript, `any`), instead of the prop being ignored and its default used. The props each construct
 * declares are generated from its types (lib/construct/prop-shapes.ts, `npm run docs`).
 *
 * Checks only when `scope` is an instance of the bulwark construct itself: a subclass in a user's code may take props
 * of its own and pass them on.
 */
export function rejectUnknownProps(scope: IConstruct, props: unknown): void {
  const kind = scope.constructor.name;
  if (!Object.prototype.hasOwnProperty.call(PROP_SHAPES, kind)) return;
  const found = findUnknown(props, PROP_SHAPES[kind], '');
  if (!found) return;
  const suggestion = closestName(found.key, found.allowed, Math.max(2, Math.floor(found.key.length / 3)));
  throw propError({
    scope,
    prop: found.path,
    received: found.value,
    problem: `${kind} has no such prop; it would be ignored`,
    allowed: [...found.allowed].sort().join(', '),
    fix: suggestion
      ? `did you mean '${suggestion}'? Rename '${found.key}' to '${suggestion}'`
      : `remove '${found.key}' (see the props of ${kind} in docs/api)`,
  });
}
