/**
 * Reading and checking RFC 3161 TimeStampTokens: a CMS SignedData whose
 * content is a TSTInfo (RFC 3161 §2.4.2).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { kysoError } from '../errors/index.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { OID, type HashAlgorithm } from './algorithms.js';
import { hashFromOid, signatureAlgorithmFromIds } from './algorithm-ids.js';
import { certificateExtensions, verifySignatureValue } from './certificate-info.js';
import { certificateFields, children, DerError, readOid, readWhole, type Tlv } from './der-reader.js';

/** What a TimeStampToken says (RFC 3161 §2.4.2, TSTInfo). */
export interface TimestampInfo {
  /** The time the TSA vouches for. */
  readonly genTime: Date;
  /** The message-imprint hash, or null when kyso does not know it. */
  readonly imprintAlg: HashAlgorithm | null;
  readonly imprintAlgOid: string;
  /** The hashed message (for a PAdES signature timestamp: hash of the signature value). */
  readonly imprint: Uint8Array;
  /** TSTInfo serialNumber, lowercase hex. */
  readonly serialHex: string;
  /** TSA policy OID. */
  readonly policy: string;
  /** The nonce, lowercase hex without leading zeros, when present. */
  readonly nonce?: string;
  /** The TSA certificate (the one matching the SignerInfo sid), when included. */
  readonly tsaCertificate?: Uint8Array;
  /** All certificates in the token, DER. */
  readonly certificates: readonly Uint8Array[];
}

/** Result of {@link verifyTimestampToken}: never a bare boolean. */
export type TimestampCheck =
  | { readonly ok: true; readonly info: TimestampInfo; readonly tsaCertificate: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly info?: TimestampInfo };

interface ParsedToken {
  readonly info: TimestampInfo;
  readonly eContent: Uint8Array;
  readonly signerInfo: Tlv[];
}

/**
 * Decodes a TimeStampToken (DER ContentInfo) without checking its signature.
 * @throws ERR_CMS_MALFORMED when it is not a SignedData with a TSTInfo.
 */
export function parseTimestampToken(token: Uint8Array): TimestampInfo {
  return parseToken(token).info;
}

function parseToken(token: Uint8Array): ParsedToken {
  try {
    const [ctOid, ctContent] = children(readWhole(token, 0x30));
    if (!ctOid || readOid(ctOid) !== OID.signedData || !ctContent || ctContent.tag !== 0xa0) throw new DerError('not a SignedData ContentInfo');
    const sd = children(children(ctContent)[0]!);
    // SignedData: version, digestAlgorithms, encapContentInfo, [0] certs?, [1] crls?, signerInfos (RFC 5652 §5.1)
    const encap = children(sd[2]!);
    if (readOid(encap[0]!) !== OID.tstInfo) throw new DerError('eContentType is not id-ct-TSTInfo');
    const eContentWrapper = encap[1];
    if (!eContentWrapper || eContentWrapper.tag !== 0xa0) throw new DerError('no eContent');
    const eContentOctets = children(eContentWrapper)[0]!;
    if (eContentOctets.tag !== 0x04) throw new DerError('eContent is not a primitive OCTET STRING');
    const eContent = eContentOctets.contents;
    const certificates = sd.filter((t) => t.tag === 0xa0).flatMap((t) => children(t)).filter((t) => t.tag === 0x30).map((t) => t.encoded);
    const signerInfos = sd[sd.length - 1]!;
    if (signerInfos.tag !== 0x31) throw new DerError('no signerInfos');
    const [signerInfoTlv] = children(signerInfos);
    if (!signerInfoTlv) throw new DerError('no SignerInfo');
    const signerInfo = children(signerInfoTlv);

    const tst = children(readWhole(eContent, 0x30));
    // TSTInfo: version, policy, messageImprint, serialNumber, genTime, accuracy?, ordering?, nonce?, [0] tsa?, [1] exts?
    const [algId, hashed] = children(tst[2]!);
    const imprintAlgOid = readOid(children(algId!)[0]!);
    if (!hashed || hashed.tag !== 0x04) throw new DerError('bad messageImprint');
    if (tst[3]!.tag !== 0x02) throw new DerError('bad serialNumber');
    const nonceTlv = tst.slice(5).find((t) => t.tag === 0x02);
    const tsaCertificate = findSignerCertificate(signerInfo[1]!, certificates);
    const info: TimestampInfo = {
      genTime: readGeneralizedTime(tst[4]!),
      imprintAlg: hashFromOid(imprintAlgOid),
      imprintAlgOid,
      imprint: hashed.contents.slice(),
      serialHex: integerHex(tst[3]!.contents),
      policy: readOid(tst[1]!),
      ...(nonceTlv ? { nonce: integerHex(nonceTlv.contents) } : {}),
      ...(tsaCertificate ? { tsaCertificate: tsaCertificate.slice() } : {}),
      certificates: certificates.map((c) => c.slice()),
    };
    return { info, eContent, signerInfo };
  } catch (e) {
    if (e instanceof DerError || e instanceof TypeError || e instanceof RangeError) {
      throw kysoError('ERR_CMS_MALFORMED', `timestamp token: ${e.message}`, e);
    }
    throw e;
  }
}

/**
 * Checks a TimeStampToken's own integrity: the SignerInfo's content-type and
 * message-digest attributes (RFC 5652 §5.4, §11), the signature with the TSA
 * certificate included in the token, the ESS signing-certificate(-v2) binding
 * when present (RFC 3161 §2.4.2, RFC 5816), and that the TSA certificate has a
 * critical extended key usage of only id-kp-timeStamping (RFC 3161 §2.3).
 * Trust in the TSA (its chain, revocation) is a validation matter, not checked here.
 */
export async function verifyTimestampToken(token: Uint8Array): Promise<TimestampCheck> {
  let parsed: ParsedToken;
  try {
    parsed = parseToken(token);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const { info, eContent, signerInfo } = parsed;
  const fail = (reason: string): TimestampCheck => ({ ok: false, reason, info });
  const cert = info.tsaCertificate;
  if (!cert) return fail('the token does not include the TSA certificate');
  try {
    // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1]?
    const [, , digestAlg, signedAttrs, sigAlg, signature] = signerInfo;
    if (!digestAlg || !signedAttrs || signedAttrs.tag !== 0xa0 || !sigAlg || !signature || signature.tag !== 0x04) {
      return fail('the TSA SignerInfo has no signed attributes');
    }
    const algorithm = signatureAlgorithmFromIds(digestAlg.encoded, sigAlg.encoded);
    if (!algorithm) return fail('the TSA signature algorithm is not supported');
    const attrs = new Map<string, Tlv[]>();
    for (const a of children(signedAttrs)) {
      const [type, values] = children(a);
      attrs.set(readOid(type!), children(values!));
    }
    const ct = attrs.get(OID.contentType)?.[0];
    if (!ct || readOid(ct) !== OID.tstInfo) return fail('content-type attribute is not id-ct-TSTInfo');
    const md = attrs.get(OID.messageDigest)?.[0];
    if (!md || md.tag !== 0x04 || !equalBytes(md.contents, hashWith(algorithm.hash, eContent))) {
      return fail('message-digest attribute does not match the TSTInfo');
    }
    const essProblem = checkEssBinding(attrs, cert);
    if (essProblem) return fail(essProblem);
    // RFC 5652 §5.4: the signature covers the DER SET OF, i.e. the [0] with tag 0x31.
    const toVerify = signedAttrs.encoded.slice();
    toVerify[0] = 0x31;
    if (!(await verifySignatureValue(cert, algorithm, toVerify, signature.contents))) {
      return fail('the token signature does not verify with the TSA certificate');
    }
  } catch (e) {
    return fail(`the token cannot be checked: ${(e as Error).message}`);
  }
  const ekuProblem = checkTsaCertificate(cert);
  if (ekuProblem) return fail(ekuProblem);
  return { ok: true, info, tsaCertificate: cert };
}

/**
 * RFC 3161 §2.3: the TSA certificate MUST have exactly one extended key usage,
 * id-kp-timeStamping, in a critical extension. Returns the problem, or null.
 */
export function checkTsaCertificate(certificate: Uint8Array): string | null {
  let eku;
  try {
    eku = certificateExtensions(certificate).find((e) => e.oid === OID.extKeyUsage);
  } catch (e) {
    return `the TSA certificate is malformed: ${(e as Error).message}`;
  }
  if (!eku) return 'the TSA certificate has no extended key usage';
  if (!eku.critical) return 'the TSA certificate extended key usage is not critical';
  let purposes: string[];
  try {
    purposes = children(readWhole(eku.value, 0x30)).map(readOid);
  } catch {
    return 'the TSA certificate extended key usage is malformed';
  }
  if (purposes.length !== 1 || purposes[0] !== OID.timeStamping) {
    return 'the TSA certificate extended key usage is not only id-kp-timeStamping';
  }
  return null;
}

/** ESS signing-certificate (SHA-1, RFC 2634 §5.4) or -v2 (RFC 5035) must name the TSA certificate. */
function checkEssBinding(attrs: Map<string, Tlv[]>, cert: Uint8Array): string | null {
  const v2 = attrs.get(OID.signingCertificateV2)?.[0];
  const v1 = attrs.get(OID.signingCertificate)?.[0];
  const first = (v: Tlv): Tlv[] => children(children(children(v)[0]!)[0]!);
  if (v2) {
    const id = first(v2);
    const hasAlg = id[0]!.tag === 0x30;
    const hash = hasAlg ? hashFromOid(readOid(children(id[0]!)[0]!)) : 'SHA-256';
    if (!hash) return 'signing-certificate-v2 uses an unsupported hash';
    const certHash = id[hasAlg ? 1 : 0]!;
    if (!equalBytes(certHash.contents, hashWith(hash, cert))) return 'signing-certificate-v2 does not match the TSA certificate';
  } else if (v1) {
    const certHash = first(v1)[0]!;
    if (!equalBytes(certHash.contents, sha1(cert))) return 'signing-certificate does not match the TSA certificate';
  }
  return null;
}

function hashWith(hash: HashAlgorithm, bytes: Uint8Array): Uint8Array {
  return hash === 'SHA-512' ? sha512(bytes) : hash === 'SHA-384' ? sha384(bytes) : sha256(bytes);
}

/** The certificate a SignerIdentifier names: issuerAndSerialNumber or [0] subjectKeyIdentifier (RFC 5652 §5.3). */
function findSignerCertificate(sid: Tlv, certificates: readonly Uint8Array[]): Uint8Array | undefined {
  for (const c of certificates) {
    try {
      if (sid.tag === 0x30) {
        const [issuer, serial] = children(sid);
        const f = certificateFields(c);
        if (equalBytes(f.issuer.encoded, issuer!.encoded) && equalBytes(f.serial.encoded, serial!.encoded)) return c;
      } else if (sid.tag === 0x80) {
        const ski = certificateExtensions(c).find((e) => e.oid === OID.subjectKeyIdentifier);
        if (ski && equalBytes(readWhole(ski.value, 0x04).contents, sid.contents)) return c;
      }
    } catch {
      // an unreadable extra certificate is not the signer's
    }
  }
  return undefined;
}

function integerHex(contents: Uint8Array): string {
  let i = 0;
  while (i < contents.length - 1 && contents[i] === 0) i++;
  return toHex(contents.subarray(i));
}

/** GeneralizedTime, UTC, optional fraction (RFC 3161 §2.4.2). */
function readGeneralizedTime(t: Tlv): Date {
  const s = String.fromCharCode(...t.contents);
  const m = t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?Z$/.exec(s) : null;
  if (!m) throw new DerError(`bad genTime ${s}`);
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}
