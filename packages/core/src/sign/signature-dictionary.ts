import type { PdfDocument } from '../pdf/document.js';
import { dict, name, PdfDict, PdfString, textString, type PdfValue } from '../pdf/objects.js';
import { ascii } from '../util/bytes.js';
import type { SigningRequest } from './signing-request.js';

/**
 * The signature dictionary's entries (ISO 32000-2 §12.8.1, Table 255) other
 * than /ByteRange and /Contents, which the placeholder writer adds: the
 * SubFilter, the DocMDP and FieldMDP transforms (§12.8.2), /M, the signer's
 * name, reason, location and contact, and kyso as the building application.
 */
export function signatureDictionary(request: SigningRequest): PdfDict {
  const { doc, options, signerName } = request;
  const sig = dict({ Type: name('Sig'), Filter: name('Adobe.PPKLite'), SubFilter: name(request.subFilter) });
  const reference = transformReferences(doc, options);
  if (reference.length) sig.set('Reference', reference);
  sig.set('M', pdfDate(request.signingTime));
  if (signerName) sig.set('Name', textString(signerName));
  if (options.reason) sig.set('Reason', textString(options.reason));
  if (options.location) sig.set('Location', textString(options.location));
  if (options.contactInfo) sig.set('ContactInfo', textString(options.contactInfo));
  sig.set('Prop_Build', dict({ App: dict({ Name: name('kyso') }) }));
  return sig;
}

/** `D:YYYYMMDDHHmmSSZ` (ISO 32000-2 §7.9.4), in UTC so the value is unambiguous. */
export function pdfDate(d: Date): PdfString {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return new PdfString(ascii(`D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`));
}

/** Signature reference dictionaries (§12.8.1, Table 256): DocMDP for a certification, FieldMDP for a lock. */
function transformReferences(doc: PdfDocument, options: SigningRequest['options']): PdfValue[] {
  const reference: PdfValue[] = [];
  if (options.certify) {
    reference.push(transformRef('DocMDP', dict({ Type: name('TransformParams'), P: options.certify, V: name('1.2') })));
  }
  if (options.lock) {
    const params = dict({ Type: name('TransformParams'), Action: name(options.lock.action), V: name('1.2') });
    if (options.lock.action !== 'All') params.set('Fields', options.lock.fields.map((f) => textString(f)));
    // ISO 32000-1 Table 253: /Data is required with FieldMDP (deprecated in PDF 2.0, harmless there).
    reference.push(transformRef('FieldMDP', params).set('Data', doc.rootRef));
  }
  return reference;
}

function transformRef(method: 'DocMDP' | 'FieldMDP', params: PdfDict): PdfDict {
  return dict({ Type: name('SigRef'), TransformMethod: name(method), TransformParams: params });
}
