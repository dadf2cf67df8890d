import type { Strings } from '../shared/locale.js';

/** The Decree 30/2020 roles the element offers (core's `SignatureRole` without `custom`). */
export const ROLES = ['approve', 'issue', 'appendix', 'copy', 'comment'] as const;
export type SigningRole = (typeof ROLES)[number];

type Key =
  | 'region' | 'role' | `role.${SigningRole}` | 'sign' | 'signing' | 'signed' | 'cancelled' | 'verifying' | 'loading'
  | 'loadFailed' | 'noDocument' | 'chooseCertificate' | 'certificate' | 'preview' | 'previewImage' | 'previewSeal'
  | 'page' | 'pageSurface' | 'box' | 'boxPlaced' | 'placementAuto' | 'placementAnchor' | 'placementGiven'
  | 'placementIssue' | 'placementTopRight' | 'clearPlacement' | 'previousPage' | 'nextPage' | 'progress' | 'needDocNumber';

/** Every user-visible string of `<sign-document>`. */
export const SIGN_STRINGS: Strings<Key> = {
  vi: {
    region: 'Ký số văn bản',
    role: 'Hình thức ký',
    'role.approve': 'Lãnh đạo ký duyệt',
    'role.issue': 'Văn thư ký ban hành (đóng dấu)',
    'role.appendix': 'Ký phụ lục',
    'role.copy': 'Ký bản sao',
    'role.comment': 'Ký ý kiến',
    sign: 'Ký số',
    signing: 'Đang ký…',
    signed: 'Đã ký và kiểm tra văn bản.',
    cancelled: 'Đã hủy ký.',
    verifying: 'Đang kiểm tra chữ ký…',
    loading: 'Đang tải văn bản…',
    loadFailed: 'Không tải được văn bản',
    noDocument: 'Chưa có văn bản để ký.',
    chooseCertificate: 'Hãy chọn chứng thư số trước khi ký.',
    certificate: 'Chứng thư số',
    preview: 'Xem trước chữ ký',
    previewImage: '[hình ảnh chữ ký]',
    previewSeal: '[hình ảnh con dấu]',
    page: 'Trang {page}/{pages}',
    pageSurface: 'Trang {page}. Nhấn chuột hoặc Enter để đặt chữ ký.',
    box: 'Phím mũi tên để di chuyển chữ ký (Shift: bước lớn), Enter để xác nhận, Esc để bỏ.',
    boxPlaced: 'Đã đặt chữ ký tại trang {page}, x {x} pt, y {y} pt.',
    placementAuto: 'Chữ ký được đặt ở vị trí mặc định theo Nghị định 30.',
    placementAnchor: 'Chữ ký được đặt cạnh dòng chữ “{text}”.',
    placementGiven: 'Vị trí chữ ký do ứng dụng chỉ định.',
    placementIssue: 'Nếu không chọn vị trí, con dấu được đóng trùm lên 1/3 bên trái chữ ký của lãnh đạo (Nghị định 30).',
    placementTopRight: 'Nếu không chọn vị trí, chữ ký được đặt ở góc trên bên phải trang đầu (Nghị định 30).',
    clearPlacement: 'Bỏ vị trí đã chọn',
    previousPage: 'Trang trước',
    nextPage: 'Trang sau',
    progress: 'Tiến độ ký',
    needDocNumber: 'Ký phụ lục cần số và ký hiệu văn bản (thuộc tính doc-number).',
  },
  en: {
    region: 'Sign the document',
    role: 'Signature type',
    'role.approve': 'Approval by the leader',
    'role.issue': 'Issue with the agency seal',
    'role.appendix': 'Appendix',
    'role.copy': 'Copy',
    'role.comment': 'Comment',
    sign: 'Sign',
    signing: 'Signing…',
    signed: 'Signed and checked.',
    cancelled: 'Signing was cancelled.',
    verifying: 'Checking the signature…',
    loading: 'Loading the document…',
    loadFailed: 'The document could not be loaded',
    noDocument: 'There is no document to sign.',
    chooseCertificate: 'Choose a certificate before signing.',
    certificate: 'Certificate',
    preview: 'Signature preview',
    previewImage: '[signature image]',
    previewSeal: '[seal image]',
    page: 'Page {page}/{pages}',
    pageSurface: 'Page {page}. Click or press Enter to place the signature.',
    box: 'Arrow keys move the signature (Shift: larger steps), Enter confirms, Escape removes it.',
    boxPlaced: 'Signature placed on page {page} at x {x} pt, y {y} pt.',
    placementAuto: 'The signature goes where Decree 30 puts it by default.',
    placementAnchor: 'The signature goes next to the text “{text}”.',
    placementGiven: 'The application sets the signature position.',
    placementIssue: 'Without a chosen position, the seal covers the left third of the leader’s signature (Decree 30).',
    placementTopRight: 'Without a chosen position, the signature goes to the top right of the first page (Decree 30).',
    clearPlacement: 'Remove the chosen position',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    progress: 'Signing progress',
    needDocNumber: 'An appendix signature needs the document number (the doc-number attribute).',
  },
};
