import { kysoError } from '../errors/index.js';
import type { PdfDocument, PageInfo } from '../pdf/document.js';
import type { FieldInfo } from '../pdf/fields.js';
import { PdfRef } from '../pdf/objects.js';
import { loadDefaultFont } from '../pdf/appearance/default-font.js';
import { appearanceLines } from '../pdf/appearance/labels.js';
import { measureLines, placeIssueSeal, placeTopRight, sealSizePt, PT_PER_MM } from '../pdf/appearance/layout.js';
import { createTextMeasurer } from '../pdf/appearance/measure.js';
import { findText } from '../pdf/text/find-text.js';
import type { PrepareOptions } from './options.js';
import { userToVisible, visibleSize, type Box } from './placement.js';

/*
 * Where a visible signature goes when the caller gives no rectangle: the
 * Decree 30 place for its role, next to a text anchor, or over the leader's
 * signature for the agency seal. Loaded only for visible signatures, with the
 * font code it needs.
 */

/**
 * Default rectangles per Decree 30 role when the caller gives none (visible
 * coordinates), or next to `placement.anchor` when given. The page may change
 * when the anchor text is only found on another page.
 */
export async function defaultPlacement(
  doc: PdfDocument,
  page: PageInfo,
  pages: PageInfo[],
  fields: readonly FieldInfo[],
  options: PrepareOptions,
  signerName: string,
  organization: string | undefined,
  signingTime: Date,
): Promise<{ page: PageInfo; box: Box }> {
  const ap = options.appearance!;
  const anchor = options.placement?.anchor;
  const { width: W, height: H } = visibleSize(page);
  if (ap.role === 'appendix' || ap.role === 'copy') {
    const font = createTextMeasurer(ap.font ?? (await loadDefaultFont()));
    const lines = appearanceLines({ ...ap, signingTime, signerName, organization });
    return { page, box: placeTopRight([0, 0, W, H], measureLines(lines, font, ap.fontSize ?? 10)) };
  }
  if (ap.role === 'issue') {
    const size = ap.image ? sealSizePt(ap.image) : undefined;
    const seal = size ?? { width: 36 * PT_PER_MM, height: 36 * PT_PER_MM };
    const leader = lastSignatureRect(doc, pages, fields, page);
    // Decree 30: the seal goes over the leader's signature; the anchor only helps when there is none.
    if (leader) return { page, box: placeIssueSeal(userToVisible(page, leader), seal) };
    if (anchor) return anchorPlacement(doc, page, pages, anchor, seal);
    return { page, box: [W * 0.55, H * 0.2, seal.width, seal.height] };
  }
  if (anchor) return anchorPlacement(doc, page, pages, anchor);
  // Leader and others: the signature block at the bottom right (Appendix I §IV, box 7c).
  return { page, box: [W - 56 - 200, 120, 200, 70] };
}

/** Space between the anchor text and the signature, in points. */
const ANCHOR_GAP = 2;

/**
 * A box next to the first occurrence of the anchor text: on the requested
 * page, else on the first page that shows it. `above` (the default, Decree 30:
 * the signature between the title and the printed name) is centred over the
 * text; `below` under it; `right` after it, centred vertically; `over` on it.
 * `size` is the default size when the anchor gives none (the seal's, for `issue`).
 */
function anchorPlacement(
  doc: PdfDocument,
  page: PageInfo,
  pages: PageInfo[],
  anchor: NonNullable<NonNullable<PrepareOptions['placement']>['anchor']>,
  size?: { width: number; height: number },
): { page: PageInfo; box: Box } {
  if (typeof anchor.text !== 'string' || anchor.text.trim() === '') throw kysoError('ERR_INVALID_ARGUMENT', 'placement.anchor.text must be a non-empty string');
  for (const k of ['width', 'height'] as const) {
    const v = anchor[k];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw kysoError('ERR_INVALID_ARGUMENT', `placement.anchor.${k} must be a positive number`);
  }
  if (anchor.position !== undefined && !['above', 'below', 'right', 'over'].includes(anchor.position)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'placement.anchor.position must be above, below, right or over');
  }
  let found = findText(doc, page, anchor.text)[0];
  let on = page;
  for (let i = 0; !found && i < pages.length; i++) {
    if (pages[i] === page) continue;
    found = findText(doc, pages[i]!, anchor.text)[0];
    if (found) on = pages[i]!;
  }
  if (!found) throw kysoError('ERR_PDF_ANCHOR_NOT_FOUND', `"${anchor.text.slice(0, 80)}" on ${pages.length} page(s)`);
  const [x, y, w, h] = userToVisible(on, found.rect);
  const position = anchor.position ?? 'above';
  const width = anchor.width ?? size?.width ?? (position === 'right' ? 150 : Math.max(w, 150));
  const height = anchor.height ?? size?.height ?? 60;
  const cx = x + w / 2;
  const cy = y + h / 2;
  let box: [number, number, number, number];
  switch (position) {
    case 'below': box = [cx - width / 2, y - ANCHOR_GAP - height, width, height]; break;
    case 'right': box = [x + w + ANCHOR_GAP, cy - height / 2, width, height]; break;
    case 'over': box = [cx - width / 2, cy - height / 2, width, height]; break;
    default: box = [cx - width / 2, y + h + ANCHOR_GAP, width, height]; break;
  }
  // Keep the box on the page when the text is near an edge.
  const { width: W, height: H } = visibleSize(on);
  box[0] = Math.max(0, Math.min(box[0], W - width));
  box[1] = Math.max(0, Math.min(box[1], H - height));
  return { page: on, box };
}

/** The widget rectangle of the most recent signed signature field on `page`. */
function lastSignatureRect(doc: PdfDocument, _pages: PageInfo[], fields: readonly FieldInfo[], page: PageInfo): [number, number, number, number] | null {
  let best: [number, number, number, number] | null = null;
  for (const f of fields) {
    if (f.type !== 'Sig' || f.value === undefined || f.value === null) continue;
    const kids = doc.resolve(f.dict.get('Kids'));
    const w = Array.isArray(kids) ? doc.dictOf(kids[0]) : f.dict;
    if (!w) continue;
    const p = w.get('P');
    if (p instanceof PdfRef && p.num !== page.ref.num) continue;
    const r = doc.box(w.get('Rect'));
    if (r && r[2] > r[0] && r[3] > r[1]) best = r;
  }
  return best;
}
