import * as pkijs from 'pkijs';
import { OID, kysoError, parseCertificate as coreParseCertificate } from '@kyso/core';
import { decodeBer } from './ber.js';
import { bytesEqual, copyBytes, subtle, toHex } from './bytes.js';
import { profileFromAlgorithm, type KeyProfile } from './key-profile.js';
import { nodeCrypto } from './node-crypto.js';

/**
 * A certificate kept as its original DER (never re-encoded), with the raw
 * fields the software adapters compare: issuer, subject and
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.4, .6, .7).
 */
export interface ParsedCertificate {
  readonly der: Uint8Array<ArrayBuffer>;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array<ArrayBuffer>;
  /** The pkijs form, decoded on first use, for the adapters' own code (left out of the published declarations: pkijs's types need the DOM library). @internal */
  readonly cert: pkijs.Certificate;
}

/**
 * Parses an X.509 certificate (RFC 5280 §4.1); `ERR_CERT_MALFORMED` if it is not one.
 *
 * Core decodes it, into the cache the signature's own steps then read (its
 * algorithm, the signed attributes, the CMS certificates): the adapter's own
 * pkijs decoding of the same certificates was ~10 ms of a `kyso sign`
 * (docs/decisions/0037-software-key-start-up.md). The adapter then takes the
 * fields it compares straight from the DER. A certificate core does not take
 * (a key type core cannot sign with, say a CA's Ed25519 key) is decoded here as
 * before, and is refused only if pkijs cannot read it either.
 */
export function parseCertificate(der: Uint8Array, what = 'certificate'): ParsedCertificate {
  const own = copyBytes(der);
  let fields: RawFields | undefined;
  try {
    coreParseCertificate(own);
    fields = rawFields(own);
  } catch {
    fields = undefined;
  }
  if (fields) return new LazyCertificate(own, fields, what);
  const cert = decodePkijs(own, what);
  return new LazyCertificate(own, {
    issuer: new Uint8Array(cert.issuer.valueBeforeDecode),
    subject: new Uint8Array(cert.subject.valueBeforeDecode),
    spki: new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false)),
  }, what, cert);
}

interface RawFields {
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array<ArrayBuffer>;
}

class LazyCertificate implements ParsedCertificate {
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array<ArrayBuffer>;
  #cert: pkijs.Certificate | undefined;

  constructor(readonly der: Uint8Array<ArrayBuffer>, fields: RawFields, private readonly what: string, cert?: pkijs.Certificate) {
    this.issuer = fields.issuer;
    this.subject = fields.subject;
    this.spki = fields.spki;
    this.#cert = cert;
  }

  get cert(): pkijs.Certificate {
    return (this.#cert ??= decodePkijs(this.der, this.what));
  }
}

function decodePkijs(der: Uint8Array<ArrayBuffer>, what: string): pkijs.Certificate {
  try {
    const asn1 = decodeBer(der);
    if (asn1.offset === -1 || asn1.offset !== der.byteLength) throw new Error(asn1.result.error || 'trailing bytes after the certificate');
    return new pkijs.Certificate({ schema: asn1.result });
  } catch (cause) {
    throw kysoError('ERR_CERT_MALFORMED', `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

/**
 * Issuer, subject and SubjectPublicKeyInfo as encoded, found by walking the
 * DER headers of Certificate and TBSCertificate (RFC 5280 §4.1); `undefined`
 * for anything but definite-length DER, which then goes through pkijs.
 */
function rawFields(der: Uint8Array<ArrayBuffer>): RawFields | undefined {
  const cert = tlv(der, 0, der.length);
  if (!cert || cert.tag !== 0x30 || cert.end !== der.length) return undefined;
  const tbs = tlv(der, cert.start, cert.end);
  if (!tbs || tbs.tag !== 0x30) return undefined;
  const fields: Tlv[] = [];
  for (let at = tbs.start; at < tbs.end && fields.length < 8;) {
    const field = tlv(der, at, tbs.end);
    if (!field) return undefined;
    fields.push(field);
    at = field.end;
  }
  // [0] EXPLICIT version is optional: serial, signature, issuer, validity, subject, subjectPublicKeyInfo follow.
  const i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [issuer, subject, spki] = [fields[i + 2], fields[i + 4], fields[i + 5]];
  if (issuer?.tag !== 0x30 || subject?.tag !== 0x30 || spki?.tag !== 0x30) return undefined;
  return { issuer: der.slice(issuer.offset, issuer.end), subject: der.slice(subject.offset, subject.end), spki: der.slice(spki.offset, spki.end) };
}

interface Tlv {
  readonly tag: number;
  /** Where the header starts, where the contents start, where the element ends. */
  readonly offset: number;
  readonly start: number;
  readonly end: number;
}

/** One DER element at `offset` within `limit`: single-byte tag, definite length (X.690 §8.1.2–3). */
function tlv(bytes: Uint8Array, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) return undefined;
    length = 0;
    for (let k = 0; k < count; k++) length = length * 256 + bytes[start + k]!;
    start += count;
  }
  const end = start + length;
  return end <= limit ? { tag, offset, start, end } : undefined;
}

/** The SubjectPublicKeyInfo DER, as `importKey('spki', …)` takes it. */
export function spkiOf(pc: ParsedCertificate): Uint8Array<ArrayBuffer> {
  return pc.spki.slice();
}

/** The key type of the certificate's subject public key (RFC 5280 §4.1.2.7). */
export function publicKeyProfile(pc: ParsedCertificate): KeyProfile {
  const spki = tlv(pc.spki, 0, pc.spki.length);
  const algorithm = spki && tlv(pc.spki, spki.start, spki.end);
  const id = algorithm && tlv(pc.spki, algorithm.start, algorithm.end);
  if (!algorithm || algorithm.tag !== 0x30 || !id || id.tag !== 0x06) throw kysoError('ERR_CERT_MALFORMED', 'bad SubjectPublicKeyInfo');
  const params = id.end < algorithm.end ? tlv(pc.spki, id.end, algorithm.end) : undefined;
  const curve = params?.tag === 0x06 ? oidText(pc.spki.subarray(params.start, params.end)) : undefined;
  return profileFromAlgorithm(oidText(pc.spki.subarray(id.start, id.end)), curve);
}

/** Dotted text of OBJECT IDENTIFIER contents (X.690 §8.19). */
function oidText(contents: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of contents) {
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return arcs.join('.');
}

/** A stable id for a certificate within an adapter: hex SHA-256 of its DER. */
export async function certificateId(der: Uint8Array<ArrayBuffer>): Promise<string> {
  // node:crypto in Node: the same digest without Node's cold WebCrypto set-up (decision 0037).
  const node = nodeCrypto();
  return toHex(node ? node.createHash('sha256').update(der).digest() : new Uint8Array(await subtle().digest('SHA-256', der)));
}

/** The subject's commonName (RFC 5280 App. A), for picker labels. */
export function commonName(pc: ParsedCertificate): string | undefined {
  for (const tv of pc.cert.subject.typesAndValues) {
    if (tv.type === OID.commonName) {
      const value: unknown = tv.value.valueBlock.value;
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}

/**
 * Orders `others` from the signer upwards: each next certificate is the one
 * whose subject is the current certificate's issuer (RFC 5280 §6.1), until a
 * self-issued certificate or a missing link. Certificates that do not link in
 * are kept after the path in their original order, since a relying party may
 * still use them (cross-certificates); duplicates and the signer are dropped.
 *
 * Names are compared as encoded first: a CA's issuer field is normally a copy
 * of its issuer's subject, and the byte comparison costs nothing, where the
 * RFC 5280 §7.1 comparison (pkijs `isEqual`: string preparation and a
 * locale comparison) cost ~10 ms cold in a `kyso sign` (decision 0037). That
 * comparison, on certificates pkijs then decodes, still decides where the
 * bytes differ: whether the current certificate is self-issued, and which
 * certificate is next, when no subject is the issuer byte for byte.
 */
export function orderChain(signer: ParsedCertificate, others: readonly ParsedCertificate[]): ParsedCertificate[] {
  const pool = dedupe(others.filter((o) => !sameDer(o, signer)));
  const path: ParsedCertificate[] = [];
  let current = signer;
  for (;;) {
    const rest = pool.filter((c) => !path.includes(c));
    if (rest.length === 0 || bytesEqual(current.issuer, current.subject)) break;
    let next = rest.find((c) => bytesEqual(c.subject, current.issuer));
    if (!next) {
      if (current.cert.issuer.isEqual(current.cert.subject)) break;
      const issuer = current.cert.issuer;
      next = rest.find((c) => c.cert.subject.isEqual(issuer));
    }
    if (!next) break;
    path.push(next);
    current = next;
  }
  return [...path, ...pool.filter((c) => !path.includes(c))];
}

function dedupe(list: readonly ParsedCertificate[]): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (const c of list) if (!out.some((o) => sameDer(o, c))) out.push(c);
  return out;
}

function sameDer(a: ParsedCertificate, b: ParsedCertificate): boolean {
  if (a.der.byteLength !== b.der.byteLength) return false;
  for (let i = 0; i < a.der.byteLength; i++) if (a.der[i] !== b.der[i]) return false;
  return true;
}
