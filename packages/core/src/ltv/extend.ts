/**
 * Raising signatures to PAdES B-LT and B-LTA (ETSI EN 319 142-1 §6.2.3,
 * §6.2.4): append a /DSS with the validation data of every signature (and
 * of earlier document timestamps), then, for B-LTA, a document timestamp over
 * everything. Called again on a B-LTA file, it renews the archive timestamp:
 * the new /DSS carries the data of the previous timestamp's TSA and the new
 * timestamp covers the previous one (ETSI EN 319 142-1 §5.5; EN 319 102-1 §5.6.3).
 * The input is never changed: output = input + updates.
 */
import { HASH_LENGTH, type HashAlgorithm } from '../crypto/algorithms.js';
import { kysoError } from '../errors/index.js';
import { appendedBytes, isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import { PdfDocument } from '../pdf/document.js';
import { withAesCipher } from '../pdf/encryption/aes.js';
import type { TimestampOptions } from '../sign/options.js';
import { appendedSource } from '../pdf/appended-source.js';
import { documentTimestampIncrement } from './document-timestamp.js';
import { buildDssUpdate } from './dss-writer.js';
import { collectLtvEvidence, type EvidenceOptions } from './evidence.js';

/** The levels `extend` raises to. */
export type LtvLevel = 'B-LT' | 'B-LTA';

/** Options of {@link extend}. */
export interface ExtendOptions extends EvidenceOptions {
  readonly level: LtvLevel;
  /** The TSA for the document timestamp (B-LTA); reached through `options.fetch` (its own `fetch` is deprecated). */
  readonly timestamp?: TimestampOptions;
  /** Hash for the document timestamp's imprint; default SHA-256. */
  readonly hash?: HashAlgorithm;
  /** Write the data that was found even when some certificate's status could not be decided (default: refuse). */
  readonly allowIncomplete?: boolean;
}

/** What {@link extendIncrement} appended. */
export interface ExtendResult {
  /** The bytes to append to the input (the /DSS update, then the document timestamp). */
  readonly increment: Uint8Array;
  readonly dss: { readonly certs: number; readonly ocsps: number; readonly crls: number; readonly vri: number };
  readonly documentTimestamp: boolean;
  /** Signatures whose data is incomplete (only with `allowIncomplete`). */
  readonly missing: readonly { readonly field: string | null; readonly what: readonly string[] }[];
  /** Signatures and document timestamps the data was gathered for. */
  readonly signatures: number;
}

/** Raises the signatures of `pdf` to `options.level`; returns the whole extended file. */
export async function extend(pdf: Uint8Array | ByteSource, options: ExtendOptions): Promise<Uint8Array> {
  const source = toSource(pdf);
  const { increment } = await extendIncrement(source, options);
  return appendedBytes(source, increment);
}

/**
 * Like {@link extend}, but returns only what to append (for files: see
 * `extendFile` in `@kyso/core/node`), with what was added.
 * @throws ERR_LTV_NO_SIGNATURES (nothing to extend), ERR_LTV_DATA_MISSING (a
 *   certificate's status could not be decided or a path does not reach a trust
 *   anchor), the ERR_TSA_* errors for the document timestamp, ERR_INVALID_ARGUMENT.
 */
export async function extendIncrement(pdf: Uint8Array | ByteSource, options: ExtendOptions): Promise<ExtendResult> {
  const source = toSource(pdf);
  if (!options || (options.level !== 'B-LT' && options.level !== 'B-LTA')) throw kysoError('ERR_INVALID_ARGUMENT', "options.level must be 'B-LT' or 'B-LTA'");
  if (options.level === 'B-LTA' && !options.timestamp?.url) throw kysoError('ERR_INVALID_ARGUMENT', 'level B-LTA needs options.timestamp (the TSA)');
  if (options.hash !== undefined && !(options.hash in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(options.hash)}`);
  const at = options.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'options.at is not a valid date');

  const evidence = await collectLtvEvidence(source, { ...options, at });
  if (evidence.facts.signatures.length === 0) throw kysoError('ERR_LTV_NO_SIGNATURES', 'the document has no signature or document timestamp');
  if (evidence.missing.length && !options.allowIncomplete) {
    const what = evidence.missing.map((m) => `${m.field ?? '(no field)'}: ${m.what.join(', ')}`).join('; ');
    throw kysoError('ERR_LTV_DATA_MISSING', what);
  }

  // An AES-encrypted document needs the cipher library, loaded on first need (docs/decisions/0036).
  const doc = await withAesCipher(() => PdfDocument.open(source, { password: options.password }));
  const dss = buildDssUpdate(doc, source, evidence.entries, at);
  let increment = dss.bytes;
  if (options.level === 'B-LTA') {
    const after = appendedSource(source, dss.bytes);
    const ts = await documentTimestampIncrement(after, {
      // The TSA's fetch: `timestamp.fetch` (deprecated), else `options.fetch` (see fetchFor in ../options.ts).
      timestamp: options.timestamp!, fetch: options.fetch, timeouts: options.timeouts,
      hash: options.hash, password: options.password, time: at, signal: options.signal,
    });
    const both = new Uint8Array(dss.bytes.length + ts.length);
    both.set(dss.bytes, 0);
    both.set(ts, dss.bytes.length);
    increment = both;
  }
  return {
    increment, dss: dss.added, documentTimestamp: options.level === 'B-LTA', missing: evidence.missing,
    signatures: evidence.facts.signatures.length,
  };
}

function toSource(pdf: unknown): ByteSource {
  if (pdf instanceof Uint8Array) return memorySource(pdf);
  if (isByteSource(pdf)) return pdf;
  throw kysoError('ERR_INVALID_ARGUMENT', 'pdf must be a Uint8Array or a ByteSource');
}
