/**
 * Characters that act instead of showing when printed: C0 controls (terminal escapes start with ESC), DEL, C1
 * controls, the Unicode line and paragraph separators, and bidirectional controls (text that reads differently from
 * what it is). Untrusted text from manifests (names, labels, annotations, exemption reasons, file names) goes through
 * `visibleText` before it reaches a terminal, a report or a rendered document.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, without tab, line feed and carriage return (text that may span lines, e.g. XML content). */
const UNSAFE_INLINE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Every way CommonMark, YAML and terminals end a line: CRLF, LF, a lone CR, NEL, LS, PS. */
export const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` on one line with every control character written as an escape (`\n`, `\u001b`), as JSON would show it. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** `text` with its line breaks made spaces and every other control character written as an escape. */
export function oneLine(text: string): string {
  return visibleText(text.replace(LINE_BREAK, ' '));
}

/** `text` with control characters escaped except tab and line breaks (for content that may span lines). */
export function visibleLines(text: string): string {
  return text.replace(UNSAFE_INLINE, escapeChar);
}
