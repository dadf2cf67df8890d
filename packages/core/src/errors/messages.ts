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
  ERR_LTV_NO_SIGNATURES: {
    vi: 'Tài liệu không có chữ ký số hay dấu thời gian nào để bổ sung dữ liệu kiểm tra dài hạn.',
    en: 'The document has no signature or timestamp to add long-term validation data for.',
  },
  ERR_LTV_DATA_MISSING: {
    vi: 'Không thu thập được đủ dữ liệu kiểm tra dài hạn (chứng thư số, OCSP, CRL) cho mọi chữ ký.',
    en: 'Long-term validation data (certificates, OCSP, CRLs) could not be gathered for every signature.',
  },
  ERR_REVOCATION_DATA_MALFORMED: {
    vi: 'Dữ liệu thu hồi được cung cấp (CRL hoặc phản hồi OCSP) bị hỏng hoặc không đúng định dạng.',
    en: 'The supplied revocation data (a CRL or an OCSP response) is damaged or not well formed.',
  },
  ERR_AGENT_UNREACHABLE: {
    vi: 'Không kết nối được với phần mềm ký số trên máy (token agent). Hãy kiểm tra phần mềm đã được cài và đang chạy.',
    en: 'The local signing agent cannot be reached. Check that it is installed and running.',
  },
  ERR_AGENT_DISCONNECTED: {
    vi: 'Phần mềm ký số trên máy đã ngắt kết nối giữa chừng; tài liệu chưa được ký.',
    en: 'The local signing agent disconnected before answering; the document was not signed.',
  },
  ERR_AGENT_TIMEOUT: {
    vi: 'Phần mềm ký số trên máy không trả lời kịp thời.',
    en: 'The local signing agent did not answer in time.',
  },
  ERR_AGENT_USER_TIMEOUT: {
    vi: 'Hết thời gian chờ người dùng nhập mã PIN hoặc xác nhận.',
    en: 'The user did not finish entering the PIN or confirming in time.',
  },
  ERR_AGENT_ORIGIN_DENIED: {
    vi: 'Phần mềm ký số không cho phép trang web này sử dụng.',
    en: 'The local signing agent does not allow this web site.',
  },
  ERR_AGENT_CONSENT_DENIED: {
    vi: 'Người dùng không đồng ý cho trang web này sử dụng khóa ký.',
    en: 'The user did not allow this web site to use the signing key.',
  },
  ERR_AGENT_VERSION: {
    vi: 'Phiên bản phần mềm ký số trên máy không tương thích; hãy cập nhật.',
    en: 'The local signing agent speaks an incompatible protocol version; update it.',
  },
  ERR_AGENT_PROTOCOL: {
    vi: 'Thông điệp trao đổi với phần mềm ký số không hợp lệ.',
    en: 'A message exchanged with the local signing agent is malformed.',
  },
  ERR_AGENT_BUSY: {
    vi: 'Phần mềm ký số đang xử lý một yêu cầu khác; hãy thử lại sau khi yêu cầu đó kết thúc.',
    en: 'The local signing agent is busy with another request; retry when it has finished.',
  },
  ERR_AGENT_CANCELLED: {
    vi: 'Người dùng đã hủy việc ký.',
    en: 'The user cancelled signing.',
  },
  ERR_AGENT_OVERLOADED: {
    vi: 'Phần mềm ký số đang có quá nhiều kết nối hoặc yêu cầu; hãy thử lại sau ít phút.',
    en: 'The local signing agent has too many connections or requests open; try again in a few minutes.',
  },
  ERR_AGENT_CLIENT_DENIED: {
    vi: 'Phần mềm ký số không cho phép ứng dụng này ký tự động: thiếu hoặc sai thông tin xác thực của ứng dụng.',
    en: 'The local signing agent does not allow this client to sign unattended: its client credential is missing or wrong.',
  },
  ERR_TOKEN_REMOVED: {
    vi: 'Thiết bị ký số (USB token) đã bị rút ra hoặc không còn.',
    en: 'The signing token was removed or is no longer present.',
  },
  ERR_TOKEN_PIN_INCORRECT: {
    vi: 'Mã PIN của thiết bị ký số không đúng.',
    en: 'The token PIN is wrong.',
  },
  ERR_TOKEN_PIN_LOCKED: {
    vi: 'Mã PIN của thiết bị ký số đã bị khóa; hãy liên hệ tổ chức cấp chứng thư số để mở khóa.',
    en: 'The token PIN is locked; ask the certificate issuer to unlock it.',
  },
  ERR_TOKEN_PIN_LIMIT: {
    vi: 'Đã nhập sai mã PIN quá số lần cho phép trong phiên này; phần mềm ngừng hỏi để tránh khóa thiết bị.',
    en: 'Too many wrong PINs in this session; the agent stopped asking so that the token does not lock.',
  },
  ERR_TOKEN_FAILURE: {
    vi: 'Thiết bị ký số báo lỗi khi thực hiện thao tác.',
    en: 'The signing token reported an error.',
  },
  ERR_CSC_UNREACHABLE: {
    vi: 'Không kết nối được dịch vụ ký số từ xa.',
    en: 'The remote signing service could not be reached.',
  },
  ERR_CSC_TIMEOUT: {
    vi: 'Dịch vụ ký số từ xa không trả lời kịp thời.',
    en: 'The remote signing service did not answer in time.',
  },
  ERR_CSC_UNAUTHORIZED: {
    vi: 'Dịch vụ ký số từ xa từ chối thông tin đăng nhập (mã truy cập sai hoặc đã hết hạn).',
    en: 'The remote signing service refused the login (wrong or expired access token).',
  },
  ERR_CSC_FORBIDDEN: {
    vi: 'Không được phép dùng chứng thư số này trên dịch vụ ký số từ xa.',
    en: 'This certificate may not be used on the remote signing service by this user or application.',
  },
  ERR_CSC_SERVER: {
    vi: 'Dịch vụ ký số từ xa gặp lỗi nội bộ.',
    en: 'The remote signing service had an internal error.',
  },
  ERR_CSC_BAD_RESPONSE: {
    vi: 'Dịch vụ ký số từ xa trả lời không hợp lệ.',
    en: 'The remote signing service sent an invalid answer.',
  },
  ERR_CSC_REQUEST_REJECTED: {
    vi: 'Dịch vụ ký số từ xa từ chối yêu cầu.',
    en: 'The remote signing service rejected the request.',
  },
  ERR_CSC_SAD_EXPIRED: {
    vi: 'Phiên xác nhận ký đã hết hạn hoặc đã được dùng hết; cần xác nhận lại.',
    en: 'The signing authorisation has expired or been used up; confirm again.',
  },
  ERR_CSC_AUTH_REJECTED: {
    vi: 'Yêu cầu ký đã bị từ chối trên thiết bị xác nhận, hoặc mã xác thực (OTP) không đúng.',
    en: 'The signing request was rejected on the confirming device, or the one-time code was wrong.',
  },
  ERR_CSC_AUTH_TIMEOUT: {
    vi: 'Người ký chưa xác nhận yêu cầu ký trong thời gian cho phép.',
    en: 'The signer did not confirm the signing request in time.',
  },
  ERR_REMOTE_UNREACHABLE: {
    vi: 'Không kết nối được dịch vụ ký số từ xa.',
    en: 'The remote signing service cannot be reached.',
  },
  ERR_REMOTE_TIMEOUT: {
    vi: 'Dịch vụ ký số từ xa không trả lời kịp thời.',
    en: 'The remote signing service did not answer in time.',
  },
  ERR_REMOTE_UNAUTHORIZED: {
    vi: 'Dịch vụ ký số từ xa từ chối thông tin xác thực của đơn vị tích hợp.',
    en: 'The remote signing service refused the integrator\'s credentials.',
  },
  ERR_REMOTE_SERVER: {
    vi: 'Dịch vụ ký số từ xa gặp lỗi nội bộ.',
    en: 'The remote signing service had an internal error.',
  },
  ERR_REMOTE_BAD_RESPONSE: {
    vi: 'Dịch vụ ký số từ xa trả lời không đúng định dạng.',
    en: 'The remote signing service gave an answer kyso cannot read.',
  },
  ERR_REMOTE_REQUEST_REJECTED: {
    vi: 'Dịch vụ ký số từ xa từ chối yêu cầu ký.',
    en: 'The remote signing service refused the signing request.',
  },
  ERR_REMOTE_REJECTED: {
    vi: 'Người ký đã từ chối yêu cầu ký trên ứng dụng xác nhận.',
    en: 'The signer rejected the signing request in the confirming app.',
  },
  ERR_REMOTE_EXPIRED: {
    vi: 'Người ký chưa xác nhận trong thời gian cho phép; yêu cầu ký đã hết hạn.',
    en: 'The signer did not confirm within the allowed time; the signing request expired.',
  },
  ERR_REMOTE_CANCELLED: {
    vi: 'Yêu cầu ký từ xa đã bị huỷ.',
    en: 'The remote signing request was cancelled.',
  },
  ERR_REMOTE_CERT_REVOKED: {
    vi: 'Chứng thư số của người ký đã bị thu hồi, tạm dừng hoặc hết hạn.',
    en: 'The signer\'s certificate is revoked, suspended or expired.',
  },
  ERR_REMOTE_CALLBACK_REFUSED: {
    vi: 'Đã từ chối một thông báo kết quả ký (webhook) không hợp lệ.',
    en: 'A signing-result callback (webhook) was refused.',
  },
  ERR_REMOTE_TRANSACTION_UNKNOWN: {
    vi: 'Không tìm thấy giao dịch ký từ xa.',
    en: 'The remote signing transaction is not known.',
  },
  ERR_VGCA_UNAVAILABLE: {
    vi: 'Không kết nối được VGCA Sign Service trên máy này (dịch vụ chưa chạy hoặc chứng thư của nó chưa được tin cậy).',
    en: 'The VGCA Sign Service on this computer cannot be reached (it is not running or its certificate is not trusted).',
  },
  ERR_VGCA_TIMEOUT: {
    vi: 'VGCA Sign Service không trả lời kịp thời.',
    en: 'The VGCA Sign Service did not answer in time.',
  },
  ERR_VGCA_BUSY: {
    vi: 'Đang có một yêu cầu ký khác; hãy chờ yêu cầu đó kết thúc.',
    en: 'Another signing request is in progress; wait for it to finish.',
  },
  ERR_VGCA_BAD_REPLY: {
    vi: 'VGCA Sign Service trả lời không đúng định dạng.',
    en: 'The VGCA Sign Service sent an answer that is not well formed.',
  },
  ERR_VGCA_REFUSED: {
    vi: 'VGCA Sign Service từ chối hoặc không ký được tài liệu.',
    en: 'The VGCA Sign Service refused or failed to sign the document.',
  },
  ERR_VGCA_CANCELLED: {
    vi: 'Người dùng đã hủy ký trên VGCA Sign Service.',
    en: 'The user cancelled signing in the VGCA Sign Service.',
  },
  ERR_VGCA_NOT_STORED: {
    vi: 'Tài liệu đã được ký nhưng máy chủ không nhận lưu tệp đã ký.',
    en: 'The document was signed, but the server did not accept the signed file.',
  },
  ERR_VGCA_UPLOAD_MALFORMED: {
    vi: 'Tệp tải lên không đọc được (sai định dạng, thiếu tệp hoặc quá lớn).',
    en: 'The upload cannot be read (wrong format, no file, or too large).',
  },
  ERR_VGCA_UPLOAD_NOT_APPENDED: {
    vi: 'Tệp đã ký không phải là văn bản gốc cộng thêm chữ ký: nội dung đã bị thay đổi.',
    en: 'The signed file is not the original document plus a signature: its content was changed.',
  },
  ERR_VGCA_UPLOAD_INVALID: {
    vi: 'Tệp đã ký tải lên không được chấp nhận: chữ ký mới không hợp lệ, hoặc tệp có thay đổi ngoài chữ ký.',
    en: 'The uploaded signed file is refused: its new signature is not valid, or it changes more than adding the signature.',
  },
  ERR_SERVICE_UNAUTHORIZED: {
    vi: 'Yêu cầu không có khóa API hợp lệ.',
    en: 'The request has no valid API key.',
  },
  ERR_SERVICE_BODY_TOO_LARGE: {
    vi: 'Tệp gửi lên vượt quá dung lượng dịch vụ cho phép.',
    en: 'The uploaded file exceeds the size the service accepts.',
  },
  ERR_SERVICE_RATE_LIMITED: {
    vi: 'Quá nhiều yêu cầu; vui lòng thử lại sau.',
    en: 'Too many requests; please retry later.',
  },
  ERR_SERVICE_TIMEOUT: {
    vi: 'Yêu cầu gửi đến quá chậm nên dịch vụ đã ngắt kết nối.',
    en: 'The request arrived too slowly, so the service closed the connection.',
  },
  ERR_SERVICE_NOT_FOUND: {
    vi: 'Dịch vụ không có địa chỉ hoặc phương thức này.',
    en: 'The service has no such path or method.',
  },
  ERR_SERVICE_UNAVAILABLE: {
    vi: 'Dịch vụ tạm thời không sẵn sàng (đang dừng hoặc mất kết nối Redis); vui lòng thử lại sau.',
    en: 'The service is temporarily unavailable (shutting down or Redis unreachable); please retry later.',
  },
  ERR_QUEUE_UNREACHABLE: {
    vi: 'Không kết nối được hàng đợi Redis.',
    en: 'The Redis job queue cannot be reached.',
  },
  ERR_QUEUE_JOB_FAILED: {
    vi: 'Một tác vụ trong hàng đợi đã thất bại sau mọi lần thử lại.',
    en: 'A queued job failed after every retry.',
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
  ERR_EVIDENCE_DIR_NOT_EMPTY: {
    vi: 'Thư mục lưu hồ sơ kiểm tra đã có nội dung; kyso không ghi đè, hãy chọn một thư mục mới hoặc trống.',
    en: 'The evidence folder already has content; kyso does not overwrite it: choose a new or empty folder.',
  },
  ERR_INTERNAL: {
    vi: 'Đã xảy ra lỗi nội bộ ngoài dự kiến; chi tiết kỹ thuật có trong nhật ký của trình duyệt hoặc ứng dụng.',
    en: 'An unexpected internal error occurred; the technical details are in the browser or application log.',
  },
};
