/** A change label in both languages of the report. */
export interface Label {
  readonly vi: string;
  readonly en: string;
}

/** The human labels of {@link ModificationChange}s, Vietnamese and English side by side. */
export const LABELS = {
  signatureAdded: (f: string): Label => ({ vi: `thêm chữ ký vào trường '${f}'`, en: `signature added in field '${f}'` }),
  emptySignatureField: (f: string): Label => ({ vi: `thêm trường chữ ký trống '${f}'`, en: `empty signature field '${f}' added` }),
  signatureFieldAction: (f: string): Label => ({
    vi: `thêm trường chữ ký '${f}' mang theo một hành động (/A, /AA)`,
    en: `signature field '${f}' added with an action (/A, /AA)`,
  }),
  sneakySignatureField: (f: string): Label => ({
    vi: `thêm trường chữ ký trống '${f}' có hình hiển thị (có thể che nội dung)`,
    en: `empty signature field '${f}' added with a visible appearance (may cover content)`,
  }),
  signatureNotListed: (f: string): Label => ({
    vi: `trường '${f}' nhận một giá trị chữ ký không phủ bản sửa đổi của nó`,
    en: `field '${f}' received a signature value that does not cover its revision`,
  }),
  signatureInLockedField: (f: string): Label => ({ vi: `ký vào trường bị khóa '${f}'`, en: `locked field '${f}' signed` }),
  signatureAfterP1: (f: string): Label => ({
    vi: `thêm chữ ký vào trường '${f}' trong tài liệu chứng thực không cho phép thay đổi`,
    en: `signature added in field '${f}' of a document certified with no changes allowed`,
  }),
  documentTimestamp: (f: string): Label => ({ vi: `thêm dấu thời gian tài liệu ('${f}')`, en: `document timestamp added ('${f}')` }),
  signatureValueReplaced: (f: string): Label => ({ vi: `giá trị chữ ký của trường '${f}' bị thay thế`, en: `signature value of field '${f}' replaced` }),
  signatureDictChanged: (f: string): Label => ({ vi: `từ điển chữ ký của trường '${f}' bị sửa`, en: `signature dictionary of field '${f}' rewritten` }),
  signatureRemoved: (f: string): Label => ({ vi: `chữ ký của trường '${f}' bị xoá`, en: `signature of field '${f}' removed` }),
  signatureAppearanceChanged: (f: string): Label => ({ vi: `hình hiển thị của trường chữ ký '${f}' bị thay`, en: `appearance of signature field '${f}' replaced` }),
  signatureFieldChanged: (f: string): Label => ({ vi: `trường chữ ký '${f}' bị sửa`, en: `signature field '${f}' changed` }),
  dss: (): Label => ({ vi: 'thêm hoặc cập nhật dữ liệu kiểm tra dài hạn (DSS)', en: 'validation data (DSS) added or updated' }),
  info: (): Label => ({ vi: 'cập nhật thông tin tài liệu (Info)', en: 'document information (Info) updated' }),
  xmp: (): Label => ({ vi: 'cập nhật siêu dữ liệu XMP', en: 'XMP metadata updated' }),
  extensions: (): Label => ({ vi: 'khai báo phần mở rộng hoặc phiên bản PDF', en: 'PDF extensions or version declared' }),
  formFilled: (f: string): Label => ({ vi: `điền trường biểu mẫu '${f}'`, en: `form field '${f}' filled` }),
  formFilledLocked: (f: string): Label => ({ vi: `điền trường biểu mẫu bị khóa '${f}'`, en: `locked form field '${f}' filled` }),
  formFilledP1: (f: string): Label => ({
    vi: `điền trường biểu mẫu '${f}' trong tài liệu chứng thực không cho phép thay đổi`,
    en: `form field '${f}' filled in a document certified with no changes allowed`,
  }),
  formAppearanceReplaced: (f: string): Label => ({
    vi: `hình hiển thị của trường biểu mẫu '${f}' bị thay mà giá trị không đổi`,
    en: `appearance of form field '${f}' replaced without a value change`,
  }),
  structure: (): Label => ({ vi: 'cập nhật cây cấu trúc (PDF có gắn thẻ)', en: 'structure tree (tagged PDF) updated' }),
  formFieldChanged: (f: string): Label => ({ vi: `trường biểu mẫu '${f}' bị sửa`, en: `form field '${f}' changed` }),
  formFieldAdded: (f: string): Label => ({ vi: `thêm trường biểu mẫu '${f}'`, en: `form field '${f}' added` }),
  formFieldRemoved: (f: string): Label => ({ vi: `xoá trường biểu mẫu '${f}'`, en: `form field '${f}' removed` }),
  formChanged: (key: string): Label => ({ vi: `biểu mẫu: mục /${key} bị sửa`, en: `form /${key} changed` }),
  formRemoved: (): Label => ({ vi: 'biểu mẫu (AcroForm) bị xoá', en: 'form (AcroForm) removed' }),
  formResources: (): Label => ({ vi: 'cập nhật tài nguyên mặc định của biểu mẫu', en: 'form default resources updated' }),
  objectReused: (num: number, f: string): Label => ({
    vi: `đối tượng ${num} đã có được dùng lại cho trường '${f}'`,
    en: `existing object ${num} reused for field '${f}'`,
  }),
  annotationAdded: (p: number): Label => ({ vi: `thêm chú thích trên trang ${p}`, en: `annotation added on page ${p}` }),
  annotationChanged: (p: number): Label => ({ vi: `sửa chú thích trên trang ${p}`, en: `annotation changed on page ${p}` }),
  annotationRemoved: (p: number): Label => ({ vi: `xoá chú thích trên trang ${p}`, en: `annotation removed from page ${p}` }),
  widgetAdded: (p: number): Label => ({ vi: `thêm ô biểu mẫu trên trang ${p}`, en: `form widget added on page ${p}` }),
  widgetChanged: (p: number): Label => ({ vi: `ô biểu mẫu trên trang ${p} bị sửa`, en: `form widget on page ${p} changed` }),
  widgetRemoved: (p: number): Label => ({ vi: `xoá ô biểu mẫu trên trang ${p}`, en: `form widget removed from page ${p}` }),
  pageContent: (p: number): Label => ({ vi: `nội dung trang ${p} bị thay thế`, en: `page ${p} content replaced` }),
  pageResources: (p: number): Label => ({ vi: `tài nguyên trang ${p} (phông chữ, hình ảnh) bị thay đổi`, en: `page ${p} resources (fonts, images) changed` }),
  pageKey: (p: number, key: string): Label => ({ vi: `trang ${p}: mục /${key} bị sửa`, en: `page ${p} /${key} changed` }),
  pageGeometry: (p: number): Label => ({ vi: `kích thước hoặc hướng trang ${p} bị sửa`, en: `page ${p} size or rotation changed` }),
  pageAdded: (p: number): Label => ({ vi: `thêm trang ${p}`, en: `page ${p} added` }),
  pageRemoved: (p: number): Label => ({ vi: `xoá trang ${p}`, en: `page ${p} removed` }),
  pageOrder: (): Label => ({ vi: 'thứ tự trang bị thay đổi', en: 'page order changed' }),
  pageTree: (): Label => ({ vi: 'cây trang bị sửa', en: 'page tree changed' }),
  catalog: (key: string): Label => ({ vi: `mục /${key} của tài liệu bị sửa`, en: `document catalog /${key} changed` }),
  catalogReplaced: (): Label => ({ vi: 'danh mục gốc của tài liệu bị thay', en: 'document catalog replaced' }),
  encryption: (): Label => ({ vi: 'từ điển mã hoá bị sửa', en: 'encryption dictionary changed' }),
  notChained: (r: number): Label => ({
    vi: `bản sửa đổi ${r} không nối tiếp bản trước (bảng tham chiếu chéo)`,
    en: `revision ${r} does not build on the previous one (cross-reference chain)`,
  }),
  trailingBytes: (found: readonly string[], bytes: number): Label => {
    const vi: Record<string, string> = { object: 'định nghĩa đối tượng', xref: 'bảng tham chiếu chéo', trailer: 'trailer', startxref: 'startxref', other: 'dữ liệu không phải khoảng trắng hay chú thích' };
    const en: Record<string, string> = { object: 'object definitions', xref: 'a cross-reference table', trailer: 'a trailer', startxref: 'a startxref', other: 'data other than white space or comments' };
    return {
      vi: `${bytes} byte sau %%EOF cuối cùng chứa ${found.map((f) => vi[f] ?? f).join(', ')} mà trình đọc dựng lại tệp sẽ dùng`,
      en: `${bytes} bytes after the last %%EOF hold ${found.map((f) => en[f] ?? f).join(', ')} that a reader rebuilding the file would use`,
    };
  },
  formDefaultAppearance: (f: string): Label => ({
    vi: `giao diện mặc định (/DA, /Q) dùng để vẽ trường biểu mẫu '${f}' bị sửa`,
    en: `the default appearance of form field '${f}' was changed`,
  }),
  formDefaultFont: (f: string, font: string): Label => ({
    vi: `phông chữ /${font} dùng để vẽ trường biểu mẫu '${f}' bị sửa`,
    en: `the font /${font} that draws form field '${f}' was changed`,
  }),
  formDefaultResources: (f: string): Label => ({
    vi: `tài nguyên mặc định của biểu mẫu dùng để vẽ trường '${f}' bị sửa`,
    en: `the form default resources that draw form field '${f}' were changed`,
  }),
  formFilledNoAppearance: (f: string): Label => ({
    vi: `điền trường biểu mẫu '${f}' mà hình hiển thị mới không thể hiện giá trị mới`,
    en: `form field '${f}' filled without an appearance that shows the new value`,
  }),
  unreadable: (r: number): Label => ({ vi: `không đọc được bản sửa đổi ${r}`, en: `revision ${r} could not be read` }),
  unanalysable: (r: number): Label => ({ vi: `không phân tích được bản sửa đổi ${r}`, en: `revision ${r} could not be analysed` }),
  limit: (r: number): Label => ({ vi: `dừng phân tích bản sửa đổi ${r}: vượt giới hạn`, en: `analysis of revision ${r} stopped: limit reached` }),
} as const;
