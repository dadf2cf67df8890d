import { kysoError, type FullDocumentRequest, type FullDocumentResult, type FullDocumentSigner } from '@kyso/core';
import { checkSignedSuccessor, type SuccessorCheck, type SuccessorCheckOptions } from './check.js';

/** Options of {@link signDocumentVerified}. */
export interface VerifiedSigningOptions extends SuccessorCheckOptions {
  /** The unsigned document, as the integrator's server serves it at `request.documentUrl`. */
  readonly original: Uint8Array | (() => Promise<Uint8Array>);
  /**
   * Fetches the stored signed file the service's result points to (e.g. from
   * `result.fileServer`, the integrator's own identifier). Called only after
   * the service reported success.
   */
  readonly fetchSigned: (result: FullDocumentResult, signal?: AbortSignal) => Promise<Uint8Array>;
  /**
   * Reads the time when the request is sent, the job's issue time when
   * `notBefore` is not given (a signature made before it is a replay); default
   * the system clock.
   */
  readonly clock?: () => Date;
}

/** A whole-document signature that kyso verified after the service stored it. */
export interface VerifiedSigning extends SuccessorCheck {
  readonly result: FullDocumentResult;
  /** The signed file as fetched and verified. */
  readonly signed: Uint8Array;
}

/**
 * Signs through a {@link FullDocumentSigner}, then fetches what was stored
 * and verifies it with core before reporting success: the original must be a
 * byte-identical prefix, the one new signature must pass, change nothing else
 * (also when `original` is an unsigned draft) and be made after the request
 * was sent (see {@link checkSignedSuccessor}; `notBefore` defaults to the
 * `clock`'s time just before the request). The service's own "success" is never taken
 * on trust: a handler that stored something it should not have is caught
 * here too.
 */
export async function signDocumentVerified(
  signer: FullDocumentSigner, request: FullDocumentRequest, options: VerifiedSigningOptions,
): Promise<VerifiedSigning> {
  if (!signer || typeof signer.signDocument !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'signer must be a FullDocumentSigner');
  if (typeof options?.fetchSigned !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.fetchSigned must be a function');
  const notBefore = options.notBefore ?? (options.clock ?? (() => new Date()))();
  const result = await signer.signDocument(request);
  const signal = request.signal ?? options.signal;
  const original = typeof options.original === 'function' ? await options.original() : options.original;
  let signed: Uint8Array;
  try {
    signed = await options.fetchSigned(result, signal);
  } catch (cause) {
    throw kysoError('ERR_VGCA_NOT_STORED', 'the stored signed file could not be fetched', cause);
  }
  const check = await checkSignedSuccessor(original, signed, { ...options, signal, notBefore });
  return { ...check, result, signed };
}
