import type { Strings } from '../shared/locale.js';

type Key =
  | 'document' | 'toolbar' | 'previous' | 'next' | 'zoomIn' | 'zoomOut' | 'zoomLevel' | 'pageOf' | 'page' | 'loading' | 'empty' | 'error';

/** Every user-visible string of `<pdf-page-view>`. */
export const PAGE_VIEW_STRINGS: Strings<Key> = {
  vi: {
    document: 'Nội dung tài liệu PDF',
    toolbar: 'Điều khiển xem tài liệu',
    previous: 'Trang trước',
    next: 'Trang sau',
    zoomIn: 'Phóng to',
    zoomOut: 'Thu nhỏ',
    zoomLevel: 'Mức thu phóng',
    pageOf: 'Trang {page} / {pages}',
    page: 'Trang {page}',
    loading: 'Đang mở tài liệu…',
    empty: 'Chưa có tài liệu.',
    error: 'Không hiển thị được tài liệu',
  },
  en: {
    document: 'PDF document content',
    toolbar: 'Document view controls',
    previous: 'Previous page',
    next: 'Next page',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    zoomLevel: 'Zoom level',
    pageOf: 'Page {page} of {pages}',
    page: 'Page {page}',
    loading: 'Opening the document…',
    empty: 'No document yet.',
    error: 'The document cannot be shown',
  },
};
