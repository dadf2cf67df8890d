import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KysoError, kysoError, type VerificationFacts, type VerificationReport } from '@kyso/core';
import { circular15View } from './circular15.js';
import { cpsUris } from './cps.js';
import { formatReportHtml } from '../report-html.js';
import { formatReport } from '../verify-text.js';

/** What {@link writeEvidence} needs: one verification's facts (gathered with `collectEvidence`) and its report. */
export interface EvidenceInput {
  readonly facts: VerificationFacts;
  readonly report: VerificationReport;
  /** The verified document's bytes' SHA-256 (hex) and size, for the manifest. */
  readonly document: { readonly name: string; readonly sha256: string; readonly size: number };
  /**
   * Options of the original verification that re-verification must repeat because they change the rules, not
   * the data: e.g. `['--profile', 'vn-gov']` (its SHA-1 CA links of VGCA G1) or `['--policy', 'legacy']`.
   */
  readonly rules?: readonly string[];
}

/** One file of the evidence folder as the manifest lists it. */
export interface EvidenceFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** `manifest.json` of an evidence folder. */
export interface EvidenceManifest {
  readonly format: 'kyso-evidence/1';
  readonly document: EvidenceInput['document'];
  readonly validationTime: string;
  /** Arguments after `kyso verify FILE` that re-verify from this folder alone (paths relative to it). */
  readonly reverify: readonly string[];
  /** Every other file of the folder with its SHA-256 (the manifest itself excluded). */
  readonly files: readonly EvidenceFile[];
}

const PEM = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes what a receiving clerk must be able to keep with a signed document (Circular 15/2025/TT-BKHCN draft
 * §2.4.5: the certificate, the CRL at signing time, the status result; Decree 30/2020 Art. 21.2):
 *
 * - `certs/` every certificate of each path built (signer and TSA, up to the anchor), PEM;
 * - `trust.pem` the anchors those paths reached (only the trusted ones);
 * - `crl/`, `ocsp/` the CRLs and OCSP responses that decided a status, DER as embedded, supplied or fetched;
 * - `status.json` each certificate's status, its source and time, and where each CA publishes its CPS;
 * - `report.json`, `report.html` and `report.txt` (Vietnamese, printable);
 * - `manifest.json` the SHA-256 of every other file and the `kyso verify` arguments that re-verify offline.
 *
 * Atomic: everything is written into a temporary sibling folder that is then renamed to `dir`, so `dir` is
 * either absent or complete. An existing `dir` that is not an empty folder is refused, never overwritten.
 * @throws ERR_EVIDENCE_DIR_NOT_EMPTY when `dir` exists and is not an empty folder (also if it fills meanwhile).
 * @throws ERR_IO when a file cannot be written.
 * @throws ERR_INVALID_ARGUMENT when the facts were gathered without `collectEvidence`.
 */
export function writeEvidence(dir: string, input: EvidenceInput): EvidenceManifest {
  const target = resolve(dir);
  refuseNonEmpty(target);
  const { files, manifest } = buildEvidence(input);

  let temp: string;
  try {
    temp = mkdtempSync(join(dirname(target), `.${basename(target)}.kyso-evidence-`));
  } catch (cause) {
    throw kysoError('ERR_IO', `could not create a folder beside ${target}`, cause);
  }
  try {
    // Empty folders too: --crl crl and --ocsp ocsp must name existing folders when nothing decided by that kind.
    for (const sub of ['certs', 'crl', 'ocsp']) mkdirSync(join(temp, sub));
    for (const [path, bytes] of files) writeFileSync(join(temp, path), bytes);
    writeFileSync(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      // rename(2) replaces an empty folder and fails (ENOTEMPTY/EEXIST) on a non-empty one: never overwrites.
      renameSync(temp, target);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw kysoError('ERR_EVIDENCE_DIR_NOT_EMPTY', target, cause);
      throw cause;
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (error instanceof KysoError) throw error;
    throw kysoError('ERR_IO', `could not write the evidence folder ${target}`, error);
  }
  return manifest;
}

/**
 * The evidence folder's files (paths relative to it, `/`-separated) and manifest, without touching the file
 * system: for callers that store them elsewhere (an archive, object storage). {@link writeEvidence} writes them.
 * @throws ERR_INVALID_ARGUMENT when the facts were gathered without `collectEvidence`.
 */
export function buildEvidence(input: EvidenceInput): { files: ReadonlyMap<string, Uint8Array>; manifest: EvidenceManifest } {
  const { facts, report } = input;

  if (facts.signatures.some((s) => !s.evidence)) throw kysoError('ERR_INVALID_ARGUMENT', 'the facts were gathered without collectEvidence');
  const files = new Map<string, Uint8Array>();
  const text = (s: string) => new TextEncoder().encode(s);

  const anchors = new Map<string, Uint8Array>();
  const certNames = new Map<string, string>();
  const crlNames = new Map<string, string>();
  const ocspNames = new Map<string, string>();
  const add = (names: Map<string, string>, folder: string, ext: string, b64: string, bytes: (der: Uint8Array) => Uint8Array) => {
    let name = names.get(b64);
    if (!name) {
      const der = Buffer.from(b64, 'base64');
      name = `${folder}/${sha256(der).slice(0, 16)}.${ext}`;
      names.set(b64, name);
      files.set(name, bytes(der));
    }
    return name;
  };
  const status = facts.signatures.map((s, i) => {
    const e = s.evidence!;
    const certs = e.certs.map((c) => {
      const der = Buffer.from(c, 'base64');
      const facts = s.certificates.find((x) => x.der === c);
      return { file: add(certNames, 'certs', 'pem', c, () => text(PEM(der))), subject: facts?.subject ?? null, cps: cpsUris(der) };
    });
    const crls = e.crls.map((c) => add(crlNames, 'crl', 'der', c, (der) => der));
    const ocsps = e.ocsps.map((c) => add(ocspNames, 'ocsp', 'der', c, (der) => der));
    for (const chain of [s.chain, s.timestamp?.chain ?? null]) {
      // The anchor is the path's last certificate when the path reached one (ChainFacts.path).
      const last = chain && chain.status === 'trusted' ? chain.path[chain.path.length - 1] : undefined;
      if (last !== undefined && s.certificates[last]) anchors.set(s.certificates[last].sha256, Buffer.from(s.certificates[last].der, 'base64'));
    }
    const entries = (r: typeof s.revocation) => r.entries.map((x) => ({
      certificate: s.certificates[x.certIndex]?.subject ?? null, sha256: s.certificates[x.certIndex]?.sha256 ?? null,
      status: x.status, source: x.source, producedAt: x.producedAt, revokedAt: x.revokedAt, reason: x.reason,
    }));
    return {
      signature: i + 1, field: s.field, kind: s.kind, indication: report.signatures[i]!.indication, subIndication: report.signatures[i]!.subIndication,
      revocation: { status: s.revocation.status, entries: entries(s.revocation) },
      timestampRevocation: s.timestamp?.revocation ? { status: s.timestamp.revocation.status, entries: entries(s.timestamp.revocation) } : null,
      certificates: certs, crls, ocsps, undecided: e.missing,
    };
  });
  const reverify = ['--offline', '--crl', 'crl', '--ocsp', 'ocsp', '--intermediates', 'certs', '--at', report.validationTime, ...(input.rules ?? [])];
  if (anchors.size > 0) {
    files.set('trust.pem', text([...anchors.values()].map(PEM).join('')));
    reverify.push('--trust', 'trust.pem');
  }
  const view = circular15View(facts, report);
  files.set('status.json', text(`${JSON.stringify({ validationTime: report.validationTime, signatures: status }, null, 2)}\n`));
  files.set('report.json', text(`${JSON.stringify(report, null, 2)}\n`));
  files.set('report.html', text(formatReportHtml(report, view, 'vi')));
  files.set('report.txt', text(formatReport(report, 'vi', view)));
  const manifest: EvidenceManifest = {
    format: 'kyso-evidence/1',
    document: input.document,
    validationTime: report.validationTime,
    reverify,
    files: [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, bytes]) => ({ path, sha256: sha256(bytes), size: bytes.length })),
  };
  return { files, manifest };
}


/**
 * Refuses, before any work, an evidence folder that exists and is not an empty folder.
 * @throws ERR_EVIDENCE_DIR_NOT_EMPTY, or ERR_IO when it cannot be examined.
 */
export function checkEvidenceTarget(dir: string): void {
  refuseNonEmpty(resolve(dir));
}

function refuseNonEmpty(target: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw kysoError('ERR_IO', `could not read ${target}`, cause);
  }
  if (!isDir || readdirSync(target).length > 0) throw kysoError('ERR_EVIDENCE_DIR_NOT_EMPTY', target);
}
