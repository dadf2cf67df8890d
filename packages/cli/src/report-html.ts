import { type Lang, type VerificationReport } from '@kyso/core';
import { formatVietnamTime } from '@kyso/core/appearance';
import { C15, signatureRows, type Circular15View, type CriterionResult } from './evidence/circular15.js';

/**
 * The verification report as one printable HTML page (Circular 15/2025/TT-BKHCN fields and Annex II lines),
 * for a receiving clerk to print or keep with the document (Decree 30/2020 Art. 21.2).
 *
 * Self-contained and inert: inline CSS only, no script, no external resource, and a Content-Security-Policy
 * that forbids them, so a kept copy renders the same offline and a hostile name in a certificate cannot run
 * anything. Every value from the document or its certificates is HTML-escaped.
 */
export function formatReportHtml(report: VerificationReport, view: Circular15View, lang: Lang): string {
  const t = C15[lang];
  const sections = view.signatures.map((s) => {
    const { fields, criteria } = signatureRows(s, lang);
    const heading = `${s.kind === 'signature' ? t.sig : t.ts} #${s.index + 1}: ${t.indication[s.indication]}${s.subIndication ? ` (${s.subIndication})` : ''}`;
    return `<section class="sig ${cls(s.indication === 'TOTAL_PASSED' ? 'passed' : s.indication === 'TOTAL_FAILED' ? 'failed' : 'unknown')}">
<h2>${esc(heading)}</h2>
<table class="fields"><tbody>
${fields.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n')}
</tbody></table>
<h3>${esc(t.annex)}</h3>
<table class="criteria"><tbody>
${criteria.map(([k, v, detail, r]) => `<tr class="${cls(r)}"><th scope="row">${esc(k)}</th><td class="result">${esc(v)}</td><td>${esc(detail ?? '')}</td></tr>`).join('\n')}
</tbody></table>
</section>`;
  });
  const none = report.signatures.length === 0 ? `<p>${esc(lang === 'vi' ? 'Tài liệu không có chữ ký số.' : 'The document has no digital signature.')}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(t.title)}</title>
<style>
body{font-family:"Times New Roman",serif;font-size:13pt;margin:2cm;color:#000}
h1{font-size:16pt;text-align:center}h2{font-size:14pt;margin-top:1.2em}h3{font-size:13pt}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #444;padding:3px 6px;text-align:left;vertical-align:top}
th{width:40%;font-weight:normal}td.result{width:15%;font-weight:bold}
tr.failed td.result{color:#a00}tr.unknown td.result{color:#750}tr.passed td.result{color:#060}
section.sig{page-break-inside:avoid}@media print{body{margin:1cm}}
</style>
</head>
<body>
<h1>${esc(t.title)}</h1>
<p>${esc(t.file)}: ${esc(report.file ?? '')}<br>${esc(t.checkedAt)}: ${esc(formatVietnamTime(new Date(view.validationTime)))}</p>
${none}${sections.join('\n')}
</body>
</html>
`;
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function cls(r: CriterionResult): string {
  return r;
}
