import { memorySource, type ByteSource } from '../../../src/pdf/byte-source.js';
import { PdfDocument } from '../../../src/pdf/document.js';
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../../src/pdf/objects.js';
import type { RevisionFacts } from '../../../src/verify/facts.js';
import { analyseModifications, createModificationCache, type FieldLockFact, type LaterSignature } from '../../../src/verify/modifications/index.js';
import type { ModificationFacts } from '../../../src/verify/facts.js';

/**
 * Revisions by a plain scan for `%%EOF` (independent of the verifier's own
 * revision finder): every end whose prefix opens as a PDF.
 */
export function revisionsOf(bytes: Uint8Array, password?: string): RevisionFacts[] {
  const text = new TextDecoder('latin1').decode(bytes);
  const out: RevisionFacts[] = [];
  for (const m of text.matchAll(/startxref\s+(\d+)\s+%%EOF/g)) {
    let end = m.index + m[0].length;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    let kind: 'table' | 'stream' = 'table';
    try {
      kind = PdfDocument.open(prefix(memorySource(bytes), end), { password }).xref.sections[0]!.kind;
    } catch {
      // kept: a revision that does not open is still a revision the analysis must account for
    }
    out.push({ index: out.length, end, startxref: Number(m[1]), xrefKind: kind });
  }
  return out;
}

function latin1(b: Uint8Array): string {
  return new TextDecoder('latin1').decode(b);
}

function prefix(source: ByteSource, end: number): ByteSource {
  return { length: end, read: (o, l) => source.read(o, Math.max(0, Math.min(l, end - o))) };
}

/** One signature found in the final document, with what modification analysis needs. */
export interface FoundSignature {
  readonly field: string;
  readonly object: number;
  readonly revision: number | null;
  readonly kind: 'signature' | 'document-timestamp';
  readonly docMdp: 1 | 2 | 3 | null;
  readonly locks: FieldLockFact[];
}

export function signaturesOf(bytes: Uint8Array, revisions: readonly RevisionFacts[], password?: string): FoundSignature[] {
  // The newest revision that opens (a hostile last update may not).
  let doc: PdfDocument | null = null;
  for (let i = revisions.length - 1; i >= 0 && !doc; i--) {
    try {
      doc = PdfDocument.open(prefix(memorySource(bytes), revisions[i]!.end), { password });
    } catch {
      doc = null;
    }
  }
  if (!doc) doc = PdfDocument.open(memorySource(bytes), { password });
  const acro = doc.dictOf(doc.catalog().get('AcroForm'));
  const out: FoundSignature[] = [];
  const top = acro ? doc.resolve(acro.get('Fields')) : null;
  const stack: { v: PdfValue; name: string; ft: string | null }[] = Array.isArray(top) ? top.map((v) => ({ v, name: '', ft: null })) : [];
  const seen = new Set<number>();
  while (stack.length) {
    const { v, name, ft } = stack.pop()!;
    if (!(v instanceof PdfRef) || seen.has(v.num)) continue;
    seen.add(v.num);
    const d = doc.dictOf(v);
    if (!d) continue;
    const t = doc.resolve(d.get('T'));
    const full = t instanceof PdfString ? (name ? `${name}.${decodeTextString(t)}` : decodeTextString(t)) : name;
    const type = d.name('FT') ?? ft;
    const kids = doc.resolve(d.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) stack.push({ v: k, name: full, ft: type });
    const sv = d.get('V');
    if (type !== 'Sig' || !(sv instanceof PdfRef)) continue;
    const sd = doc.dictOf(sv);
    const br = sd ? doc.resolve(sd.get('ByteRange')) : null;
    if (!sd || !Array.isArray(br) || br.length !== 4) continue;
    const end = (br[2] as number) + (br[3] as number);
    // Some signers cover the revision up to %%EOF without its end-of-line.
    const rev = revisions.find((r) => r.end >= end && r.end - end <= 2 && /^[\r\n]*$/.test(latin1(bytes.subarray(end, r.end))));
    let docMdp: 1 | 2 | 3 | null = null;
    const locks: FieldLockFact[] = [];
    const refs = doc.resolve(sd.get('Reference'));
    if (Array.isArray(refs)) for (const r of refs) {
      const rd = doc.dictOf(r);
      const tp = rd ? doc.dictOf(rd.get('TransformParams')) : null;
      if (!rd || !tp) continue;
      if (rd.name('TransformMethod') === 'DocMDP') {
        const p = doc.resolve(tp.get('P'));
        docMdp = p === 1 || p === 3 ? p : 2;
      } else if (rd.name('TransformMethod') === 'FieldMDP') {
        const action = tp.name('Action') as FieldLockFact['action'];
        const fs = doc.resolve(tp.get('Fields'));
        locks.push({ action, fields: Array.isArray(fs) ? fs.flatMap((f) => (f instanceof PdfString ? [decodeTextString(f)] : [])) : [] });
      }
    }
    const kind = sd.name('Type') === 'DocTimeStamp' || sd.name('SubFilter') === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature';
    out.push({ field: full, object: sv.num, revision: rev ? rev.index : null, kind, docMdp, locks });
  }
  return out.sort((a, b) => (a.revision ?? 1e9) - (b.revision ?? 1e9));
}

/** Runs the analysis for every signature of a file the way the verifier does. */
export function analyseAll(bytes: Uint8Array, password?: string): { sig: FoundSignature; facts: ModificationFacts }[] {
  const revisions = revisionsOf(bytes, password);
  const sigs = signaturesOf(bytes, revisions, password);
  const cert = sigs.find((s) => s.docMdp !== null);
  const cache = createModificationCache();
  return sigs.filter((s) => s.revision !== null).map((sig) => {
    const laterSignatures: LaterSignature[] = sigs
      .filter((s) => s.revision !== null && s.revision > sig.revision!)
      .map((s) => ({ revision: s.revision!, object: s.object, field: s.field, kind: s.kind }));
    const docMdp = cert && cert.revision !== null && cert.revision <= sig.revision! ? cert.docMdp : null;
    const facts = analyseModifications(memorySource(bytes), revisions, { revision: sig.revision!, object: sig.object, field: sig.field },
      { docMdp, fieldLocks: sig.locks, laterSignatures, password, cache });
    return { sig, facts };
  });
}

export { PdfName, PdfDict };
