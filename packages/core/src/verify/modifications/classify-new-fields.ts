/**
 * Fields a revision step adds (ISO 32000-2 §12.7.3.1) and signature values
 * it sets (§12.8): a new field other than a signature field is offered to the
 * policy; a new signature field must not reuse an object, carry an action or
 * paint over the page while empty; a signature value must be one the
 * verifier found covering its revision.
 *
 * @module
 */
import { PdfDict, PdfRef, PdfStream, type PdfValue } from '../../pdf/objects.js';
import { INVISIBLE_ANNOTATION_FLAGS } from './flags.js';
import { LABELS } from './labels.js';
import { fieldLocked } from './policy.js';
import type { StepWalk } from './step-walk.js';
import { inherited, type FieldNode } from './structure.js';
import { bytesToLatin1 } from '../../util/bytes.js';

/** A field this step adds: a signature field (with its value, if any, and its widget) or any other field. */
export function classifyNewField(walk: StepWalk, fieldAfter: FieldNode): void {
  const name = fieldAfter.name || `#${fieldAfter.num}`;
  const num = fieldAfter.num;
  if (fieldAfter.ft !== 'Sig') {
    walk.changes.add('other', walk.permitted({ type: 'form-field-added', field: name, fieldType: fieldAfter.ft ?? null }), LABELS.formFieldAdded(name), [num]);
    return;
  }
  if (walk.definedIn(walk.before, num)) walk.changes.add('object-redefined', false, LABELS.objectReused(num, name), [num]);
  // Signing needs no action (ISO 32000-2 §12.6.3): an /A or /AA on a new signature field or widget (page-open
  // JavaScript, say) would run in the reader and may change what it shows, so "signing" does not permit it.
  if (fieldAfter.dict.has('A') || fieldAfter.dict.has('AA')) walk.changes.add('annotation-added', false, LABELS.signatureFieldAction(name), [num]);
  const own = fieldAfter.dict.get('V');
  const value = walk.isSet(walk.after, inherited(walk.afterStructure, fieldAfter, 'V'));
  if (walk.isSet(walk.after, own)) signatureValue(walk, fieldAfter, own!);
  else if (fieldAfter.named && !value) {
    walk.changes.add('signature-added', walk.permitted({ type: 'empty-signature-field-added', field: name }), LABELS.emptySignatureField(name), [num]);
  }
  if (fieldAfter.widget) {
    walk.newSignatureWidgets.add(num);
    // Sneaky Signature: an unsigned signature field must not paint over the signed content.
    if (!value && visibleAppearance(walk, fieldAfter.dict)) walk.changes.add('annotation-added', false, LABELS.sneakySignatureField(name), [num]);
  }
}

/** A signature value set in this revision: a fresh signature dictionary that the verifier found covering this revision. */
export function signatureValue(walk: StepWalk, fieldAfter: FieldNode, v: PdfValue): void {
  const name = fieldAfter.name || `#${fieldAfter.num}`;
  const num = fieldAfter.num;
  if (v instanceof PdfRef && walk.definedIn(walk.before, v.num)) walk.changes.add('object-redefined', false, LABELS.objectReused(v.num, name), [v.num]);
  const signatureDict = walk.after.dictOf(v);
  const listed = v instanceof PdfRef && walk.context.laterSignatures.some((s) => s.object === v.num && s.revision === walk.context.revision);
  if (!signatureDict || !signatureDict.has('ByteRange') || !signatureDict.has('Contents') || !listed) {
    walk.changes.add('other', false, LABELS.signatureNotListed(name), [num]);
    return;
  }
  const documentTimestamp = signatureDict.name('Type') === 'DocTimeStamp' || signatureDict.name('SubFilter') === 'ETSI.RFC3161';
  const objects = [num, ...(v instanceof PdfRef ? [v.num] : [])];
  if (walk.permitted({ type: 'signature-value-added', field: name, documentTimestamp })) {
    if (documentTimestamp) walk.changes.add('document-timestamp-added', true, LABELS.documentTimestamp(name), objects);
    else walk.changes.add('signature-added', true, LABELS.signatureAdded(name), objects);
  }
  // A refusal names its likeliest reason: a FieldMDP lock on the field, or P=1.
  else if (fieldLocked(walk.context.fieldLocks, name)) walk.changes.add('signature-added', false, LABELS.signatureInLockedField(name), objects);
  else if (documentTimestamp) walk.changes.add('document-timestamp-added', false, LABELS.documentTimestamp(name), objects);
  else if (walk.context.docMdp === 1) walk.changes.add('signature-added', false, LABELS.signatureAfterP1(name), objects);
  else walk.changes.add('signature-added', false, LABELS.signatureAdded(name), objects);
}

/** Whether a widget paints something: shown, a non-empty rectangle, and a non-empty normal appearance. */
function visibleAppearance(walk: StepWalk, widget: PdfDict): boolean {
  try {
    const f = walk.after.resolve(widget.get('F'));
    if (typeof f === 'number' && (f & INVISIBLE_ANNOTATION_FLAGS) !== 0) return false; // Hidden or NoView (§12.5.3)
    const rect = walk.after.box(widget.get('Rect'));
    if (!rect || rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) return false;
    const ap = walk.after.dictOf(widget.get('AP'));
    if (!ap) return false;
    const normalAppearance = walk.after.resolve(ap.get('N'));
    const streams: PdfStream[] = [];
    if (normalAppearance instanceof PdfStream) streams.push(normalAppearance);
    else if (normalAppearance instanceof PdfDict) for (const s of normalAppearance.map.values()) {
      const r = walk.after.resolve(s);
      if (r instanceof PdfStream) streams.push(r);
    }
    return streams.some((s) => /\S/.test(bytesToLatin1(walk.after.streamData(s))));
  } catch {
    return true; // unknown counts as visible
  }
}
