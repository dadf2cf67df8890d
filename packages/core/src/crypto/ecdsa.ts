/**
 * ECDSA signature encodings. Tokens, HSMs and WebCrypto return raw `r‖s`
 * (IEEE P1363); CMS carries `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER,
 * s INTEGER }` in DER (RFC 5753 §2.1.1, ANSI X9.62).
 */
import * as asn1js from 'asn1js';
import { kysoError } from '../errors/index.js';
import { toHex } from '../util/bytes.js';
import { encode } from './raw-der.js';

/**
 * Converts a raw `r‖s` signature (two equal halves) to a DER `Ecdsa-Sig-Value`
 * with minimal, positive INTEGER encodings (X.690 §8.3.2).
 * @throws ERR_SIG_VALUE_INVALID when the input is empty or has an odd length.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw kysoError('ERR_SIG_VALUE_INVALID', `raw ECDSA signature has odd or zero length ${raw.length}`);
  }
  const half = raw.length / 2;
  // fromBigInt gives the minimal two's-complement form, with a 0x00 sign octet when needed.
  const integer = (magnitude: Uint8Array): asn1js.Integer => asn1js.Integer.fromBigInt(BigInt(`0x${toHex(magnitude)}`));
  return encode(new asn1js.Sequence({ value: [integer(raw.subarray(0, half)), integer(raw.subarray(half))] }));
}

/**
 * Converts a DER `Ecdsa-Sig-Value` to raw `r‖s`, each half `curveBytes` long
 * (what WebCrypto verify expects).
 * @throws ERR_SIG_VALUE_INVALID when the input is not strict DER or r/s do not fit.
 */
export function ecdsaDerToRaw(der: Uint8Array, curveBytes: number): Uint8Array {
  const parts = parseStrict(der);
  if (!parts) throw kysoError('ERR_SIG_VALUE_INVALID', 'ECDSA signature is not a strict DER Ecdsa-Sig-Value');
  const out = new Uint8Array(curveBytes * 2);
  for (const [i, n] of parts.entries()) {
    const mag = n[0] === 0 ? n.subarray(1) : n;
    if (mag.length > curveBytes) throw kysoError('ERR_SIG_VALUE_INVALID', 'ECDSA r or s is longer than the curve order');
    out.set(mag, (i + 1) * curveBytes - mag.length);
  }
  return out;
}

/**
 * True when `bytes` is exactly one DER `SEQUENCE { INTEGER r, INTEGER s }`
 * with short/minimal lengths, minimal positive integers and nothing after it.
 */
export function isStrictDerEcdsaSignature(bytes: Uint8Array): boolean {
  return parseStrict(bytes) !== null;
}

/**
 * Returns a DER `Ecdsa-Sig-Value` for CMS: strict DER input is kept as is (so
 * nothing the adapter produced is re-encoded); raw `r‖s` of `2 × curveBytes`
 * is converted.
 * @param curveBytes field size in bytes: 32 (P-256), 48 (P-384), 66 (P-521).
 *   Without it, any even-length non-DER input is taken as raw `r‖s`; pass it
 *   whenever the certificate is at hand (see `publicKeyOf(...).curveBytes`).
 * @throws ERR_SIG_VALUE_INVALID for anything else.
 */
export function normalizeEcdsaSignature(bytes: Uint8Array, curveBytes?: number): Uint8Array {
  const parts = parseStrict(bytes);
  const fits = (n: Uint8Array): boolean => curveBytes === undefined || (n[0] === 0 ? n.length - 1 : n.length) <= curveBytes;
  if (parts && parts.every(fits)) return bytes;
  if (curveBytes === undefined ? bytes.length > 0 && bytes.length % 2 === 0 : bytes.length === curveBytes * 2) return ecdsaRawToDer(bytes);
  throw kysoError(
    'ERR_SIG_VALUE_INVALID',
    `ECDSA signature of ${bytes.length} bytes is neither DER nor raw r||s${curveBytes ? ` for a ${curveBytes}-byte curve` : ''}`,
  );
}

/**
 * The INTEGER contents of r and s, or null if not strict DER. Byte-level on
 * purpose: a BER decoder (asn1js) accepts the non-minimal lengths and
 * integers this check exists to refuse, and the structure is two INTEGERs.
 */
function parseStrict(bytes: Uint8Array): [Uint8Array, Uint8Array] | null {
  let at = 0;
  const readLen = (): number | null => {
    const first = bytes[at++];
    if (first === undefined) return null;
    if (first < 0x80) return first;
    if (first !== 0x81) return null; // an Ecdsa-Sig-Value is under 256 bytes for every curve
    const n = bytes[at++];
    return n !== undefined && n >= 0x80 ? n : null;
  };
  if (bytes[at++] !== 0x30) return null;
  const seqLen = readLen();
  if (seqLen === null || at + seqLen !== bytes.length) return null;
  const ints: Uint8Array[] = [];
  for (let k = 0; k < 2; k++) {
    if (bytes[at++] !== 0x02) return null;
    const len = readLen();
    if (len === null || len === 0 || at + len > bytes.length) return null;
    const v = bytes.subarray(at, at + len);
    if (v[0]! & 0x80) return null; // negative
    if (len > 1 && v[0] === 0 && !(v[1]! & 0x80)) return null; // non-minimal
    if (v.every((b) => b === 0)) return null; // r, s ∈ [1, n-1]
    ints.push(v);
    at += len;
  }
  if (at !== bytes.length) return null;
  return [ints[0]!, ints[1]!];
}

