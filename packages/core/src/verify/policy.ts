import { weakAlgorithmName, type WeakAlgorithm } from '../crypto/algorithm-constraints.js';
import { kysoError } from '../errors/index.js';
import type { LocalizedText } from '../errors/messages.js';
import type { ByteRangeProblem, CertificateFacts, ChainFacts, ChainProblem, SignatureFacts, VerificationFacts } from './facts.js';
import { VERIFY_TEXT as T, withDetail } from './messages.js';
import type { Indication, LtvStatus, PadesLevelReached, SignatureReport, SubIndication, VerificationReport } from './report.js';

/** What the judgement accepts. Pure data: a badge can re-judge stored facts under another policy. */
export interface VerificationPolicy {
  readonly name: string;
  /**
   * SHA-1 in the signature itself (digest or signature algorithm) is refused unless 'always'. A SHA-1 signed
   * certificate on the path: 'never' refuses every one; 'ca-links-only' only those the trust store does not
   * accept (it accepts the CA certificates it bundles when it allows SHA-1 CA links, e.g. VGCA G1 in `vn-gov`);
   * 'always' none.
   */
  readonly sha1: 'never' | 'ca-links-only' | 'always';
  readonly minRsaBits: number;
  /** The time to validate at; default the facts' validation time. */
  readonly at?: string;
  /** Seconds of tolerance between a claimed time and a timestamp before "local time as UTC" is suspected. */
  readonly clockSkew: number;
  /**
   * A SignerInfo without signed attributes (RFC 5652 §5.3: the signature then covers the content digest
   * alone, binding neither the signing certificate nor a signing time) is refused unless 'optional';
   * default 'required' (ETSI EN 319 142-1 §6.3 needs them). Only decides what would otherwise pass.
   */
  readonly signedAttributes?: 'required' | 'optional';
}

/** The default policy: ETSI TS 119 312 style (RSA ≥ 2048, no SHA-1 in signatures; SHA-1 only on CA links a trust profile allows). */
export const DEFAULT_POLICY: VerificationPolicy = { name: 'kyso-default', sha1: 'ca-links-only', minRsaBits: 2048, clockSkew: 120 };

/**
 * For documents signed years ago by licensed CAs with SHA-1 digests or without signed attributes, which
 * Vietnamese agencies still receive and NEAC's own verifier accepts: such a signature is reported valid
 * with a warning naming what was accepted (SHA-1; no signed attributes), never silently. Everything else is
 * as strict as {@link DEFAULT_POLICY} (key sizes, chain, validity, revocation, integrity).
 */
export const LEGACY_POLICY: VerificationPolicy = {
  name: 'kyso-legacy', sha1: 'always', minRsaBits: 2048, clockSkew: 120, signedAttributes: 'optional',
};

const VN_OFFSET_S = 7 * 3600;

/**
 * Turns gathered facts into ETSI EN 319 102-1 style indications. Pure: no
 * I/O, no clock; the same facts and policy always give the same report.
 * A check that could not run never yields TOTAL_PASSED.
 * @throws ERR_INVALID_ARGUMENT when the facts are of another shape than this version gathers
 *   (`facts.version`): they are gathered again, never guessed at.
 */
export function judge(facts: VerificationFacts, policy: VerificationPolicy = DEFAULT_POLICY, file: string | null = null): VerificationReport {
  if (facts?.version !== 2) {
    throw kysoError('ERR_INVALID_ARGUMENT', `facts of version ${String((facts as { version?: unknown } | null)?.version)} cannot be judged; gather them again (version 2)`);
  }
  const at = new Date(policy.at ?? facts.validationTime);
  const lastEnd = facts.revisions.length ? facts.revisions[facts.revisions.length - 1]!.end : facts.fileSize;
  const proofs = usableProofs(facts, policy, at);
  const signatures = facts.signatures.map((s) => judgeOne(s, facts, policy, at, proofs));
  const lastSigned = facts.signatures.some((s) => s.byteRange.coverage !== 'broken' && coveredEnd(s) === lastEnd) && facts.unsignedTrailing === 0;
  return deepFreeze({
    file,
    revisions: facts.revisions.length,
    signatures,
    unsignedTrailing: facts.unsignedTrailing,
    lastRevisionSigned: lastSigned,
    validationTime: at.toISOString(),
    policy: policy.name,
    ltv: ltvOf(facts),
  });
}

/**
 * Whether the file carries what offline validation needs (ETSI EN 319 142-1
 * §5.4.2, "LTV-enabled"): for every signature, each certificate of its path
 * and of its signature-timestamp TSA's path decided by revocation data found in
 * the file (CMS or /DSS); for every document timestamp but the last, likewise.
 * The last document timestamp is validated with current data, which a later
 * renewal adds. Also the last timestamp and when its TSA certificate expires:
 * the archive timestamp must be renewed before then (EN 319 102-1 §5.6.3).
 */
function ltvOf(facts: VerificationFacts): LtvStatus {
  const missing: string[] = [];
  const docTimestamps = facts.signatures.filter((s) => s.kind === 'document-timestamp');
  const lastDocTs = docTimestamps[docTimestamps.length - 1];
  const embedded = (e: { status: string; source: string }) => e.status !== 'unknown' && (e.source === 'ocsp-embedded' || e.source === 'crl-embedded');
  const subject = (s: SignatureFacts, i: number) => s.certificates[i]?.subject ?? `certificate ${i}`;
  for (const s of facts.signatures) {
    if (s === lastDocTs) continue;
    const name = s.field ?? `#${s.index}`;
    if (s.chain.status !== 'trusted') missing.push(`${name}: no path to a trust anchor`);
    else if (s.revocation.entries.length === 0) missing.push(`${name}: no revocation data`);
    for (const e of s.revocation.entries) if (!embedded(e)) missing.push(`${name}: revocation data of ${subject(s, e.certIndex)}`);
    if (s.kind === 'signature' && s.timestamp) {
      const r = s.timestamp.revocation;
      if (!r || r.entries.length === 0) missing.push(`${name}: revocation data of the timestamp authority`);
      else for (const e of r.entries) if (!embedded(e)) missing.push(`${name}: revocation data of ${subject(s, e.certIndex)} (timestamp)`);
    }
  }
  let lastTimestamp: LtvStatus['lastTimestamp'] = null;
  for (const s of facts.signatures) {
    const t = s.timestamp;
    if (!t || t.genTime === null || t.error !== null || t.imprintMatches !== true || t.signatureValid !== true) continue;
    const tsa = t.tsaIndex !== null ? s.certificates[t.tsaIndex] : s.kind === 'document-timestamp' && s.cms.signerIndex !== null ? s.certificates[s.cms.signerIndex] : undefined;
    if (!lastTimestamp || t.genTime >= lastTimestamp.genTime) {
      lastTimestamp = { kind: s.kind === 'signature' ? 'signature-timestamp' : 'document-timestamp', genTime: t.genTime, tsaExpires: tsa?.notAfter ?? null };
    }
  }
  const signed = facts.signatures.some((s) => s.kind === 'signature');
  return { enabled: signed && missing.length === 0, missing, lastTimestamp };
}

function coveredEnd(s: SignatureFacts): number {
  const br = s.byteRange.byteRange;
  return br && br.length === 4 ? br[2]! + br[3]! : -1;
}

/**
 * Which document timestamps give proof of existence (ETSI EN 319 102-1 §5.6.3,
 * validation of signatures with archival data): walking from the newest, a
 * document timestamp counts only when its own validation passes, at the time
 * a later counting timestamp proves for it, else at the validation time. The
 * newest one has no later proof: unless its TSA's status is shown good now
 * (§5.4: a time-stamp is validated like a signature), it proves nothing, and
 * neither does any older one that relies on it.
 * @returns indexes (into `facts.signatures`) of the document timestamps whose proofs may be used.
 */
export function usableProofs(facts: VerificationFacts, policy: VerificationPolicy = DEFAULT_POLICY, at: Date = new Date(policy.at ?? facts.validationTime)): ReadonlySet<number> {
  const usable = new Set<number>();
  for (let i = facts.signatures.length - 1; i >= 0; i--) {
    const s = facts.signatures[i]!;
    if (s.kind === 'document-timestamp' && provesExistence(s, usable, policy, at)) usable.add(i);
  }
  return usable;
}

/**
 * Whether a document timestamp's own validation passes (the time-stamp validation of EN 319 102-1 §5.4): its
 * token, chain and TSA status hold at the time a later usable timestamp proves for it (else at `at`). Changes
 * made after it do not matter here: they are judged for the signatures it covers, not for what it proves.
 * `usable` holds the indexes of the later document timestamps already found to hold. Also used while facts
 * are gathered, so that no proof from a failing timestamp reaches the facts of the signatures it covers.
 */
export function provesExistence(s: SignatureFacts, usable: ReadonlySet<number>, policy: VerificationPolicy, at: Date): boolean {
  const t = s.timestamp;
  if (!t || t.error !== null || t.imprintMatches !== true || t.signatureValid !== true || t.genTime === null) return false;
  const unchanged: SignatureFacts = { ...s, modifications: { verdict: 'none', changes: [] } };
  const poe = poeOf(s, usable);
  const signingAt = poe && poe < at ? poe : at;
  const signer = s.cms.signerIndex !== null ? s.certificates[s.cms.signerIndex] ?? null : null;
  return decide(unchanged, policy, at, signingAt, signer, poe !== null, []).indication === 'TOTAL_PASSED';
}

/** The proof of existence a later document timestamp gives `s`, when that timestamp's own proofs may be used. */
function poeOf(s: SignatureFacts, usable: ReadonlySet<number>): Date | null {
  // Facts without the source of their proof (older facts) are not taken on trust.
  if (!s.proofOfExistence || s.proofOfExistenceFrom === undefined || !usable.has(s.proofOfExistenceFrom)) return null;
  return new Date(s.proofOfExistence);
}

function judgeOne(s: SignatureFacts, facts: VerificationFacts, policy: VerificationPolicy, at: Date, proofs: ReadonlySet<number>): SignatureReport {
  const messages: LocalizedText[] = [];
  const signer = s.cms.signerIndex !== null ? s.certificates[s.cms.signerIndex] ?? null : null;
  const tokenValid = !!s.timestamp && s.timestamp.error === null && s.timestamp.imprintMatches === true && s.timestamp.signatureValid === true && s.timestamp.genTime !== null;
  // A signature timestamp proves the signing time only when its TSA is one the verifier trusts: a token whose
  // signature checks but whose key chains to no trust anchor, lacks the critical timeStamping EKU (RFC 3161 §2.3)
  // or is revoked could have been made by anyone, and would otherwise rescue an expired or revoked signer
  // (ETSI EN 319 102-1 §5.4: the time-stamp is validated like any signature before it serves as proof of existence).
  const tsaTrusted = !!s.timestamp && s.timestamp.tsaEkuOk === true && s.timestamp.chain?.status === 'trusted'
    && s.timestamp.revocation?.status !== 'revoked';
  // The proof of existence a later document timestamp gives (EN 319 102-1 §5.6.3), only when that timestamp's
  // own validation passes; otherwise neither this signature's time nor its TSA's past status rests on it.
  const poe = poeOf(s, proofs);
  const poeRejected = !!s.proofOfExistence && poe === null;
  // The TSA's status must be known: good at the time it was checked, which is the validation time or the
  // proof of existence above. Unknown (no data, stale data) or checked at a time that is no longer proven
  // leaves the token INDETERMINATE (§5.4), and an INDETERMINATE time-stamp proves nothing (§5.6.2.4).
  const tsaStatusKnown = !s.timestamp?.revocation || (s.timestamp.revocation.status === 'good' && !poeRejected);
  // A document timestamp is no proof of existence of itself: it is validated at the validation time.
  const tsValid = tokenValid && tsaTrusted && tsaStatusKnown && s.kind === 'signature';
  const tsTime = tsValid ? s.timestamp!.genTime : null;
  // ETSI EN 319 102-1 §5.6.2: without proof of existence the signature is validated at the validation time.
  // A document timestamp covered by a later one is validated at that one's time (past validation, §5.6.2.3).
  const docPoe = s.kind === 'document-timestamp' ? poe : null;
  const signingAt = tsTime ? new Date(tsTime) : docPoe && docPoe < at ? docPoe : at;

  const result = decide(s, policy, at, signingAt, signer, tsValid || docPoe !== null, messages);

  // Notes that never change the indication.
  if (s.timestamp && !tokenValid) messages.push(T.timestampInvalid);
  else if (s.timestamp && s.kind === 'signature' && !tsaTrusted) messages.push(T.timestampUntrusted);
  else if (s.timestamp && s.kind === 'signature' && !tsaStatusKnown) messages.push(T.timestampTsaUnknown);
  if (poeRejected) messages.push(T.archiveTimestampUnproven);
  // "No timestamp" only when there is none; a refused one already has its note.
  if (!s.timestamp && s.kind === 'signature') messages.push(T.claimedTimeOnly);
  if (tsTime && s.claimed.time) {
    const diff = (new Date(s.claimed.time).getTime() - new Date(tsTime).getTime()) / 1000;
    if (Math.abs(Math.abs(diff) - VN_OFFSET_S) <= policy.clockSkew) messages.push(T.localTimeAsUtc);
  }
  if (s.chain.notes.some((n) => n.kind === 'sha1-ca-link-accepted')) messages.push(T.sha1CaLink);
  // What a legacy policy let through is always named (docs/decisions/0022).
  if (policy.sha1 === 'always' && s.cms.weakAlgorithms.some((w) => w.kind === 'digest' && w.algorithm === 'SHA-1')) messages.push(T.legacySha1);
  if (policy.signedAttributes === 'optional' && s.cms.parsed && !s.cms.signedAttributesPresent) messages.push(T.legacyNoSignedAttributes);

  const end = coveredEnd(s);
  return {
    kind: s.kind,
    field: s.field,
    subFilter: s.subFilter,
    level: levelOf(s, facts),
    signer: {
      commonName: signer?.commonName ?? null,
      organization: signer?.organization ?? null,
      uid: signer?.uids ?? [],
      serialNumber: signer?.serialNumber ?? null,
      issuer: signer?.issuer ?? null,
    },
    signingTime: { claimed: s.claimed.time, timestamp: tokenValid && (tsaTrusted || s.kind === 'document-timestamp') ? s.timestamp!.genTime : null },
    coverage: s.byteRange.coverage,
    byteRange: s.byteRange.byteRange ? [...s.byteRange.byteRange] : null,
    coversWholeFile: end === facts.fileSize,
    integrity: s.cms.digestMatches === true && s.byteRange.coverage !== 'broken' ? 'intact' : s.cms.digestMatches === false || s.byteRange.coverage === 'broken' ? 'broken' : 'unknown',
    cryptoValid: s.cms.signatureValid,
    chain: {
      status: s.chain.status,
      path: s.chain.path.map((i) => s.certificates[i]?.subject ?? '?'),
      anchor: s.chain.anchor?.subject ?? null,
    },
    revocation: { status: s.revocation.status, source: [...new Set(s.revocation.entries.map((e) => e.source))] },
    modifications: { verdict: s.modifications.verdict, changes: s.modifications.changes },
    indication: result.indication,
    subIndication: result.sub,
    messages,
  };
}

function decide(
  s: SignatureFacts, policy: VerificationPolicy, at: Date, signingAt: Date,
  signer: CertificateFacts | null, tsValid: boolean, messages: LocalizedText[],
): { indication: Indication; sub: SubIndication | null } {
  const fail = (sub: SubIndication, text: LocalizedText) => {
    messages.push(text);
    return { indication: 'TOTAL_FAILED' as const, sub };
  };
  const indeterminate = (sub: SubIndication, text: LocalizedText) => {
    messages.push(text);
    return { indication: 'INDETERMINATE' as const, sub };
  };

  // Sub-indications are those EN 319 102-1 §5.1.3 pairs with each main indication: TOTAL-FAILED takes only
  // FORMAT_FAILURE, HASH_FAILURE, SIG_CRYPTO_FAILURE, REVOKED, EXPIRED and NOT_YET_VALID (docs/decisions/0017).
  // 1. Format: the byte range and the CMS (ISO 32000-2 §12.8.1; RFC 5652).
  if (s.byteRange.coverage === 'broken') return fail('FORMAT_FAILURE', withDetail(brokenText(s.byteRange.problems), ` (${s.byteRange.problems.join(', ')})`));
  if (!s.cms.parsed) return fail('FORMAT_FAILURE', withDetail(T.formatCms, s.cms.error ? ` (${s.cms.error})` : ''));
  // 2. Integrity: HASH_FAILURE only when the signed bytes themselves no longer match.
  if (s.cms.digestMatches === false) return fail('HASH_FAILURE', T.hashFailure);
  // An algorithm kyso cannot compute is a cryptographic constraint it cannot meet, not a malformed signature.
  if (s.cms.digestMatches === null) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', T.digestUnknown);
  // 3. The signature value.
  if (s.cms.signatureValid === false) return fail('SIG_CRYPTO_FAILURE', T.sigCrypto);
  // 4. Changes after signing. The signed bytes are intact, so this is no HASH_FAILURE: the document as a whole
  // breaks the PAdES/ISO 32000-2 §12.8.2 rules on what may follow a signature (DocMDP, FieldMDP, incremental
  // updates), the format constraints the format-checking building block (§5.2.2) applies: FORMAT_FAILURE, named
  // by what changed.
  if (s.modifications.verdict === 'disallowed') return fail('FORMAT_FAILURE', modifiedText(s));
  if (s.byteRange.coverage === 'partial') return fail('FORMAT_FAILURE', T.partialCoverage);
  // 5. The signer: identified before the value is judged unverifiable (ETSI EN 319 102-1 §5.2.3 precedes §5.2.7),
  // since without the certificate there is no key to verify with.
  if (!signer) return indeterminate('NO_SIGNING_CERTIFICATE_FOUND', T.noSigner);
  if (s.cms.signatureValid === null) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', T.sigUnknown);
  if (s.cms.signingCertificateBinding === 'mismatch') return indeterminate('NO_SIGNING_CERTIFICATE_FOUND', T.bindingMismatch);
  // 6. Algorithms (ETSI TS 119 312 via the policy).
  const weak = s.cms.weakAlgorithms.filter((w) => !acceptedWeakness(w, policy)).map(weakAlgorithmName).join(', ');
  if (weak) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', withDetail(T.weak, weak, weak));
  const weakLink = withDetail(T.weak, 'SHA-1 (CA)', 'SHA-1 (CA)');
  if (policy.sha1 === 'never' && sha1Signed(s.chain, 'any')) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', weakLink);
  // 7. The chain to a trust anchor.
  if (s.chain.status === 'unknown') return indeterminate('NO_CERTIFICATE_CHAIN_FOUND', T.noChain);
  if (s.chain.status === 'untrusted') return indeterminate('NO_CERTIFICATE_CHAIN_FOUND', T.untrusted);
  // On a path that reaches an anchor, SHA-1 only where the trust store accepts it (DEFAULT_POLICY).
  if (policy.sha1 === 'ca-links-only' && sha1Signed(s.chain, 'not-accepted')) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', weakLink);
  // Validity is judged below at the signing time, not at the validation time the builder used.
  const constraints = s.chain.problems.filter((p) => !JUDGED_ELSEWHERE.has(p.kind)).map(problemCode).join(', ');
  if (constraints) return indeterminate('CHAIN_CONSTRAINTS_FAILURE', withDetail(T.chainConstraints, constraints, constraints));
  // 8. Validity at the signing time (the timestamp's, else the validation time).
  for (const i of s.chain.path) {
    const c = s.certificates[i];
    if (!c) continue;
    if (new Date(c.notBefore) > signingAt) return i === s.cms.signerIndex ? fail('NOT_YET_VALID', T.notYetValid) : indeterminate('CHAIN_CONSTRAINTS_FAILURE', T.notYetValid);
    if (new Date(c.notAfter) < signingAt) {
      if (!tsValid) return indeterminate('OUT_OF_BOUNDS_NO_POE', T.expiredNoPoe);
      // EXPIRED names the signing certificate (EN 319 102-1 §5.1.3); a CA outside its validity at a proven
      // signing time breaks the chain's constraints, which the standard reports as INDETERMINATE.
      return i === s.cms.signerIndex ? fail('EXPIRED', T.expiredAtTime) : indeterminate('CHAIN_CONSTRAINTS_FAILURE', T.caExpiredAtTime);
    }
  }
  // 9. Revocation (RFC 6960 / RFC 5280) at the signing time. TOTAL_FAILED/REVOKED needs proof that the signature
  // was made after the signer's revocation; without a proven time (or with an unknown revocation time) it is
  // INDETERMINATE/REVOKED_NO_POE, and a revoked CA is INDETERMINATE/REVOKED_CA_NO_POE (EN 319 102-1 §5.1.3, §5.2.6).
  // Data read at a claimed timestamp's time says 'good' with the later revocation date; once that time is not
  // accepted (the signing time falls back to the validation time), such a certificate is revoked by then.
  for (const e of s.revocation.entries) {
    const revokedBy = e.status === 'revoked' || (e.status === 'good' && e.revokedAt !== null && new Date(e.revokedAt) <= signingAt);
    if (!revokedBy) continue;
    if (e.revokedAt && new Date(e.revokedAt) > signingAt && tsValid) continue; // revoked after a proven time
    if (e.certIndex !== s.cms.signerIndex) return indeterminate('REVOKED_CA_NO_POE', T.revokedCa);
    if (tsValid && e.revokedAt) return fail('REVOKED', T.revoked);
    return indeterminate('REVOKED_NO_POE', T.revokedNoPoe);
  }
  if (s.revocation.status === 'not-checked') return indeterminate('TRY_LATER', T.revocationOff);
  // Revoked after a proven signing time is no objection (ETSI EN 319 102-1 §5.6.2.1, past signature validation).
  const goodAtSigning = s.revocation.entries.length > 0 && s.revocation.entries.every((e) =>
    e.status === 'good' || (e.status === 'revoked' && tsValid && e.revokedAt !== null && new Date(e.revokedAt) > signingAt));
  if (!goodAtSigning) {
    // Say why: the reasons the revocation sources gave (time-out, HTTP status, stale data, no data).
    const reasons = [...new Set(s.revocation.entries.filter((e) => e.status !== 'good' && e.reason).map((e) => e.reason!))];
    return indeterminate('TRY_LATER', reasons.length ? withDetail(T.revocationUnknown, ` (${reasons.join('; ')})`) : T.revocationUnknown);
  }
  // 10. Signed attributes (RFC 5652 §5.3; ETSI EN 319 142-1 §6.3): without them nothing binds the signer
  // certificate or a time to the signature; only a legacy policy accepts that (with a warning, above).
  if (!s.cms.signedAttributesPresent && policy.signedAttributes !== 'optional') return indeterminate('SIG_CONSTRAINTS_FAILURE', T.noSignedAttributes);
  messages.push(s.modifications.verdict === 'allowed' ? T.passedAllowed : T.passed);
  return { indication: 'TOTAL_PASSED', sub: null };
}

/** Whether the policy accepts what the constraints table calls weak: SHA-1 under `sha1: 'always'`, an RSA key of `minRsaBits` or more. */
function acceptedWeakness(w: WeakAlgorithm, policy: VerificationPolicy): boolean {
  if (w.kind === 'digest') return w.algorithm === 'SHA-1' && policy.sha1 === 'always';
  return w.algorithm === 'RSA' && w.bits >= policy.minRsaBits;
}

/**
 * Whether a certificate of the path is signed with SHA-1 (ETSI TS 119 312: SHA-1 no longer fits certificate
 * signatures): any, or only those the trust store does not accept. The builder lists a link the store accepts
 * as a note (`sha1-ca-link-accepted`) and any other as a problem (`sha1-link`).
 */
function sha1Signed(chain: ChainFacts, which: 'any' | 'not-accepted'): boolean {
  if (chain.problems.some((p) => p.kind === 'sha1-link')) return true;
  return which === 'any' && chain.notes.some((n) => n.kind === 'sha1-ca-link-accepted');
}

/** Chain problems the chain-constraints step leaves to other steps: validity (step 8) and SHA-1 links (step 6). */
const JUDGED_ELSEWHERE: ReadonlySet<ChainProblem['kind']> = new Set(['expired', 'not-yet-valid', 'sha1-link']);

/** How a chain problem is named in a message (both languages): its kind and certificate index, e.g. 'key-usage:0'. */
function problemCode(p: ChainProblem): string {
  return `${p.kind}:${p.cert}`;
}

const CONTENTS_PROBLEMS: ReadonlySet<ByteRangeProblem> = new Set(['contents-missing', 'contents-trailing']);
const DICTIONARY_PROBLEMS: ReadonlySet<ByteRangeProblem> = new Set(['indirect-entry', 'malformed-entry']);

/** What a broken signature structure is called: its byte range, its /Contents, or its dictionary's form (ISO 32000-2 §12.8.1). */
function brokenText(problems: readonly ByteRangeProblem[]): LocalizedText {
  if (problems.some((p) => !CONTENTS_PROBLEMS.has(p) && !DICTIONARY_PROBLEMS.has(p))) return T.formatByteRange;
  if (problems.some((p) => CONTENTS_PROBLEMS.has(p))) return T.formatContents;
  return problems.length ? T.formatSignatureDictionary : T.formatByteRange;
}

/** "Changed after signing: …" with the labels of the changes that are not allowed (each in its language). */
function modifiedText(s: SignatureFacts): LocalizedText {
  const bad = s.modifications.changes.filter((c) => !c.allowed);
  if (!bad.length) return T.modified;
  const vi = [...new Set(bad.map((c) => c.label.vi))].join('; ');
  const en = [...new Set(bad.map((c) => c.label.en))].join('; ');
  return { vi: `${T.modifiedList.vi}${vi}.`, en: `${T.modifiedList.en}${en}.` };
}

function levelOf(s: SignatureFacts, facts: VerificationFacts): PadesLevelReached {
  if (s.kind === 'document-timestamp') return 'RFC3161';
  if (s.subFilter !== 'ETSI.CAdES.detached') return 'PKCS7';
  if (!s.timestamp) return 'PAdES-B-B';
  const later = facts.signatures.filter((o) => o.revision > s.revision);
  const hasRevocationData = s.revocation.entries.some((e) => e.source === 'ocsp-embedded' || e.source === 'crl-embedded');
  if (!hasRevocationData) return 'PAdES-B-T';
  return later.some((o) => o.kind === 'document-timestamp') ? 'PAdES-B-LTA' : 'PAdES-B-LT';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
