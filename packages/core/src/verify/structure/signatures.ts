/**
 * Finding the signatures of a PDF: signature fields with a value (ISO 32000-2
 * §12.7.5.5, §12.8.1) and document timestamps (§12.8.5, SubFilter
 * ETSI.RFC3161), with the structural facts about each.
 */
import type { ByteSource } from '../../pdf/byte-source.js';
import type { PdfDocument } from '../../pdf/document.js';
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../pdf/objects.js';
import type { ByteRangeFacts, RevisionFacts, SignatureFacts } from '../facts.js';
import { checkByteRange, type DictLocation } from './byte-range.js';
import { parsePdfDate } from './pdf-date.js';
import { openingsFor, type DocumentOpenings } from './openings.js';

/** A signature or document timestamp as found in the file, before any cryptography. */
export interface FoundSignature {
  readonly index: number;
  readonly kind: 'signature' | 'document-timestamp';
  /** Fully qualified field name, or null. */
  readonly field: string | null;
  /** The signature dictionary's object number (the field's own number when /V is a direct dictionary). */
  readonly object: number;
  /** The first revision in which the field holds this value. */
  readonly revision: number;
  readonly filter: string | null;
  readonly subFilter: string | null;
  readonly claimed: SignatureFacts['claimed'];
  readonly byteRange: ByteRangeFacts;
  /** The DER CMS (or TimeStampToken) from /Contents without its zero padding; null when there is none. */
  readonly contents: Uint8Array | null;
  readonly docMdp: SignatureFacts['docMdp'];
  readonly fieldMdp: SignatureFacts['fieldMdp'];
}

/** Options of {@link findSignatures}. */
export interface FindSignaturesOptions {
  /** User or owner password of an encrypted document. */
  readonly password?: string;
  /**
   * The documents of this verification, opened once and shared with the
   * other stages (see openings.ts); used when they read this source with
   * this password, else the documents are opened here.
   */
  readonly openings?: DocumentOpenings;
}

/**
 * Every signature field with a signature dictionary as its value and every
 * document timestamp, ordered by the revision that added it, then by object
 * number.
 * @throws KysoError (ERR_PDF_*) only when the document itself cannot be opened.
 */
export function findSignatures(source: ByteSource, revisions: readonly RevisionFacts[], opts: FindSignaturesOptions = {}): FoundSignature[] {
  const openings = openingsFor(source, opts.password, opts.openings);
  const doc = openings.whole();
  const found = new Map<number, { field: string; fieldNum: number; dict: PdfDict; where: DictLocation }>();
  for (const f of openings.fields(doc)) {
    if (f.type !== 'Sig') continue;
    const v = f.value;
    const dict = safe(() => doc.dictOf(v), null);
    if (!dict) continue;
    const where: DictLocation = v instanceof PdfRef ? { kind: 'object', num: v.num } : { kind: 'none' };
    const num = v instanceof PdfRef ? v.num : f.ref.num;
    if (!found.has(num)) found.set(num, { field: f.name, fieldNum: f.ref.num, dict, where });
  }

  const opened = new Map<number, PdfDocument | null>();
  const docAt = (index: number): PdfDocument | null => {
    if (!opened.has(index)) {
      const r = revisions.find((x) => x.index === index);
      opened.set(index, r ? safe(() => openings.at(r.end), null) : null);
    }
    return opened.get(index)!;
  };
  const added = revisionsAdding(revisions, [...found.entries()].map(([num, s]) => ({ num, fieldNum: s.fieldNum })), docAt, openings);
  const perms = safe(() => doc.dictOf(doc.catalog().get('Perms')), null);
  const docMdpRef = perms?.get('DocMDP');

  const list = [...found.entries()].map(([num, s]) => {
    const { dict } = s;
    const filter = nameOf(doc, dict.get('Filter'));
    const subFilter = nameOf(doc, dict.get('SubFilter'));
    const kind: FoundSignature['kind'] = dict.name('Type') === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature';
    const check = checkByteRange(source, revisions, doc, dict, s.where, docAt);
    const last = revisions.length > 0 ? revisions[revisions.length - 1]!.index : 0;
    const revision = added.get(num) ?? check.facts.coveredRevision ?? last;
    const isCertification = docMdpRef instanceof PdfRef && s.where.kind === 'object' && docMdpRef.num === num;
    return {
      kind,
      field: s.field || null,
      object: num,
      revision,
      filter,
      subFilter,
      claimed: {
        time: textOf(doc, dict.get('M')).map(parsePdfDate)[0] ?? null,
        name: textOf(doc, dict.get('Name'))[0] ?? null,
        reason: textOf(doc, dict.get('Reason'))[0] ?? null,
        location: textOf(doc, dict.get('Location'))[0] ?? null,
      },
      byteRange: check.facts,
      contents: check.contents,
      docMdp: isCertification ? docMdpOf(doc, dict) : null,
      fieldMdp: fieldMdpOf(doc, dict),
    };
  });
  list.sort((a, b) => a.revision - b.revision || a.object - b.object);
  return list.map((s, index) => ({ index, ...s }));
}

/**
 * For each signature value, the oldest revision in which its field already
 * holds it: each revision is opened as the document it was (the bytes up to
 * its end) and its fields read.
 */
function revisionsAdding(
  revisions: readonly RevisionFacts[],
  wanted: readonly { num: number; fieldNum: number }[],
  docAt: (index: number) => PdfDocument | null,
  openings: DocumentOpenings,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of revisions) {
    if (out.size === wanted.length) break;
    let values: Map<number, PdfValue | undefined>;
    const doc = docAt(r.index);
    if (!doc) continue;
    try {
      values = new Map(openings.fields(doc).map((f) => [f.ref.num, f.value]));
    } catch {
      continue;
    }
    for (const w of wanted) {
      if (out.has(w.num)) continue;
      const v = values.get(w.fieldNum);
      if (v === undefined) continue;
      const holds = v instanceof PdfRef ? v.num === w.num : v instanceof PdfDict && w.num === w.fieldNum;
      if (holds) out.set(w.num, r.index);
    }
  }
  return out;
}

/** DocMDP P from the signature's /Reference (ISO 32000-2 §12.8.2.2, Table 257: default 2). */
function docMdpOf(doc: PdfDocument, sig: PdfDict): 1 | 2 | 3 | null {
  for (const ref of references(doc, sig)) {
    if (ref.name('TransformMethod') !== 'DocMDP') continue;
    const params = safe(() => doc.dictOf(ref.get('TransformParams')), null);
    const p = params ? safe(() => doc.resolve(params.get('P')), null) : null;
    return p === 1 || p === 3 ? p : 2;
  }
  return null;
}

/** FieldMDP lock from the signature's /Reference (ISO 32000-2 §12.8.2.4, Table 259). */
function fieldMdpOf(doc: PdfDocument, sig: PdfDict): FoundSignature['fieldMdp'] {
  for (const ref of references(doc, sig)) {
    if (ref.name('TransformMethod') !== 'FieldMDP') continue;
    const params = safe(() => doc.dictOf(ref.get('TransformParams')), null);
    if (!params) continue;
    const action = params.name('Action');
    if (action !== 'All' && action !== 'Include' && action !== 'Exclude') continue;
    const fields = safe(() => doc.resolve(params.get('Fields')), null);
    const names = Array.isArray(fields) ? fields.flatMap((f) => textOf(doc, f)) : [];
    return { action, fields: action === 'All' ? [] : names };
  }
  return null;
}

function references(doc: PdfDocument, sig: PdfDict): PdfDict[] {
  const refs = safe(() => doc.resolve(sig.get('Reference')), null);
  if (!Array.isArray(refs)) return [];
  return refs.slice(0, 64).flatMap((r) => {
    const d = safe(() => doc.dictOf(r), null);
    return d ? [d] : [];
  });
}

function nameOf(doc: PdfDocument, v: PdfValue | undefined): string | null {
  const r = safe(() => doc.resolve(v), null);
  return r instanceof PdfName ? r.name : null;
}

/** The text of a text string, as a zero- or one-element list. */
function textOf(doc: PdfDocument, v: PdfValue | undefined): string[] {
  const r = safe(() => doc.resolve(v), null);
  return r instanceof PdfString ? [decodeTextString(r)] : [];
}

function safe<T, D>(read: () => T, dflt: D): T | D {
  try {
    return read();
  } catch {
    return dflt;
  }
}
