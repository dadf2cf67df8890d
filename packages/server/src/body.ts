import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kysoError } from '@kyso/core';

/** A request body saved to a private temporary file; `remove` deletes it (always call it). */
export interface SavedBody {
  readonly path: string;
  readonly bytes: number;
  remove(): Promise<void>;
}

/**
 * Streams a request body to a new private temporary folder (0700, its file 0600), never holding it
 * whole in memory. Refuses with `ERR_SERVICE_BODY_TOO_LARGE` as soon as the declared length or the
 * bytes received pass `maxBytes`, and with `ERR_SERVICE_TIMEOUT` when the body is not complete within
 * `timeoutMs` (a slow-body attack holds a connection and a file otherwise). On refusal the partial
 * file is removed before the error is thrown.
 */
export async function saveBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<SavedBody> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) throw kysoError('ERR_SERVICE_BODY_TOO_LARGE', `declared ${declared} bytes, limit ${maxBytes}`);
  // The client may go away while the folder is being made: its 'close' would then come before the
  // listeners below and the upload would wait for the body time-out, holding a concurrency slot.
  let gone = false;
  const onGone = () => { gone = true; };
  req.once('close', onGone);
  req.once('error', onGone);
  const dir = await mkdtemp(join(tmpdir(), 'kyso-serve-'));
  req.off('close', onGone);
  req.off('error', onGone);
  const path = join(dir, 'body.pdf');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    if ((gone || req.destroyed) && !req.complete) throw kysoError('ERR_IO', 'the client closed the connection before the body was complete');
    const bytes = await new Promise<number>((resolve, reject) => {
      const out = createWriteStream(path, { mode: 0o600 });
      let received = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        clearTimeout(timer);
        req.unpipe(out);
        req.pause();
        out.destroy();
        // Wait for the stream to let go of the file before it is removed.
        out.once('close', () => reject(error));
      };
      const timer = setTimeout(() => fail(kysoError('ERR_SERVICE_TIMEOUT', `body not complete within ${timeoutMs} ms`)), timeoutMs);
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) fail(kysoError('ERR_SERVICE_BODY_TOO_LARGE', `more than ${maxBytes} bytes`));
      });
      req.on('close', () => {
        if (!req.complete) fail(kysoError('ERR_IO', 'the client closed the connection before the body was complete'));
      });
      req.on('error', (e) => fail(kysoError('ERR_IO', 'the request body could not be read', e)));
      out.on('error', (e) => fail(kysoError('ERR_IO', 'the request body could not be stored', e)));
      out.on('finish', () => {
        if (failed) return;
        clearTimeout(timer);
        resolve(received);
      });
      req.pipe(out);
    });
    return { path, bytes, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
