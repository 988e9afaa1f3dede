import { INVISIBLE_BMP } from './invisible-code-points';

/**
 * What counts as a reason, for an exemption request (the `exempt.bulwark.dev/<rule>` annotation, a construct's
 * `exemptions`) and for a grant. One definition for the three enforcement points: constructs and `bulwark audit` use
 * `reasonProblem`; the admission policies and the grant CRD use `VISIBLE_CHARACTER_PATTERN` in CEL.
 *
 * A reason must hold at least one visible character: a character of the Basic Multilingual Plane that is not a
 * control (Cc), format character (Cf: U+200B ZERO WIDTH SPACE, bidi controls, U+0600-U+0605 Arabic number signs,
 * U+FEFF, ...), space or separator (Zs, Zl, Zp), nonspacing or enclosing mark (Mn, Me: a reason made only of
 * combining marks shows nothing of its own), surrogate, default-ignorable code point (U+180E, variation selectors,
 * U+3164 HANGUL FILLER, U+FFA0, ...) or U+2800 BRAILLE PATTERN BLANK. Characters beyond the BMP (emoji, tag
 * characters U+E0000-U+E007F, which render as nothing) may appear but never count as the visible part. Defined as an
 * explicit list of BMP ranges (lib/policy/invisible-code-points.ts, generated from the Unicode data by
 * scripts/gen-invisible-ranges.ts) rather than Unicode property classes, so that RE2 (Kubernetes) and the JavaScript
 * engine read the pattern alike, with or without the `u` flag, whatever Unicode version each of them knows.
 */

/** Longest reason accepted, in Unicode code points (CEL `size()` counts code points too). */
export const MAX_REASON_LENGTH = 500;

function visibleRanges(): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  let next = 0;
  for (const [from, to] of INVISIBLE_BMP) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

/** Visible code points of the BMP, as inclusive ranges (the complement of INVISIBLE_BMP). */
export const VISIBLE_BMP_RANGES: ReadonlyArray<readonly [number, number]> = visibleRanges();

/**
 * A regular-expression character class matching one visible character, made of literal characters (every range
 * starts and ends on a letter or sign, never on `]`, `\\`, `^` or `-`). Put into CEL with celString, whose `\\uXXXX`
 * escapes CEL decodes, RE2 receives the same literal characters as JavaScript does here.
 */
export const VISIBLE_CHARACTER_PATTERN = `[${VISIBLE_BMP_RANGES.map(([a, b]) =>
  a === b ? String.fromCharCode(a) : `${String.fromCharCode(a)}-${String.fromCharCode(b)}`,
).join('')}]`;

/** The same class in RE2 syntax (`\\x{a1}`), for OpenAPI `pattern`s, which the API server reads with Go's regexp. */
export const VISIBLE_CHARACTER_RE2_PATTERN = `[${VISIBLE_BMP_RANGES.map(([a, b]) => {
  const hex = (c: number) =>
    c >= 0x21 && c <= 0x7e && /[0-9A-Za-z!#%&',/:;<=>@_`~"]/.test(String.fromCharCode(c))
      ? String.fromCharCode(c)
      : `\\x{${c.toString(16)}}`;
  return a === b ? hex(a) : `${hex(a)}-${hex(b)}`;
}).join('')}]`;

const VISIBLE = new RegExp(VISIBLE_CHARACTER_PATTERN);

/** True when the text holds at least one visible character. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}

/** Number of code points. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Why a reason is not acceptable, or undefined when it is. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return 'a reason must be a string';
  if (!hasVisibleText(reason)) {
    return reason === ''
      ? 'the reason is empty'
      : 'the reason has no visible text (only whitespace, control or format characters)';
  }
  const length = codePointLength(reason);
  if (length > MAX_REASON_LENGTH) {
    return `the reason is ${length} characters long; at most ${MAX_REASON_LENGTH} are allowed`;
  }
  return undefined;
}
