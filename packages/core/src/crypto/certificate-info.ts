/**
 * What kyso needs to know about an X.509 certificate (RFC 5280 §4.1) to pick
 * an algorithm, label a signer and verify a signature value. Only reads; the
 * certificate bytes are never re-encoded.
 */
import { kysoError } from '../errors/index.js';
import { toHex } from '../util/bytes.js';
import { HASH_LENGTH, OID, type HashAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import { derNull, oid, sequence } from './der.js';
import { certificateFields, children, DerError, readOid, readWhole, type Tlv } from './der-reader.js';
import { subtle, toArrayBufferView } from './digest.js';
import { ecdsaDerToRaw, isStrictDerEcdsaSignature } from './ecdsa.js';

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

const CURVES: Record<string, { name: NamedCurve; bits: number; bytes: number }> = {
  [OID.secp256r1]: { name: 'P-256', bits: 256, bytes: 32 },
  [OID.secp384r1]: { name: 'P-384', bits: 384, bytes: 48 },
  [OID.secp521r1]: { name: 'P-521', bits: 521, bytes: 66 },
};

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
 * Decodes a DER certificate.
 * @throws ERR_CERT_MALFORMED when it is not a well-formed X.509 certificate
 *   or uses a key type kyso does not support.
 */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  return guard(() => {
    const f = certificateFields(der);
    const tbs = children(f.tbs);
    const i = tbs[0]?.tag === 0xa0 ? 1 : 0;
    const validity = tbs[i + 3];
    if (!validity || validity.tag !== 0x30) throw new DerError('no validity');
    const [nb, na] = children(validity);
    if (!nb || !na) throw new DerError('bad validity');
    const subject = readName(f.subject);
    const key = publicKeyOf(der);
    const exts = certificateExtensions(der);
    const ku = exts.find((e) => e.oid === OID.keyUsage);
    const eku = exts.find((e) => e.oid === OID.extKeyUsage);
    const cns = subject.flat().filter((a) => a.oid === OID.commonName);
    const org = subject.flat().find((a) => a.oid === OID.organizationName);
    return {
      subjectCN: cns.length > 0 ? cns[cns.length - 1]!.value : null,
      subjectDN: formatName(subject),
      issuerDN: formatName(readName(f.issuer)),
      serialHex: integerHex(f.serial),
      notBefore: readTime(nb),
      notAfter: readTime(na),
      keyAlgorithm: key.keyAlgorithm,
      keyBits: key.keyBits,
      ...(key.namedCurve ? { namedCurve: key.namedCurve } : {}),
      keyUsage: ku ? readKeyUsage(ku.value) : null,
      extKeyUsage: eku ? readExtKeyUsage(eku.value) : null,
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
  return guard(() => {
    const { spki } = certificateFields(der);
    const [algId, bits] = children(spki);
    if (!algId || !bits || bits.tag !== 0x03 || bits.contents[0] !== 0) throw new DerError('bad SubjectPublicKeyInfo');
    const [keyOid, params] = children(algId);
    const alg = readOid(keyOid!);
    if (alg === OID.rsaEncryption || alg === OID.rsassaPss) {
      const [n] = children(readWhole(bits.contents.subarray(1), 0x30));
      if (!n || n.tag !== 0x02) throw new DerError('bad RSAPublicKey');
      let k = 0;
      while (k < n.contents.length - 1 && n.contents[k] === 0) k++;
      const keyBits = (n.contents.length - k) * 8 - Math.clz32(n.contents[k]!) + 24;
      // WebCrypto imports RSA keys only under rsaEncryption (RFC 8017 App. C);
      // an id-RSASSA-PSS key (RFC 4055 §1.2) carries the same RSAPublicKey.
      const spkiDer = alg === OID.rsaEncryption ? spki.encoded : sequence(sequence(oid(OID.rsaEncryption), derNull()), bits.encoded);
      return { keyAlgorithm: 'RSA', keyBits, spki: spkiDer };
    }
    if (alg === OID.ecPublicKey) {
      const curve = params && params.tag === 0x06 ? CURVES[readOid(params)] : undefined;
      if (!curve) throw kysoError('ERR_CERT_MALFORMED', 'unsupported or explicit EC curve parameters');
      return { keyAlgorithm: 'EC', keyBits: curve.bits, namedCurve: curve.name, curveBytes: curve.bytes, spki: spki.encoded };
    }
    throw kysoError('ERR_CERT_MALFORMED', `unsupported public key algorithm ${alg}`);
  });
}

/**
 * The certificate's v3 extensions, in order.
 * @throws ERR_CERT_MALFORMED
 */
export function certificateExtensions(der: Uint8Array): CertificateExtension[] {
  return guard(() => {
    const f = certificateFields(der);
    const wrapper = children(f.tbs).find((t) => t.tag === 0xa3);
    if (!wrapper) return [];
    const [list] = children(wrapper);
    if (!list || list.tag !== 0x30) throw new DerError('bad extensions');
    return children(list).map((ext) => {
      const parts = children(ext);
      const critical = parts.length === 3 && parts[1]!.tag === 0x01 && parts[1]!.contents[0] !== 0;
      const value = parts[parts.length - 1]!;
      if (value.tag !== 0x04) throw new DerError('bad extnValue');
      return { oid: readOid(parts[0]!), critical, value: value.contents };
    });
  });
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

/** A WebCrypto key, typed without the DOM lib. */
export type PublicCryptoKey = Awaited<ReturnType<ReturnType<typeof subtle>['importKey']>>;

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
  try {
    return await subtle().importKey('spki', toArrayBufferView(key.spki), params, false, ['verify']);
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
  const cryptoKey = await importPublicKey(certificate, algorithm);
  let sig = signature;
  let params: { name: string; hash?: string; saltLength?: number };
  if (algorithm.scheme === 'ECDSA') {
    const n = key.curveBytes!;
    if (isStrictDerEcdsaSignature(signature)) {
      try {
        sig = ecdsaDerToRaw(signature, n);
      } catch {
        return false;
      }
    } else if (signature.length !== 2 * n) {
      return false;
    }
    params = { name: 'ECDSA', hash: algorithm.hash };
  } else if (algorithm.scheme === 'RSA-PSS') {
    params = { name: 'RSA-PSS', saltLength: HASH_LENGTH[algorithm.hash] };
  } else {
    params = { name: 'RSASSA-PKCS1-v1_5' };
  }
  try {
    return await subtle().verify(params, cryptoKey, toArrayBufferView(sig), toArrayBufferView(data));
  } catch {
    return false;
  }
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

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). */
function readName(name: Tlv): NameAttribute[][] {
  return children(name).map((rdn) => {
    if (rdn.tag !== 0x31) throw new DerError('bad RDN');
    return children(rdn).map((atv) => {
      const [type, value] = children(atv);
      if (!type || !value) throw new DerError('bad AttributeTypeAndValue');
      const text = decodeString(value);
      return { oid: readOid(type), value: text ?? `#${toHex(value.encoded)}`, hex: text === null };
    });
  });
}

/** Directory string types (RFC 5280 §4.1.2.4, X.680 §41); null for anything else. */
function decodeString(t: Tlv): string | null {
  switch (t.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder('utf-8', { fatal: false }).decode(t.contents);
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString: in practice Latin-1
      return String.fromCharCode(...t.contents);
    case 0x1e: // BMPString, UCS-2 big-endian
      return new TextDecoder('utf-16be').decode(t.contents);
    case 0x1c: { // UniversalString, UCS-4 big-endian
      const cps: number[] = [];
      for (let i = 0; i + 3 < t.contents.length; i += 4) {
        cps.push(((t.contents[i]! << 24) | (t.contents[i + 1]! << 16) | (t.contents[i + 2]! << 8) | t.contents[i + 3]!) >>> 0);
      }
      return String.fromCodePoint(...cps.filter((c) => c <= 0x10ffff));
    }
    default:
      return null;
  }
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

function integerHex(t: Tlv): string {
  const c = t.contents.length > 1 && t.contents[0] === 0 ? t.contents.subarray(1) : t.contents;
  return toHex(c);
}

/** UTCTime (years 1950–2049) or GeneralizedTime, RFC 5280 §4.1.2.5. */
function readTime(t: Tlv): Date {
  const s = String.fromCharCode(...t.contents);
  const m =
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
      : t.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?Z$/.exec(s)
        : null;
  if (!m) throw new DerError(`bad time ${s}`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms));
}

/** KeyUsage ::= BIT STRING (RFC 5280 §4.2.1.3). */
function readKeyUsage(value: Uint8Array): string[] {
  const bits = readWhole(value, 0x03).contents;
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bits[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.push(name);
  });
  return out;
}

/** ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId (RFC 5280 §4.2.1.12). */
function readExtKeyUsage(value: Uint8Array): string[] {
  return children(readWhole(value, 0x30)).map(readOid);
}

/** Runs a reader and maps structural failures to ERR_CERT_MALFORMED. */
function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DerError || e instanceof TypeError || e instanceof RangeError) {
      throw kysoError('ERR_CERT_MALFORMED', e.message, e);
    }
    throw e;
  }
}

