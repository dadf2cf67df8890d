import type { Strings } from '../shared/locale.js';
import type { CertificateWarning } from './describe.js';

type Key =
  | 'label' | 'loading' | 'empty' | 'noAdapter' | 'error' | 'retry' | 'issuer' | 'validity' | 'keyUsage' | 'keyUsageAny'
  | 'organization' | 'selected' | CertificateWarning;

/** Every user-visible string of `<certificate-picker>`. */
export const PICKER_STRINGS: Strings<Key> = {
  vi: {
    label: 'Chọn chứng thư số để ký',
    loading: 'Đang đọc danh sách chứng thư số…',
    empty: 'Không tìm thấy chứng thư số nào.',
    noAdapter: 'Chưa cấu hình nguồn khóa ký.',
    error: 'Không đọc được danh sách chứng thư số',
    retry: 'Thử lại',
    issuer: 'Tổ chức cấp',
    validity: 'Hiệu lực',
    keyUsage: 'Mục đích khóa',
    keyUsageAny: 'không giới hạn',
    organization: 'Cơ quan',
    selected: 'Đã chọn',
    expired: 'Chứng thư số đã hết hạn.',
    'not-yet-valid': 'Chứng thư số chưa đến thời gian có hiệu lực.',
    'no-signing-usage': 'Chứng thư số không dùng để ký (thiếu digitalSignature và nonRepudiation).',
    malformed: 'Không đọc được chứng thư số.',
  },
  en: {
    label: 'Choose a certificate to sign with',
    loading: 'Reading the certificates…',
    empty: 'No certificate was found.',
    noAdapter: 'No key source is configured.',
    error: 'The certificates could not be read',
    retry: 'Try again',
    issuer: 'Issuer',
    validity: 'Valid',
    keyUsage: 'Key usage',
    keyUsageAny: 'unrestricted',
    organization: 'Organization',
    selected: 'Selected',
    expired: 'The certificate has expired.',
    'not-yet-valid': 'The certificate is not valid yet.',
    'no-signing-usage': 'The certificate is not for signing (neither digitalSignature nor nonRepudiation).',
    malformed: 'The certificate cannot be read.',
  },
};
