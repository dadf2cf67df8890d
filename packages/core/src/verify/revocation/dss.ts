/**
 * The Document Security Store (ISO 32000-2 §12.8.4.3; ETSI EN 319 142-1
 * §5.4.2): validation data a PAdES-LT/LTA file carries for all its signatures.
 */
import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfStream, PdfString, decodeTextString, type PdfValue } from '../../pdf/objects.js';
import { toHex } from '../../util/bytes.js';
import { hashBytes } from './signature.js';

/** Validation data of one signature in /VRI (ISO 32000-2 §12.8.4.4). */
export interface VriEntry {
  readonly certs: Uint8Array[];
  readonly ocsps: Uint8Array[];
  readonly crls: Uint8Array[];
  /** /TU, the time the data was gathered, as written (a PDF date string), or null. */
  readonly time: string | null;
}

/** The catalog's /DSS, streams decoded. */
export interface DssContents {
  readonly certs: Uint8Array[];
  readonly ocsps: Uint8Array[];
  readonly crls: Uint8Array[];
  /** Keyed by upper-case hex SHA-1 of a signature's /Contents bytes (see {@link vriKey}). */
  readonly vri: Map<string, VriEntry>;
  /** Entries that could not be read (skipped, never guessed). */
  readonly notes: string[];
}

/**
 * Reads the catalog's /DSS of `doc`: the /Certs, /OCSPs and /CRLs arrays of
 * streams (direct or indirect arrays) and the /VRI dictionary. A document
 * without /DSS gives empty lists; unreadable entries are skipped and noted.
 */
export function readDss(doc: PdfDocument): DssContents {
  const out: DssContents = { certs: [], ocsps: [], crls: [], vri: new Map(), notes: [] };
  let dss: PdfDict | null;
  try {
    dss = doc.dictOf(doc.catalog().get('DSS'));
  } catch (e) {
    out.notes.push(`/DSS cannot be read: ${message(e)}`);
    return out;
  }
  if (!dss) return out;
  out.certs.push(...streams(doc, dss.get('Certs'), '/DSS /Certs', out.notes));
  out.ocsps.push(...streams(doc, dss.get('OCSPs'), '/DSS /OCSPs', out.notes));
  out.crls.push(...streams(doc, dss.get('CRLs'), '/DSS /CRLs', out.notes));
  let vri: PdfDict | null = null;
  try {
    vri = doc.dictOf(dss.get('VRI'));
  } catch (e) {
    out.notes.push(`/DSS /VRI cannot be read: ${message(e)}`);
  }
  for (const [key, value] of vri?.map ?? []) {
    const where = `/VRI /${key}`;
    let entry: PdfDict | null;
    try {
      entry = doc.dictOf(value);
    } catch (e) {
      out.notes.push(`${where} cannot be read: ${message(e)}`);
      continue;
    }
    if (!entry) {
      out.notes.push(`${where} is not a dictionary`);
      continue;
    }
    let time: string | null = null;
    try {
      const tu = doc.resolve(entry.get('TU'));
      if (tu instanceof PdfString) time = decodeTextString(tu);
    } catch {
      // /TU is informative only
    }
    out.vri.set(key.toUpperCase(), {
      certs: streams(doc, entry.get('Cert'), `${where} /Cert`, out.notes),
      ocsps: streams(doc, entry.get('OCSP'), `${where} /OCSP`, out.notes),
      crls: streams(doc, entry.get('CRL'), `${where} /CRL`, out.notes),
      time,
    });
  }
  return out;
}

/** The decoded data of each stream of an (optionally indirect) array. */
function streams(doc: PdfDocument, value: PdfValue | undefined, where: string, notes: string[]): Uint8Array[] {
  if (value === undefined) return [];
  let array: PdfValue;
  try {
    array = doc.resolve(value);
  } catch (e) {
    notes.push(`${where} cannot be read: ${message(e)}`);
    return [];
  }
  if (array === null) return [];
  if (!Array.isArray(array)) {
    notes.push(`${where} is not an array`);
    return [];
  }
  const out: Uint8Array[] = [];
  array.forEach((item, i) => {
    try {
      const s = doc.resolve(item);
      if (!(s instanceof PdfStream)) {
        notes.push(`${where}[${i}] is not a stream`);
        return;
      }
      out.push(doc.streamData(s));
    } catch (e) {
      notes.push(`${where}[${i}] cannot be decoded: ${message(e)}`);
    }
  });
  return out;
}

/**
 * The /VRI key of a signature: upper-case hex SHA-1 of its /Contents string
 * bytes as stored, zero padding included (ISO 32000-2 §12.8.4.4, what
 * Adobe, EU DSS and pyHanko write).
 */
export async function vriKey(contents: Uint8Array): Promise<string> {
  return toHex(await hashBytes('SHA-1', contents)).toUpperCase();
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
