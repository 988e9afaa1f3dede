/**
 * What counts as a reason, for an exemption request (the `exempt.bulwark.dev/<rule>` annotation, a construct's
 * `exemptions`) and for a grant. One definition for the three enforcement points: constructs and `bulwark audit` use
 * `reasonProblem`; the admission policies and the grant CRD use `VISIBLE_CHARACTER_PATTERN` in CEL.
 *
 * A reason must hold at least one visible character: a character of the Basic Multilingual Plane that is not
 * whitespace, a control or format character (U+200B ZERO WIDTH SPACE, bidi controls, U+FEFF, ...), a variation
 * selector or a blank filler (U+3164 HANGUL FILLER, U+2800 BRAILLE PATTERN BLANK, ...). Characters beyond the BMP
 * (emoji, tag characters U+E0020-U+E007F, which render as nothing) may appear but never count as the visible part.
 * Defined as an explicit list of BMP ranges rather than Unicode property classes so that RE2 (Kubernetes) and the
 * JavaScript engine read the pattern alike, with or without the `u` flag.
 */

/** Longest reason accepted, in Unicode code points (CEL `size()` counts code points too). */
export const MAX_REASON_LENGTH = 500;

/** Invisible code points of the BMP, as inclusive ranges. */
const INVISIBLE_BMP: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x0020], // C0 controls (tab, line ends) and space
  [0x007f, 0x00a0], // DEL, C1 controls (NEL), no-break space
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x061c, 0x061c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul choseong/jungseong fillers
  [0x1680, 0x1680], // Ogham space mark
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors and vowel separator
  [0x2000, 0x200f], // spaces, zero width space/non-joiner/joiner, LRM, RLM
  [0x2028, 0x202f], // line/paragraph separators, bidi embeddings and overrides, narrow no-break space
  [0x205f, 0x206f], // medium math space, word joiner, invisible operators, bidi isolates, deprecated format chars
  [0x2800, 0x2800], // braille pattern blank
  [0x3000, 0x3000], // ideographic space
  [0x3164, 0x3164], // Hangul filler
  [0xd800, 0xdfff], // surrogates: never a character of their own (characters beyond the BMP never count)
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // zero width no-break space (BOM)
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfffb], // unassigned specials, interlinear annotation controls
];

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

/** Visible code points of the BMP, as inclusive ranges (the complement of the list above). */
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
