import { kysoError, KysoError } from '../errors/index.js';
import { DEFAULT_FETCH } from '../options.js';
import type { ByteSource } from '../pdf/byte-source.js';
import { fromBase64 } from '../util/base64.js';
import { finish, finishIncrement, type FinishOptions } from './finish.js';
import type { SignOptions } from './options.js';
import { prepare } from './prepare.js';
import type { PreparedSignature } from './prepared.js';

/**
 * Signs in one call up to B-T: picks the adapter's certificate, prepares,
 * asks the adapter to sign, and finishes. If the reserved `/Contents` turns
 * out too small (an unusually large timestamp token), it prepares once more
 * with the size actually needed. The long-term levels (B-LT, B-LTA) add
 * validation data on top: the public `sign` (`ltv/sign-long-term.ts`) does
 * both, since LTV is the layer above signing.
 * @returns the whole signed file (input + update).
 */
export async function signBaseline(pdf: Uint8Array | ByteSource, options: SignOptions): Promise<Uint8Array> {
  return withContentsRetry(pdf, options, (prepared, signature, common) => finish(prepared, signature, { pdf, ...common }));
}

/** {@link signBaseline} returning only the update to append (for files; see `@kyso/core/node`). */
export async function signBaselineIncrement(pdf: Uint8Array | ByteSource, options: SignOptions): Promise<Uint8Array> {
  return withContentsRetry(pdf, options, (prepared, signature, common) => finishIncrement(prepared, signature, { pdf, ...common }));
}

type Complete = (
  prepared: PreparedSignature,
  signature: Uint8Array,
  common: Omit<FinishOptions, 'pdf'>,
) => Promise<Uint8Array>;

/**
 * Prepares, signs and completes; if the reserved `/Contents` turns out too
 * small (an unusually large timestamp token), prepares once more with the
 * size the first attempt needed. A caller-fixed `contentsSize` is never changed.
 */
async function withContentsRetry(pdf: Uint8Array | ByteSource, options: SignOptions, complete: Complete): Promise<Uint8Array> {
  // What finish needs to reach the TSA, as the caller gave it (see fetchFor in ../options.ts).
  const common: Omit<FinishOptions, 'pdf'> = {
    timestamp: options.timestamp, fetch: options.fetch, timeouts: options.timeouts, signal: options.signal,
    ...(options[DEFAULT_FETCH] ? { [DEFAULT_FETCH]: options[DEFAULT_FETCH] } : {}),
  };
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
