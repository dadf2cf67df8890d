import type { LocalizedText } from '../errors/messages.js';

/** Texts of the verification report, in Vietnamese and English. */
export const VERIFY_TEXT = {
  passed: { vi: 'Chữ ký hợp lệ.', en: 'The signature is valid.' },
  passedAllowed: {
    vi: 'Chữ ký hợp lệ; tài liệu có thay đổi được phép sau khi ký (ký thêm, dấu thời gian, dữ liệu xác thực).',
    en: 'The signature is valid; the document has allowed changes after signing (more signatures, timestamps, validation data).',
  },
  formatByteRange: { vi: 'Vùng ký (ByteRange) không hợp lệ hoặc bị giả mạo.', en: 'The signed byte range is invalid or forged.' },
  formatContents: {
    vi: 'Giá trị chữ ký (/Contents) bị thiếu hoặc có dữ liệu lạ sau chữ ký.',
    en: 'The signature value (/Contents) is missing or has foreign data after the signature.',
  },
  formatSignatureDictionary: {
    vi: 'Từ điển chữ ký không đúng cấu trúc (mục gián tiếp hoặc sai kiểu).',
    en: 'The signature dictionary is malformed (an indirect or mistyped entry).',
  },
  formatCms: { vi: 'Dữ liệu chữ ký (CMS) bị hỏng.', en: 'The signature data (CMS) is damaged.' },
  partialCoverage: {
    vi: 'Chữ ký không bao trùm trọn một phiên bản của tài liệu.',
    en: 'The signature does not cover a complete revision of the document.',
  },
  hashFailure: { vi: 'Nội dung đã bị thay đổi sau khi ký (sai giá trị băm).', en: 'The content was changed after signing (digest mismatch).' },
  digestUnknown: { vi: 'Không kiểm tra được giá trị băm (thuật toán không hỗ trợ).', en: 'The digest could not be checked (unsupported algorithm).' },
  sigCrypto: { vi: 'Giá trị chữ ký không khớp với khóa công khai của chứng thư.', en: 'The signature value does not match the certificate\'s public key.' },
  sigUnknown: { vi: 'Không kiểm tra được giá trị chữ ký (thuật toán không hỗ trợ).', en: 'The signature value could not be checked (unsupported algorithm).' },
  noSigner: { vi: 'Không tìm thấy chứng thư số của người ký.', en: 'The signer\'s certificate was not found.' },
  bindingMismatch: {
    vi: 'Thuộc tính signing-certificate không khớp với chứng thư người ký.',
    en: 'The signing-certificate attribute does not match the signer certificate.',
  },
  modified: { vi: 'Tài liệu đã bị sửa đổi sau khi ký (thay đổi không được phép).', en: 'The document was modified after signing (disallowed changes).' },
  /** Followed by the labels of the disallowed changes, e.g. "annotation added on page 2". */
  modifiedList: { vi: 'Tài liệu bị thay đổi sau khi ký (không được phép): ', en: 'Changed after signing (not allowed): ' },
  weak: { vi: 'Thuật toán yếu theo chính sách: ', en: 'Weak algorithm under the policy: ' },
  noChain: { vi: 'Không xây dựng được chuỗi chứng thư tới một gốc tin cậy.', en: 'No certificate chain to a trusted root could be built.' },
  untrusted: { vi: 'Chứng thư gốc không nằm trong danh sách tin cậy.', en: 'The root certificate is not trusted.' },
  chainConstraints: { vi: 'Chuỗi chứng thư vi phạm ràng buộc: ', en: 'The certificate chain breaks a constraint: ' },
  expiredNoPoe: {
    vi: 'Chứng thư đã hết hạn và không có dấu thời gian chứng minh chữ ký được tạo khi còn hiệu lực.',
    en: 'The certificate has expired and no timestamp proves the signature was made while it was valid.',
  },
  notYetValid: { vi: 'Chứng thư chưa có hiệu lực tại thời điểm ký.', en: 'The certificate was not yet valid at the signing time.' },
  expiredAtTime: { vi: 'Chứng thư đã hết hạn tại thời điểm ký.', en: 'The certificate had expired at the signing time.' },
  caExpiredAtTime: { vi: 'Một chứng thư CA trong chuỗi đã hết hạn tại thời điểm ký.', en: 'A CA certificate of the chain had expired at the signing time.' },
  revoked: { vi: 'Chứng thư đã bị thu hồi trước thời điểm ký.', en: 'The certificate was revoked before the signing time.' },
  revokedNoPoe: {
    vi: 'Chứng thư người ký đã bị thu hồi và không có dấu thời gian hợp lệ chứng minh chữ ký được tạo trước khi thu hồi.',
    en: 'The signer certificate is revoked and no valid timestamp proves the signature was made before the revocation.',
  },
  revokedCa: {
    vi: 'Một chứng thư CA trong chuỗi đã bị thu hồi và không có bằng chứng chữ ký được tạo trước khi thu hồi.',
    en: 'A CA certificate of the chain is revoked and nothing proves the signature was made before the revocation.',
  },
  revocationUnknown: { vi: 'Không xác định được trạng thái thu hồi của chứng thư.', en: 'The revocation status of the certificate could not be determined.' },
  revocationOff: { vi: 'Chưa kiểm tra trạng thái thu hồi (đã tắt).', en: 'Revocation was not checked (turned off).' },
  claimedTimeOnly: { vi: 'Thời gian ký chỉ do người ký khai báo (không có dấu thời gian).', en: 'The signing time is only claimed by the signer (no timestamp).' },
  timestampInvalid: { vi: 'Dấu thời gian của chữ ký không hợp lệ; không dùng làm thời điểm ký.', en: 'The signature timestamp is invalid and is not used as the signing time.' },
  timestampUntrusted: {
    vi: 'Dấu thời gian của chữ ký do một đơn vị cấp dấu thời gian không được tin cậy (hoặc đã bị thu hồi) cấp; không dùng làm thời điểm ký.',
    en: 'The signature timestamp comes from a timestamp authority that is not trusted (or is revoked); it is not used as the signing time.',
  },
  timestampTsaUnknown: {
    vi: 'Không xác định được trạng thái thu hồi của đơn vị cấp dấu thời gian; dấu thời gian không được dùng làm bằng chứng thời điểm ký.',
    en: 'The revocation status of the timestamp authority is unknown; the timestamp is not used as proof of the signing time.',
  },
  archiveTimestampUnproven: {
    vi: 'Dấu thời gian tài liệu sau chữ ký này không được xác thực (trạng thái đơn vị cấp dấu thời gian chưa được chứng minh); không dùng làm bằng chứng tồn tại.',
    en: 'The later document timestamp does not validate (its timestamp authority is not shown to be good); it is not used as proof of existence.',
  },
  localTimeAsUtc: {
    vi: 'Thời gian khai báo lệch 7 giờ so với dấu thời gian: có thể giờ Việt Nam bị ghi như giờ UTC.',
    en: 'The claimed time is 7 hours off the timestamp: Vietnam local time was probably written as UTC.',
  },
  sha1CaLink: {
    vi: 'Chấp nhận liên kết CA ký bằng SHA-1 của VGCA thế hệ 1 theo hồ sơ tin cậy.',
    en: 'The SHA-1 signed CA link of VGCA generation 1 is accepted by the trust profile.',
  },
  noSignedAttributes: {
    vi: 'Chữ ký không có thuộc tính được ký (signed attributes): chứng thư người ký và thời gian ký không gắn với chữ ký. Chỉ chính sách cũ (--policy legacy) chấp nhận.',
    en: 'The signature has no signed attributes: neither the signer certificate nor a signing time is bound to it. Only the legacy policy (--policy legacy) accepts this.',
  },
  legacySha1: {
    vi: 'Chính sách cũ (legacy): chấp nhận chữ ký dùng SHA-1, thuật toán không còn an toàn cho chữ ký mới.',
    en: 'Legacy policy: a SHA-1 signature is accepted; SHA-1 is no longer safe for new signatures.',
  },
  legacyNoSignedAttributes: {
    vi: 'Chính sách cũ (legacy): chấp nhận chữ ký không có thuộc tính được ký.',
    en: 'Legacy policy: a signature without signed attributes is accepted.',
  },
} as const satisfies Record<string, LocalizedText>;

/**
 * A text with a technical detail. The detail (English reasons from parsers and revocation sources) goes to `en`
 * only, so the Vietnamese text stays wholly Vietnamese; `vi` gets `viDetail` when one applies to both languages
 * (algorithm names, problem codes).
 */
export function withDetail(t: LocalizedText, detail: string, viDetail = ''): LocalizedText {
  return { vi: t.vi + viDetail, en: t.en + detail };
}
