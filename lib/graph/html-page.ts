import { escapeXml } from './escape-xml';

/** Styles of bulwark's HTML pages, inline so that a page is one file that renders offline. */
const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #111827; background: #ffffff; }
main { max-width: 1400px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #e5e7eb; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lead { color: #4b5563; margin: 0 0 16px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 12.5px; }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid #e5e7eb; }
th { background: #f8fafc; font-weight: 600; color: #374151; white-space: nowrap; }
table.fixed { table-layout: fixed; }
table.fixed col.object { width: 26%; }
table.fixed col.rule { width: 22%; }
table.fixed col.source { width: 24%; }
td { overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #d1d5db; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 16px; min-width: 130px; background: #f9fafb; }
.card .value { font-size: 24px; font-weight: 700; }
.card .label { color: #4b5563; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card.bad { border-color: #fca5a5; background: #fef2f2; }
.card.warn { border-color: #fcd34d; background: #fffbeb; }
.card.good { border-color: #86efac; background: #f0fdf4; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 20px; }
.badge.error { background: #fee2e2; color: #991b1b; }
.badge.warning { background: #fef3c7; color: #92400e; }
.badge.exempted { background: #e0e7ff; color: #3730a3; }
.badge.ok { background: #dcfce7; color: #166534; }
.badge.open { background: #fee2e2; color: #991b1b; }
.muted { color: #6b7280; }
.graph { overflow-x: auto; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; background: #ffffff; }
.graph svg { display: block; max-width: none; height: auto; } /* natural size: text stays readable, the frame scrolls */
ul.reasons { margin: 0; padding-left: 18px; }
details { margin: 4px 0 12px; }
summary { cursor: pointer; color: #374151; }
footer { margin-top: 40px; color: #6b7280; font-size: 12px; }
`;

/** A complete, self-contained HTML page: no scripts, no external styles, fonts or images. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
