import { type Lang, type SignatureFacts, type SignatureReport, type VerificationFacts, type VerificationReport } from '@kyso/core';
import { formatVietnamTime } from '@kyso/core/appearance';

/**
 * What Circular 15/2025/TT-BKHCN asks a verifier to show, derived from the verification facts and the judged
 * report (docs/decisions/0025). Art. 6 (draft §2.4): the result in Vietnamese with at least the issuing
 * organisation, the signer, the signing time or timestamp, integrity and validity at signing time; Annex II:
 * one result per mandatory criterion.
 *
 * A criterion is "passed" only when a fact shows it; a check that was skipped or could not be made (no
 * certificate found, no revocation data, revocation off) stays "unknown", never "passed".
 */
export type CriterionResult = 'passed' | 'failed' | 'unknown';

/** The Annex II mandatory criteria, in the Circular's order. */
export const ANNEX_II = ['validity', 'status', 'algorithms', 'purpose', 'identity', 'key', 'integrity'] as const;
export type AnnexIICriterion = (typeof ANNEX_II)[number];

export interface Circular15Signature {
  readonly index: number;
  readonly kind: SignatureReport['kind'];
  readonly indication: SignatureReport['indication'];
  readonly subIndication: SignatureReport['subIndication'];
  /** Organisation (O) of the issuing CA, else its whole name. */
  readonly issuingOrganisation: string | null;
  readonly signer: string | null;
  readonly signerOrganisation: string | null;
  /** The certificate's UID values, e.g. `CCCD:001085012345`, `MST:0400101556`. */
  readonly identifiers: readonly string[];
  readonly signingTime: { readonly time: string | null; readonly proven: boolean };
  /** When the status was checked (the validation time). */
  readonly checkedAt: string;
  /** Where each status came from and when that data was produced, one per certificate of the path. */
  readonly status: readonly { readonly subject: string; readonly source: string; readonly producedAt: string | null; readonly status: string }[];
  readonly criteria: readonly { readonly id: AnnexIICriterion; readonly result: CriterionResult; readonly detail: string | null }[];
}

export interface Circular15View {
  readonly file: string | null;
  readonly validationTime: string;
  readonly signatures: readonly Circular15Signature[];
}

const RSA_MIN = 2048;
const EC_MIN = 256;

/** Builds the view; `facts` and `report` must come from the same verification (same signature order). */
export function circular15View(facts: VerificationFacts, report: VerificationReport): Circular15View {
  return {
    file: report.file,
    validationTime: report.validationTime,
    signatures: report.signatures.map((r, i) => signatureView(facts.signatures[i]!, r, i, report.validationTime)),
  };
}

function signatureView(f: SignatureFacts, r: SignatureReport, index: number, checkedAt: string): Circular15Signature {
  const cert = f.cms.signerIndex === null ? null : f.certificates[f.cms.signerIndex] ?? null;
  const time = r.signingTime.timestamp ?? r.signingTime.claimed;
  return {
    index,
    kind: r.kind,
    indication: r.indication,
    subIndication: r.subIndication,
    issuingOrganisation: cert ? rdn(cert.issuer, 'O') ?? cert.issuer : null,
    signer: r.signer.commonName,
    signerOrganisation: r.signer.organization,
    identifiers: r.signer.uid,
    signingTime: { time, proven: r.signingTime.timestamp !== null },
    checkedAt,
    status: f.revocation.entries.map((e) => ({
      subject: f.certificates[e.certIndex]?.commonName ?? f.certificates[e.certIndex]?.subject ?? '?', source: e.source, producedAt: e.producedAt, status: e.status,
    })),
    criteria: [
      { id: 'validity', ...validity(cert, time, r) },
      { id: 'status', ...status(f, r) },
      { id: 'algorithms', ...algorithms(f, cert, r) },
      { id: 'purpose', ...purpose(f, cert) },
      { id: 'identity', ...identity(f, cert) },
      { id: 'key', ...key(f) },
      { id: 'integrity', ...integrity(f, r) },
    ],
  };
}

type Outcome = { result: CriterionResult; detail: string | null };

/** Annex II: the certificate is within its validity period at the signing time. */
function validity(cert: SignatureFacts['certificates'][number] | null, time: string | null, r: SignatureReport): Outcome {
  if (r.subIndication === 'EXPIRED' || r.subIndication === 'NOT_YET_VALID') return { result: 'failed', detail: r.subIndication };
  if (!cert || !time) return { result: 'unknown', detail: null };
  const detail = `${formatVietnamTime(new Date(cert.notBefore))} – ${formatVietnamTime(new Date(cert.notAfter))}`;
  // Past its end with no proof of existence: the policy could not place the signature inside the period.
  if (r.subIndication === 'OUT_OF_BOUNDS_NO_POE' || r.subIndication === 'OUT_OF_BOUNDS_NOT_REVOKED') return { result: 'unknown', detail };
  const t = Date.parse(time);
  const inside = Date.parse(cert.notBefore) <= t && t <= Date.parse(cert.notAfter);
  return { result: inside ? 'passed' : 'failed', detail };
}

/**
 * Annex II: status "active" at signing time, by the CRL published then or by OCSP. Unchecked or undecided is
 * unknown; so is a revocation when no proof places the signing before it (the policy's REVOKED_NO_POE and
 * REVOKED_CA_NO_POE, ETSI EN 319 102-1 §5.2.6): the certificate may have been active when the signature was made.
 */
function status(f: SignatureFacts, r: SignatureReport): Outcome {
  const s = f.revocation.status;
  // The sources are shown, localised, on the status-source line; details here are keys localised in signatureRows.
  if (s === 'revoked') {
    const noProof = r.subIndication === 'REVOKED_NO_POE' || r.subIndication === 'REVOKED_CA_NO_POE';
    return { result: noProof ? 'unknown' : 'failed', detail: noProof ? 'revoked-no-poe' : 'revoked' };
  }
  return { result: s === 'good' ? 'passed' : 'unknown', detail: s === 'not-checked' ? s : null };
}

/** Annex I/II: RSA ≥ 2048 or ECDSA ≥ 256 bits; SHA-2/SHA-3 (the policy's weak-algorithm findings). */
function algorithms(f: SignatureFacts, cert: SignatureFacts['certificates'][number] | null, r: SignatureReport): Outcome {
  const alg = f.cms.signatureAlgorithm;
  if (!f.cms.parsed || !alg || !cert) return { result: 'unknown', detail: null };
  const detail = `${cert.keyAlgorithm}-${cert.keyBits}, ${alg.scheme}${alg.hash ? ` / ${alg.hash}` : ''}`;
  const rsa = cert.keyAlgorithm === 'RSA';
  const ec = cert.keyAlgorithm === 'EC';
  const shortKey = (rsa && cert.keyBits < RSA_MIN) || (ec && cert.keyBits < EC_MIN);
  if (f.cms.weakAlgorithms.length > 0 || shortKey || r.subIndication === 'CRYPTO_CONSTRAINTS_FAILURE' || r.subIndication === 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE') {
    return { result: 'failed', detail: [detail, ...f.cms.weakAlgorithms.map((w) => (w.kind === 'key' ? `${w.algorithm}-${w.bits}` : w.algorithm))].join('; ') };
  }
  return { result: rsa || ec ? 'passed' : 'unknown', detail };
}

/** Annex II: the certificate is used for its purpose (key usage digitalSignature or nonRepudiation; EKU for a timestamp). */
function purpose(f: SignatureFacts, cert: SignatureFacts['certificates'][number] | null): Outcome {
  if (!cert) return { result: 'unknown', detail: null };
  if (f.chain.problems.some((p) => p.cert === 0 && (p.kind === 'key-usage' || p.kind === 'ext-key-usage'))) {
    return { result: 'failed', detail: (cert.keyUsage ?? []).join(', ') || null };
  }
  if (f.kind === 'document-timestamp') return { result: f.chain.path.length > 0 ? 'passed' : 'unknown', detail: (cert.extKeyUsage ?? []).join(', ') || null };
  if (!cert.keyUsage) return { result: 'unknown', detail: null };
  const ok = cert.keyUsage.includes('digitalSignature') || cert.keyUsage.includes('nonRepudiation');
  return { result: ok ? 'passed' : 'failed', detail: cert.keyUsage.join(', ') };
}

/** Annex II: the signer's identity can be verified, i.e. the certificate chains to a trusted anchor. */
function identity(f: SignatureFacts, cert: SignatureFacts['certificates'][number] | null): Outcome {
  if (!cert) return { result: 'unknown', detail: null };
  if (f.chain.status === 'trusted') return { result: 'passed', detail: f.chain.anchor?.subject ?? null };
  // No path to a trusted anchor proves nothing either way (ETSI EN 319 102-1 §5.2.6: INDETERMINATE).
  return { result: 'unknown', detail: null };
}

/** Annex II: the signature was made with the private key matching the certificate (and the ESS binding names it). */
function key(f: SignatureFacts): Outcome {
  if (f.cms.signingCertificateBinding === 'mismatch') return { result: 'failed', detail: 'ESS signing-certificate' };
  const v = f.cms.signatureValid;
  return { result: v === true ? 'passed' : v === false ? 'failed' : 'unknown', detail: null };
}

/** Annex II: hashes match: the covered bytes hash to the signed digest, the ranges are sound, later changes allowed. */
function integrity(f: SignatureFacts, r: SignatureReport): Outcome {
  if (r.integrity === 'broken' || f.modifications.verdict === 'disallowed') return { result: 'failed', detail: null };
  return { result: r.integrity === 'intact' ? 'passed' : 'unknown', detail: null };
}

/** The value of one attribute in a `CN=…,O=…,C=VN` name (commas inside values escaped as `\,`). */
function rdn(dn: string, attr: string): string | null {
  for (const part of dn.split(/(?<!\\),/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toUpperCase() === attr) return part.slice(eq + 1).trim().replace(/\\,/g, ',');
  }
  return null;
}

/** Labels in both languages: Vietnamese as the Circular requires, English with `--lang en`. */
export const C15 = {
  vi: {
    title: 'Kết quả kiểm tra chữ ký số (Thông tư 15/2025/TT-BKHCN)',
    file: 'Tệp', checkedAt: 'Thời điểm kiểm tra',
    issuingOrganisation: 'Tổ chức cấp chứng thư', signer: 'Người ký', signerOrganisation: 'Cơ quan', identifiers: 'Định danh (CCCD/MST)',
    signingTime: 'Thời gian ký', timestamp: 'Dấu thời gian', integrity: 'Tính toàn vẹn', validAtSigning: 'Hiệu lực tại thời điểm ký',
    statusSource: 'Nguồn và thời điểm kiểm tra trạng thái', annex: 'Tiêu chí Phụ lục II',
    sig: 'Chữ ký', ts: 'Dấu thời gian tài liệu',
    result: { passed: 'đạt', failed: 'không đạt', unknown: 'chưa xác định' },
    indication: { TOTAL_PASSED: 'HỢP LỆ', TOTAL_FAILED: 'KHÔNG HỢP LỆ', INDETERMINATE: 'CHƯA XÁC ĐỊNH' },
    criteria: {
      validity: 'Chứng thư trong thời hạn hiệu lực tại thời điểm ký',
      status: 'Trạng thái chứng thư tại thời điểm ký (CRL hoặc OCSP)',
      algorithms: 'Thuật toán',
      purpose: 'Mục đích, phạm vi sử dụng khóa',
      identity: 'Định danh người ký',
      key: 'Chữ ký được tạo bằng khóa bí mật tương ứng với chứng thư',
      integrity: 'Tính toàn vẹn dữ liệu',
    },
    source: {
      'ocsp-embedded': 'OCSP trong tệp', 'crl-embedded': 'CRL trong tệp', 'ocsp-supplied': 'OCSP được cung cấp',
      'crl-supplied': 'CRL được cung cấp', 'ocsp-online': 'OCSP trực tuyến', 'crl-online': 'CRL trực tuyến', none: 'không có dữ liệu',
    } as Record<string, string>,
    producedAt: 'dữ liệu lập lúc', noStatus: 'không kiểm tra',
    statusDetail: {
      'not-checked': 'không kiểm tra', revoked: 'đã bị thu hồi trước thời điểm ký',
      'revoked-no-poe': 'đã bị thu hồi; không có bằng chứng chữ ký được tạo trước đó',
    },
  },
  en: {
    title: 'Digital signature verification result (Circular 15/2025/TT-BKHCN)',
    file: 'File', checkedAt: 'Checked at',
    issuingOrganisation: 'Issuing organisation', signer: 'Signer', signerOrganisation: 'Organisation', identifiers: 'Identifier (CCCD/MST)',
    signingTime: 'Signing time', timestamp: 'Timestamp', integrity: 'Integrity', validAtSigning: 'Validity at signing time',
    statusSource: 'Status source and time', annex: 'Annex II criteria',
    sig: 'Signature', ts: 'Document timestamp',
    result: { passed: 'passed', failed: 'failed', unknown: 'undetermined' },
    indication: { TOTAL_PASSED: 'VALID', TOTAL_FAILED: 'INVALID', INDETERMINATE: 'UNKNOWN' },
    criteria: {
      validity: 'Certificate within its validity period at signing time',
      status: 'Certificate status at signing time (CRL or OCSP)',
      algorithms: 'Algorithms',
      purpose: 'Key purpose and usage',
      identity: 'Signer identity',
      key: 'Signature made with the certificate\'s matching private key',
      integrity: 'Data integrity',
    },
    source: {
      'ocsp-embedded': 'OCSP in the file', 'crl-embedded': 'CRL in the file', 'ocsp-supplied': 'OCSP supplied',
      'crl-supplied': 'CRL supplied', 'ocsp-online': 'OCSP online', 'crl-online': 'CRL online', none: 'no data',
    } as Record<string, string>,
    producedAt: 'data produced', noStatus: 'not checked',
    statusDetail: {
      'not-checked': 'not checked', revoked: 'revoked before the signing time',
      'revoked-no-poe': 'revoked; no proof that the signature was made before',
    },
  },
} as const;

/** The view as label/value rows, shared by the text and HTML reports so both carry the same fields. */
export function signatureRows(s: Circular15Signature, lang: Lang): { fields: [string, string][]; criteria: [string, string, string | null, CriterionResult][] } {
  const t = C15[lang];
  const time = (iso: string | null) => (iso ? formatVietnamTime(new Date(iso)) : t.result.unknown);
  const integrity = s.criteria.find((c) => c.id === 'integrity')!.result;
  const fields: [string, string][] = [
    [t.issuingOrganisation, s.issuingOrganisation ?? t.result.unknown],
    [t.signer, s.signer ?? t.result.unknown],
  ];
  if (s.signerOrganisation) fields.push([t.signerOrganisation, s.signerOrganisation]);
  fields.push([t.identifiers, s.identifiers.length ? s.identifiers.join(', ') : t.result.unknown]);
  fields.push([s.signingTime.proven ? t.timestamp : t.signingTime, time(s.signingTime.time)]);
  fields.push([t.integrity, t.result[integrity]]);
  fields.push([t.validAtSigning, `${t.indication[s.indication]}${s.subIndication ? ` (${s.subIndication})` : ''}`]);
  const sources = s.status.map((e) => `${e.subject}: ${t.source[e.source] ?? e.source}${e.producedAt ? ` (${t.producedAt} ${time(e.producedAt)})` : ''}`);
  fields.push([t.statusSource, `${sources.length ? sources.join('; ') : t.noStatus}; ${t.checkedAt.toLowerCase()} ${time(s.checkedAt)}`]);
  const criteria = s.criteria.map((c) => [
    t.criteria[c.id], t.result[c.result], c.id === 'status' && c.detail ? t.statusDetail[c.detail as keyof typeof t.statusDetail] : c.detail, c.result,
  ] as [string, string, string | null, CriterionResult]);
  return { fields, criteria };
}
