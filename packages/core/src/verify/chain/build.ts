/**
 * Certification path building and validation, after RFC 5280 §6 (simplified:
 * no policy processing, name constraints recognised but not enforced) and the
 * path-building advice of RFC 4158: candidates by name and key identifier,
 * several paths tried depth-first, a path to an anchor preferred.
 *
 * The result is facts, not a verdict: every problem found on the chosen path
 * is listed, and the policy decides what they mean.
 */
import { parseCertificate } from '../../crypto/certificate-info.js';
import { kysoError } from '../../errors/index.js';
import { timeoutFor, type FetchLike, type ServiceTimeouts } from '../../options.js';
import type { ChainFacts, ChainNote, ChainProblem } from '../facts.js';
import type { TrustStore } from '../trust/store.js';
import { DEFAULT_AIA_TIMEOUT_MS, fetchIssuerCertificates } from './aia.js';
import { X509_OID, viewCertificate, type CertificateView } from './certificate-view.js';
import { verifyLink, type LinkCheck } from './link-signature.js';

/** What the end certificate is used for; decides the key-usage checks on it. */
export type ChainPurpose = 'document-signing' | 'timestamping' | 'ocsp-signing';

/** Options of {@link buildChain}. */
export interface BuildChainOptions {
  /** Used to download missing issuers from AIA caIssuers URIs; without it, no network is used. */
  readonly fetch?: FetchLike;
  /** Time-out per download in milliseconds; default 10 000. */
  readonly timeoutMs?: number;
  /** Per service: `aia` wins over `timeoutMs`. */
  readonly timeouts?: ServiceTimeouts;
  /** Default `document-signing`. */
  readonly purpose?: ChainPurpose;
}

/** The chain facts and the certificates their indexes refer to. */
export interface ChainResult {
  readonly chain: ChainFacts;
  /**
   * The chosen path first (signer at index 0, its issuers in order, the anchor
   * last when reached), then every other certificate of the pool and every
   * certificate downloaded through AIA. Unused trust-store certificates are
   * not listed.
   */
  readonly certificates: Uint8Array[];
}

/** RFC 5280 §6.1 imposes no limit; real Vietnamese paths have 2 or 3 certificates. */
const MAX_PATH_LENGTH = 10;
/** Issuer candidates tried per certificate (same name, e.g. re-keyed CAs). */
const MAX_CANDIDATES = 8;
/** Signature checks per call, bounding the work on hostile pools. */
const MAX_LINK_CHECKS = 64;
/** caIssuers downloads per call. */
const MAX_AIA_FETCHES = 4;

type Origin = 'signer' | 'anchor' | 'intermediate' | 'pool' | 'aia';

interface Node {
  readonly view: CertificateView;
  readonly origin: Origin;
  /** Source name of an anchor. */
  readonly source?: string;
}

interface Step {
  readonly node: Node;
  /** The check of the link from the previous step's certificate to this one (undefined for the signer). */
  readonly link?: LinkCheck;
}

type MalformedNote = Extract<ChainNote, { kind: 'malformed-certificate' }>;

interface Candidate {
  readonly steps: readonly Step[];
  readonly end: 'anchor' | 'self-signed' | 'incomplete';
  /** For an incomplete path: the last certificate had issuers by name whose signature check failed or was unsupported. */
  readonly failedLink?: 'signature' | 'unsupported-signature-algorithm';
}

interface Judged {
  readonly candidate: Candidate;
  readonly status: ChainFacts['status'];
  readonly problems: ChainProblem[];
  readonly notes: ChainNote[];
}

/**
 * Builds and checks a certification path from `signer` to an anchor of
 * `trust`, using `trust.intermediates`, the `pool` (CMS certificates, /DSS,
 * caller-supplied) and, when `options.fetch` is given and nothing local
 * fits, the issuers named in AIA caIssuers URIs.
 *
 * Status: `trusted` when the path reaches an anchor (its problems are listed
 * for the policy to judge), `untrusted` when it ends at a self-signed
 * certificate that is not an anchor, `unknown` when no issuer was found.
 *
 * Problems and notes are data ({@link ChainProblem}, {@link ChainNote}) whose
 * `cert` indexes `certificates`: e.g. `{ kind: 'expired', cert: 0, at }`, or
 * `{ kind: 'sha1-ca-link-accepted', cert: 1, store: 'vn-gov' }` when the store
 * accepts a SHA-1 signed CA certificate it bundles.
 *
 * @param at the validation time; the real clock is never read.
 * @throws ERR_CERT_MALFORMED when `signer` is not a certificate;
 *   ERR_INVALID_ARGUMENT for bad arguments.
 */
export async function buildChain(
  signer: Uint8Array,
  pool: readonly Uint8Array[],
  trust: TrustStore,
  at: Date,
  options: BuildChainOptions = {},
): Promise<ChainResult> {
  if (!(signer instanceof Uint8Array)) throw kysoError('ERR_INVALID_ARGUMENT', 'signer must be DER bytes');
  if (!Array.isArray(pool)) throw kysoError('ERR_INVALID_ARGUMENT', 'pool must be an array of DER certificates');
  if (!trust || !Array.isArray(trust.anchors) || !Array.isArray(trust.intermediates)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'trust must be a TrustStore');
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'at must be a valid Date');
  const purpose = options.purpose ?? 'document-signing';
  if (purpose !== 'document-signing' && purpose !== 'timestamping' && purpose !== 'ocsp-signing') {
    throw kysoError('ERR_INVALID_ARGUMENT', `unknown purpose ${String(purpose)}`);
  }
  const timeoutMs = timeoutFor(options.timeouts, 'aia', options.timeoutMs, DEFAULT_AIA_TIMEOUT_MS);
  if (!(timeoutMs > 0)) throw kysoError('ERR_INVALID_ARGUMENT', 'timeoutMs must be positive');

  const searchNotes: ChainNote[] = [];
  const signerNode: Node = { view: viewCertificate(signer), origin: 'signer' };
  const known = new Map<string, Node>();
  const add = (der: unknown, origin: Origin, where: MalformedNote, source?: string): void => {
    let view: CertificateView;
    try {
      if (!(der instanceof Uint8Array)) throw new Error('not bytes');
      view = viewCertificate(der);
    } catch {
      searchNotes.push(where);
      return;
    }
    // First origin wins; anchors are added first so a pool copy of an anchor stays an anchor.
    if (!known.has(view.id)) known.set(view.id, source === undefined ? { view, origin } : { view, origin, source });
  };
  const malformed = (source: 'anchor' | 'intermediate' | 'pool', index: number): MalformedNote => ({ kind: 'malformed-certificate', source, index });
  trust.anchors.forEach((a, i) => add(a, 'anchor', malformed('anchor', i), trust.anchorSources?.[i] ?? trust.name));
  trust.intermediates.forEach((c, i) => add(c, 'intermediate', malformed('intermediate', i)));
  pool.forEach((c, i) => add(c, 'pool', malformed('pool', i)));

  // RFC 5280 §6.1.1(d): an anchor is a name and a key; a certificate with both is the anchor.
  const anchorKeys = new Map<string, Node>();
  for (const n of known.values()) if (n.origin === 'anchor') anchorKeys.set(`${n.view.subject}|${n.view.spkiId}`, n);
  const anchorFor = (v: CertificateView): Node | undefined => anchorKeys.get(`${v.subject}|${v.spkiId}`);

  const linkCache = new Map<string, Promise<LinkCheck>>();
  let linkChecks = 0;
  let limited = false;
  const checkLink = (subject: CertificateView, issuer: CertificateView): Promise<LinkCheck> | null => {
    const key = `${subject.id}|${issuer.spkiId}`;
    const hit = linkCache.get(key);
    if (hit) return hit;
    if (linkChecks >= MAX_LINK_CHECKS) {
      limited = true;
      return null;
    }
    linkChecks++;
    const p = verifyLink(subject, issuer);
    linkCache.set(key, p);
    return p;
  };

  const fetched = new Set<string>();
  const fetchedCerts: Uint8Array[] = [];
  const fetchIssuers = async (v: CertificateView): Promise<boolean> => {
    if (!options.fetch) return false;
    let added = false;
    for (const url of v.caIssuers) {
      if (fetched.has(url)) continue;
      if (fetched.size >= MAX_AIA_FETCHES) {
        limited = true;
        break;
      }
      fetched.add(url);
      const certs = await fetchIssuerCertificates(url, options.fetch, timeoutMs);
      if (!certs) {
        searchNotes.push({ kind: 'aia-failed', url });
        continue;
      }
      searchNotes.push({ kind: 'aia-fetched', url });
      certs.forEach((c, i) => {
        const before = known.size;
        add(c, 'aia', { kind: 'malformed-certificate', source: 'aia', url, index: i });
        if (known.size > before) {
          fetchedCerts.push(c);
          added = true;
        }
      });
    }
    return added;
  };

  const candidatesFor = (steps: readonly Step[]): Node[] => {
    const v = steps[steps.length - 1]!.node.view;
    const inPath = (n: Node): boolean =>
      steps.some((s) => s.node.view.id === n.view.id || (s.node.view.subject === n.view.subject && s.node.view.spkiId === n.view.spkiId));
    const rank: Record<Origin, number> = { anchor: 0, intermediate: 1, pool: 2, aia: 3, signer: 4 };
    return [...known.values()]
      .filter((n) => n.view.subject === v.issuer && !inPath(n))
      // RFC 5280 §4.2.1.1: when both identifiers are present they must agree.
      .filter((n) => !(v.authorityKeyId && n.view.subjectKeyId && v.authorityKeyId !== n.view.subjectKeyId))
      .sort((a, b) => {
        const keyMatch = (n: Node): number => (v.authorityKeyId && n.view.subjectKeyId === v.authorityKeyId ? 0 : 1);
        const valid = (n: Node): number => (n.view.notBefore <= at && at <= n.view.notAfter ? 0 : 1);
        return keyMatch(a) - keyMatch(b) || rank[a.origin] - rank[b.origin] || valid(a) - valid(b);
      })
      .slice(0, MAX_CANDIDATES);
  };

  const bundled = new Set<string>();
  for (const n of known.values()) if (n.origin === 'intermediate') bundled.add(n.view.id);
  const results: Judged[] = [];
  const record = (candidate: Candidate): boolean => {
    const judged = judge(candidate, trust, bundled, at, purpose);
    results.push(judged);
    return judged.status === 'trusted' && judged.problems.length === 0;
  };

  /** Depth-first search; resolves true when a trusted path without problems was found (search stops). */
  const visit = async (steps: readonly Step[]): Promise<boolean> => {
    const last = steps[steps.length - 1]!.node;
    const anchor = last.origin === 'anchor' ? last : anchorFor(last.view);
    if (anchor) {
      const replaced = steps.slice(0, -1).concat({ ...steps[steps.length - 1]!, node: { ...last, origin: 'anchor', source: anchor.source! } });
      return record({ steps: replaced, end: 'anchor' });
    }
    if (steps.length >= MAX_PATH_LENGTH) {
      limited = true;
      return record({ steps, end: 'incomplete' });
    }
    let extended = false;
    let failed: Candidate['failedLink'];
    const tryCandidates = async (nodes: readonly Node[]): Promise<boolean> => {
      for (const n of nodes) {
        const pending = checkLink(last.view, n.view);
        if (!pending) break;
        const link = await pending;
        if (!link.valid) {
          failed = failed === 'signature' || link.supported ? 'signature' : 'unsupported-signature-algorithm';
          continue;
        }
        extended = true;
        if (await visit([...steps, { node: n, link }])) return true;
      }
      return false;
    };
    if (await tryCandidates(candidatesFor(steps))) return true;
    const selfSigned = last.view.selfIssued ? await checkLink(last.view, last.view) : null;
    if (selfSigned?.valid) return record({ steps, end: 'self-signed' });
    if (!extended && (await fetchIssuers(last.view))) {
      if (await tryCandidates(candidatesFor(steps))) return true;
    }
    if (!extended) return record(failed ? { steps, end: 'incomplete', failedLink: failed } : { steps, end: 'incomplete' });
    return false;
  };

  await visit([{ node: signerNode }]);
  if (limited) searchNotes.push({ kind: 'search-limit' });

  const best = results.reduce((a, b) => (better(b, a) ? b : a));
  const pathDer = best.candidate.steps.map((s) => s.node.view.der);
  const certificates: Uint8Array[] = [...pathDer];
  const ids = new Set(best.candidate.steps.map((s) => s.node.view.id));
  for (const c of [...pool, ...fetchedCerts]) {
    if (!(c instanceof Uint8Array)) continue;
    let id: string;
    try {
      id = viewCertificate(c).id;
    } catch {
      continue;
    }
    if (ids.has(id)) continue;
    ids.add(id);
    certificates.push(c);
  }
  const lastStep = best.candidate.steps[best.candidate.steps.length - 1]!;
  const chain: ChainFacts = {
    status: best.status,
    path: pathDer.map((_, i) => i),
    anchor: best.status === 'trusted' ? { subject: subjectText(lastStep.node.view), source: lastStep.node.source ?? trust.name } : null,
    problems: best.problems,
    notes: unique([...best.notes, ...searchNotes]),
  };
  return { chain, certificates };
}

/** Orders candidate paths: trusted, then untrusted, then unknown; fewer problems; shorter. */
function better(a: Judged, b: Judged): boolean {
  const rank = { trusted: 0, untrusted: 1, unknown: 2 } as const;
  if (rank[a.status] !== rank[b.status]) return rank[a.status] < rank[b.status];
  if (a.problems.length !== b.problems.length) return a.problems.length < b.problems.length;
  return a.candidate.steps.length < b.candidate.steps.length;
}

/** The problems and notes of one candidate path (RFC 5280 §6.1.3, §6.1.4, §6.1.5). */
function judge(candidate: Candidate, trust: TrustStore, bundled: ReadonlySet<string>, at: Date, purpose: ChainPurpose): Judged {
  const { steps, end } = candidate;
  const problems: ChainProblem[] = [];
  const notes: ChainNote[] = [];
  const last = steps.length - 1;
  const when = at.toISOString();
  steps.forEach((step, i) => {
    const v = step.node.view;
    const isAnchor = end === 'anchor' && i === last;
    // §6.1.3(a)(2): the certificate validity period includes the validation time.
    if (at < v.notBefore) problems.push({ kind: 'not-yet-valid', cert: i, at: when });
    if (at > v.notAfter) problems.push({ kind: 'expired', cert: i, at: when });
    // §6.1.4(o) / §6.1.5(f): unrecognised critical extensions.
    if (v.badExtensions.length > 0 && !isAnchor) problems.push({ kind: 'critical-extension', cert: i });
    if (v.unenforced.length > 0) notes.push({ kind: 'constraints-not-enforced', cert: i, extensions: [...v.unenforced] });
    if (v.algorithmMismatch && !isAnchor) problems.push({ kind: 'signature-algorithm-mismatch', cert: i });
    if (i > 0) {
      // This certificate issued the one before it.
      const bc = v.basicConstraints;
      // §6.1.4(k): an intermediate must assert cA; an anchor's own fields are
      // only checked when present (its information is an input, §6.1.1(d)).
      if (isAnchor ? bc !== null && !bc.ca : !bc?.ca) problems.push({ kind: 'ca-constraint', cert: i, reason: 'not-ca' });
      // §6.1.4(l)(m): pathLenConstraint counts the non-self-issued intermediates below this CA.
      else if (bc?.pathLen != null) {
        const below = steps.slice(1, i).filter((s) => !s.node.view.selfIssued).length;
        if (below > bc.pathLen) problems.push({ kind: 'ca-constraint', cert: i, reason: 'path-length' });
      }
      // §6.1.4(n): keyCertSign must be set when keyUsage is present.
      if (v.keyUsage && !v.keyUsage.includes('keyCertSign')) problems.push({ kind: 'key-usage', cert: i });
      const link = steps[i]!.link;
      if (link?.hash === 'SHA-1') {
        const issued = steps[i - 1]!.node.view;
        // Accepted only for a CA certificate the store itself bundles (VGCA G1 sub-CAs), never for a leaf.
        const accepted = trust.allowSha1CaLinks && issued.basicConstraints?.ca === true && bundled.has(issued.id);
        if (accepted) notes.push({ kind: 'sha1-ca-link-accepted', cert: i - 1, store: trust.name });
        else problems.push({ kind: 'sha1-link', cert: i - 1 });
      }
    }
  });
  checkEndEntity(steps[0]!.node.view, purpose, problems);
  let status: ChainFacts['status'];
  if (end === 'anchor') status = 'trusted';
  else if (end === 'self-signed') {
    status = 'untrusted';
    notes.push({ kind: 'self-signed-not-anchor', cert: last });
  } else {
    status = 'unknown';
    if (candidate.failedLink) problems.push({ kind: candidate.failedLink, cert: last });
    else notes.push({ kind: 'issuer-not-found', cert: last });
  }
  return { candidate, status, problems: unique(problems).sort(byCertificate), notes: unique(notes) };
}

/**
 * Problems ordered by certificate index, then by `kind:`, so that reports are stable (the order they had
 * as 'kind:cert' strings: 'signature-algorithm-mismatch:' before 'signature:').
 */
function byCertificate(a: ChainProblem, b: ChainProblem): number {
  const [x, y] = [`${a.kind}:`, `${b.kind}:`];
  return a.cert - b.cert || (x < y ? -1 : x > y ? 1 : 0);
}

/** The items without repeats (same fields, same values), first occurrence kept. */
function unique<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Key usage of the end certificate for its purpose (RFC 5280 §4.2.1.3, §4.2.1.12; RFC 3161 §2.3; RFC 6960 §4.2.2.2). */
function checkEndEntity(v: CertificateView, purpose: ChainPurpose, problems: ChainProblem[]): void {
  if (v.keyUsage && !v.keyUsage.includes('digitalSignature') && !v.keyUsage.includes('nonRepudiation')) problems.push({ kind: 'key-usage', cert: 0 });
  const eku = v.extKeyUsage;
  if (purpose === 'timestamping') {
    // RFC 3161 §2.3: exactly id-kp-timeStamping, in a critical extension.
    if (!eku || !eku.critical || eku.purposes.length !== 1 || eku.purposes[0] !== X509_OID.timeStamping) problems.push({ kind: 'ext-key-usage', cert: 0, purpose });
  } else if (purpose === 'ocsp-signing') {
    if (!eku || !eku.purposes.includes(X509_OID.ocspSigning)) problems.push({ kind: 'ext-key-usage', cert: 0, purpose });
  }
}

function subjectText(v: CertificateView): string {
  try {
    return parseCertificate(v.der).subjectDN;
  } catch {
    return v.subject;
  }
}
