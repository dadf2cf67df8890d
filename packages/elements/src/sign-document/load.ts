import { kysoError } from '@kyso/core';

/** Where the document comes from; the first one set wins, in this order. */
export interface DocumentSource {
  readonly data?: Uint8Array | undefined;
  readonly file?: Blob | undefined;
  readonly src?: string | undefined;
}

/**
 * The bytes of the document to sign: a private copy, so that the page's own
 * buffer is never detached or changed by signing. A `src` URL is fetched with
 * the page's `fetch` (same-origin rules and cookies apply as for any request).
 *
 * @returns undefined when no source is set.
 * @throws `ERR_IO` when the URL cannot be fetched; `ERR_ABORTED` when `signal` fires.
 */
export async function loadDocument(source: DocumentSource, signal: AbortSignal): Promise<Uint8Array | undefined> {
  if (source.data) {
    if (!(source.data instanceof Uint8Array)) throw kysoError('ERR_INVALID_ARGUMENT', 'data must be a Uint8Array');
    return source.data.slice();
  }
  if (source.file) return new Uint8Array(await source.file.arrayBuffer());
  if (source.src) {
    let response: Response;
    try {
      response = await fetch(source.src, { signal, credentials: 'same-origin' });
    } catch (e) {
      if (signal.aborted) throw kysoError('ERR_ABORTED');
      throw kysoError('ERR_IO', 'the document could not be fetched', e);
    }
    if (!response.ok) throw kysoError('ERR_IO', `the document could not be fetched (HTTP ${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  }
  return undefined;
}
