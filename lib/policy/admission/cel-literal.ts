/**
 * CEL literals built from TypeScript values. Every string that ends up inside an expression goes through here, so
 * that quoting is right whatever the value holds. Output is printable ASCII: anything else is written as a CEL escape,
 * so that no invisible character hides in the generated YAML.
 */

/** A single-quoted CEL string literal. */
export function celString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}'`;
}

/** A CEL list of string literals, e.g. `['a', 'b']`. */
export function celStringList(values: readonly string[]): string {
  return `[${values.map(celString).join(', ')}]`;
}

/**
 * Whitespace as JavaScript's String.prototype.trim sees it (WhiteSpace and LineTerminator of ECMA-262), as the body
 * of a regular-expression character class that RE2 (Kubernetes) and JavaScript (the tests) read alike.
 */
export const JS_WHITESPACE_CLASS_BODY = ' \t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
