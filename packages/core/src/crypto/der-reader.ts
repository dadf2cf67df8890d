/**
 * A small reader for definite-length encodings (DER, X.690 §10, plus the
 * non-minimal length forms some CAs still emit) used where kyso needs the
 * exact bytes of a field (issuer Name, serial, signed attributes) rather than
 * a decoded value: signatures cover encodings, so they must never be
 * re-encoded. Indefinite lengths are refused.
 * @internal
 */

/** One decoded TLV; `contents` and `encoded` are views into the input. */
export interface Tlv {
  readonly tag: number;
  /** The whole TLV. */
  readonly encoded: Uint8Array;
  /** The value octets. */
  readonly contents: Uint8Array;
  readonly constructed: boolean;
}

/** Thrown by the reader; callers turn it into a kyso error code. */
export class DerError extends Error {}

/**
 * Reads one TLV at `offset`. Only single-byte tags and definite lengths are
 * accepted; set `strict` to also refuse non-minimal length forms (X.690 §10.1).
 */
export function readTlv(bytes: Uint8Array, offset = 0, strict = false): Tlv {
  if (offset + 2 > bytes.length) throw new DerError('truncated header');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  let length = bytes[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) throw new DerError('indefinite length');
    if (n > 4) throw new DerError('length too large');
    if (offset + 2 + n > bytes.length) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[offset + 2 + i]!;
    if (strict && (length < 0x80 || bytes[offset + 2] === 0)) throw new DerError('non-minimal length');
    header += n;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new DerError('truncated value');
  return {
    tag,
    encoded: bytes.subarray(offset, end),
    contents: bytes.subarray(offset + header, end),
    constructed: (tag & 0x20) !== 0,
  };
}

/** Reads a TLV that must fill `bytes` exactly. */
export function readWhole(bytes: Uint8Array, expectedTag?: number): Tlv {
  const t = readTlv(bytes, 0);
  if (t.encoded.length !== bytes.length) throw new DerError('trailing bytes');
  if (expectedTag !== undefined && t.tag !== expectedTag) throw new DerError(`expected tag 0x${expectedTag.toString(16)}`);
  return t;
}

/** The children of a constructed TLV. */
export function children(parent: Tlv): Tlv[] {
  if (!parent.constructed) throw new DerError('not constructed');
  const out: Tlv[] = [];
  for (let at = 0; at < parent.contents.length;) {
    const child = readTlv(parent.contents, at);
    out.push(child);
    at += child.encoded.length;
  }
  return out;
}

/** Decodes an OBJECT IDENTIFIER TLV to dotted text. */
export function readOid(t: Tlv): string {
  if (t.tag !== 0x06 || t.contents.length === 0) throw new DerError('expected OID');
  const arcs: bigint[] = [];
  let acc = 0n;
  for (let i = 0; i < t.contents.length; i++) {
    const b = t.contents[i]!;
    if (acc === 0n && b === 0x80) throw new DerError('non-minimal OID arc');
    acc = (acc << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(acc);
      acc = 0n;
    } else if (i === t.contents.length - 1) {
      throw new DerError('truncated OID');
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The fields of an X.509 certificate kyso copies verbatim (RFC 5280 §4.1). */
export interface CertificateFields {
  readonly tbs: Tlv;
  /** serialNumber INTEGER TLV. */
  readonly serial: Tlv;
  /** issuer Name TLV. */
  readonly issuer: Tlv;
  readonly subject: Tlv;
  /** subjectPublicKeyInfo TLV. */
  readonly spki: Tlv;
}

/** Splits a DER certificate into the raw fields kyso needs; throws {@link DerError}. */
export function certificateFields(der: Uint8Array): CertificateFields {
  const cert = readWhole(der, 0x30);
  const [tbs] = children(cert);
  if (!tbs || tbs.tag !== 0x30) throw new DerError('no tbsCertificate');
  const f = children(tbs);
  // version is [0] EXPLICIT and optional (RFC 5280 §4.1.2.1).
  const i = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = f[i];
  const issuer = f[i + 2];
  const subject = f[i + 4];
  const spki = f[i + 5];
  if (!serial || serial.tag !== 0x02 || !issuer || issuer.tag !== 0x30 || !subject || subject.tag !== 0x30 || !spki || spki.tag !== 0x30) {
    throw new DerError('unexpected tbsCertificate layout');
  }
  return { tbs, serial, issuer, subject, spki };
}
