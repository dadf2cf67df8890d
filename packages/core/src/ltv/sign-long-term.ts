/**
 * The one-call signature at every PAdES level (ETSI EN 319 142-1 §6): B-B and
 * B-T are signing alone (`sign/sign.ts`); B-LT and B-LTA sign to B-T, then add
 * the validation data (and the archive timestamp) computed over the input plus
 * that update, never written in between (§6.2.3–4). It lives in the LTV layer
 * because it composes both; `extend` and the verifier load on first use, so a
 * process that only signs to B-T never compiles them (docs/decisions/0013).
 */
import { kysoError } from '../errors/index.js';
import { fetchFor, type FetchLike } from '../options.js';
import { appendedSource } from '../pdf/appended-source.js';
import { appendedBytes, isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import type { SignOptions, TimestampOptions } from '../sign/options.js';
import { signBaseline, signBaselineIncrement } from '../sign/sign.js';

/**
 * Signs in one call: picks the adapter's certificate, prepares, asks the
 * adapter to sign, and finishes; for B-LT and B-LTA then adds the validation
 * data. If the reserved `/Contents` turns out too small (an unusually large
 * timestamp token), it prepares once more with the size actually needed.
 */
export async function sign(pdf: Uint8Array | ByteSource, options: SignOptions): Promise<Uint8Array> {
  if (!isLongTerm(options)) return signBaseline(pdf, options);
  const source = isByteSource(pdf) ? pdf : memorySource(pdf);
  const tail = await signIncrement(source, options);
  return appendedBytes(source, tail);
}

/**
 * {@link sign} returning only the updates to append (for files; see `@kyso/core/node`).
 * For B-LT and B-LTA: the signature (B-T), then `extend` computed over the
 * input plus that update, never written in between (ETSI EN 319 142-1 §6.2.3–4).
 */
export async function signIncrement(pdf: Uint8Array | ByteSource, options: SignOptions): Promise<Uint8Array> {
  if (!isLongTerm(options)) return signBaselineIncrement(pdf, options);
  const ltv = options.ltv;
  // Checked before the key signs: a B-LT request that cannot complete must not cost a token PIN or an HSM call.
  if (!ltv || !Array.isArray(ltv.trust) || ltv.trust.length === 0) {
    throw kysoError('ERR_INVALID_ARGUMENT', `level ${options.level} needs options.ltv.trust`);
  }
  // Core reaches the network only through an injected fetch (OCSP, CRL and AIA URLs are the caller's to route).
  const validationFetch = fetchFor(options, 'ocsp');
  if (!validationFetch) throw kysoError('ERR_INVALID_ARGUMENT', `level ${options.level} needs options.fetch`);
  const signed = await signBaselineIncrement(pdf, options);
  const source = isByteSource(pdf) ? pdf : memorySource(pdf);
  const { extendIncrement } = await import('./extend.js');
  const extended = await extendIncrement(appendedSource(source, signed), {
    level: options.level as 'B-LT' | 'B-LTA', trust: ltv.trust, intermediates: ltv.intermediates, fetch: validationFetch,
    timeoutMs: ltv.timeoutMs, timeouts: options.timeouts, at: ltv.at, password: options.password, signal: options.signal,
    timestamp: options.level === 'B-LTA' ? archiveTimestamp(options, validationFetch) : undefined,
  });
  const out = new Uint8Array(signed.length + extended.increment.length);
  out.set(signed, 0);
  out.set(extended.increment, signed.length);
  return out;
}

/**
 * The TSA of the archive timestamp: `ltv.archiveTimestamp`, else the signature's;
 * its fetch is its own (deprecated), else the top-level `fetch`, else the validation data's.
 */
function archiveTimestamp(options: SignOptions, validationFetch: FetchLike): TimestampOptions | undefined {
  const tsa = options.ltv?.archiveTimestamp ?? options.timestamp;
  return tsa && { ...tsa, fetch: tsa.fetch ?? options.fetch ?? validationFetch };
}

function isLongTerm(options: SignOptions): boolean {
  return options?.level === 'B-LT' || options?.level === 'B-LTA';
}
