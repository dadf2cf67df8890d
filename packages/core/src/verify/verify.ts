import { kysoError } from '../errors/index.js';
import { parseCertificate } from '../crypto/certificate-info.js';
import { rangesLength } from '../pdf/stream-ranges.js';
import { progressReporter, type ProgressListener } from '../progress.js';
import { isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import type { PdfDocument } from '../pdf/document.js';
import { withAesCipher } from '../pdf/encryption/aes.js';
import type { FetchLike, ServiceTimeouts } from '../options.js';
import { buildChain } from './chain/index.js';
import { CertificateList } from './certificate-list.js';
import { digestBytes, examineCms, examineTimestamp } from './cms/index.js';
import type { ChainFacts, CmsFacts, RevocationFacts, SignatureEvidence, SignatureFacts, TimestampFacts, VerificationFacts } from './facts.js';
import { analyseModifications, createModificationCache, type ModificationPolicy } from './modifications/index.js';
import { DEFAULT_POLICY, judge, provesExistence, type VerificationPolicy } from './policy.js';
import type { VerificationReport } from './report.js';
import { checkRevocation, readDss, vriKey, type DssContents } from './revocation/index.js';
import { readRevocationData, type RevocationData, type SuppliedRevocation } from './revocation/supplied.js';
import { PdfString } from '../pdf/objects.js';
import { toBase64 } from '../util/base64.js';
import { createOpenings, findSignatures, hashByteRange, readRevisions, type FoundSignature } from './structure/index.js';
import { distrust, mergeTrust, trustFromCertificates, trustProfile, TRUST_PROFILE_NAMES, type TrustProfileName, type TrustStore } from './trust/index.js';

/** Re-exported for the lazy public forwarder (`validation.ts`): supplied CRLs and OCSP responses are checked with the verifier's code. */
export { readRevocationData } from './revocation/supplied.js';

/** Options of {@link verify} and {@link gatherFacts}. */
export interface VerifyOptions {
  /**
   * Trust anchors: profile names (`vn` = `vn-gov` + `vn-public`), stores, or PEM/DER certificates.
   * Default: none (nothing is trusted).
   */
  readonly trust?: readonly (TrustStore | TrustProfileName | string | Uint8Array)[];
  /**
   * Certificates removed from what `trust` gives, as anchors and as bundled intermediates: PEM/DER
   * certificates or SHA-256 fingerprints in hex (see `distrust`).
   */
  readonly distrust?: readonly (string | Uint8Array)[];
  /** Extra intermediate certificates (DER or PEM) for path building. */
  readonly intermediates?: readonly (string | Uint8Array)[];
  /**
   * Where revocation data may come from; default 'embedded' (CMS, /DSS and `revocationData` only).
   * 'online' adds the certificates' OCSP responders and CRL distribution points through `fetch`.
   */
  readonly revocation?: 'embedded' | 'online' | 'off';
  /**
   * CRLs and OCSP responses obtained elsewhere (DER or PEM), e.g. a CRL downloaded on another network:
   * used after the document's own data and before the network, in every mode but 'off'.
   * @throws ERR_REVOCATION_DATA_MALFORMED (from `verify`) when an item is not a CRL or an OCSP response.
   */
  readonly revocationData?: RevocationData;
  /** Reaches OCSP, CRL and AIA URLs in 'online' mode; core has no network of its own. */
  readonly fetch?: FetchLike;
  /**
   * Milliseconds per network exchange; default 10 000.
   * @deprecated pass `timeouts: { ocsp, crl, aia }` (one per service).
   */
  readonly timeoutMs?: number;
  /** Time-out per service in milliseconds (`ocsp`, `crl`, `aia`); each wins over `timeoutMs`. */
  readonly timeouts?: ServiceTimeouts;
  /** The validation time; default now. */
  readonly at?: Date;
  readonly policy?: VerificationPolicy;
  /** Password of an encrypted document. */
  readonly password?: string;
  /** Name of the file, for the report. */
  readonly file?: string;
  readonly signal?: AbortSignal;
  /** Progress of hashing the signed byte ranges (phase `verify`, in bytes). */
  readonly onProgress?: ProgressListener;
  /**
   * Also record, per signature, the raw certificates, OCSP responses and CRLs
   * that validated it (`SignatureFacts.evidence`): what `extend` writes into
   * `/DSS`. Off by default (it makes the facts larger).
   */
  readonly collectEvidence?: boolean;
  /**
   * Which changes after a signature are allowed (ISO 32000-2 §12.8.2); default
   * `defaultModificationPolicy()`. Add a rule with `defaultModificationPolicy().with(rule)`.
   * In-process only: rules are functions, which a worker cannot receive.
   */
  readonly modificationPolicy?: ModificationPolicy;
}

/**
 * Verifies every signature and document timestamp of a PDF (ETSI EN 319 102-1
 * style): gathers the facts in one pass ({@link gatherFacts}), then judges them
 * with a pure policy ({@link judge}). Throws only when the file cannot be read
 * as a PDF; everything about signatures is in the frozen report.
 */
export async function verify(pdf: Uint8Array | ByteSource, options: VerifyOptions = {}): Promise<VerificationReport> {
  const facts = await gatherFacts(pdf, options);
  return judge(facts, options.policy ?? DEFAULT_POLICY, options.file ?? null);
}

const EMPTY_CHAIN: ChainFacts = { status: 'unknown', path: [], anchor: null, problems: [], notes: [] };
const NO_REVOCATION: RevocationFacts = { status: 'unknown', entries: [] };

/** The facts of a PDF's signatures: plain JSON data, judged later (possibly elsewhere, under another policy or time). */
export async function gatherFacts(pdf: Uint8Array | ByteSource, options: VerifyOptions = {}): Promise<VerificationFacts> {
  const source = isByteSource(pdf) ? pdf : pdf instanceof Uint8Array ? memorySource(pdf) : null;
  if (!source) throw kysoError('ERR_INVALID_ARGUMENT', 'pdf must be a Uint8Array or a ByteSource');
  const at = options.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'options.at is not a valid date');
  const trust = trustOf(options);
  const extra = (options.intermediates ?? []).flatMap((c) => trustFromCertificates([c]).anchors);
  const supplied = readRevocationData(options.revocationData);
  const notes: string[] = [];

  // The first openings of the document, run again once AES is loaded if it turns out to need it (pdf/encryption/aes.ts).
  const { revisions, found, doc, openings } = await withAesCipher(() => {
    // Each revision is opened once for every stage of this call (made here, so a second run opens afresh).
    const openings = createOpenings(source, options.password);
    const revisions = readRevisions(source, { password: options.password, openings });
    const found = findSignatures(source, revisions, { password: options.password, openings });
    return { revisions, found, doc: openings.whole(), openings };
  });
  const dss = readDss(doc);
  notes.push(...dss.notes);
  const cache = createModificationCache(openings);
  const certification = found.find((f) => f.docMdp !== null) ?? null;

  // Progress: the bytes of every signature's ByteRange, hashed once each.
  const coveredLength = (f: FoundSignature) => {
    const br = f.byteRange.byteRange;
    return br && br.length === 4 ? rangesLength(br, source.length) : 0;
  };
  const report = progressReporter(options.onProgress, 'verify', found.reduce((t, f) => t + coveredLength(f), 0));
  let hashedBefore = 0;
  const signatures: SignatureFacts[] = [];
  // Newest first: a document timestamp examined before the signatures it covers is their proof of
  // existence (ETSI EN 319 102-1 §5.6.2.3), the time their timestamps' TSA paths are checked at, but
  // only when its own validation passes at the time a newer one proves for it, or now (§5.6.3).
  const poes: { revision: number; time: Date; index: number }[] = [];
  const usable = new Set<number>();
  const policy = options.policy ?? DEFAULT_POLICY;
  for (const [index, f] of [...found.entries()].reverse()) {
    if (options.signal?.aborted) throw kysoError('ERR_ABORTED');
    const base = hashedBefore;
    const progress = (n: number) => report(base + Math.min(n, coveredLength(f)));
    const later = poes.filter((p) => p.revision > f.revision);
    const earliest = later.reduce<(typeof poes)[number] | null>((a, p) => (!a || p.time < a.time ? p : a), null);
    const poe = earliest ? { time: earliest.time, from: earliest.index } : null;
    const facts = await examine(f, { source, doc, revisions, found, dss, trust, extra, supplied, at, options, cache, certification, progress, poe });
    // Checked again after: an abort inside a check is recorded there as that check's failure, never as a verdict.
    if (options.signal?.aborted) throw kysoError('ERR_ABORTED');
    signatures.unshift(facts);
    const t = facts.timestamp;
    if (facts.kind === 'document-timestamp' && t && t.error === null && t.imprintMatches && t.signatureValid && t.genTime && facts.cms.digestMatches
      && provesExistence(facts, usable, policy, at)) {
      usable.add(index);
      poes.push({ revision: facts.revision, time: new Date(t.genTime), index });
    }
    hashedBefore += coveredLength(f);
    report(hashedBefore);
  }

  const coveredEnds = signatures.filter((s) => s.byteRange.coveredRevision !== null).map((s) => revisions[s.byteRange.coveredRevision!]!.end);
  const lastCovered = coveredEnds.length ? Math.max(...coveredEnds) : 0;
  return {
    version: 2,
    fileSize: source.length,
    revisions,
    signatures,
    unsignedTrailing: signatures.length ? Math.max(0, source.length - lastCovered) : source.length,
    validationTime: at.toISOString(),
    notes,
  };
}

interface Context {
  readonly source: ByteSource;
  readonly doc: PdfDocument;
  readonly revisions: VerificationFacts['revisions'];
  readonly found: readonly FoundSignature[];
  readonly dss: DssContents;
  readonly trust: TrustStore;
  readonly extra: readonly Uint8Array[];
  /** The caller's revocation data (`revocationData`), decoded once. */
  readonly supplied: SuppliedRevocation;
  readonly at: Date;
  readonly options: VerifyOptions;
  readonly cache: ReturnType<typeof createModificationCache>;
  readonly certification: FoundSignature | null;
  /** Bytes of this signature's ranges hashed so far. */
  readonly progress: (bytes: number) => void;
  /** genTime of the earliest valid document timestamp added after this signature, and its index, if any. */
  readonly poe: { readonly time: Date; readonly from: number } | null;
}

async function examine(f: FoundSignature, ctx: Context): Promise<SignatureFacts> {
  const { source, dss, trust, at, options } = ctx;
  const certs = new CertificateList();
  const br = f.byteRange.byteRange;
  const base = {
    index: f.index, kind: f.kind, field: f.field, filter: f.filter, subFilter: f.subFilter, object: f.object, revision: f.revision,
    claimed: f.claimed, byteRange: f.byteRange, docMdp: f.docMdp, fieldMdp: f.fieldMdp,
  };
  const modifications = analyseModifications(
    source, ctx.revisions,
    { revision: f.byteRange.coveredRevision ?? f.revision, object: f.object, field: f.field },
    {
      docMdp: ctx.certification && ctx.certification.revision <= f.revision ? ctx.certification.docMdp : null,
      fieldLocks: ctx.found.filter((o) => o.revision <= f.revision && o.fieldMdp).map((o) => o.fieldMdp!),
      laterSignatures: ctx.found.filter((o) => o.revision > f.revision).map((o) => ({ revision: o.revision, object: o.object, field: o.field, kind: o.kind })),
      password: options.password,
      cache: ctx.cache,
      policy: options.modificationPolicy,
    },
  );

  if (!f.contents || !br || br.length !== 4 || f.byteRange.problems.includes('missing') || f.byteRange.problems.includes('beyond-eof')) {
    return {
      ...base, certificates: [], cms: unparsed(f.contents ? 'the byte range cannot be hashed' : '/Contents holds no signature'),
      timestamp: null, chain: EMPTY_CHAIN, revocation: NO_REVOCATION, modifications,
    };
  }

  // Integrity and the signature value; each digest of the covered bytes is computed once.
  const digests = new Map<string, Promise<Uint8Array>>();
  const covered = (h: Parameters<typeof hashByteRange>[2]) => {
    let d = digests.get(h);
    if (!d) {
      const first = digests.size === 0;
      // Progress counts the first pass over each signature's bytes (a second algorithm is rare).
      d = hashByteRange(source, br, h, { signal: options.signal, ...(first ? { onBytes: (n: number) => ctx.progress(n) } : {}) });
      digests.set(h, d);
      if (first) void d.then(() => ctx.progress(rangesLength(br, source.length)), () => {});
    }
    return d;
  };
  const exam = await examineCms(f.contents, covered, {
    documentTimestamp: f.kind === 'document-timestamp',
    content: () => {
      const a = source.read(br[0]!, br[1]!);
      const b = source.read(br[2]!, br[3]!);
      const out = new Uint8Array(a.length + b.length);
      out.set(a, 0);
      out.set(b, a.length);
      return out;
    },
    extraCertificates: [...dss.certs, ...ctx.extra, ...trust.intermediates],
  });
  const fromCms = certs.addAll(exam.certificates);
  const evidence = options.collectEvidence ? new EvidenceCollector() : null;
  const mode = options.revocation ?? 'embedded';
  const embedded = {
    ocsps: [...exam.revocationInfo.ocsps, ...dss.ocsps],
    crls: [...exam.revocationInfo.crls, ...dss.crls],
    supplied: ctx.supplied,
  };
  const cms: CmsFacts = { ...exam.cms, signerIndex: exam.cms.signerIndex === null ? null : fromCms(exam.cms.signerIndex) };

  // The signature timestamp (RFC 3161 App. A), verified and chained for the timestamping purpose.
  let timestamp: TimestampFacts | null = null;
  let tsRevocation: RevocationFacts | null = null;
  if (exam.signatureTimestampToken && exam.signatureValue) {
    const value = exam.signatureValue;
    const ts = await examineTimestamp(exam.signatureTimestampToken, (h) => digestBytes(h, value));
    const fromTs = certs.addAll(ts.certificates);
    let chain: ChainFacts | null = null;
    if (ts.tsaIndex !== null) {
      const built = await buildChain(ts.certificates[ts.tsaIndex]!, [...ts.certificates, ...dss.certs, ...ctx.extra], trust, at,
        { fetch: onlineFetch(options), timeoutMs: options.timeoutMs, timeouts: options.timeouts, purpose: 'timestamping' });
      chain = remapChain(built.chain, certs.addAll(built.certificates));
      const path = built.chain.path.map((i) => built.certificates[i]!);
      evidence?.path(path, built.chain.status);
      if (mode !== 'off' && path.length > 1) {
        // The TSA's status at the validation time (ETSI EN 319 102-1 §5.4); its data also belongs in an LTV file.
        const r = await checkRevocation(path, ctx.poe?.time ?? at, embedded, {
          mode, fetch: options.fetch, timeoutMs: options.timeoutMs, timeouts: options.timeouts, now: at, onEvidence: evidence?.sink(path),
        });
        tsRevocation = { status: r.status, entries: r.entries.map((e) => ({ ...e, certIndex: certs.addAll(built.certificates)(built.chain.path[e.certIndex] ?? e.certIndex) })) };
      }
    }
    timestamp = { ...ts, tsaIndex: ts.tsaIndex === null ? null : fromTs(ts.tsaIndex), chain, ...(tsRevocation ? { revocation: tsRevocation } : {}) };
    delete (timestamp as { certificates?: unknown }).certificates;
  }

  // A document timestamp's own TSTInfo (ETSI EN 319 142-1 §5.4.3): its genTime, for the report and archive
  // health. It is no proof of existence of itself: the token is validated at the validation time.
  if (f.kind === 'document-timestamp' && exam.cms.parsed && f.contents) {
    // examineCms already hashed the covered bytes with the token's imprint algorithm.
    const known = new Map<string, Uint8Array>();
    for (const [h, d] of digests) known.set(h, await d);
    const ts = await examineTimestamp(f.contents, (h) => known.get(h) ?? new Uint8Array(0));
    timestamp = { ...ts, tsaIndex: ts.tsaIndex === null ? null : certs.addAll(ts.certificates)(ts.tsaIndex), chain: null };
    delete (timestamp as { certificates?: unknown }).certificates;
  }

  // The signer's chain: CMS certificates, /DSS, the caller's intermediates, the profile's, AIA online.
  let chain = EMPTY_CHAIN;
  let revocation = NO_REVOCATION;
  if (cms.signerIndex !== null) {
    const signerDer = certs.der[cms.signerIndex]!;
    const purpose = f.kind === 'document-timestamp' ? 'timestamping' : 'document-signing';
    const built = await buildChain(signerDer, [...exam.certificates, ...dss.certs, ...ctx.extra], trust, at,
      { fetch: onlineFetch(options), timeoutMs: options.timeoutMs, timeouts: options.timeouts, purpose });
    const map = certs.addAll(built.certificates);
    chain = remapChain(built.chain, map);
    // Revocation at the best signing time: the timestamp's when it holds, else the validation time.
    // A document timestamp's own status is checked at the proof of existence a later one gives it, else now.
    const tsTime = f.kind === 'signature' && timestamp && timestamp.error === null && timestamp.imprintMatches && timestamp.signatureValid && timestamp.genTime
      ? new Date(timestamp.genTime) : f.kind === 'document-timestamp' && ctx.poe ? ctx.poe.time : at;
    const path = built.chain.path.map((i) => built.certificates[i]!);
    evidence?.path(path, built.chain.status);
    const r = await checkRevocation(path, tsTime, embedded, {
      mode, fetch: options.fetch, timeoutMs: options.timeoutMs, timeouts: options.timeouts, now: at, onEvidence: evidence?.sink(path),
    });
    revocation = { status: r.status, entries: r.entries.map((e) => ({ ...e, certIndex: map(built.chain.path[e.certIndex] ?? e.certIndex) })) };
  }

  return {
    ...base, certificates: certs.facts, cms, timestamp, chain, revocation, modifications,
    ...(ctx.poe ? { proofOfExistence: ctx.poe.time.toISOString(), proofOfExistenceFrom: ctx.poe.from } : {}),
    ...(evidence ? { evidence: await evidence.result(ctx.doc, f.object) } : {}),
  };
}

/**
 * Gathers the raw validation data of one signature as it is decided (ETSI EN
 * 319 142-1 §5.4.2): the certificates of every path built for it, and the OCSP
 * responses and CRLs that decided each certificate.
 */
class EvidenceCollector {
  private readonly certs = new Map<string, Uint8Array>();
  private readonly ocsps = new Map<string, Uint8Array>();
  private readonly crls = new Map<string, Uint8Array>();
  /** Non-anchor certificates of the paths, by key, with whether data decided them. */
  private readonly decided = new Map<string, { subject: string; done: boolean }>();
  private incomplete: string[] = [];

  path(path: readonly Uint8Array[], status: ChainFacts['status']): void {
    for (const der of path) this.certs.set(toBase64(der), der);
    if (status !== 'trusted') this.incomplete.push(`a path that does not reach a trust anchor (${status})`);
    for (let i = 0; i + 1 < path.length; i++) {
      const key = toBase64(path[i]!);
      if (!this.decided.has(key)) this.decided.set(key, { subject: subjectOf(path[i]!), done: false });
    }
  }

  sink(path: readonly Uint8Array[]): (kind: 'ocsp' | 'crl', der: Uint8Array, certIndex: number) => void {
    return (kind, der, certIndex) => {
      (kind === 'ocsp' ? this.ocsps : this.crls).set(toBase64(der), der);
      const d = this.decided.get(toBase64(path[certIndex]!));
      if (d) d.done = true;
    };
  }

  async result(doc: PdfDocument, object: number): Promise<SignatureEvidence> {
    let key: string | null = null;
    try {
      const contents = doc.dictOf(doc.get(object))?.get('Contents');
      if (contents instanceof PdfString) key = await vriKey(contents.bytes);
    } catch {
      key = null;
    }
    const missing = [...this.incomplete, ...[...this.decided.values()].filter((d) => !d.done).map((d) => d.subject)];
    return { vriKey: key, certs: [...this.certs.keys()], ocsps: [...this.ocsps.keys()], crls: [...this.crls.keys()], missing };
  }
}

function subjectOf(der: Uint8Array): string {
  try {
    return parseCertificate(der).subjectDN;
  } catch {
    return '(unreadable certificate)';
  }
}

/** The chain with every certificate index (path, problems, notes) moved from the builder's list to the signature's. */
function remapChain(chain: ChainFacts, map: (i: number) => number): ChainFacts {
  const fix = <T extends object>(item: T): T => ('cert' in item && typeof item.cert === 'number' ? { ...item, cert: map(item.cert) } : item);
  return { ...chain, path: chain.path.map(map), problems: chain.problems.map(fix), notes: chain.notes.map(fix) };
}

function onlineFetch(options: VerifyOptions): FetchLike | undefined {
  return options.revocation === 'online' ? options.fetch : undefined;
}

function unparsed(error: string): CmsFacts {
  return {
    parsed: false, error, digestAlgorithm: null, signatureAlgorithm: null, signedAttributesPresent: false, digestMatches: null,
    signatureValid: null, signerIndex: null, signingCertificateBinding: 'absent', signingTimeAttribute: null, weakAlgorithms: [],
  };
}

function trustOf(options: VerifyOptions): TrustStore {
  const stores = (options.trust ?? []).map((t) => {
    if (typeof t === 'string' && (TRUST_PROFILE_NAMES as readonly string[]).includes(t)) return trustProfile(t as TrustProfileName);
    if (typeof t === 'string' || t instanceof Uint8Array) return trustFromCertificates([t]);
    return t;
  });
  const store = stores.length ? mergeTrust(...stores) : trustFromCertificates([], 'none');
  return options.distrust?.length ? distrust(store, options.distrust) : store;
}
