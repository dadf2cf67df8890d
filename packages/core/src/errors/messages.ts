import type { ErrorCode } from './codes.js';

/** A user-facing text in the two languages kyso ships. */
export interface LocalizedText {
  readonly vi: string;
  readonly en: string;
}

/** Supported UI languages. */
export type Lang = 'vi' | 'en';

/**
 * Default human messages per code. The compiler checks that every code has
 * one (the `Record<ErrorCode, …>` type), so a new code cannot ship silent.
 */
export const ERROR_MESSAGES: Record<ErrorCode, LocalizedText> = {
  ERR_PDF_MALFORMED: {
    vi: 'Tệp PDF bị hỏng hoặc không đúng cấu trúc.',
    en: 'The PDF file is damaged or not well formed.',
  },
  ERR_PDF_TRUNCATED: {
    vi: 'Tệp PDF bị cắt cụt (thiếu phần cuối tệp).',
    en: 'The PDF file is truncated (its end is missing).',
  },
  ERR_PDF_ENCRYPTED: {
    vi: 'Tệp PDF được mã hóa; cần mật khẩu để ký.',
    en: 'The PDF file is encrypted; a password is needed to sign it.',
  },
  ERR_PDF_PASSWORD: {
    vi: 'Mật khẩu của tệp PDF không đúng.',
    en: 'The PDF password is wrong.',
  },
  ERR_PDF_UNSUPPORTED: {
    vi: 'Tệp PDF dùng tính năng chưa được hỗ trợ.',
    en: 'The PDF file uses a feature that is not supported.',
  },
  ERR_PDF_LIMIT: {
    vi: 'Tệp PDF vượt quá giới hạn an toàn (kích thước, độ sâu hoặc số đối tượng).',
    en: 'The PDF file exceeds a safety limit (size, depth or object count).',
  },
  ERR_PDF_PAGE_NOT_FOUND: {
    vi: 'Không có trang được yêu cầu trong tài liệu.',
    en: 'The requested page does not exist in the document.',
  },
  ERR_PDF_ANCHOR_NOT_FOUND: {
    vi: 'Không tìm thấy đoạn văn bản neo trên trang.',
    en: 'The anchor text was not found on the page.',
  },
  ERR_SIG_FIELD_NOT_FOUND: {
    vi: 'Không tìm thấy trường chữ ký có tên này.',
    en: 'No signature field with this name was found.',
  },
  ERR_SIG_FIELD_SIGNED: {
    vi: 'Trường chữ ký này đã được ký.',
    en: 'This signature field is already signed.',
  },
  ERR_SIG_FIELD_LOCKED: {
    vi: 'Tài liệu đã được khóa bởi một chữ ký trước; không thể ký thêm.',
    en: 'An earlier signature locks the document; it cannot be signed again.',
  },
  ERR_SIG_CERTIFY_NOT_ALLOWED: {
    vi: 'Chữ ký chứng thực (certification) chỉ được đặt làm chữ ký đầu tiên.',
    en: 'A certification signature can only be the first signature in a document.',
  },
  ERR_SIG_CONTENTS_TOO_SMALL: {
    vi: 'Vùng dành cho chữ ký trong tệp quá nhỏ so với dữ liệu chữ ký.',
    en: 'The space reserved for the signature is too small for the signature data.',
  },
  ERR_SIG_PREPARED_INVALID: {
    vi: 'Dữ liệu chuẩn bị ký không hợp lệ hoặc đã bị thay đổi.',
    en: 'The prepared signature state is invalid or has been altered.',
  },
  ERR_SIG_VALUE_INVALID: {
    vi: 'Giá trị chữ ký nhận được không khớp với chứng thư số.',
    en: 'The signature value received does not verify against the certificate.',
  },
  ERR_SIG_ALGORITHM_UNSUPPORTED: {
    vi: 'Thuật toán ký hoặc băm không được hỗ trợ.',
    en: 'The signature or hash algorithm is not supported.',
  },
  ERR_SIG_APPEARANCE: {
    vi: 'Không tạo được hình hiển thị của chữ ký.',
    en: 'The visible signature appearance could not be built.',
  },
  ERR_KEY_PASSWORD: {
    vi: 'Mật khẩu (PIN) của khóa không đúng.',
    en: 'The key password (PIN) is wrong.',
  },
  ERR_KEY_FORMAT: {
    vi: 'Tệp khóa không đúng định dạng hoặc dùng thuật toán bảo vệ không được hỗ trợ.',
    en: 'The key file is not in a supported format or uses an unsupported protection algorithm.',
  },
  ERR_KEY_NOT_FOUND: {
    vi: 'Không tìm thấy khóa hoặc chứng thư số được yêu cầu.',
    en: 'The requested key or certificate was not found.',
  },
  ERR_KEY_CERT_MISMATCH: {
    vi: 'Khóa bí mật không tương ứng với chứng thư số.',
    en: 'The private key does not match the certificate.',
  },
  ERR_KEY_USAGE: {
    vi: 'Chứng thư số không được phép dùng để ký tài liệu.',
    en: 'The certificate is not allowed to sign documents.',
  },
  ERR_CERT_MALFORMED: {
    vi: 'Chứng thư số bị hỏng hoặc không đúng định dạng.',
    en: 'The certificate is damaged or not well formed.',
  },
  ERR_CMS_MALFORMED: {
    vi: 'Dữ liệu chữ ký (CMS) bị hỏng hoặc không đúng định dạng.',
    en: 'The signature data (CMS) is damaged or not well formed.',
  },
  ERR_TSA_UNREACHABLE: {
    vi: 'Không kết nối được máy chủ cấp dấu thời gian.',
    en: 'The timestamp server could not be reached.',
  },
  ERR_TSA_TIMEOUT: {
    vi: 'Máy chủ cấp dấu thời gian không trả lời kịp thời.',
    en: 'The timestamp server did not answer in time.',
  },
  ERR_TSA_BAD_RESPONSE: {
    vi: 'Máy chủ cấp dấu thời gian trả lời không hợp lệ.',
    en: 'The timestamp server sent an invalid answer.',
  },
  ERR_TSA_REJECTED: {
    vi: 'Máy chủ cấp dấu thời gian từ chối yêu cầu.',
    en: 'The timestamp server refused the request.',
  },
  ERR_INVALID_ARGUMENT: {
    vi: 'Tham số không hợp lệ.',
    en: 'Invalid argument.',
  },
  ERR_ABORTED: {
    vi: 'Thao tác đã bị hủy.',
    en: 'The operation was cancelled.',
  },
  ERR_IO: {
    vi: 'Lỗi đọc hoặc ghi tệp.',
    en: 'A file could not be read or written.',
  },
};
