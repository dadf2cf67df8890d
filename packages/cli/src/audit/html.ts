import { createHash } from 'node:crypto';
import { type Lang } from '@kyso/core';
import { formatVietnamTime } from '@kyso/core/appearance';
import { UNKNOWN_KEY, type AuditCount, type AuditResult, type AuditRow, type AuditSignature } from './model.js';

const L = {
  vi: {
    title: 'Báo cáo kiểm tra chữ ký số', folder: 'Thư mục', at: 'Thời điểm kiểm tra',
    documents: 'Số tài liệu', signed: 'Có chữ ký số', fullyValid: 'Hợp lệ hoàn toàn', rate: 'Tỷ lệ tài liệu có chữ ký số', unreadable: 'Không đọc được',
    byOrg: 'Tài liệu đã ký theo cơ quan', byMonth: 'Tài liệu đã ký theo tháng', files: 'Danh sách tệp',
    path: 'Tệp', count: 'Số chữ ký', signers: 'Người ký', orgs: 'Cơ quan', results: 'Kết quả', mods: 'Thay đổi sau khi ký',
    times: 'Thời gian ký', error: 'Lỗi', yes: 'có', no: 'không', unknown: 'không rõ', valid: 'hợp lệ', none: 'Không có tài liệu đã ký.',
    ts: 'dấu thời gian tài liệu',
    status: { TOTAL_PASSED: 'HỢP LỆ', TOTAL_FAILED: 'KHÔNG HỢP LỆ', INDETERMINATE: 'CHƯA XÁC ĐỊNH' },
    verdict: { none: 'không có', allowed: 'được phép', disallowed: 'KHÔNG được phép' },
  },
  en: {
    title: 'Digital signature audit', folder: 'Folder', at: 'Validation time',
    documents: 'Documents', signed: 'Digitally signed', fullyValid: 'Fully valid', rate: 'Signed-document rate', unreadable: 'Unreadable',
    byOrg: 'Signed documents by organisation', byMonth: 'Signed documents by month', files: 'Files',
    path: 'File', count: 'Signatures', signers: 'Signers', orgs: 'Organisations', results: 'Results', mods: 'Changes after signing',
    times: 'Signing times', error: 'Error', yes: 'yes', no: 'no', unknown: 'unknown', valid: 'valid', none: 'No signed documents.',
    ts: 'document timestamp',
    status: { TOTAL_PASSED: 'VALID', TOTAL_FAILED: 'INVALID', INDETERMINATE: 'UNKNOWN' },
    verdict: { none: 'none', allowed: 'allowed', disallowed: 'NOT allowed' },
  },
} as const;

/** Escapes text for HTML and SVG element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// The only style of the page. A Content-Security-Policy naming its hash lets the file be opened under a
// policy without 'unsafe-inline'; the charts also carry their colours as SVG presentation attributes,
// so they stay readable where a stricter outer policy drops the style element.
const STYLE = `body{font:15px/1.45 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right}.ok{color:#1a7f37}.bad{color:#cf222e}.unk{color:#9a6700}
svg{max-width:100%;height:auto}`;
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src data:`;

/** A horizontal bar chart: one bar per key (all documents), its fully valid part drawn over it. */
function barChart(title: string, counts: readonly AuditCount[], lang: Lang, keyLabel: (key: string) => string): string {
  const t = L[lang];
  if (counts.length === 0) return `<p>${escapeHtml(t.none)}</p>`;
  const rowH = 26;
  const labelW = 300;
  const barW = 360;
  const width = labelW + barW + 140;
  const height = counts.length * rowH + 8;
  const max = Math.max(...counts.map((c) => c.documents));
  const bars = counts.map((c, i) => {
    const y = 4 + i * rowH;
    const full = Math.max(1, Math.round((c.documents / max) * barW));
    const valid = Math.round((c.fullyValid / max) * barW);
    const label = keyLabel(c.key);
    const shown = label.length > 42 ? `${label.slice(0, 41)}…` : label;
    return `<g><title>${escapeHtml(`${label}: ${c.documents} (${c.fullyValid} ${t.valid})`)}</title>`
      + `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end" font-size="13" fill="#1b1f24">${escapeHtml(shown)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${full}" height="${rowH - 8}" fill="#afb8c1"/>`
      + (valid > 0 ? `<rect x="${labelW}" y="${y + 3}" width="${valid}" height="${rowH - 8}" fill="#2da44e"/>` : '')
      + `<text x="${labelW + full + 6}" y="${y + 17}" font-size="13" fill="#1b1f24">${c.documents} (${c.fullyValid} ${escapeHtml(t.valid)})</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<title>${escapeHtml(title)}</title>${bars.join('')}</svg>`;
}

const vnTime = (iso: string | null) => (iso ? formatVietnamTime(new Date(iso)) : '');

function resultCell(s: AuditSignature, lang: Lang): string {
  const t = L[lang];
  const cls = s.indication === 'TOTAL_PASSED' ? 'ok' : s.indication === 'TOTAL_FAILED' ? 'bad' : 'unk';
  const what = s.kind === 'document-timestamp' ? ` (${t.ts})` : '';
  return `<span class="${cls}">${escapeHtml(t.status[s.indication])}${s.subIndication ? ` ${escapeHtml(s.subIndication)}` : ''}</span>${escapeHtml(what)}`;
}

function fileRow(row: AuditRow, lang: Lang): string {
  const t = L[lang];
  const s = row.signatures;
  const lines = (values: readonly string[]) => values.map(escapeHtml).join('<br>');
  return `<tr><td>${escapeHtml(row.path)}</td><td>${row.signed ? t.yes : t.no}</td><td class="n">${s.length}</td>`
    + `<td>${lines(s.map((x) => x.signer ?? ''))}</td><td>${lines(s.map((x) => x.organization ?? ''))}</td>`
    + `<td>${s.map((x) => resultCell(x, lang)).join('<br>')}</td><td>${lines(s.map((x) => t.verdict[x.modifications]))}</td>`
    + `<td>${lines(s.map((x) => vnTime(x.signingTime)))}</td><td>${row.error ? `<span class="bad">${escapeHtml(row.error)}</span>` : ''}</td></tr>`;
}

/**
 * The audit as one self-contained HTML page: no script, no external asset,
 * inline SVG bar charts; every text from the documents is escaped.
 */
export function auditHtml(result: AuditResult, lang: Lang, folder: string): string {
  const t = L[lang];
  const { rows, summary } = result;
  const unknown = (key: string) => (key === UNKNOWN_KEY ? t.unknown : key);
  const stat = (label: string, value: string) => `<tr><th scope="row">${escapeHtml(label)}</th><td class="n">${escapeHtml(value)}</td></tr>`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(t.title)}</h1>
<table>
${stat(t.folder, folder)}
${stat(t.at, vnTime(summary.validationTime))}
${stat(t.documents, String(summary.documents))}
${stat(t.signed, String(summary.signed))}
${stat(t.fullyValid, String(summary.fullyValid))}
${stat(t.rate, `${(summary.signedRate * 100).toFixed(1)} %`)}
${stat(t.unreadable, String(summary.unreadable))}
</table>
<h2>${escapeHtml(t.byOrg)}</h2>
${barChart(t.byOrg, summary.byOrganization, lang, unknown)}
<h2>${escapeHtml(t.byMonth)}</h2>
${barChart(t.byMonth, summary.byMonth, lang, unknown)}
<h2>${escapeHtml(t.files)}</h2>
<table>
<thead><tr><th>${t.path}</th><th>${t.signed}</th><th>${t.count}</th><th>${t.signers}</th><th>${t.orgs}</th><th>${t.results}</th><th>${t.mods}</th><th>${t.times}</th><th>${t.error}</th></tr></thead>
<tbody>
${rows.map((r) => fileRow(r, lang)).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
