import fc from 'fast-check';
import {
  hasVisibleText,
  MAX_REASON_LENGTH,
  reasonProblem,
  VISIBLE_CHARACTER_PATTERN,
  VISIBLE_CHARACTER_RE2_PATTERN,
} from '../../lib/policy/exemption-reason';
import { BLANK_SYMBOLS, INVISIBLE_CLASSES } from '../../scripts/gen-invisible-ranges';

const NO_VISIBLE = 'the reason has no visible text (only whitespace, control or format characters)';
const UNASSIGNED = /^\p{Cn}$/u;
const char = (c: number) => String.fromCodePoint(c);
const invisibleByUnicode = (c: number) =>
  BLANK_SYMBOLS.includes(c) || (c >= 0xd800 && c <= 0xdfff) || INVISIBLE_CLASSES.test(String.fromCharCode(c));

/** Every code point of `ranges` (inclusive pairs). */
const expand = (ranges: ReadonlyArray<readonly [number, number]>) =>
  ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));

/** Every BMP code point the Unicode data of this Node.js puts in the invisible classes. */
const INVISIBLE_BMP_POINTS = Array.from({ length: 0x10000 }, (_, c) => c).filter(invisibleByUnicode);
/** Beyond the BMP: tag characters, variation selectors supplement, musical format controls, combining marks. */
const INVISIBLE_ASTRAL = expand([
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
  [0x1d173, 0x1d17a],
  [0x1d167, 0x1d169],
  [0x10a01, 0x10a03],
  [0x1bca0, 0x1bca3],
]);
/** Visible: letters, digits, punctuation and symbols of several scripts (no filler among them). */
const VISIBLE = fc.constantFrom(
  ...'aZ09.!~é日本語Джאבالعربيةहिन्दी한글ก€✓'.replace(/[\u0300-\u036f\u093f-\u094d]/g, ''),
);

describe('exemption reasons: visible text (lib/policy/exemption-reason.ts)', () => {
  it('refuses, one by one, the format and blank characters an adversarial review found counted as visible', () => {
    const found = [
      ...expand([
        [0x0600, 0x0605],
        [0x0890, 0x0891],
        [0x2060, 0x2064],
        [0xfe00, 0xfe0f],
        [0xe0000, 0xe007f],
      ]),
      0x06dd,
      0x070f,
      0x08e2,
      0x180e,
      0x3164,
      0x115f,
      0x1160,
      0xffa0,
      0x2800,
      0x200b,
      0xfeff,
      0x00ad,
      0x034f,
      0x0301,
    ];
    const counted = found.filter((c) => reasonProblem(`${char(c)}${char(c)} ${char(c)}`) !== NO_VISIBLE);
    expect(counted.map((c) => `U+${c.toString(16).toUpperCase()}`)).toEqual([]);
    expect(found.length).toBe(6 + 2 + 5 + 16 + 128 + 14);
  });

  it('on the whole BMP, a single character is visible exactly when Unicode puts it in none of the invisible classes', () => {
    // The generated list may know a newer Unicode than this Node.js: a code point it calls invisible that this Node.js
    // puts in no class must be one this Node.js does not know (unassigned). A character this Node.js calls invisible
    // and the list does not means the list is older: run npx tsx scripts/gen-invisible-ranges.ts.
    const disagree: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const visible = hasVisibleText(String.fromCharCode(c));
      if (visible === invisibleByUnicode(c) && (visible || !UNASSIGNED.test(String.fromCharCode(c)))) {
        disagree.push(`U+${c.toString(16).padStart(4, '0')} ${visible ? 'visible' : 'invisible'}`);
      }
    }
    expect(disagree).toEqual([]);
    expect(INVISIBLE_BMP_POINTS.length).toBeGreaterThan(2000);
  });

  it('property: any mix of invisible characters (BMP classes and astral ones) is refused, with one visible character it passes', () => {
    const invisible = fc.oneof(
      fc.constantFrom(...INVISIBLE_BMP_POINTS.filter((c) => c < 0xd800 || c > 0xdfff)),
      fc.constantFrom(...INVISIBLE_ASTRAL),
      fc.constantFrom(0x1f525, 0x1f600, 0x20000),
    );
    fc.assert(
      fc.property(fc.array(invisible, { minLength: 1, maxLength: 12 }), VISIBLE, fc.nat(), (points, visible, at) => {
        const text = String.fromCodePoint(...points);
        expect(hasVisibleText(text)).toBe(false);
        expect(reasonProblem(text)).toBe(NO_VISIBLE);
        const i = at % (points.length + 1);
        const withVisible =
          String.fromCodePoint(...points.slice(0, i)) + visible + String.fromCodePoint(...points.slice(i));
        expect(reasonProblem(withVisible)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('a combining mark on a visible base is visible text; marks alone are not', () => {
    expect(reasonProblem('e\u0301')).toBeUndefined();
    expect(reasonProblem('\u0301\u0308\u20dd')).toBe(NO_VISIBLE);
    expect(reasonProblem('')).toBe('the reason is empty');
    expect(reasonProblem(7)).toBe('a reason must be a string');
    expect(reasonProblem('x'.repeat(MAX_REASON_LENGTH + 1))).toBe(
      `the reason is ${MAX_REASON_LENGTH + 1} characters long; at most ${MAX_REASON_LENGTH} are allowed`,
    );
  });

  it('the patterns given to CEL (JavaScript syntax) and to the CRD (RE2 syntax) match the same characters', () => {
    // RE2's \x{hh} is JavaScript's \u{hh} under the u flag; both classes must select the same BMP code points.
    const re2AsJs = new RegExp(`^${VISIBLE_CHARACTER_RE2_PATTERN.replace(/\\x\{([0-9a-f]+)\}/g, '\\u{$1}')}$`, 'u');
    const js = new RegExp(`^${VISIBLE_CHARACTER_PATTERN}$`);
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (js.test(String.fromCharCode(c)) !== re2AsJs.test(String.fromCharCode(c))) differ.push(c);
    }
    expect(differ).toEqual([]);
  });
});
