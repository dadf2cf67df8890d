import { type Lang, type SignatureReport, type VerificationReport } from '@kyso/core';
import { formatVietnamTime } from '@kyso/core/appearance';
import { C15, signatureRows, type Circular15View } from './evidence/circular15.js';

/** Times as Vietnamese readers expect them: dd/MM/yyyy HH:mm:ss +07:00. */
const vnTime = (iso: string | null) => (iso ? formatVietnamTime(new Date(iso)) : null);

const L = {
  vi: {
    none: 'Tài liệu không có chữ ký số.',
    sig: 'Chữ ký', ts: 'Dấu thời gian tài liệu', field: 'Trường', signer: 'Người ký', org: 'Cơ quan', uid: 'Định danh',
    issuer: 'Nhà cung cấp', claimed: 'Thời gian ký (khai báo)', stamped: 'Thời gian ký (dấu thời gian)', level: 'Mức',
    coverage: 'Phạm vi', whole: 'toàn bộ tài liệu', revision: 'một phiên bản trước (có thay đổi sau khi ký)', chain: 'Chuỗi chứng thư',
    revocation: 'Thu hồi', modifications: 'Thay đổi sau khi ký', result: 'Kết quả', revisions: 'Số phiên bản', trailing: 'byte chưa được ký ở cuối tệp',
    status: { TOTAL_PASSED: 'HỢP LỆ', TOTAL_FAILED: 'KHÔNG HỢP LỆ', INDETERMINATE: 'CHƯA XÁC ĐỊNH' },
    verdict: { none: 'không có', allowed: 'được phép', disallowed: 'KHÔNG được phép' },
    chainStatus: { trusted: 'tin cậy', untrusted: 'không tin cậy', unknown: 'không xác định' },
    rev: { good: 'chưa bị thu hồi', revoked: 'ĐÃ BỊ THU HỒI', unknown: 'không xác định', 'not-checked': 'không kiểm tra' },
    ltv: 'Kiểm tra dài hạn (LTV)', ltvYes: 'có đủ dữ liệu trong tệp', ltvNo: 'thiếu dữ liệu', tsaExpires: 'chứng thư TSA của dấu thời gian cuối hết hạn',
  },
  en: {
    none: 'The document has no digital signature.',
    sig: 'Signature', ts: 'Document timestamp', field: 'Field', signer: 'Signer', org: 'Organisation', uid: 'Identifier',
    issuer: 'Issuer', claimed: 'Signing time (claimed)', stamped: 'Signing time (timestamp)', level: 'Level',
    coverage: 'Coverage', whole: 'the whole document', revision: 'an earlier revision (changed after signing)', chain: 'Certificate chain',
    revocation: 'Revocation', modifications: 'Changes after signing', result: 'Result', revisions: 'Revisions', trailing: 'unsigned bytes at the end of the file',
    status: { TOTAL_PASSED: 'VALID', TOTAL_FAILED: 'INVALID', INDETERMINATE: 'UNKNOWN' },
    verdict: { none: 'none', allowed: 'allowed', disallowed: 'NOT allowed' },
    chainStatus: { trusted: 'trusted', untrusted: 'untrusted', unknown: 'unknown' },
    rev: { good: 'not revoked', revoked: 'REVOKED', unknown: 'unknown', 'not-checked': 'not checked' },
    ltv: 'Long-term validation (LTV)', ltvYes: 'all data in the file', ltvNo: 'data missing', tsaExpires: 'last timestamp\'s TSA certificate expires',
  },
} as const;

/**
 * The report as text, laid out like a viewer's signature panel. With `view` (built from the same verification's
 * facts), each signature also carries the fields and Annex II lines Circular 15/2025/TT-BKHCN asks for.
 */
export function formatReport(report: VerificationReport, lang: Lang, view?: Circular15View): string {
  const t = L[lang];
  const out: string[] = [];
  if (report.file) out.push(report.file);
  out.push(`${t.revisions}: ${report.revisions}`);
  if (report.signatures.length === 0) {
    out.push(t.none);
    return `${out.join('\n')}\n`;
  }
  report.signatures.forEach((s, i) => {
    out.push('', ...signatureLines(s, i, lang));
    const c = view?.signatures[i];
    if (c) out.push(...circular15Lines(c, lang));
  });
  if (report.unsignedTrailing > 0) out.push('', `! ${report.unsignedTrailing} ${t.trailing}`);
  if (report.ltv) {
    out.push('', `${t.ltv}: ${report.ltv.enabled ? t.ltvYes : `${t.ltvNo} (${report.ltv.missing.length})`}`);
    const expires = report.ltv.lastTimestamp?.tsaExpires ?? null;
    if (expires) out.push(`  ${t.tsaExpires}: ${vnTime(expires)}`);
  }
  return `${out.join('\n')}\n`;
}

function signatureLines(s: SignatureReport, i: number, lang: Lang): string[] {
  const t = L[lang];
  const lines = [`${s.kind === 'signature' ? t.sig : t.ts} #${i + 1}: ${t.status[s.indication]}${s.subIndication ? ` (${s.subIndication})` : ''}`];
  const add = (label: string, value: string | null | undefined) => {
    if (value) lines.push(`  ${label}: ${value}`);
  };
  add(t.field, s.field);
  add(t.signer, s.signer.commonName);
  add(t.org, s.signer.organization);
  add(t.uid, s.signer.uid.join(', '));
  add(t.issuer, s.signer.issuer);
  add(t.claimed, vnTime(s.signingTime.claimed));
  add(t.stamped, vnTime(s.signingTime.timestamp));
  add(t.level, s.level);
  add(t.coverage, s.coversWholeFile ? t.whole : t.revision);
  add(t.chain, `${t.chainStatus[s.chain.status]}${s.chain.anchor ? ` → ${s.chain.anchor}` : ''}`);
  add(t.revocation, t.rev[s.revocation.status]);
  add(t.modifications, t.verdict[s.modifications.verdict]);
  for (const c of s.modifications.changes.filter((c) => !c.allowed)) lines.push(`    - ${c.label[lang]}`);
  for (const m of s.messages) lines.push(`  • ${m[lang]}`);
  return lines;
}

/** Circular 15's fields and one line per Annex II criterion: `    - <criterion>: đạt|không đạt|chưa xác định (detail)`. */
function circular15Lines(c: Circular15View['signatures'][number], lang: Lang): string[] {
  const t = C15[lang];
  const { fields, criteria } = signatureRows(c, lang);
  return [
    `  ${t.title}:`,
    ...fields.map(([label, value]) => `    ${label}: ${value}`),
    `    ${t.annex}:`,
    ...criteria.map(([label, result, detail]) => `    - ${label}: ${result}${detail ? ` (${detail})` : ''}`),
  ];
}
