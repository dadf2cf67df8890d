import { kysoError } from '../errors/index.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { parseCertificate, verifySignatureValue } from '../crypto/certificate-info.js';
import { normalizeEcdsaSignature } from '../crypto/ecdsa.js';
import { assembleSignedData } from '../crypto/signed-data.js';
import { requestTimestamp } from '../crypto/timestamp-client.js';
import { appendedBytes, isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import { fillContents } from '../pdf/signature-placeholder.js';
import { fromBase64 } from '../util/base64.js';
import { inputFingerprint } from './fingerprint.js';
import { DEFAULT_FETCH, fetchFor, timeoutFor, type FetchLike, type NetworkOptions } from '../options.js';
import type { TimestampOptions } from './options.js';
import type { PreparedSignature } from './prepared.js';

/**
 * Options of {@link finish}. The TSA (B-T) is reached through `fetch`
 * (`timestamp.fetch` is deprecated and wins when given), else `globalThis.fetch`;
 * its time-out is `timeouts.tsa`, else `timestamp.timeoutMs`, else 15 s.
 */
export interface FinishOptions extends NetworkOptions {
  /** The same input that was given to `prepare`. */
  readonly pdf: Uint8Array | ByteSource;
  /** Certificates to embed, DER; default the signer and chain given to `prepare`. */
  readonly certificates?: readonly Uint8Array[];
  /** An RFC 3161 token over the signature value, obtained elsewhere (B-T). */
  readonly timestampToken?: Uint8Array;
  /** How to reach the TSA when no token is given (B-T); its `url` defaults to the one given to `prepare`. */
  readonly timestamp?: Partial<TimestampOptions>;
  readonly signal?: AbortSignal;
}

/**
 * Completes a prepared signature: checks the signature value against the
 * certificate, obtains the signature timestamp for B-T (RFC 3161 via the
 * injected fetch), assembles CMS SignedData (RFC 5652) and writes it into the
 * `/Contents` placeholder. Returns the whole signed file (input + update).
 */
export async function finish(prepared: PreparedSignature, signatureValue: Uint8Array, options: FinishOptions): Promise<Uint8Array> {
  const source = toSource(options?.pdf);
  const increment = await finishIncrement(prepared, signatureValue, options);
  return appendedBytes(source, increment);
}

/**
 * Like {@link finish}, but returns only the completed update, to be appended
 * to the input (what `@kyso/core/node` does for files, never holding both).
 */
export async function finishIncrement(prepared: PreparedSignature, signatureValue: Uint8Array, options: FinishOptions): Promise<Uint8Array> {
  const p = checkPrepared(prepared);
  const source = toSource(options?.pdf);
  if (!(signatureValue instanceof Uint8Array) || signatureValue.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'signatureValue must be bytes');
  const fp = inputFingerprint(source);
  if (source.length !== p.input.length || fp.headSha256 !== p.input.headSha256 || fp.tailSha256 !== p.input.tailSha256) {
    throw kysoError('ERR_SIG_PREPARED_INVALID', 'the PDF given to finish is not the one given to prepare');
  }
  const algorithm: SignatureAlgorithm = { scheme: p.scheme, hash: p.hash };
  const certificate = b64(p.certificate, 'certificate');
  const toBeSigned = b64(p.toBeSigned, 'toBeSigned');
  const value = p.scheme === 'ECDSA' ? normalizeEcdsaSignature(signatureValue, Math.ceil(parseCertificate(certificate).keyBits / 8)) : signatureValue;
  // A wrong key, PIN-less token mix-up or a mangled value would otherwise ship an invalid signature.
  // WebCrypto checks it off the main thread, so the CMS is assembled meanwhile; nothing leaves this
  // function, and nothing goes to a TSA, before the check has passed.
  const check = verifySignatureValue(certificate, algorithm, toBeSigned, value);
  check.catch(() => {}); // awaited below on every path; this only keeps an early throw from leaving it unhandled
  const valueChecked = async (): Promise<void> => {
    if (!(await check)) throw kysoError('ERR_SIG_VALUE_INVALID', 'the signature value does not verify with the certificate');
  };

  let token = options.timestampToken;
  // B-LT and B-LTA start as B-T; `sign` then adds the validation data (ETSI EN 319 142-1 §6.2).
  if (p.level !== 'B-B' && !token) {
    await valueChecked();
    const url = options.timestamp?.url ?? p.tsaUrl;
    if (!url) throw kysoError('ERR_INVALID_ARGUMENT', 'level B-T needs a timestamp token or a TSA URL');
    // The one default core applies: the realm's fetch (the page's, when called through the worker).
    const fetchFn = fetchFor(options, 'tsa') ?? options[DEFAULT_FETCH] ?? (globalThis.fetch as unknown as FetchLike | undefined);
    if (!fetchFn) throw kysoError('ERR_INVALID_ARGUMENT', 'no fetch available to reach the TSA');
    token = await requestTimestamp({
      url,
      fetch: fetchFn,
      data: value,
      hash: options.timestamp?.hash ?? p.hash,
      timeoutMs: timeoutFor(options.timeouts, 'tsa', options.timestamp?.timeoutMs, 15_000),
      policy: options.timestamp?.policy,
      headers: options.timestamp?.headers,
      signal: options.signal,
    });
  }

  let increment: Uint8Array;
  try {
    const certificates = options.certificates ?? [certificate, ...p.chain.map((c) => b64(c, 'chain'))];
    const cms = assembleSignedData({
      signedAttributes: toBeSigned,
      signatureValue: value,
      algorithm,
      signerCertificate: certificate,
      certificates,
      unsignedAttributes: token ? { timestampToken: token } : undefined,
    });
    increment = b64(p.increment, 'increment');
    // The hole must still be a `<…>` of the stated size where the state says, or the state was altered.
    fillContents(increment, { at: p.contentsOffset - p.input.length, capacity: p.contentsCapacity }, cms);
  } catch (error) {
    // An invalid value is the first thing to report: re-preparing for a larger /Contents would not help it.
    await valueChecked();
    throw error;
  }
  await valueChecked();
  return increment;
}

function toSource(pdf: unknown): ByteSource {
  if (pdf instanceof Uint8Array) return memorySource(pdf);
  if (isByteSource(pdf)) return pdf;
  throw kysoError('ERR_INVALID_ARGUMENT', 'options.pdf must be the input given to prepare');
}

function b64(text: string, what: string): Uint8Array {
  const bytes = typeof text === 'string' ? fromBase64(text) : null;
  if (!bytes) throw kysoError('ERR_SIG_PREPARED_INVALID', `${what} is not base64`);
  return bytes;
}

function checkPrepared(p: PreparedSignature): PreparedSignature {
  if (!p || typeof p !== 'object' || p.kind !== 'kyso.prepared-signature' || p.version !== 1) {
    throw kysoError('ERR_SIG_PREPARED_INVALID', 'not a kyso prepared signature (version 1)');
  }
  const nums = [p.contentsOffset, p.contentsCapacity, p.input?.length, ...(p.byteRange ?? [])];
  if (!nums.every((n) => Number.isSafeInteger(n) && n >= 0)) throw kysoError('ERR_SIG_PREPARED_INVALID', 'bad offsets');
  return p;
}
