/**
 * A reader of Falco rule conditions, as far as a test needs: which fields (with their argument), macros and lists a
 * condition or output names. It follows libsinsp's filter grammar (userspace/libsinsp/filter/parser.h: `and`, `or`,
 * `not`, parentheses, a check `field[arg] op value`, a unary `exists`, list values `(a, b, "c")`, transformers such
 * as `tolower(field)`, and bare identifiers, which are macros). It is checked against Falco's own default rules
 * (falco_rules.yaml 5.1.0) in falco-rules.test.ts: every field they name is one the field list knows.
 */

export interface ConditionRefs {
  /** Field names as written, with their argument: `k8s.pod.label[app]`, `evt.arg.res`, `fd.name`. */
  readonly fields: string[];
  readonly macros: string[];
  /** Identifiers among the values of `in`, `intersects` or `pmatch`: a list, or a bare literal. */
  readonly listCandidates: string[];
}

const BINARY_OPS = new Set([
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
  'regex',
]);
const LIST_OPS = new Set(['in', 'intersects', 'pmatch']);
const TRANSFORMERS = new Set(['tolower', 'toupper', 'b64', 'basename', 'len', 'val']);

type Token = { kind: 'word' | 'string' | 'punct' | 'op'; text: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new Error(`unterminated string at ${i}: ${text}`);
      out.push({ kind: 'string', text: text.slice(i + 1, j) });
      i = j + 1;
    } else if (/[=!<>]/.test(c)) {
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>='].includes(two) ? two : c;
      out.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      let j = i;
      while (j < text.length && !/[\s(),=!<>"']/.test(text[j])) {
        if (text[j] === '[') {
          const end = text.indexOf(']', j);
          if (end < 0) throw new Error(`unterminated [ at ${j}: ${text}`);
          j = end + 1;
        } else j++;
      }
      out.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** The fields, macros and list candidates a condition names; throws on what libsinsp's parser would refuse. */
export function conditionRefs(condition: string): ConditionRefs {
  const tokens = tokenize(condition);
  let p = 0;
  const refs = { fields: [] as string[], macros: [] as string[], listCandidates: [] as string[] };
  const peek = () => tokens[p];
  const next = () => {
    const t = tokens[p++];
    if (!t) throw new Error(`unexpected end of condition: ${condition}`);
    return t;
  };
  const expect = (text: string) => {
    const t = next();
    if (t.text !== text) throw new Error(`expected '${text}', got '${t.text}' in: ${condition}`);
  };
  const isOp = (t: Token | undefined) =>
    t !== undefined && (t.kind === 'op' || (t.kind === 'word' && (BINARY_OPS.has(t.text) || LIST_OPS.has(t.text))));

  /** A field operand: `field`, `field[arg]`, or a transformer `tolower(field)`. */
  const operand = (t: Token) => {
    if (TRANSFORMERS.has(t.text) && peek()?.text === '(') {
      expect('(');
      operand(next());
      expect(')');
      return;
    }
    if (t.kind !== 'word' || !t.text.includes('.')) throw new Error(`expected a field, got '${t.text}': ${condition}`);
    refs.fields.push(t.text);
  };
  const value = () => {
    const t = next();
    if (t.kind === 'word' && TRANSFORMERS.has(t.text) && peek()?.text === '(') operand(t);
    else if (t.kind === 'punct') throw new Error(`expected a value, got '${t.text}': ${condition}`);
  };
  const listValue = () => {
    const t = next();
    if (t.text !== '(') {
      // A list name without parentheses is not Falco syntax; a single literal is not either.
      throw new Error(`expected '(' after a list operator, got '${t.text}': ${condition}`);
    }
    while (peek()?.text !== ')') {
      const item = next();
      if (item.kind === 'word') refs.listCandidates.push(item.text);
      else if (item.kind !== 'string') throw new Error(`unexpected '${item.text}' in a list: ${condition}`);
      if (peek()?.text === ',') next();
    }
    expect(')');
  };
  const primary = (): void => {
    const t = next();
    if (t.text === '(') {
      orExpr();
      expect(')');
      return;
    }
    if (t.text === 'not') return primary();
    const after = peek();
    if (after?.kind === 'word' && after.text === 'exists') {
      operand(t);
      next();
      return;
    }
    if (isOp(after) || (TRANSFORMERS.has(t.text) && after?.text === '(')) {
      operand(t);
      const op = next();
      if (!isOp(op)) throw new Error(`expected an operator, got '${op.text}': ${condition}`);
      if (LIST_OPS.has(op.text)) listValue();
      else value();
      return;
    }
    if (t.kind !== 'word' || t.text.includes('.') || /^\d/.test(t.text)) {
      throw new Error(`'${t.text}' is neither a macro nor a check: ${condition}`);
    }
    refs.macros.push(t.text);
  };
  const andExpr = () => {
    primary();
    while (peek()?.text === 'and') {
      next();
      primary();
    }
  };
  const orExpr = () => {
    andExpr();
    while (peek()?.text === 'or') {
      next();
      andExpr();
    }
  };
  orExpr();
  if (p !== tokens.length) throw new Error(`unexpected '${tokens[p].text}': ${condition}`);
  return refs;
}

/** The `%field` references of a rule's output. */
export function outputFields(output: string): string[] {
  return [...output.matchAll(/%([a-z0-9_]+\.[a-z0-9_.]+(?:\[[^\]]+\])?)/g)].map((m) => m[1]);
}

export interface FalcoField {
  readonly name: string;
  readonly arg: 'none' | 'allowed' | 'required';
  readonly deprecated: boolean;
}

/**
 * The known field a reference names, or undefined: `name` itself, `name[arg]`, or, for a field with an argument,
 * `name.arg` (libsinsp's dotted form, `evt.arg.res`, `k8s.pod.label.app`). The longest known prefix wins.
 */
export function resolveField(ref: string, fields: ReadonlyMap<string, FalcoField>): FalcoField | undefined {
  const bracket = ref.indexOf('[');
  if (bracket >= 0) {
    const f = fields.get(ref.slice(0, bracket));
    return f && f.arg !== 'none' ? f : undefined;
  }
  const exact = fields.get(ref);
  if (exact) return exact.arg === 'required' ? undefined : exact;
  const parts = ref.split('.');
  for (let n = parts.length - 1; n >= 2; n--) {
    const f = fields.get(parts.slice(0, n).join('.'));
    if (f && f.arg !== 'none') return f;
  }
  return undefined;
}
