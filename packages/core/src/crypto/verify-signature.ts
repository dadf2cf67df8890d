/**
 * The one place in kyso core that checks a signature value: an
 * AlgorithmIdentifier (RSA PKCS#1 v1.5, RSASSA-PSS with its parameters,
 * ECDSA, EdDSA, with the hash) and a SubjectPublicKeyInfo become one WebCrypto
 * `verify`. CMS SignerInfos, certificate links, CRL and OCSP signatures,
 * time-stamp tokens and the signing side's own value check all come here, so
 * a fix to algorithm handling (a PSS parameter, a deprecated hash, a new
 * scheme) is made once. OIDs come from algorithm-table.ts.
 *
 * The containers differ in what they allow, and that is the `context`:
 * - `x509`: certificates, CRLs, OCSP responses (RFC 5280 §4.1.1.2,
 *   RFC 6960 §4.2.1): the OID names scheme and hash and must fit the key;
 *   ECDSA values are DER `Ecdsa-Sig-Value` (RFC 5480 §2.2); EdDSA (RFC 8410).
 * - `cms`: a SignerInfo (RFC 5652 §5.3): `rsaEncryption`/`id-ecPublicKey`
 *   take the hash from the digestAlgorithm (RFC 3370 §3.2); when the OID says
 *   RSA but the key is EC (an encoder bug met in the field) the key decides,
 *   as pdfsig and pyHanko do; ECDSA values may be BER, or plain r‖s under the
 *   BSI TR-03111 OIDs; EdDSA is outside kyso's CMS set.
 * - `value`: a value a key source just produced, checked before it is
 *   embedded: ECDSA in DER or raw r‖s (what tokens and WebCrypto return).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesToLatin1 } from '../util/bytes.js';
import { RecentMap } from '../util/recent-map.js';
import { OID } from './algorithms.js';
import {
  CURVE_BY_OID, DIGEST_BY_OID, ECDSA_BY_OID, EDDSA_BY_OID, OTHER_SCHEME_BY_OID, PLAIN_ECDSA_BY_OID, RSA_PKCS1_BY_OID,
  WEBCRYPTO_HASHES, digestFromOid, type CurveEntry, type DigestName,
} from './algorithm-table.js';
import { subtle, toArrayBufferView } from './digest.js';
import { ecdsaDerToRaw, isStrictDerEcdsaSignature } from './ecdsa.js';
import { decodeExact, encode } from './raw-der.js';
import { importSpki, type SpkiImportParams } from './spki-import.js';
import { OPENSSL_HASH_NAME } from './openssl-hash-names.js';
import { nodeSignatureCrypto } from '#hash-engine';
import type { NodeSignatureCrypto, NodeVerifyKey } from './hash-engine-types.js';

/** The rules of the structure that carries the signature (see the module comment). */
export type SignatureContext = 'x509' | 'cms' | 'value';

/** A signature algorithm read from its identifiers, resolved against the key when one is known. */
export interface ResolvedSignatureAlgorithm {
  readonly scheme: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | 'Ed25519' | 'Ed448' | string;
  /** The hash the signature is computed with; a dotted OID when unknown; null for EdDSA. */
  readonly hash: DigestName | string | null;
  /** RSA-PSS salt length in bytes (RFC 4055 §3.1; DEFAULT 20). */
  readonly saltLength?: number;
  /** ECDSA value in plain r‖s form (BSI TR-03111) rather than DER. */
  readonly plain?: boolean;
  /** Why it cannot be checked here, or null when it can. */
  readonly unsupported: string | null;
  /** A remark for the report, e.g. an OID that does not match the key. */
  readonly note: string | null;
}

/** Key types as read from a SubjectPublicKeyInfo. */
export type SignatureKeyType = 'RSA' | 'EC' | 'Ed25519' | 'Ed448';

/** A SubjectPublicKeyInfo read for verification. */
interface SignatureKey {
  readonly type: SignatureKeyType;
  /** The SPKI to import: an id-RSASSA-PSS key rewrapped under rsaEncryption, which WebCrypto imports (RFC 4055 §1.2: same RSAPublicKey). */
  readonly spki: Uint8Array;
  readonly curve?: CurveEntry;
}

/** What to check. */
export interface SignatureInput {
  /** The signer's SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  /** The signature AlgorithmIdentifier, parsed or DER. */
  readonly algorithm: pkijs.AlgorithmIdentifier | Uint8Array;
  /** The digestAlgorithm OID of a SignerInfo (`cms` only). */
  readonly digestAlgorithm?: string;
  /** The bytes signed (TBSCertificate, tbsResponseData, the signed attributes…). */
  readonly data: Uint8Array;
  /** The signature value (BIT STRING or OCTET STRING contents). */
  readonly signature: Uint8Array;
  readonly context: SignatureContext;
}

/** The outcome: `unknown` when the algorithm, its parameters or the key cannot be checked here (never valid). */
export interface SignatureVerification {
  readonly status: 'valid' | 'invalid' | 'unknown';
  /** The algorithm as resolved; null when the identifier or the key could not be read. */
  readonly algorithm: ResolvedSignatureAlgorithm | null;
  /** Why the status is not `valid`, or null. */
  readonly reason: string | null;
}

/**
 * Checks one signature value. Never throws: an unreadable identifier or key
 * and an unsupported algorithm give `unknown`; a value that is malformed or
 * does not verify gives `invalid`.
 */
export async function verifySignature(input: SignatureInput): Promise<SignatureVerification> {
  let algorithmId: pkijs.AlgorithmIdentifier;
  try {
    algorithmId = input.algorithm instanceof Uint8Array ? new pkijs.AlgorithmIdentifier({ schema: decodeExact(input.algorithm) }) : input.algorithm;
  } catch {
    return { status: 'unknown', algorithm: null, reason: 'the signature algorithm identifier cannot be read' };
  }
  const key = readSignatureKey(input.spki);
  if (!key) return { status: 'unknown', algorithm: null, reason: 'the public key type is not supported' };
  const algorithm = resolveSignatureAlgorithm(algorithmId, { context: input.context, keyType: key.type, digestAlgorithm: input.digestAlgorithm });
  if (algorithm.unsupported) return { status: 'unknown', algorithm, reason: algorithm.unsupported };
  return verifyResolved(key, algorithm, input.data, input.signature, input.context);
}

/**
 * As {@link verifySignature} for a signature algorithm already resolved
 * (the signing side knows scheme and hash without an identifier).
 */
export async function verifySignatureWith(
  spki: Uint8Array,
  algorithm: ResolvedSignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
  context: SignatureContext,
): Promise<SignatureVerification> {
  const key = readSignatureKey(spki);
  if (!key) return { status: 'unknown', algorithm, reason: 'the public key type is not supported' };
  if (algorithm.unsupported) return { status: 'unknown', algorithm, reason: algorithm.unsupported };
  return verifyResolved(key, algorithm, data, signature, context);
}

async function verifyResolved(
  key: SignatureKey,
  algorithm: ResolvedSignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
  context: SignatureContext,
): Promise<SignatureVerification> {
  const unknown = (reason: string): SignatureVerification => ({ status: 'unknown', algorithm, reason });
  const invalid = (reason: string): SignatureVerification => ({ status: 'invalid', algorithm, reason });
  const hash = algorithm.hash;
  let importParams: SpkiImportParams;
  let verifyParams: { name: string; hash?: string; saltLength?: number };
  let value: Uint8Array | null = signature;
  switch (algorithm.scheme) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
      if (key.type !== 'RSA') return unknown(`${algorithm.scheme} does not fit a ${key.type} key`);
      if (!isWebCryptoHash(hash)) return unknown(`${String(hash)} signatures cannot be verified with WebCrypto`);
      importParams = { name: algorithm.scheme, hash };
      // RFC 4055 §3.1: saltLength DEFAULT 20.
      verifyParams = algorithm.scheme === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: algorithm.saltLength ?? 20 } : { name: algorithm.scheme };
      break;
    case 'ECDSA':
      if (key.type !== 'EC' || !key.curve) return unknown(`ECDSA does not fit a ${key.type} key`);
      if (!isWebCryptoHash(hash)) return unknown(`${String(hash)} signatures cannot be verified with WebCrypto`);
      importParams = { name: 'ECDSA', namedCurve: key.curve.name };
      verifyParams = { name: 'ECDSA', hash };
      value = ecdsaValue(signature, key.curve.bytes, algorithm.plain === true ? 'plain' : context);
      if (!value) return invalid('the ECDSA signature value is malformed');
      break;
    case 'Ed25519':
    case 'Ed448':
      if (context === 'cms') return unknown(`signature algorithm ${algorithm.scheme} is not supported`);
      if (key.type !== algorithm.scheme) return unknown(`${algorithm.scheme} does not fit a ${key.type} key`);
      importParams = { name: algorithm.scheme };
      verifyParams = { name: algorithm.scheme };
      break;
    default:
      return unknown(`signature algorithm ${algorithm.scheme} is not supported`);
  }
  if (nodeSignatureCrypto) return verifyWithNode(nodeSignatureCrypto, key, algorithm, verifyParams, hash, value, data);
  try {
    // One import per key and algorithm (spki-import.ts): a chain checks the same CA keys again and again.
    const cryptoKey = await importSpki(key.spki, importParams);
    const ok = await subtle().verify(verifyParams, cryptoKey, toArrayBufferView(value), toArrayBufferView(data));
    return ok ? { status: 'valid', algorithm, reason: null } : invalid('the signature does not verify with the key');
  } catch (e) {
    // WebCrypto refuses a key or value it cannot use (a curve point off the curve, a value of the wrong length): not a valid signature.
    return invalid(`the signature cannot be checked with the key: ${(e as Error).message}`);
  }
}

/** Node's KeyObjects, one per SubjectPublicKeyInfo: a chain checks the same CA keys again and again. */
const nodeKeys = new RecentMap<string, unknown>(256);

/** OpenSSL's names of the WebCrypto hashes (the same set: isWebCryptoHash gates both paths alike). */
const NODE_HASH: Readonly<Record<string, string>> = OPENSSL_HASH_NAME;

/**
 * The same check through node:crypto where Node is present: OpenSSL, as Node's WebCrypto uses underneath, with the
 * same parameters (PSS salt length exact, ECDSA as r‖s), synchronously. Outcomes match the WebCrypto path; a key or
 * value OpenSSL refuses is `invalid`, as WebCrypto's refusal is.
 */
function verifyWithNode(
  crypto: NodeSignatureCrypto,
  key: SignatureKey,
  algorithm: ResolvedSignatureAlgorithm,
  params: { name: string; hash?: string; saltLength?: number },
  hash: string | null,
  value: Uint8Array,
  data: Uint8Array,
): SignatureVerification {
  try {
    const keyObject = nodeKeys.getOrCreate(bytesToLatin1(key.spki), () => crypto.createPublicKey({ key: key.spki, format: 'der', type: 'spki' }));
    let options: NodeVerifyKey;
    let digest: string | null = null;
    switch (params.name) {
      case 'RSASSA-PKCS1-v1_5':
        options = { key: keyObject, padding: crypto.constants.RSA_PKCS1_PADDING };
        digest = NODE_HASH[hash ?? '']!;
        break;
      case 'RSA-PSS':
        options = { key: keyObject, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength };
        digest = NODE_HASH[hash ?? '']!;
        break;
      case 'ECDSA':
        options = { key: keyObject, dsaEncoding: 'ieee-p1363' };
        digest = NODE_HASH[params.hash ?? '']!;
        break;
      default: // Ed25519, Ed448: the message itself is signed (RFC 8032), no separate hash.
        options = { key: keyObject };
    }
    return crypto.verify(digest, data, options, value)
      ? { status: 'valid', algorithm, reason: null }
      : { status: 'invalid', algorithm, reason: 'the signature does not verify with the key' };
  } catch (e) {
    return { status: 'invalid', algorithm, reason: `the signature cannot be checked with the key: ${(e as Error).message}` };
  }
}

function isWebCryptoHash(hash: string | null): hash is DigestName {
  return (WEBCRYPTO_HASHES as readonly (string | null)[]).includes(hash);
}

/**
 * The ECDSA value as r‖s of `2n` bytes, or null when it is not one of the
 * encodings the context allows: `x509` strict DER; `cms` strict DER, or a
 * BER encoding that still holds two INTEGERs (the signed attributes, not
 * this value, are what must be DER); `value` strict DER or raw r‖s; `plain`
 * (BSI TR-03111 §5.2.1) raw r‖s only.
 */
function ecdsaValue(value: Uint8Array, n: number, rule: SignatureContext | 'plain'): Uint8Array | null {
  if (rule === 'plain') return value.length === 2 * n ? value : null;
  if (isStrictDerEcdsaSignature(value)) {
    try {
      return ecdsaDerToRaw(value, n);
    } catch {
      return null;
    }
  }
  if (rule === 'value') return value.length === 2 * n ? value : null;
  if (rule === 'cms') return berEcdsaToRaw(value, n);
  return null;
}

function berEcdsaToRaw(value: Uint8Array, n: number): Uint8Array | null {
  const { offset, result } = asn1js.fromBER(value.slice());
  if (offset !== value.length || !(result instanceof asn1js.Sequence)) return null;
  const [r, s] = result.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer) || result.valueBlock.value.length !== 2) return null;
  const out = new Uint8Array(2 * n);
  for (const [i, int] of [r, s].entries()) {
    let v = int.valueBlock.valueHexView;
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if (v.length > n) return null;
    out.set(v, (i + 1) * n - v.length);
  }
  return out;
}

/** Options of {@link resolveSignatureAlgorithm}. */
export interface ResolveOptions {
  readonly context: SignatureContext;
  /** The key's type when known: in `cms` it decides between RSA and EC when the OID disagrees. */
  readonly keyType?: SignatureKeyType | undefined;
  /** The SignerInfo's digestAlgorithm OID (`cms`). */
  readonly digestAlgorithm?: string | undefined;
}

/**
 * Reads a signature AlgorithmIdentifier to scheme, hash and parameters. Pure;
 * never throws: what cannot be checked carries its reason in `unsupported`.
 */
export function resolveSignatureAlgorithm(sigId: pkijs.AlgorithmIdentifier, options: ResolveOptions): ResolvedSignatureAlgorithm {
  const oid = sigId.algorithmId;
  const cms = options.context === 'cms';
  const digestOid = options.digestAlgorithm;
  const digest: DigestName | string | null = digestOid === undefined ? null : (digestFromOid(digestOid) ?? digestOid);
  let scheme: string;
  let hash: DigestName | string | null;
  let saltLength: number | undefined;
  let plain = false;
  let note: string | null = null;
  let unsupported: string | null = null;

  if (RSA_PKCS1_BY_OID[oid] || (cms && oid === OID.rsaEncryption)) {
    scheme = 'RSASSA-PKCS1-v1_5';
    hash = RSA_PKCS1_BY_OID[oid] ?? digest;
  } else if (oid === OID.rsassaPss) {
    scheme = 'RSA-PSS';
    const pss = readPssParams(sigId);
    if (typeof pss === 'string') return { scheme, hash: null, unsupported: pss, note };
    hash = pss.hash;
    saltLength = pss.saltLength;
  } else if (ECDSA_BY_OID[oid] || (cms && oid === OID.ecPublicKey)) {
    scheme = 'ECDSA';
    hash = ECDSA_BY_OID[oid] ?? digest;
  } else if (cms && PLAIN_ECDSA_BY_OID[oid]) {
    scheme = 'ECDSA';
    hash = PLAIN_ECDSA_BY_OID[oid]!;
    plain = true;
  } else if (!cms && EDDSA_BY_OID[oid]) {
    // RFC 8410 §6: absent parameters; the hash is part of the scheme.
    return { scheme: EDDSA_BY_OID[oid]!, hash: null, unsupported: null, note };
  } else {
    const name = OTHER_SCHEME_BY_OID[oid] ?? oid;
    return { scheme: name, hash: digest, unsupported: `signature algorithm ${name} is not supported`, note };
  }

  const keyType = options.keyType;
  if (keyType && cms) {
    if (scheme !== 'ECDSA' && keyType === 'EC') {
      note = `the signature algorithm ${oid} names RSA but the signer key is EC: verified as ECDSA`;
      scheme = 'ECDSA';
    } else if (scheme === 'ECDSA' && keyType === 'RSA') {
      unsupported = `the signature algorithm ${oid} names ECDSA but the signer key is RSA`;
    }
  } else if (keyType && (scheme === 'ECDSA') !== (keyType === 'EC')) {
    unsupported = `the signature algorithm ${oid} does not fit a ${keyType} key`;
  }
  if (!unsupported && !isWebCryptoHash(hash)) unsupported = `${String(hash)} signatures cannot be verified with WebCrypto`;
  return { scheme, hash, ...(saltLength !== undefined ? { saltLength } : {}), ...(plain ? { plain } : {}), unsupported, note };
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1) with their DEFAULTs (SHA-1, MGF1-SHA-1,
 * salt 20, trailer 1). WebCrypto uses MGF1 with the signature hash, so a
 * different MGF hash cannot be checked; any salt length can.
 */
function readPssParams(sigId: pkijs.AlgorithmIdentifier): { hash: DigestName | string; saltLength: number } | string {
  const params: unknown = sigId.algorithmParams;
  let p: pkijs.RSASSAPSSParams;
  try {
    p = params instanceof asn1js.Sequence ? new pkijs.RSASSAPSSParams({ schema: params }) : new pkijs.RSASSAPSSParams();
  } catch {
    return 'RSASSA-PSS parameters are malformed';
  }
  const hash = DIGEST_BY_OID[p.hashAlgorithm.algorithmId] ?? p.hashAlgorithm.algorithmId;
  const mgf = p.maskGenAlgorithm;
  if (mgf.algorithmId !== OID.mgf1) return `RSASSA-PSS mask generation ${mgf.algorithmId} is not supported`;
  const mgfParams: unknown = mgf.algorithmParams;
  let mgfHash: string = 'SHA-1';
  if (mgfParams instanceof asn1js.Sequence) {
    try {
      const id = new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId;
      mgfHash = DIGEST_BY_OID[id] ?? id;
    } catch {
      return 'RSASSA-PSS MGF1 parameters are malformed';
    }
  }
  if (mgfHash !== hash) return `RSASSA-PSS with MGF1-${mgfHash} and ${hash} is not supported`;
  if (p.trailerField !== 1) return 'RSASSA-PSS trailer field is not 1';
  return { hash, saltLength: p.saltLength };
}

/** Keys read once per SPKI: a chain and an audit check the same few CA keys again and again. */
const keys = new RecentMap<string, { readonly key: SignatureKey | null }>(64);

/** The key of a DER SubjectPublicKeyInfo, or null when it is malformed or of a type kyso does not verify with. */
function readSignatureKey(spki: Uint8Array): SignatureKey | null {
  return keys.getOrCreate(bytesToLatin1(spki), () => ({ key: decodeSignatureKey(spki) })).key;
}

function decodeSignatureKey(spki: Uint8Array): SignatureKey | null {
  let info: pkijs.PublicKeyInfo;
  try {
    info = new pkijs.PublicKeyInfo({ schema: decodeExact(spki) });
  } catch {
    return null;
  }
  const alg = info.algorithm.algorithmId;
  if (alg === OID.rsaEncryption) return { type: 'RSA', spki };
  if (alg === OID.rsassaPss) {
    const rewrapped = new pkijs.PublicKeyInfo({
      algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
      subjectPublicKey: info.subjectPublicKey,
    });
    return { type: 'RSA', spki: encode(rewrapped.toSchema()) };
  }
  if (alg === OID.ecPublicKey) {
    const p: unknown = info.algorithm.algorithmParams;
    const curve = p instanceof asn1js.ObjectIdentifier ? CURVE_BY_OID[p.valueBlock.toString()] : undefined;
    return curve ? { type: 'EC', spki, curve } : null;
  }
  const ed = EDDSA_BY_OID[alg];
  return ed ? { type: ed, spki } : null;
}
