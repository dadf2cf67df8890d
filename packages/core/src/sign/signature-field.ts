import { kysoError } from '../errors/index.js';
import type { PageInfo } from '../pdf/document.js';
import type { FieldInfo } from '../pdf/fields.js';
import { pageOfWidget } from '../pdf/form-update.js';
import type { ObjectAllocator, PendingUpdate } from '../pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, textString } from '../pdf/objects.js';
import { setSignatureWidget } from '../pdf/signature-placeholder.js';
import type { FieldLock } from './options.js';
import type { SigningRequest } from './signing-request.js';
import type { WidgetPlacement } from './widget-placement.js';

/** The field a signature goes into, and its widget (ISO 32000-2 §12.7.5.5). */
export interface SignatureField {
  /** The existing empty field being signed; absent for a new field. */
  readonly existing?: FieldInfo;
  /** Its fully qualified name. */
  readonly name: string;
  readonly widgetRef: PdfRef;
  /** A copy of the widget, completed by {@link writeWidget}. */
  readonly widget: PdfDict;
  /** The widget's page, before any placement moves a new field. */
  readonly page: PageInfo;
}

/**
 * The field step: the existing empty signature field the caller named, or a
 * new field merged with its widget on the placement's page.
 */
export function chooseField(request: SigningRequest, alloc: ObjectAllocator): SignatureField {
  const { doc, fields, options } = request;
  if (options.field !== undefined) {
    const field = fields.find((f) => f.name === options.field);
    if (!field || field.type !== 'Sig') throw kysoError('ERR_SIG_FIELD_NOT_FOUND', `field "${options.field}"`);
    if (field.value !== undefined && field.value !== null) throw kysoError('ERR_SIG_FIELD_SIGNED', `field "${options.field}"`);
    const kids = doc.resolve(field.dict.get('Kids'));
    const [widgetRef, widget] = Array.isArray(kids) && kids[0] instanceof PdfRef
      ? [kids[0], (doc.dictOf(kids[0]) ?? new PdfDict()).clone()]
      : [field.ref, field.dict.clone()];
    return { existing: field, name: field.name, widgetRef, widget, page: pageOfWidget(doc, doc.pages(), widget, widgetRef) };
  }
  const pageNo = options.placement?.page ?? 1;
  const page = doc.page(pageNo);
  if (!page) throw kysoError('ERR_PDF_PAGE_NOT_FOUND', `page ${pageNo} of ${doc.pages().length}`);
  const names = new Set(fields.map((f) => f.name));
  const fieldName = options.fieldName ?? nextFieldName(names, 'Signature');
  if (names.has(fieldName)) throw kysoError('ERR_INVALID_ARGUMENT', `a field named "${fieldName}" already exists`);
  const widget = dict({ Type: name('Annot'), Subtype: name('Widget'), FT: name('Sig'), T: textString(fieldName) });
  return { name: fieldName, widgetRef: alloc.next(), widget, page };
}

/**
 * Writes the widget (and the field, when it is separate) pointing at the
 * signature dictionary `sigRef` (ISO 32000-2 §12.7.5.5): /V goes on the field.
 */
export function writeWidget(
  request: SigningRequest,
  field: SignatureField,
  placement: WidgetPlacement,
  appearance: PdfRef,
  sigRef: PdfRef,
  update: PendingUpdate,
): void {
  const { existing, widget, widgetRef } = field;
  const merged = !existing || existing.ref.num === widgetRef.num;
  setSignatureWidget(widget, { rect: placement.rect.map(round), page: placement.page.ref, appearance, value: merged ? sigRef : undefined });
  if (request.options.lock && !existing) widget.set('Lock', lockDictionary(request.options.lock));
  update.put(widgetRef, widget);
  if (!merged) update.put(existing.ref, existing.dict.clone().set('V', sigRef));
}

/** The first `<prefix><n>` (n = 1, 2, …) not among `names`. */
export function nextFieldName(names: ReadonlySet<string>, prefix: string): string {
  for (let i = 1; ; i++) if (!names.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** A signature field lock dictionary (ISO 32000-2 §12.7.5.5, Table 236). */
function lockDictionary(lock: FieldLock): PdfDict {
  const d = dict({ Type: name('SigFieldLock'), Action: name(lock.action) });
  if (lock.action !== 'All') d.set('Fields', lock.fields.map((f) => textString(f)));
  return d;
}

/** A thousandth of a point: enough for any reader, and the numbers stay short. */
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
