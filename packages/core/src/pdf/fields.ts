import { kysoError } from '../errors/index.js';
import type { PdfDocument } from './document.js';
import { decodeTextString, PdfDict, PdfRef, PdfString, type PdfValue } from './objects.js';

/** A terminal form field (ISO 32000-2 §12.7.4). */
export interface FieldInfo {
  readonly ref: PdfRef;
  readonly dict: PdfDict;
  /** Fully qualified name: partial names joined by periods (§12.7.4.2). */
  readonly name: string;
  /** Inherited /FT. */
  readonly type: string | undefined;
  /** The value (/V), unresolved. */
  readonly value: PdfValue | undefined;
}

const MAX_FIELDS = 100_000;

/** Walks the AcroForm field tree, guarding against cycles and huge trees. */
export function listFields(doc: PdfDocument): FieldInfo[] {
  const acro = doc.dictOf(doc.catalog().get('AcroForm'));
  if (!acro) return [];
  const roots = doc.resolve(acro.get('Fields'));
  if (!Array.isArray(roots)) return [];
  const out: FieldInfo[] = [];
  const seen = new Set<number>();
  const stack: { v: PdfValue; parentName: string; ft: string | undefined }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ v: roots[i]!, parentName: '', ft: undefined });
  while (stack.length) {
    const { v, parentName, ft } = stack.pop()!;
    if (!(v instanceof PdfRef)) continue;
    if (seen.has(v.num)) throw kysoError('ERR_PDF_MALFORMED', `form field tree cycle at object ${v.num}`);
    seen.add(v.num);
    if (seen.size > MAX_FIELDS) throw kysoError('ERR_PDF_LIMIT', 'too many form fields');
    const d = doc.get(v);
    if (!(d instanceof PdfDict)) continue;
    const t = doc.resolve(d.get('T'));
    const partial = t instanceof PdfString ? decodeTextString(t) : '';
    const name = partial ? (parentName ? `${parentName}.${partial}` : partial) : parentName;
    const type = d.name('FT') ?? ft;
    const kids = doc.resolve(d.get('Kids'));
    // Kids that have /T are fields; kids without /T are widgets of this field.
    const fieldKids = Array.isArray(kids)
      ? kids.filter((k) => {
          const kd = doc.dictOf(k);
          return kd !== null && kd.has('T');
        })
      : [];
    if (fieldKids.length) {
      for (let i = fieldKids.length - 1; i >= 0; i--) stack.push({ v: fieldKids[i]!, parentName: name, ft: type });
    } else {
      out.push({ ref: v, dict: d, name, type, value: d.get('V') });
    }
  }
  return out;
}

/** The DocMDP permission of a certification signature in the file (§12.8.2.2), or null. */
export function docMdpPermission(doc: PdfDocument): 1 | 2 | 3 | null {
  const perms = doc.dictOf(doc.catalog().get('Perms'));
  const sig = perms ? doc.dictOf(perms.get('DocMDP')) : null;
  if (!sig) return null;
  const refs = doc.resolve(sig.get('Reference'));
  if (!Array.isArray(refs)) return 2;
  for (const r of refs) {
    const rd = doc.dictOf(r);
    if (rd?.name('TransformMethod') !== 'DocMDP') continue;
    const tp = doc.dictOf(rd.get('TransformParams'));
    const p = tp ? doc.resolve(tp.get('P')) : null;
    return p === 1 || p === 3 ? p : 2;
  }
  return 2;
}
