import { kysoError, KysoError } from '../errors/index.js';
import { appendedBytes, isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import { appendedSource } from '../ltv/appended-source.js';
import { fromBase64 } from '../util/base64.js';
import { finish, finishIncrement } from './finish.js';
import type { FetchLike, SignOptions } from './options.js';
import { prepare } from './prepare.js';
import type { PreparedSignature } from './prepared.js';

/**
 * Signs in one call: picks the adapter's certificate, prepares, asks the
 * adapter to sign, and finishes. If the reserved `/Contents` turns out too
 * small (an unusually large timestamp token), it prepares once more with the
 * size actually needed.
 */
export async function sign(pdf: Uint8Array | ByteSource, options: SignOptions): Promise<Uint8Array> {
  if (!isLongTerm(options)) return withContentsRetry(pdf, options, (prepared, signature, common) => finish(prepared, signature, { pdf, ...common }));
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
  const ltv = options?.ltv;
  // Checked before the key signs: a B-LT request that cannot complete must not cost a token PIN or an HSM call.
  if (isLongTerm(options) && (!ltv || !Array.isArray(ltv.trust) || ltv.trust.length === 0)) {
    throw kysoError('ERR_INVALID_ARGUMENT', `level ${options.level} needs options.ltv.trust`);
  }
  // Core reaches the network only through an injected fetch (OCSP, CRL and AIA URLs are the caller's to route).
  const fetchFn: FetchLike | undefined = ltv?.fetch ?? options?.timestamp?.fetch;
  if (isLongTerm(options) && !fetchFn) throw kysoError('ERR_INVALID_ARGUMENT', `level ${options.level} needs options.ltv.fetch (or options.timestamp.fetch)`);
  const signed = await withContentsRetry(pdf, options, (prepared, signature, common) => finishIncrement(prepared, signature, { pdf, ...common }));
  if (!isLongTerm(options) || !ltv || !fetchFn) return signed;
  const source = isByteSource(pdf) ? pdf : memorySource(pdf);
  const { extendIncrement } = await import('../ltv/extend.js');
  const extended = await extendIncrement(appendedSource(source, signed), {
    level: options.level as 'B-LT' | 'B-LTA', trust: ltv.trust, intermediates: ltv.intermediates, fetch: fetchFn,
    timeoutMs: ltv.timeoutMs, at: ltv.at, password: options.password, signal: options.signal,
    timestamp: options.level === 'B-LTA' ? (ltv.archiveTimestamp ?? options.timestamp) : undefined,
  });
  const out = new Uint8Array(signed.length + extended.increment.length);
  out.set(signed, 0);
  out.set(extended.increment, signed.length);
  return out;
}

function isLongTerm(options: SignOptions): boolean {
  return options?.level === 'B-LT' || options?.level === 'B-LTA';
}

type Complete = (
  prepared: PreparedSignature,
  signature: Uint8Array,
  common: Pick<SignOptions, 'timestamp' | 'signal'>,
) => Promise<Uint8Array>;

/**
 * Prepares, signs and completes; if the reserved `/Contents` turns out too
 * small (an unusually large timestamp token), prepares once more with the
 * size the first attempt needed. A caller-fixed `contentsSize` is never changed.
 */
async function withContentsRetry(pdf: Uint8Array | ByteSource, options: SignOptions, complete: Complete): Promise<Uint8Array> {
  const common = { timestamp: options.timestamp, signal: options.signal };
  const first = await prepareAndSign(pdf, options);
  try {
    return await complete(first.prepared, first.signature, common);
  } catch (e) {
    if (!(e instanceof KysoError) || e.code !== 'ERR_SIG_CONTENTS_TOO_SMALL' || options.contentsSize) throw e;
    const needed = Number(/^(\d+) bytes needed/.exec(e.detail ?? '')?.[1] ?? 0);
    const retry = await prepareAndSign(pdf, { ...options, contentsSize: needed + 4096 });
    return complete(retry.prepared, retry.signature, common);
  }
}

async function prepareAndSign(pdf: Uint8Array | ByteSource, options: SignOptions): Promise<{ prepared: PreparedSignature; signature: Uint8Array }> {
  const { adapter, certificateId, ...rest } = options;
  if (!adapter || typeof adapter.sign !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.adapter is required');
  const entries = await adapter.listCertificates(options.signal);
  const entry = certificateId !== undefined ? entries.find((e) => e.id === certificateId) : entries.length === 1 ? entries[0] : undefined;
  if (!entry) {
    throw kysoError('ERR_KEY_NOT_FOUND', certificateId !== undefined ? `certificate "${certificateId}"` : `${entries.length} certificates; pass certificateId`);
  }
  const caps = adapter.capabilities();
  const hash = rest.hash ?? (caps.hashes.includes('SHA-256') ? 'SHA-256' : caps.hashes[0]);
  const prepared = await prepare(pdf, { ...rest, hash, certificate: entry.certificate, chain: entry.chain });
  if (!caps.schemes.includes(prepared.scheme) || !caps.hashes.includes(prepared.hash)) {
    throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${adapter.name} cannot sign ${prepared.scheme} with ${prepared.hash}`);
  }
  const signature = await adapter.sign({
    certificateId: entry.id,
    algorithm: { scheme: prepared.scheme, hash: prepared.hash },
    data: fromBase64(prepared.toBeSigned)!,
    digest: fromBase64(prepared.toBeSignedDigest)!,
    signal: options.signal,
  });
  return { prepared, signature };
}
