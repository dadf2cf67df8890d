/**
 * AlgorithmIdentifier encodings for CMS (RFC 5652 §10.1) and their reverse
 * mapping, so that writer and readers agree on one table.
 */
import { HASH_LENGTH, HASH_OID, OID, type HashAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import { derNull, explicit, integer, oid, sequence } from './der.js';
import { children, readOid, readWhole, type Tlv } from './der-reader.js';

const RSA_PKCS1_OID: Record<HashAlgorithm, string> = {
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};

const ECDSA_OID: Record<HashAlgorithm, string> = {
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512,
};

/** The hash for a digest-algorithm OID, or null when kyso does not support it. */
export function hashFromOid(dotted: string): HashAlgorithm | null {
  for (const [hash, id] of Object.entries(HASH_OID)) if (id === dotted) return hash as HashAlgorithm;
  return null;
}

/**
 * A SHA-2 DigestAlgorithmIdentifier with absent parameters: RFC 5754 §2 says
 * implementations MUST generate them absent (and accept NULL).
 */
export function digestAlgorithmId(hash: HashAlgorithm): Uint8Array {
  return sequence(oid(HASH_OID[hash]));
}

/**
 * The SignatureAlgorithmIdentifier of a SignerInfo.
 *
 * - RSA PKCS#1 v1.5: `shaNNNWithRSAEncryption` with NULL parameters
 *   (RFC 5754 §3.2). `rsaEncryption` is also allowed (RFC 3370 §3.2), but the
 *   combined OID names the hash next to the signature, as ETSI TS 119 312 and
 *   EU DSS report it; pdfsig, OpenSSL and DSS accept both.
 * - RSA-PSS: `id-RSASSA-PSS` with explicit parameters: the hash, MGF1 with the
 *   same hash, salt length = hash length, default trailer (RFC 4055 §3.1).
 * - ECDSA: `ecdsa-with-SHAnnn`, parameters absent (RFC 5758 §3.2).
 */
export function signatureAlgorithmId(alg: SignatureAlgorithm): Uint8Array {
  switch (alg.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      return sequence(oid(RSA_PKCS1_OID[alg.hash]), derNull());
    case 'RSA-PSS':
      return sequence(oid(OID.rsassaPss), rsassaPssParams(alg.hash));
    case 'ECDSA':
      return sequence(oid(ECDSA_OID[alg.hash]));
  }
}

/** RSASSA-PSS-params (RFC 4055 §3.1); trailerField keeps its DEFAULT and is omitted. */
function rsassaPssParams(hash: HashAlgorithm): Uint8Array {
  const hashId = digestAlgorithmId(hash);
  return sequence(
    explicit(0, hashId),
    explicit(1, sequence(oid(OID.mgf1), hashId)),
    explicit(2, integer(HASH_LENGTH[hash])),
  );
}

/**
 * Reads a SignerInfo's digest and signature AlgorithmIdentifiers back to a
 * {@link SignatureAlgorithm}; null when kyso cannot verify that combination
 * (other hashes, PSS with a salt or MGF that is not the RFC 4055 profile).
 */
export function signatureAlgorithmFromIds(digestAlgorithm: Uint8Array, signatureAlgorithm: Uint8Array): SignatureAlgorithm | null {
  try {
    const digestFields = children(readWhole(digestAlgorithm, 0x30));
    const hash = hashFromOid(readOid(digestFields[0]!));
    const sigFields = children(readWhole(signatureAlgorithm, 0x30));
    const sigOid = readOid(sigFields[0]!);
    if (sigOid === OID.rsaEncryption) return hash ? { scheme: 'RSASSA-PKCS1-v1_5', hash } : null;
    for (const [h, id] of Object.entries(RSA_PKCS1_OID)) {
      if (id === sigOid) return h === hash ? { scheme: 'RSASSA-PKCS1-v1_5', hash } : null;
    }
    for (const [h, id] of Object.entries(ECDSA_OID)) {
      if (id === sigOid) return h === hash ? { scheme: 'ECDSA', hash } : null;
    }
    if (sigOid === OID.rsassaPss && sigFields[1]) {
      const pss = readPssParams(sigFields[1]);
      return pss && pss.hash === hash ? { scheme: 'RSA-PSS', hash } : null;
    }
    return null;
  } catch {
    return null;
  }
}

/** The hash of RSASSA-PSS-params when MGF1 uses the same hash and salt = hash length. */
function readPssParams(params: Tlv): { hash: HashAlgorithm } | null {
  let hash: HashAlgorithm | null = null;
  let mgfHash: HashAlgorithm | null = null;
  let salt = 20; // RFC 4055 §3.1 DEFAULTs: SHA-1, MGF1-SHA-1, 20
  for (const f of children(params)) {
    const [inner] = children(f);
    if (!inner) return null;
    if (f.tag === 0xa0) hash = hashFromOid(readOid(children(inner)[0]!));
    else if (f.tag === 0xa1) {
      const [mgfOid, mgfParams] = children(inner);
      if (!mgfOid || readOid(mgfOid) !== OID.mgf1 || !mgfParams) return null;
      mgfHash = hashFromOid(readOid(children(mgfParams)[0]!));
    } else if (f.tag === 0xa2) {
      if (inner.tag !== 0x02 || inner.contents.length > 2) return null;
      salt = inner.contents.reduce((n, b) => n * 256 + b, 0);
    } else if (f.tag === 0xa3) {
      if (inner.tag !== 0x02 || inner.contents.length !== 1 || inner.contents[0] !== 1) return null;
    }
  }
  if (!hash || mgfHash !== hash || salt !== HASH_LENGTH[hash]) return null;
  return { hash };
}
