/**
 * Facts about the CMS in a signature's /Contents (RFC 5652; ETSI EN 319 122-1
 * for CAdES; RFC 3161 for time-stamp tokens). Never throws for a malformed
 * signature: what cannot be read or checked becomes `error` and `null`s.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { weakAlgorithms, type WeakAlgorithm } from '../../crypto/algorithm-constraints.js';
import { decodeLimits } from '../../crypto/raw-der.js';
import { checkTsaCertificate } from '../../crypto/timestamp-token.js';
import { equalBytes } from '../../util/bytes.js';
import type { CmsFacts, TimestampFacts } from '../facts.js';
import { digestBytes, DIGEST_OIDS, type DigestAlgorithm } from './digests.js';
import {
  archivedRevocation, attributeValue, checkSigner, CMS_OID, essBinding, parseSignedData, type ParsedSignedData, type SignerCheck,
} from './signed-data.js';

/** What {@link examineCms} returns besides the facts: the raw material later stages need. */
export interface CmsExamination {
  readonly cms: CmsFacts;
  /** Certificates of the CMS, DER as embedded, then the `extraCertificates` given; `cms.signerIndex` points here. */
  readonly certificates: Uint8Array[];
  /** The id-aa-signatureTimeStampToken unsigned attribute (RFC 3161 App. A), DER. */
  readonly signatureTimestampToken: Uint8Array | null;
  /** The SignerInfo signature value: what a signature timestamp imprints. */
  readonly signatureValue: Uint8Array | null;
  /** adbe-revocationInfoArchival (ISO 32000-2 §12.8.3.3.2) and SignedData RevocationInfoChoices, DER. */
  readonly revocationInfo: { readonly crls: Uint8Array[]; readonly ocsps: Uint8Array[] };
}

/** Options of {@link examineCms}. */
export interface ExamineCmsOptions {
  /** /Contents holds an RFC 3161 TimeStampToken over the covered bytes (SubFilter ETSI.RFC3161). */
  readonly documentTimestamp: boolean;
  /**
   * The covered bytes themselves, for the rare signature without signed
   * attributes (PKCS#7 style), whose value signs the content directly. Without
   * it such a signature's validity stays null.
   */
  readonly content?: () => Uint8Array;
  /** Certificates from elsewhere (/DSS, the caller) in which to look for a signer the CMS does not carry. */
  readonly extraCertificates?: readonly Uint8Array[];
}

/**
 * Examines a signature's CMS against the bytes its ByteRange covers.
 *
 * - Signature (CAdES / PKCS#7): SignedData with one SignerInfo; with signed
 *   attributes, content-type id-data and message-digest = `covered(alg)`,
 *   the signature over the attributes as encoded; without them, the signature
 *   over the content. adbe.pkcs7.sha1: the encapsulated content must be the
 *   SHA-1 of the covered bytes (ISO 32000-1 §12.8.3.3.1).
 * - Document timestamp: the TSTInfo message imprint = hash of the covered
 *   bytes (`digestMatches`); the token's own SignerInfo gives `signatureValid`.
 *
 * @param covered digest of the covered bytes under an algorithm (see `hashByteRange`).
 */
export async function examineCms(
  der: Uint8Array,
  covered: (hash: DigestAlgorithm) => Uint8Array | Promise<Uint8Array>,
  options: ExamineCmsOptions,
): Promise<CmsExamination> {
  let parsed: ParsedSignedData;
  try {
    parsed = parseSignedData(der);
  } catch (e) {
    return unparsed(`the CMS cannot be read: ${(e as Error).message}`);
  }
  const certificates = [...parsed.certificates, ...(options.extraCertificates ?? [])];
  const problems: string[] = [];
  if (parsed.signerCount > 1) problems.push(`${parsed.signerCount} SignerInfos; only the first is examined`);

  let check: SignerCheck;
  let digestMatches: boolean | null;
  try {
    if (options.documentTimestamp) {
      if (parsed.eContentType !== CMS_OID.tstInfo || !parsed.eContent) throw new Error('the document timestamp does not hold a TSTInfo');
      const tst = readTstInfo(parsed.eContent);
      digestMatches = tst.alg ? equalBytes(tst.imprint, await covered(tst.alg)) : null;
      if (!tst.alg) problems.push(`message imprint hash ${tst.algOid} is not supported`);
      check = await checkSigner(parsed, certificates, contentOf(parsed.eContent), CMS_OID.tstInfo);
    } else if (parsed.eContent) {
      // adbe.pkcs7.sha1: the signed content is the SHA-1 digest of the byte ranges.
      const e = parsed.eContent;
      digestMatches = e.length === 20 ? equalBytes(e, await covered('SHA-1')) : false;
      if (!digestMatches) problems.push('the encapsulated content is not the SHA-1 digest of the covered bytes');
      check = await checkSigner(parsed, certificates, contentOf(e), CMS_OID.data);
      digestMatches = digestMatches && check.digestMatches;
    } else {
      const bytes = options.content;
      check = await checkSigner(parsed, certificates, { digest: covered, ...(bytes ? { bytes } : {}) }, CMS_OID.data);
      digestMatches = check.digestMatches;
    }
  } catch (e) {
    return { ...unparsed(`the CMS cannot be checked: ${(e as Error).message}`), certificates };
  }
  problems.push(...check.problems);

  // For a time-stamp token, a message-digest that does not match its TSTInfo breaks the token itself.
  const signatureValid = options.documentTimestamp && check.digestMatches === false ? false : check.signatureValid;
  const { signer } = parsed;
  const cert = check.signerIndex === null ? null : certificates[check.signerIndex]!;
  const alg = check.algorithm;
  const cms: CmsFacts = {
    parsed: true,
    error: problems.length > 0 ? problems.join('; ') : null,
    digestAlgorithm: check.digestAlgorithm,
    signatureAlgorithm: alg ? { scheme: alg.scheme, hash: alg.hash } : null,
    signedAttributesPresent: signer.signedAttributesDer !== null,
    digestMatches,
    signatureValid,
    signerIndex: check.signerIndex,
    signingCertificateBinding: essBinding(signer.signedAttributes, cert),
    signingTimeAttribute: timeOf(attributeValue(signer.signedAttributes, CMS_OID.signingTime)),
    weakAlgorithms: weak(check),
  };
  const archival = archivedRevocation(signer);
  const token = attributeValue(signer.unsignedAttributes, CMS_OID.timeStampToken);
  return {
    cms,
    certificates,
    signatureTimestampToken: token ? token.valueBeforeDecodeView.slice() : null,
    signatureValue: signer.signature,
    revocationInfo: { crls: [...parsed.crls, ...archival.crls], ocsps: [...parsed.ocsps, ...archival.ocsps] },
  };
}

/** {@link examineTimestamp}'s result: the timestamp facts without the chain, plus the token's certificates. */
export type TimestampExamination = Omit<TimestampFacts, 'chain'> & { readonly certificates: Uint8Array[] };

/**
 * Examines an RFC 3161 TimeStampToken: genTime, the message imprint against
 * `imprintOf(hash)` (for a signature timestamp, the digest of the SignerInfo
 * signature value, RFC 3161 App. A), the token's signature (RFC 5652 §5.4 with
 * content-type id-ct-TSTInfo) and the TSA certificate's extended key usage
 * (RFC 3161 §2.3). Trust in the TSA is the chain stage's business.
 */
export async function examineTimestamp(token: Uint8Array, imprintOf: (hash: DigestAlgorithm) => Uint8Array): Promise<TimestampExamination> {
  const failed = (error: string, certificates: Uint8Array[] = []): TimestampExamination => ({
    genTime: null, imprintMatches: null, signatureValid: null, tsaIndex: null, tsaEkuOk: null, error, certificates,
  });
  let parsed: ParsedSignedData;
  try {
    parsed = parseSignedData(token);
  } catch (e) {
    return failed(`the timestamp token cannot be read: ${(e as Error).message}`);
  }
  const certificates = parsed.certificates;
  if (parsed.eContentType !== CMS_OID.tstInfo || !parsed.eContent) return failed('the timestamp token does not hold a TSTInfo', certificates);
  const problems: string[] = [];
  let tst: ReturnType<typeof readTstInfo>;
  try {
    tst = readTstInfo(parsed.eContent);
  } catch (e) {
    return failed(`the TSTInfo cannot be read: ${(e as Error).message}`, certificates);
  }
  const imprintMatches = tst.alg ? equalBytes(tst.imprint, imprintOf(tst.alg)) : null;
  if (!tst.alg) problems.push(`message imprint hash ${tst.algOid} is not supported`);
  let check: SignerCheck;
  try {
    check = await checkSigner(parsed, certificates, contentOf(parsed.eContent), CMS_OID.tstInfo);
  } catch (e) {
    return { ...failed(`the timestamp token cannot be checked: ${(e as Error).message}`, certificates), genTime: tst.genTime, imprintMatches };
  }
  problems.push(...check.problems);
  if (parsed.signerCount > 1) problems.push(`${parsed.signerCount} SignerInfos in the token; only the first is examined`);
  const cert = check.signerIndex === null ? null : certificates[check.signerIndex]!;
  // RFC 3161 §2.4.2 / RFC 5816: the token binds the TSA certificate with ESS signing-certificate(-v2).
  const binding = essBinding(parsed.signer.signedAttributes, cert);
  if (binding === 'mismatch') problems.push('the ESS signing-certificate attribute does not match the TSA certificate');
  let tsaEkuOk: boolean | null = null;
  if (cert) {
    const eku = checkTsaCertificate(cert);
    tsaEkuOk = eku === null;
    if (eku) problems.push(eku);
  }
  const signatureValid = check.digestMatches === false || binding === 'mismatch' ? false : check.signatureValid;
  return {
    genTime: tst.genTime,
    imprintMatches,
    signatureValid,
    tsaIndex: check.signerIndex,
    tsaEkuOk,
    error: problems.length > 0 ? problems.join('; ') : null,
    certificates,
  };
}

function unparsed(error: string): CmsExamination {
  return {
    cms: {
      parsed: false, error, digestAlgorithm: null, signatureAlgorithm: null, signedAttributesPresent: false, digestMatches: null,
      signatureValid: null, signerIndex: null, signingCertificateBinding: 'absent', signingTimeAttribute: null, weakAlgorithms: [],
    },
    certificates: [],
    signatureTimestampToken: null,
    signatureValue: null,
    revocationInfo: { crls: [], ocsps: [] },
  };
}

/** A small in-memory content (eContent) as a {@link SignedContent}. */
function contentOf(bytes: Uint8Array) {
  return { digest: (alg: DigestAlgorithm) => digestBytes(alg, bytes), bytes: () => bytes };
}

/** TSTInfo (RFC 3161 §2.4.2): genTime and messageImprint. */
function readTstInfo(der: Uint8Array): { genTime: string; alg: DigestAlgorithm | null; algOid: string; imprint: Uint8Array } {
  const { offset, result } = asn1js.fromBER(der.slice(), decodeLimits(der.length));
  if (offset === -1) throw new Error('TSTInfo is not BER');
  const tst = new pkijs.TSTInfo({ schema: result });
  const algOid = tst.messageImprint.hashAlgorithm.algorithmId;
  return {
    genTime: tst.genTime.toISOString(),
    alg: DIGEST_OIDS[algOid] ?? null,
    algOid,
    imprint: new Uint8Array(tst.messageImprint.hashedMessage.getValue()),
  };
}

function timeOf(value: asn1js.AsnType | undefined): string | null {
  try {
    if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) {
      const d = value.toDate();
      return Number.isNaN(d.getTime()) ? null : d.toISOString();
    }
  } catch {
    // an unreadable time is no time
  }
  return null;
}

/** Algorithms a crypto policy may refuse: the rows of the one constraints table (crypto/algorithm-constraints.ts) that apply. */
function weak(check: SignerCheck): WeakAlgorithm[] {
  return weakAlgorithms({ digests: [check.digestAlgorithm, check.algorithm?.hash], key: check.key });
}
