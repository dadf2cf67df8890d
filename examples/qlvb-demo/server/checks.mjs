// @ts-check
// What the server checks before it stores signed bytes that the page sends: the browser is not trusted,
// so every upload is verified again here with kyso core, against the test root and with revocation
// checked online through the same local services the page used.
import { verify } from '@kyso/core';

/**
 * @typedef {object} Expectation
 * @property {number} signatures  how many signatures the document must now carry
 * @property {string} signerSerial the hex serial of the certificate that must have made the newest one
 */

/** A refused upload: the message goes back to the page (vi and en). */
export class UploadRejected extends Error {
  /** @param {string} code @param {{ vi: string, en: string }} text */
  constructor(code, text) {
    super(text.en);
    this.code = code;
    this.text = text;
  }
}

/**
 * Accepts `next` as the successor of `prev` only if it is `prev` plus appended bytes (a signature never
 * changes an existing byte, ISO 32000-2 §12.8.1), every signature is TOTAL_PASSED, and the newest one was
 * made by the expected certificate.
 * @param {Uint8Array} prev @param {Uint8Array} next @param {Expectation} expect
 * @param {{ trust: string[], fetch: import('@kyso/core').FetchLike }} env
 * @returns {Promise<import('@kyso/core').VerificationReport>}
 */
export async function checkSignedUpload(prev, next, expect, env) {
  if (next.length <= prev.length || !prefixEqual(prev, next)) {
    throw new UploadRejected('NOT_APPEND_ONLY', {
      vi: 'Tệp gửi lên không phải là văn bản trước đó cộng thêm chữ ký: nội dung đã bị thay đổi.',
      en: 'The upload is not the previous document plus a signature: its content was changed.',
    });
  }
  const report = await verify(next, { trust: env.trust, revocation: 'online', fetch: env.fetch });
  if (report.signatures.length !== expect.signatures) {
    throw new UploadRejected('SIGNATURE_COUNT', {
      vi: `Văn bản phải có ${expect.signatures} chữ ký, nhưng có ${report.signatures.length}.`,
      en: `The document must carry ${expect.signatures} signature(s), found ${report.signatures.length}.`,
    });
  }
  const bad = report.signatures.find((s) => s.indication !== 'TOTAL_PASSED');
  if (bad) {
    const why = bad.messages[0];
    throw new UploadRejected('NOT_VALID', {
      vi: `Chữ ký "${bad.field ?? '?'}" không hợp lệ (${bad.indication}${bad.subIndication ? `/${bad.subIndication}` : ''})${why ? `: ${why.vi}` : ''}.`,
      en: `Signature "${bad.field ?? '?'}" is not valid (${bad.indication}${bad.subIndication ? `/${bad.subIndication}` : ''})${why ? `: ${why.en}` : ''}.`,
    });
  }
  const newest = report.signatures[report.signatures.length - 1];
  if (!newest?.signer.serialNumber || newest.signer.serialNumber.toLowerCase() !== expect.signerSerial.toLowerCase()) {
    throw new UploadRejected('WRONG_SIGNER', {
      vi: `Chữ ký mới không phải của người có thẩm quyền ở bước này (${newest?.signer.commonName ?? '?'}).`,
      en: `The new signature was not made by the certificate this step needs (${newest?.signer.commonName ?? '?'}).`,
    });
  }
  if (!report.lastRevisionSigned) {
    throw new UploadRejected('UNSIGNED_TAIL', {
      vi: 'Có dữ liệu được nối thêm sau chữ ký cuối cùng.',
      en: 'Bytes were appended after the last signature.',
    });
  }
  return report;
}

/**
 * One word for an incoming document, as the receiving clerk's register records it (Decree 30 Art. 21.2:
 * check authenticity and integrity before receiving).
 * @param {import('@kyso/core').VerificationReport} report
 * @returns {'valid' | 'invalid' | 'indeterminate' | 'unsigned'}
 */
export function summarize(report) {
  if (report.signatures.length === 0) return 'unsigned';
  if (report.signatures.some((s) => s.indication === 'TOTAL_FAILED')) return 'invalid';
  if (report.signatures.every((s) => s.indication === 'TOTAL_PASSED')) return 'valid';
  return 'indeterminate';
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function prefixEqual(a, b) {
  return Buffer.from(b.buffer, b.byteOffset, a.length).equals(Buffer.from(a.buffer, a.byteOffset, a.length));
}
