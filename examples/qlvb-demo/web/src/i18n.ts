/** The page's text, in Vietnamese (default) and English. Every user-visible string of the demo is here. */
export type Lang = 'vi' | 'en';

const vi = {
  appTitle: 'Quản lý văn bản (demo kyso)',
  demoWarning: 'CHỈ DÙNG ĐỂ TRÌNH DIỄN: khóa ký là tệp PKCS#12 thử nghiệm, mật khẩu công khai, do máy chủ demo cung cấp. Cơ quan thật ký bằng thiết bị ký số (token) hoặc HSM; mã PIN không bao giờ đi qua trang web.',
  navOutgoing: 'Văn bản đi',
  navInbox: 'Văn bản đến',
  navPortal: 'Cổng thông tin',
  language: 'Ngôn ngữ',
  listHeading: 'Văn bản đi',
  newDraft: 'Tạo dự thảo mới',
  colTitle: 'Trích yếu',
  colNumber: 'Số, ký hiệu',
  colState: 'Trạng thái',
  open: 'Mở',
  noDocuments: 'Chưa có văn bản.',
  back: '← Danh sách',
  'state.draft': 'Dự thảo — chờ lãnh đạo ký duyệt',
  'state.approved': 'Lãnh đạo đã ký — chờ văn thư cấp số, ngày',
  'state.numbered': 'Đã cấp số, ngày — chờ văn thư ký số cơ quan (phát hành)',
  'state.issued': 'Đã phát hành — chờ đăng lên cổng thông tin',
  'state.published': 'Đã đăng trên cổng thông tin',
  stepApprove: 'Bước 1 — Lãnh đạo ký duyệt (chữ ký của người có thẩm quyền)',
  stepApproveHelp: 'Khóa thử nghiệm của Chủ tịch Nguyễn Văn Đức. Chữ ký đặt giữa chức vụ và họ tên (Nghị định 30/2020, Phụ lục I).',
  stepNumber: 'Bước 2 — Văn thư cấp số và ngày ban hành',
  stepNumberHelp: 'Số và ngày được điền vào hai ô của văn bản sau khi lãnh đạo đã ký. Điền biểu mẫu là thay đổi được phép: chữ ký của lãnh đạo vẫn hợp lệ.',
  number: 'Số',
  date: 'Ngày ban hành',
  giveNumber: 'Cấp số',
  stepIssue: 'Bước 3 — Văn thư ký số của cơ quan (phát hành)',
  stepIssueHelp: 'Khóa thử nghiệm của UBND thành phố. Hình con dấu trùm lên 1/3 bên trái chữ ký của lãnh đạo.',
  stepPublish: 'Bước 4 — Đăng lên cổng thông tin',
  publish: 'Đăng lên cổng',
  publishedAt: 'Đã đăng. Người dân xem tại cổng thông tin:',
  history: 'Lịch sử xử lý',
  'who.drafter': 'Chuyên viên',
  'who.leader': 'Lãnh đạo',
  'who.clerk': 'Văn thư',
  loadingKeys: 'Đang mở khóa thử nghiệm…',
  saving: 'Đang gửi lên máy chủ để kiểm tra…',
  serverRejected: 'Máy chủ từ chối',
  error: 'Lỗi',
  inboxHeading: 'Văn bản đến — kiểm tra trước khi vào sổ',
  inboxHelp: 'Kéo thả hoặc chọn tệp PDF nhận được. Văn thư phải kiểm tra tính xác thực và toàn vẹn trước khi tiếp nhận (Nghị định 30/2020, Điều 21).',
  dropHere: 'Thả tệp PDF vào đây, hoặc',
  pickFile: 'chọn tệp',
  receive: 'Vào sổ văn bản đến',
  register: 'Sổ văn bản đến',
  colReceived: 'Thời gian nhận',
  colFile: 'Tệp',
  colVerdict: 'Kết quả kiểm tra (máy chủ)',
  'verdict.valid': 'Hợp lệ',
  'verdict.invalid': 'Không hợp lệ',
  'verdict.indeterminate': 'Chưa xác định',
  'verdict.unsigned': 'Không có chữ ký',
  'verdict.error': 'Không đọc được',
  viewDocument: 'Văn bản',
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  appTitle: 'Document management (kyso demo)',
  demoWarning: 'DEMO ONLY: the signing keys are test PKCS#12 files with a published password, handed out by the demo server. A real office signs with a token or an HSM; PINs never pass through the web page.',
  navOutgoing: 'Outgoing',
  navInbox: 'Incoming',
  navPortal: 'Public portal',
  language: 'Language',
  listHeading: 'Outgoing documents',
  newDraft: 'New draft',
  colTitle: 'Title',
  colNumber: 'Number',
  colState: 'State',
  open: 'Open',
  noDocuments: 'No documents yet.',
  back: '← List',
  'state.draft': 'Draft — waiting for the leader’s approval',
  'state.approved': 'Approved by the leader — waiting for number and date',
  'state.numbered': 'Numbered — waiting for the agency seal (issue)',
  'state.issued': 'Issued — waiting to be published',
  'state.published': 'Published on the portal',
  stepApprove: 'Step 1 — The leader approves (signature of the authorised person)',
  stepApproveHelp: 'Test key of the chairman Nguyễn Văn Đức. The signature goes between the title and the name (Decree 30/2020, Appendix I).',
  stepNumber: 'Step 2 — The clerk gives the number and the date of issue',
  stepNumberHelp: 'Number and date are written into two form fields after the leader signed. Filling a form is an allowed change: the leader’s signature stays valid.',
  number: 'Number',
  date: 'Date of issue',
  giveNumber: 'Give number',
  stepIssue: 'Step 3 — The clerk signs with the agency’s key (issue)',
  stepIssueHelp: 'Test key of the city People’s Committee. The seal image covers the left third of the leader’s signature.',
  stepPublish: 'Step 4 — Publish on the portal',
  publish: 'Publish',
  publishedAt: 'Published. Citizens see it on the portal:',
  history: 'History',
  'who.drafter': 'Drafter',
  'who.leader': 'Leader',
  'who.clerk': 'Clerk',
  loadingKeys: 'Opening the test key…',
  saving: 'Sending to the server for checking…',
  serverRejected: 'The server refused',
  error: 'Error',
  inboxHeading: 'Incoming documents — check before registering',
  inboxHelp: 'Drop or pick a PDF you received. The clerk must check authenticity and integrity before receiving it (Decree 30/2020, Art. 21).',
  dropHere: 'Drop a PDF here, or',
  pickFile: 'pick a file',
  receive: 'Register as received',
  register: 'Incoming register',
  colReceived: 'Received',
  colFile: 'File',
  colVerdict: 'Check result (server)',
  'verdict.valid': 'Valid',
  'verdict.invalid': 'Invalid',
  'verdict.indeterminate': 'Indeterminate',
  'verdict.unsigned': 'Not signed',
  'verdict.error': 'Unreadable',
  viewDocument: 'Document',
};

export const STRINGS: Record<Lang, Record<Key, string>> = { vi, en };
export type StringKey = Key;

const STORAGE_KEY = 'kyso-demo-lang';

/** The language chosen last time, else the document's. */
export function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'vi' || saved === 'en') return saved;
  return document.documentElement.lang.startsWith('en') ? 'en' : 'vi';
}

/** Remembers the language and sets `<html lang>`, which the kyso elements follow. */
export function saveLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}
