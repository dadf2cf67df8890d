import type { PdfDocument } from '../pdf/document.js';
import { addToAcroForm, addToPageAnnots, pageHasAnnot, setSigFlags } from '../pdf/form-update.js';
import type { PendingUpdate } from '../pdf/incremental-writer.js';
import { dict, name, PdfDict, type PdfRef } from '../pdf/objects.js';
import type { SignatureField } from './signature-field.js';
import type { SigningRequest } from './signing-request.js';
import type { WidgetPlacement } from './widget-placement.js';

/**
 * The catalog step: makes the document reach the new signature. A new field
 * goes into its page's /Annots and the AcroForm's /Fields (with /SigFlags);
 * an existing one gets /SigFlags and, if missing, its page's /Annots entry
 * (ISO 32000-2 §12.7.3, §12.8). A certification signature is named in the
 * catalog's /Perms (§12.8.4), and a PDF 1.x file signed with
 * ETSI.CAdES.detached declares the ETSI extension.
 */
export function linkToCatalog(request: SigningRequest, field: SignatureField, placement: WidgetPlacement, sigRef: PdfRef, update: PendingUpdate): void {
  const { doc, options, subFilter } = request;
  if (!field.existing) {
    addToPageAnnots(doc, placement.page, field.widgetRef, update.put);
    addToAcroForm(doc, field.widgetRef, update.put, update.alloc);
  } else {
    setSigFlags(doc, update.put);
    if (!pageHasAnnot(doc, placement.page, field.widgetRef)) addToPageAnnots(doc, placement.page, field.widgetRef, update.put);
  }
  if (options.certify) {
    const catalog = update.catalog();
    const perms = doc.dictOf(catalog.get('Perms'))?.clone() ?? new PdfDict();
    perms.set('DocMDP', sigRef);
    catalog.set('Perms', perms);
  }
  if (subFilter === 'ETSI.CAdES.detached' && Number(doc.version) < 2 && !hasEsic(doc)) {
    // A PDF 1.x file with ETSI.CAdES.detached declares the ETSI developer extension, level 2
    // (ETSI TS 102 778-3; ISO 32000-1 §7.12.3); PDF 2.0 defines the SubFilter itself.
    const catalog = update.catalog();
    const extensions = doc.dictOf(catalog.get('Extensions'))?.clone() ?? new PdfDict();
    extensions.set('ESIC', dict({ BaseVersion: name('1.7'), ExtensionLevel: 2 }));
    catalog.set('Extensions', extensions);
  }
}

/** Whether the catalog already declares the ETSI extension at level 2 or more. */
function hasEsic(doc: PdfDocument): boolean {
  const ext = doc.dictOf(doc.catalog().get('Extensions'));
  const esic = ext ? doc.dictOf(ext.get('ESIC')) : null;
  const level = esic ? doc.resolve(esic.get('ExtensionLevel')) : null;
  return typeof level === 'number' && level >= 2;
}
