import type { PageInfo } from '../pdf/document.js';
import { PT_PER_MM } from '../pdf/appearance/layout.js';
import { userToVisible, visibleToUser } from './placement.js';
import type { SignatureField } from './signature-field.js';
import type { SigningRequest } from './signing-request.js';

/** Where the widget shows (ISO 32000-2 §12.5.2 /Rect); a zero-size rectangle is an invisible signature. */
export interface WidgetPlacement {
  /** The widget's page: a text anchor may move a new field to another page. */
  readonly page: PageInfo;
  /** /Rect in default user space, `[x1 y1 x2 y2]`. */
  readonly rect: readonly [number, number, number, number];
  /** The same rectangle as the reader sees it after /Rotate, `[x, y, width, height]`. */
  readonly visibleBox: readonly [number, number, number, number];
  readonly visible: boolean;
}

/**
 * The placement step. With an appearance: the caller's rectangle, else the
 * field's own non-empty /Rect, else the Decree 30 place for the role (loaded
 * only then, with the font code it needs). Without one: the field's /Rect if
 * it has one, else an invisible `[0 0 0 0]`.
 */
export async function placeWidget(request: SigningRequest, field: SignatureField): Promise<WidgetPlacement> {
  const { doc, options } = request;
  let page = field.page;
  let rect: [number, number, number, number] = [0, 0, 0, 0];
  const existing = doc.box(field.widget.get('Rect'));
  if (options.appearance) {
    if (options.placement?.rect) {
      const f = options.placement.unit === 'mm' ? PT_PER_MM : 1;
      const [x, y, w, h] = options.placement.rect.map((v) => v * f) as [number, number, number, number];
      rect = visibleToUser(page, [x, y, w, h]);
    } else if (existing && existing[2] > existing[0] && existing[3] > existing[1]) {
      rect = existing;
    } else {
      const { defaultPlacement } = await import('./visible-placement.js');
      const placed = await defaultPlacement(doc, page, doc.pages(), request.fields, options, request.signerName, request.organization, request.signingTime);
      page = placed.page;
      rect = visibleToUser(page, placed.box);
    }
  } else if (existing) {
    rect = existing;
  }
  return { page, rect, visibleBox: userToVisible(page, rect), visible: rect[2] - rect[0] > 0 && rect[3] - rect[1] > 0 };
}
