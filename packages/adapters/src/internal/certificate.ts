import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, kysoError } from '@kyso/core';
import { decodeBer } from './ber.js';
import { bytesEqual, copyBytes, subtle, toHex } from './bytes.js';
import { profileFromAlgorithm, type KeyProfile } from './key-profile.js';
import { nodeCrypto } from './node-crypto.js';

/** A certificate kept as its original DER (never re-encoded) plus its parsed form. */
export interface ParsedCertificate {
  readonly der: Uint8Array<ArrayBuffer>;
  /** The parsed form, for the adapters' own code (left out of the published declarations: pkijs's types need the DOM library). @internal */
  readonly cert: pkijs.Certificate;
}

/** Parses an X.509 certificate (RFC 5280 §4.1); `ERR_CERT_MALFORMED` if it is not one. */
export function parseCertificate(der: Uint8Array, what = 'certificate'): ParsedCertificate {
  const own = copyBytes(der);
  try {
    const asn1 = decodeBer(own);
    if (asn1.offset === -1 || asn1.offset !== own.byteLength) throw new Error(asn1.result.error || 'trailing bytes after the certificate');
    return { der: own, cert: new pkijs.Certificate({ schema: asn1.result }) };
  } catch (cause) {
    throw kysoError('ERR_CERT_MALFORMED', `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

/** The SubjectPublicKeyInfo DER, as `importKey('spki', …)` takes it. */
export function spkiOf(pc: ParsedCertificate): Uint8Array<ArrayBuffer> {
  return new Uint8Array(pc.cert.subjectPublicKeyInfo.toSchema().toBER(false));
}

/** The key type of the certificate's subject public key (RFC 5280 §4.1.2.7). */
export function publicKeyProfile(pc: ParsedCertificate): KeyProfile {
  const alg = pc.cert.subjectPublicKeyInfo.algorithm;
  const params: unknown = alg.algorithmParams;
  const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : undefined;
  return profileFromAlgorithm(alg.algorithmId, curve);
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
 * comparison still decides where the bytes differ: whether the current
 * certificate is self-issued, and which certificate is next, when no subject
 * is the issuer byte for byte.
 */
export function orderChain(signer: ParsedCertificate, others: readonly ParsedCertificate[]): ParsedCertificate[] {
  const pool = dedupe(others.filter((o) => !sameDer(o, signer)));
  const path: ParsedCertificate[] = [];
  let current = signer;
  for (;;) {
    const rest = pool.filter((c) => !path.includes(c));
    if (rest.length === 0 || sameName(current.cert.issuer, current.cert.subject)) break;
    let next = rest.find((c) => sameName(c.cert.subject, current.cert.issuer));
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

/** Whether two names have the same DER (pkijs keeps each name's bytes as decoded). */
function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  const x = new Uint8Array(a.valueBeforeDecode);
  return x.byteLength > 0 && bytesEqual(x, new Uint8Array(b.valueBeforeDecode));
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
