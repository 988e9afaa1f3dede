const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value safe to put in XML, SVG and HTML: `& < > " '` as character references. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => REFERENCES[c]);
}
