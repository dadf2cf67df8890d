/**
 * What kyso needs to know about an X.509 certificate (RFC 5280 §4.1) to pick
 * an algorithm, label a signer and verify a signature value. Only reads; the
 * certificate bytes are never re-encoded.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { kysoError, KysoError } from '../errors/index.js';
import { toHex } from '../util/bytes.js';
import { HASH_LENGTH, OID, type HashAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import { CURVE_BY_OID } from './algorithm-table.js';
import { importSpki, type PublicCryptoKey } from './spki-import.js';
import { RecentBytesMap } from '../util/recent-map.js';
import { verifySignatureWith } from './verify-signature.js';
import { decodeExact, elements, encode, isContextTag, octets, originalBytes } from './raw-der.js';

/** Key types kyso signs and verifies with. */
export type KeyAlgorithm = 'RSA' | 'EC';

/** Named curves kyso supports, by their WebCrypto names. */
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

/** A certificate, decoded for display and algorithm choice. */
export interface CertificateInfo {
  /** The most specific commonName of the subject, or null when there is none. */
  readonly subjectCN: string | null;
  /** Subject DN as RFC 4514 text (most specific RDN first), UTF-8. */
  readonly subjectDN: string;
  readonly issuerDN: string;
  /** Serial number, lowercase hex without a sign octet. */
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyAlgorithm: KeyAlgorithm;
  /** RSA modulus size or EC field size, in bits. */
  readonly keyBits: number;
  readonly namedCurve?: NamedCurve;
  /** RFC 5280 §4.2.1.3 names, or null when the extension is absent. */
  readonly keyUsage: string[] | null;
  /** RFC 5280 §4.2.1.12 purpose OIDs, or null when the extension is absent. */
  readonly extKeyUsage: string[] | null;
  /**
   * Values of the subject's UID attributes (0.9.2342.19200300.100.1.1). In
   * Vietnam these carry identifiers such as `CMND:…`, `CCCD:…` or `MST:…`.
   */
  readonly uids: string[];
  /** The subject's first organizationName, if any. */
  readonly organization?: string;
}

/** One X.509 v3 extension (RFC 5280 §4.1.2.9). */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING contents (the extension's own DER). */
  readonly value: Uint8Array;
}

/** The public key of a certificate. */
export interface PublicKeyInfo {
  readonly keyAlgorithm: KeyAlgorithm;
  readonly keyBits: number;
  readonly namedCurve?: NamedCurve;
  /** Bytes of one coordinate / of r and s: 32, 48 or 66. */
  readonly curveBytes?: number;
  /** The SubjectPublicKeyInfo, DER, ready for WebCrypto `importKey('spki')`. */
  readonly spki: Uint8Array;
}


/** RFC 4514 §3 short names, plus the customary E for emailAddress. */
const DN_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** KeyUsage bit names in bit order (RFC 5280 §4.2.1.3). */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/**
 * A certificate decoded by pkijs, plus the encodings of the fields kyso
 * copies into CMS structures (RFC 5652 §5.3 issuerAndSerialNumber, RFC 5035
 * §4 IssuerSerial): taken from the input, never re-encoded.
 * @internal
 */
export interface DecodedCertificate {
  readonly cert: pkijs.Certificate;
  /** serialNumber INTEGER, as encoded. */
  readonly serial: Uint8Array;
  /** issuer Name, as encoded. */
  readonly issuer: Uint8Array;
  /** The subject Name element, for RDN-level reading. */
  readonly subjectName: asn1js.AsnType;
  /** The issuer Name element. */
  readonly issuerName: asn1js.AsnType;
  /** subjectPublicKeyInfo, as encoded. */
  readonly spki: Uint8Array;
}

/**
 * Decodes a certificate with asn1js and pkijs (BER accepted where asn1js
 * accepts it, nothing may follow it).
 * @throws ERR_CERT_MALFORMED
 * @internal
 */
export function decodeCertificate(der: Uint8Array): DecodedCertificate {
  // One signature decodes the same few certificates many times (sizing, signed
  // attributes, CMS, checking the value); decoding dominated small files.
  // Looked up by content: every file of an audit brings the same certificates in new arrays.
  if (!(der instanceof Uint8Array)) return decodeUncached(der);
  return decodedCache.getOrCreate(der, () => decodeUncached(der));
}

const decodedCache = new RecentBytesMap<DecodedCertificate>(32);

function decodeUncached(der: Uint8Array): DecodedCertificate {
  return guard(() => {
    if (!(der instanceof Uint8Array)) throw new Error('certificate must be bytes');
    const root = decodeExact(der);
    const cert = new pkijs.Certificate({ schema: root });
    // pkijs has checked the TBSCertificate layout (RFC 5280 §4.1); only the
    // optional [0] version shifts the positions.
    const fields = elements(elements(root)[0]!);
    const i = isContextTag(fields[0]!, 0) ? 1 : 0;
    return {
      cert,
      serial: originalBytes(fields[i]!),
      issuer: originalBytes(fields[i + 2]!),
      issuerName: fields[i + 2]!,
      subjectName: fields[i + 4]!,
      spki: originalBytes(fields[i + 5]!),
    };
  });
}

/**
 * Decodes a DER certificate.
 * @throws ERR_CERT_MALFORMED when it is not a well-formed X.509 certificate
 *   or uses a key type kyso does not support.
 */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  const decoded = decodeCertificate(der);
  let info = infoCache.get(decoded);
  if (!info) infoCache.set(decoded, (info = deepFreeze(readInfo(decoded))));
  return info;
}

const infoCache = new WeakMap<DecodedCertificate, CertificateInfo>();

/** Cached results are shared between callers, so nobody may change them. */
function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object' && !(v instanceof Date)) deepFreeze(v as object);
  return Object.freeze(value);
}

function readInfo(decoded: DecodedCertificate): CertificateInfo {
  return guard(() => {
    const { cert } = decoded;
    const subject = readName(decoded.subjectName);
    const key = keyOf(decoded);
    const exts = extensionsOf(cert);
    const ku = exts.find((e) => e.extnID === OID.keyUsage);
    const eku = exts.find((e) => e.extnID === OID.extKeyUsage);
    const cns = subject.flat().filter((a) => a.oid === OID.commonName);
    const org = subject.flat().find((a) => a.oid === OID.organizationName);
    return {
      subjectCN: cns.length > 0 ? cns[cns.length - 1]!.value : null,
      subjectDN: formatName(subject),
      issuerDN: formatName(readName(decoded.issuerName)),
      serialHex: integerHex(cert.serialNumber),
      notBefore: cert.notBefore.value,
      notAfter: cert.notAfter.value,
      keyAlgorithm: key.keyAlgorithm,
      keyBits: key.keyBits,
      ...(key.namedCurve ? { namedCurve: key.namedCurve } : {}),
      keyUsage: ku ? readKeyUsage(ku) : null,
      extKeyUsage: eku ? readExtKeyUsage(eku) : null,
      uids: subject.flat().filter((a) => a.oid === OID.uid).map((a) => a.value),
      ...(org ? { organization: org.value } : {}),
    };
  });
}

/** Alias of {@link parseCertificate}. */
export const certificateInfo = parseCertificate;

/**
 * The public key of a certificate.
 * @throws ERR_CERT_MALFORMED for a malformed certificate or an unsupported key type.
 */
export function publicKeyOf(der: Uint8Array): PublicKeyInfo {
  const decoded = decodeCertificate(der);
  let key = keyCache.get(decoded);
  if (!key) keyCache.set(decoded, (key = guard(() => keyOf(decoded))));
  return key;
}

// Keyed by the cached decoding, so they live exactly as long as it does.
const keyCache = new WeakMap<DecodedCertificate, PublicKeyInfo>();

function keyOf({ cert, spki }: DecodedCertificate): PublicKeyInfo {
  const info = cert.subjectPublicKeyInfo;
  const bits = info.subjectPublicKey;
  if (bits.valueBlock.unusedBits !== 0) throw new Error('bad SubjectPublicKeyInfo');
  const alg = info.algorithm.algorithmId;
  if (alg === OID.rsaEncryption || alg === OID.rsassaPss) {
    // RFC 8017 App. A.1.1 RSAPublicKey; pkijs only pre-parses it under rsaEncryption.
    const rsa = new pkijs.RSAPublicKey({ schema: decodeExact(bits.valueBlock.valueHexView) });
    const n = rsa.modulus.valueBlock.valueHexView;
    let k = 0;
    while (k < n.length - 1 && n[k] === 0) k++;
    const keyBits = (n.length - k) * 8 - Math.clz32(n[k]!) + 24;
    // WebCrypto imports RSA keys only under rsaEncryption (RFC 8017 App. C);
    // an id-RSASSA-PSS key (RFC 4055 §1.2) carries the same RSAPublicKey.
    const spkiDer =
      alg === OID.rsaEncryption
        ? spki
        : encode(
            new pkijs.PublicKeyInfo({
              algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
              subjectPublicKey: bits,
            }).toSchema(),
          );
    return { keyAlgorithm: 'RSA', keyBits, spki: spkiDer };
  }
  if (alg === OID.ecPublicKey) {
    const params: unknown = info.algorithm.algorithmParams;
    const curve = params instanceof asn1js.ObjectIdentifier ? CURVE_BY_OID[params.valueBlock.toString()] : undefined;
    if (!curve) throw kysoError('ERR_CERT_MALFORMED', 'unsupported or explicit EC curve parameters');
    return { keyAlgorithm: 'EC', keyBits: curve.bits, namedCurve: curve.name, curveBytes: curve.bytes, spki };
  }
  throw kysoError('ERR_CERT_MALFORMED', `unsupported public key algorithm ${alg}`);
}

/**
 * The certificate's v3 extensions, in order.
 * @throws ERR_CERT_MALFORMED
 */
export function certificateExtensions(der: Uint8Array): CertificateExtension[] {
  const decoded = decodeCertificate(der);
  let read = extensionCache.get(decoded);
  if (!read) {
    const { cert } = decoded;
    read = guard(() => extensionsOf(cert).map((e) => ({ oid: e.extnID, critical: e.critical, value: octets(e.extnValue) })));
    extensionCache.set(decoded, read);
  }
  // Copies: the caller owns what it is given.
  return read.map((e) => ({ oid: e.oid, critical: e.critical, value: e.value.slice() }));
}

// Keyed by the cached decoding, as the key and info caches.
const extensionCache = new WeakMap<DecodedCertificate, readonly CertificateExtension[]>();

function extensionsOf(cert: pkijs.Certificate): pkijs.Extension[] {
  return cert.extensions ?? [];
}

/**
 * The algorithm kyso uses when the caller names none: RSA → PKCS#1 v1.5,
 * EC → ECDSA, with a hash matching the key strength for EC (P-384 → SHA-384,
 * P-521 → SHA-512; ETSI TS 119 312 §6) and SHA-256 for RSA.
 */
export function defaultSignatureAlgorithm(info: Pick<CertificateInfo, 'keyAlgorithm' | 'namedCurve'>, hash?: HashAlgorithm): SignatureAlgorithm {
  if (info.keyAlgorithm === 'EC') {
    const byCurve: HashAlgorithm = info.namedCurve === 'P-521' ? 'SHA-512' : info.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256';
    return { scheme: 'ECDSA', hash: hash ?? byCurve };
  }
  return { scheme: 'RSASSA-PKCS1-v1_5', hash: hash ?? 'SHA-256' };
}

export type { PublicCryptoKey } from './spki-import.js';

/**
 * Imports the certificate's public key for WebCrypto `verify` with `algorithm`.
 * @throws ERR_CERT_MALFORMED for a malformed certificate.
 * @throws ERR_SIG_ALGORITHM_UNSUPPORTED when the scheme does not fit the key.
 */
export async function importPublicKey(certificate: Uint8Array, algorithm: SignatureAlgorithm): Promise<PublicCryptoKey> {
  const key = publicKeyOf(certificate);
  checkSchemeFitsKey(key, algorithm);
  const params =
    algorithm.scheme === 'ECDSA'
      ? { name: 'ECDSA', namedCurve: key.namedCurve! }
      : { name: algorithm.scheme, hash: algorithm.hash };
  // One import per key and algorithm (spki-import.ts): signing checks every value it is given, and a batch signs with the same key many times.
  const imported = importSpki(key.spki, params);
  try {
    return await imported;
  } catch (e) {
    throw kysoError('ERR_CERT_MALFORMED', `public key cannot be imported: ${(e as Error).message}`, e);
  }
}

/**
 * Checks a signature value over `data` with the certificate's key: RSA
 * PKCS#1 v1.5, RSA-PSS (MGF1 with the same hash, salt = hash length,
 * RFC 4055 §3.1), or ECDSA given as DER `Ecdsa-Sig-Value` or raw `r‖s`.
 * Resolves false when the value does not verify (including a malformed value).
 * @throws ERR_CERT_MALFORMED, ERR_SIG_ALGORITHM_UNSUPPORTED
 */
export async function verifySignatureValue(
  certificate: Uint8Array,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const key = publicKeyOf(certificate);
  // Imported first so that a key WebCrypto refuses is ERR_CERT_MALFORMED, not "does not verify".
  await importPublicKey(certificate, algorithm);
  const resolved = {
    scheme: algorithm.scheme,
    hash: algorithm.hash,
    ...(algorithm.scheme === 'RSA-PSS' ? { saltLength: HASH_LENGTH[algorithm.hash] } : {}),
    unsupported: null,
    note: null,
  };
  return (await verifySignatureWith(key.spki, resolved, data, signature, 'value')).status === 'valid';
}

function checkSchemeFitsKey(key: PublicKeyInfo, algorithm: SignatureAlgorithm): void {
  if (!(algorithm.hash in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(algorithm.hash)}`);
  const ok = algorithm.scheme === 'ECDSA' ? key.keyAlgorithm === 'EC' : algorithm.scheme === 'RSASSA-PKCS1-v1_5' || algorithm.scheme === 'RSA-PSS' ? key.keyAlgorithm === 'RSA' : false;
  if (!ok) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${String(algorithm.scheme)} does not fit a ${key.keyAlgorithm} key`);
}

/** @internal Shared by the CMS writer: scheme/key compatibility. */
export { checkSchemeFitsKey };

interface NameAttribute {
  readonly oid: string;
  readonly value: string;
  /** True when the value is shown as `#hex` (RFC 4514 §2.4). */
  readonly hex: boolean;
}

/**
 * Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue).
 * pkijs' RelativeDistinguishedNames flattens the RDNs, which would lose the
 * `+` of a multi-valued RDN (RFC 4514 §2.2), so the SETs are walked here and
 * each AttributeTypeAndValue decoded by pkijs.
 */
function readName(name: asn1js.AsnType): NameAttribute[][] {
  return elements(name).map((rdn) =>
    elements(rdn).map((element) => {
      const atv = new pkijs.AttributeTypeAndValue({ schema: element });
      const value: asn1js.AsnType = atv.value;
      const text = decodeString(value);
      return { oid: atv.type, value: text ?? `#${toHex(value.valueBeforeDecodeView)}`, hex: text === null };
    }),
  );
}

/**
 * Directory string types (RFC 5280 §4.1.2.4, X.680 §41), plus VisibleString which some old CAs use; null for anything else.
 * @internal Shared with the chain builder's name comparison.
 */
export function decodeString(value: asn1js.AsnType): string | null {
  // Lenient UTF-8 (U+FFFD for bad sequences), where asn1js would fall back to raw bytes.
  if (value instanceof asn1js.Utf8String) return new TextDecoder('utf-8', { fatal: false }).decode(value.valueBlock.valueHexView);
  if (
    value instanceof asn1js.PrintableString ||
    value instanceof asn1js.NumericString ||
    value instanceof asn1js.IA5String ||
    value instanceof asn1js.TeletexString || // in practice Latin-1, which is how asn1js reads it
    value instanceof asn1js.VisibleString ||
    value instanceof asn1js.BmpString ||
    value instanceof asn1js.UniversalString
  ) {
    return value.valueBlock.value;
  }
  return null;
}

/** RFC 4514 §2.1: RDNs in reverse order, comma-separated, `+` inside a multi-valued RDN. */
function formatName(rdns: NameAttribute[][]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${DN_NAMES[a.oid] ?? a.oid}=${a.hex ? a.value : escapeDnValue(a.value)}`).join('+'))
    .join(',');
}

/** RFC 4514 §2.4 escaping. */
function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Lowercase hex of a positive INTEGER, without its sign octet. */
function integerHex(value: asn1js.Integer): string {
  const c = value.valueBlock.valueHexView;
  return toHex(c.length > 1 && c[0] === 0 ? c.subarray(1) : c);
}

/** KeyUsage ::= BIT STRING (RFC 5280 §4.2.1.3). */
function readKeyUsage(ext: pkijs.Extension): string[] {
  const value: unknown = ext.parsedValue;
  if (!(value instanceof asn1js.BitString)) throw new Error('bad keyUsage');
  const bits = value.valueBlock.valueHexView;
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bits[i >> 3];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.push(name);
  });
  return out;
}

/** ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId (RFC 5280 §4.2.1.12). */
function readExtKeyUsage(ext: pkijs.Extension): string[] {
  const value: unknown = ext.parsedValue;
  if (!(value instanceof pkijs.ExtKeyUsage)) throw new Error('bad extKeyUsage');
  return [...value.keyPurposes];
}

/** Runs a reader and maps decoding failures (asn1js, pkijs) to ERR_CERT_MALFORMED. */
function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw kysoError('ERR_CERT_MALFORMED', e instanceof Error ? e.message : String(e), e);
  }
}
