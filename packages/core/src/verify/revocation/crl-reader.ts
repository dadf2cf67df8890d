/**
 * Reading a CertificateList (RFC 5280 §5.1) for lookups. A CA's CRL may
 * list hundreds of thousands of certificates; asn1js builds a tree of every
 * entry (about 65 µs each here) and pkijs then compares each against its
 * schema (twice that again), so a 50,000-entry CRL took ten seconds. What a
 * relying party needs from the list is the entry of one serial (§6.3.3 (i)):
 * the header fields go through pkijs as before, from the same bytes; the
 * revokedCertificates list is walked by its TLV headers once, each entry
 * checked for its shape (§5.1: SEQUENCE { INTEGER, Time, Extensions
 * OPTIONAL }), and only the entries of the serial asked about are decoded,
 * through pkijs. The signature still covers the TBSCertList as received.
 */
import * as pkijs from 'pkijs';
import { decodeExact, derTlv, readChildren, readTlv, type TlvSpan } from '../../crypto/raw-der.js';
import { RecentBytesMap } from '../../util/recent-map.js';

/** A CRL ready for lookups: its header decoded, its list located. */
export interface CrlView {
  readonly issuer: pkijs.RelativeDistinguishedNames;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  /** crlExtensions (§5.2), empty when absent. */
  readonly extensions: readonly pkijs.Extension[];
  /** The outer signatureAlgorithm (§5.1.1.2). */
  readonly signatureAlgorithm: pkijs.AlgorithmIdentifier;
  /** The TBSCertList as received, what the signature covers (§5.1.1.3). */
  readonly tbs: Uint8Array;
  /** The signatureValue BIT STRING's contents. */
  readonly signature: Uint8Array;
  /** How many certificates the list holds. */
  readonly size: number;
  /**
   * The entries whose userCertificate equals `serial` (an INTEGER's content
   * octets; a leading sign octet does not matter), in list order, decoded.
   * @throws Error when such an entry does not decode.
   */
  entriesFor(serial: Uint8Array): pkijs.RevokedCertificate[];
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/**
 * Reads a DER CertificateList. Encodings the TLV walk does not take
 * (indefinite lengths, multi-octet tags) are decoded whole by asn1js and
 * pkijs instead, as every CRL was before; the verdicts are the same.
 * @throws Error saying why the bytes are not a CertificateList.
 */
export function readCrl(der: Uint8Array): CrlView {
  return recent.getOrCreate(der, () => read(der));
}

/** The last CRLs read: one is judged for every certificate of a path and every signature of a file. */
const recent = new RecentBytesMap<CrlView>(4);

function read(der: Uint8Array): CrlView {
  const layout = locate(der);
  if (!layout) return readCrlWhole(der);
  const bytes = der.slice();
  const part = (s: TlvSpan): Uint8Array => bytes.subarray(s.start, s.end);
  // The CRL without its list, for pkijs's schema: the same header bytes, wrappers re-measured.
  const shell = derTlv(SEQUENCE, derTlv(SEQUENCE, ...layout.header.map(part)), part(layout.algorithm), part(layout.signature));
  const crl = new pkijs.CertificateRevocationList({ schema: decodeExact(shell) });
  if (crl.revokedCertificates) throw new Error('revokedCertificates out of place');
  const serials = layout.list ? indexSerials(bytes, layout.list) : new Uint32Array(0);
  return {
    ...headerOf(crl),
    tbs: part(layout.tbs),
    size: serials.length / 3,
    entriesFor(serial) {
      const wanted = unsigned(serial);
      const out: pkijs.RevokedCertificate[] = [];
      for (let k = 0; k < serials.length; k += 3) {
        if (!sameOctets(bytes, serials[k + 1]!, serials[k + 2]!, wanted)) continue;
        const entry = readTlv(bytes, serials[k]!)!;
        out.push(new pkijs.RevokedCertificate({ schema: decodeExact(part(entry)) }));
      }
      return out;
    },
  };
}

/**
 * The same view, read as every CRL was before decision 0038: the whole
 * value through asn1js and pkijs's schema. For encodings the TLV walk does
 * not take, and for the tests that hold both readings equal.
 * @internal
 */
export function readCrlWhole(der: Uint8Array): CrlView {
  return fromPkijs(new pkijs.CertificateRevocationList({ schema: decodeExact(der) }));
}

function headerOf(crl: pkijs.CertificateRevocationList): Omit<CrlView, 'tbs' | 'size' | 'entriesFor'> {
  return {
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
    extensions: crl.crlExtensions?.extensions ?? [],
    signatureAlgorithm: crl.signatureAlgorithm,
    signature: crl.signatureValue.valueBlock.valueHexView,
  };
}

function fromPkijs(crl: pkijs.CertificateRevocationList): CrlView {
  const list = crl.revokedCertificates ?? [];
  return {
    ...headerOf(crl),
    tbs: crl.tbsView,
    size: list.length,
    entriesFor(serial) {
      const wanted = unsigned(serial);
      return list.filter((e) => {
        const v = e.userCertificate.valueBlock.valueHexView;
        return sameOctets(v, 0, v.length, wanted);
      });
    },
  };
}

/** Where the parts of a CertificateList lie, or null when they are not all plain DER TLVs. */
interface Layout {
  readonly tbs: TlvSpan;
  /** The TBSCertList's fields but revokedCertificates. */
  readonly header: TlvSpan[];
  readonly list: TlvSpan | null;
  readonly algorithm: TlvSpan;
  readonly signature: TlvSpan;
}

/**
 * TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature
 * AlgorithmIdentifier, issuer Name, thisUpdate Time, nextUpdate Time
 * OPTIONAL, revokedCertificates SEQUENCE OF … OPTIONAL, crlExtensions [0]
 * OPTIONAL } (§5.1). Anything else is left to pkijs, which says what is wrong.
 */
function locate(der: Uint8Array): Layout | null {
  const root = readTlv(der, 0);
  if (!root || root.tag !== SEQUENCE || root.end !== der.length) return null;
  const top = readChildren(der, root);
  if (!top || top.length !== 3 || top[0]!.tag !== SEQUENCE) return null;
  const [tbs, algorithm, signature] = top as [TlvSpan, TlvSpan, TlvSpan];
  const fields = readChildren(der, tbs);
  if (!fields) return null;
  let i = fields[0]?.tag === INTEGER ? 1 : 0;
  i += 3; // signature, issuer, thisUpdate: pkijs checks them
  if (isTime(fields[i])) i++;
  const list = fields[i]?.tag === SEQUENCE ? fields[i]! : null;
  if (!list) return { tbs, header: fields, list: null, algorithm, signature };
  return { tbs, header: fields.filter((f) => f !== list), list, algorithm, signature };
}

function isTime(span: TlvSpan | undefined): boolean {
  return span?.tag === UTC_TIME || span?.tag === GENERALIZED_TIME;
}

/**
 * Walks revokedCertificates once, checking each entry's shape, and returns
 * [entry start, serial content start, serial content end] per entry.
 * @throws Error at the first entry that is not SEQUENCE { INTEGER, Time, [SEQUENCE] }.
 */
function indexSerials(der: Uint8Array, list: TlvSpan): Uint32Array {
  let out = new Uint32Array(3 * 1024);
  let n = 0;
  for (let at = list.contentStart; at < list.end;) {
    const entry = readTlv(der, at, list.end);
    const serial = entry?.tag === SEQUENCE ? readTlv(der, entry.contentStart, entry.end) : null;
    const date = serial?.tag === INTEGER && serial.end > serial.contentStart ? readTlv(der, serial.end, entry!.end) : null;
    const extensions = date && date.end < entry!.end ? readTlv(der, date.end, entry!.end) : null;
    const shaped = isTime(date ?? undefined) && (date!.end === entry!.end || (extensions?.tag === SEQUENCE && extensions.end === entry!.end));
    if (!shaped) throw new Error(`revokedCertificates entry ${n / 3 + 1} is not SEQUENCE { serial, revocationDate, extensions }`);
    if (n + 3 > out.length) {
      const grown = new Uint32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = entry!.start;
    out[n++] = serial!.contentStart;
    out[n++] = serial!.end;
    at = entry!.end;
  }
  return out.subarray(0, n);
}

/** An INTEGER's content octets without leading zero octets (one kept), so `00 80` and `80` compare equal. */
function unsigned(octets: Uint8Array): Uint8Array {
  let i = 0;
  while (i < octets.length - 1 && octets[i] === 0) i++;
  return octets.subarray(i);
}

function sameOctets(bytes: Uint8Array, start: number, end: number, wanted: Uint8Array): boolean {
  while (start < end - 1 && bytes[start] === 0) start++;
  if (end - start !== wanted.length) return false;
  for (let i = 0; i < wanted.length; i++) if (bytes[start + i] !== wanted[i]) return false;
  return true;
}
