import { loadDefaultFont } from '../pdf/appearance/default-font.js';
import { parseObjectBody } from '../pdf/encryption/reparse.js';
import type { PendingUpdate } from '../pdf/incremental-writer.js';
import { PdfRef } from '../pdf/objects.js';
import { emptyAppearance } from '../pdf/signature-placeholder.js';
import type { SigningRequest } from './signing-request.js';
import type { WidgetPlacement } from './widget-placement.js';

/**
 * The appearance step: writes the widget's normal appearance (ISO 32000-2
 * §12.5.5) into the update and returns its form XObject. A visible signature
 * gets the Decree 30 layout; an invisible one the empty appearance.
 */
export async function writeWidgetAppearance(request: SigningRequest, placement: WidgetPlacement, update: PendingUpdate): Promise<PdfRef> {
  const { doc, options } = request;
  if (!placement.visible) {
    const ref = update.alloc.next();
    update.put(ref, emptyAppearance());
    return ref;
  }
  // pdf-lib and fontkit load only for visible signatures (about 45 MB of memory).
  const { buildAppearance } = await import('../pdf/appearance/build.js');
  const built = await buildAppearance(
    {
      ...(options.appearance ?? { role: 'approve' }),
      font: options.appearance?.font ?? (await loadDefaultFont()),
      signingTime: request.signingTime,
      signerName: request.signerName,
      organization: request.organization,
      reason: options.reason,
      location: options.location,
    },
    { width: placement.visibleBox[2], height: placement.visibleBox[3] },
    placement.page.rotate,
    update.alloc.peek,
  );
  for (const o of built.objects) {
    // In an encrypted file the pdf-lib bodies go back through the encrypting writer (ISO 32000-2 §7.6.2).
    update.add(doc.encryption ? { num: o.num, value: parseObjectBody(o.body) } : { num: o.num, body: o.body });
  }
  update.alloc.advanceTo(built.nextObjectNumber);
  return new PdfRef(built.xobject, 0);
}
