/**
 * Writes the Document Security Store (ISO 32000-2 §12.8.4.3, Table 261; ETSI
 * EN 319 142-1 §5.4.2) as one incremental update: the certificates, OCSP
 * responses and CRLs as streams, and one /VRI entry per signature (§12.8.4.4,
 * Table 262). An existing /DSS is merged: its streams are kept (by reference)
 * and not written again, its /VRI entries kept unless this update gives the
 * same key new data.
 */
import { kysoError } from '../errors/index.js';
import type { ByteSource } from '../pdf/byte-source.js';
import type { PdfDocument } from '../pdf/document.js';
import { buildIncrement, ObjectAllocator, type UpdateObject } from '../pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, PdfStream, type PdfValue } from '../pdf/objects.js';
import { pdfDate } from '../sign/signature-dictionary.js';
import { inputFingerprint, updateId } from '../sign/fingerprint.js';
import { toBase64 } from '../util/base64.js';

/** Validation data of one signature, DER. */
export interface DssEntry {
  /** Upper-case hex SHA-1 of the signature's /Contents (ISO 32000-2 §12.8.4.4); null writes no /VRI entry. */
  readonly vriKey: string | null;
  readonly certs: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
}

/** What {@link buildDssUpdate} wrote. */
export interface DssUpdate {
  /** The bytes to append; empty when the file already holds everything. */
  readonly bytes: Uint8Array;
  /** New streams written (data already in the /DSS is referenced, not repeated). */
  readonly added: { readonly certs: number; readonly ocsps: number; readonly crls: number; readonly vri: number };
}

type Kind = 'Certs' | 'OCSPs' | 'CRLs';

/**
 * Builds the update that adds `entries` to the document's /DSS.
 * @param time written as each new /VRI entry's /TU (when the data was gathered).
 */
export function buildDssUpdate(doc: PdfDocument, source: ByteSource, entries: readonly DssEntry[], time: Date): DssUpdate {
  if (!entries || typeof entries[Symbol.iterator] !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'entries must be an array');
  const alloc = new ObjectAllocator(doc.size);
  const objects: UpdateObject[] = [];
  const catalog = doc.catalog();
  const rawDss = catalog.get('DSS');
  const old = doc.dictOf(rawDss);

  // Existing streams by content, so nothing is stored twice.
  const known: Record<Kind, Map<string, PdfRef>> = { Certs: new Map(), OCSPs: new Map(), CRLs: new Map() };
  const arrays: Record<Kind, PdfValue[]> = { Certs: [], OCSPs: [], CRLs: [] };
  for (const kind of ['Certs', 'OCSPs', 'CRLs'] as const) {
    const items = old ? doc.resolve(old.get(kind)) : null;
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      arrays[kind].push(item);
      if (!(item instanceof PdfRef)) continue;
      try {
        const s = doc.resolve(item);
        if (s instanceof PdfStream) known[kind].set(toBase64(doc.streamData(s)), item);
      } catch {
        // unreadable: kept as it is, never matched
      }
    }
  }
  const added = { certs: 0, ocsps: 0, crls: 0, vri: 0 };
  const refOf = (kind: Kind, der: Uint8Array): PdfRef => {
    const key = toBase64(der);
    const have = known[kind].get(key);
    if (have) return have;
    const ref = alloc.next();
    // Table 261: each entry is a stream holding one DER object (RFC 5280 certificate or CRL, RFC 6960 OCSPResponse).
    objects.push({ num: ref.num, value: new PdfStream(new PdfDict(), -1, der.length, der) });
    known[kind].set(key, ref);
    arrays[kind].push(ref);
    added[kind === 'Certs' ? 'certs' : kind === 'OCSPs' ? 'ocsps' : 'crls']++;
    return ref;
  };

  const oldVri = old ? doc.dictOf(old.get('VRI')) : null;
  const vri = oldVri ? oldVri.clone() : new PdfDict();
  for (const e of entries) {
    const certs = e.certs.map((d) => refOf('Certs', d));
    const ocsps = e.ocsps.map((d) => refOf('OCSPs', d));
    const crls = e.crls.map((d) => refOf('CRLs', d));
    if (!e.vriKey) continue;
    if (!/^[0-9A-F]{40}$/.test(e.vriKey)) throw kysoError('ERR_INVALID_ARGUMENT', `VRI key ${e.vriKey} is not upper-case hex SHA-1`);
    const before = doc.dictOf(vri.get(e.vriKey));
    const merged = (k: string, refs: PdfRef[]): PdfRef[] => {
      const prev = before ? doc.resolve(before.get(k)) : null;
      const all = [...(Array.isArray(prev) ? prev.filter((x): x is PdfRef => x instanceof PdfRef) : []), ...refs];
      const seen = new Set<number>();
      return all.filter((r) => (seen.has(r.num) ? false : (seen.add(r.num), true)));
    };
    const next = merged('Cert', certs).length + merged('OCSP', ocsps).length + merged('CRL', crls).length;
    const prevCount = before ? (['Cert', 'OCSP', 'CRL'] as const).reduce((n, k) => n + merged(k, []).length, 0) : -1;
    if (next === prevCount) continue; // nothing new for this signature
    // Table 262: /Cert, /CRL, /OCSP arrays of the streams above; /TU the time the data was gathered.
    const entry = dict({ Type: name('VRI') });
    if (merged('Cert', certs).length) entry.set('Cert', merged('Cert', certs));
    if (merged('OCSP', ocsps).length) entry.set('OCSP', merged('OCSP', ocsps));
    if (merged('CRL', crls).length) entry.set('CRL', merged('CRL', crls));
    entry.set('TU', pdfDate(time));
    vri.set(e.vriKey, entry);
    added.vri++;
  }

  if (added.certs + added.ocsps + added.crls + added.vri === 0) return { bytes: new Uint8Array(0), added };

  const dss = dict({ Type: name('DSS') });
  // Keys of the old /DSS that this writer does not manage are kept.
  for (const [k, v] of old?.map ?? []) if (!['Type', 'Certs', 'OCSPs', 'CRLs', 'VRI'].includes(k)) dss.set(k, v);
  if (vri.map.size) dss.set('VRI', vri);
  for (const kind of ['Certs', 'OCSPs', 'CRLs'] as const) if (arrays[kind].length) dss.set(kind, arrays[kind]);
  const dssRef = rawDss instanceof PdfRef ? rawDss : alloc.next();
  objects.push({ num: dssRef.num, gen: dssRef.gen, value: dss });
  if (!(rawDss instanceof PdfRef)) objects.push({ num: doc.rootRef.num, gen: doc.rootRef.gen, value: catalog.clone().set('DSS', dssRef) });

  const fp = inputFingerprint(source);
  const newId = updateId(fp, source.length, time, 'dss');
  const lastByte = source.length ? source.read(source.length - 1, 1)[0]! : 0;
  return { bytes: buildIncrement(doc, objects, { newId, lastByte }).bytes, added };
}
