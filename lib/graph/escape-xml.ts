import { visibleLines } from '../util/visible-text';

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text or attribute value safe to put in XML, SVG and HTML: `& < > " '` as character references, and the control
 * characters XML 1.0 forbids (and bidirectional controls) written as visible escapes, so the document stays
 * well-formed and reads as what it holds.
 */
export function escapeXml(text: string): string {
  return visibleLines(text).replace(/[&<>"']/g, (c) => REFERENCES[c]);
}
