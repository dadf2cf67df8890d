import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KysoError, kysoError, type ErrorCode, type Lang, type SignatureReport } from '@kyso/core';
import { writeFileAtomic } from '@kyso/core/node';
import { checkSignedSuccessor, RefusedStepChanges, type SuccessorCheck, type SuccessorCheckOptions } from '../check.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

/** The multipart part the VGCA Sign Service puts the signed file in (agents.md §1). */
export const VGCA_UPLOAD_FIELD = 'uploadfile';

/** What an upload is for: the integrator looks it up from the request (typically a short-lived token in the URL). */
export interface VgcaUploadTarget {
  /** The unsigned document the service downloaded: bytes, or a file path. */
  readonly original: Uint8Array | string;
  /** Write the accepted file here, atomically (temporary file, fsync, rename). Either this or `store`. */
  readonly outputPath?: string;
  /** Or store the accepted file yourself; return what the service passes back to the page. */
  readonly store?: (signed: Uint8Array, check: SuccessorCheck) => Promise<{ readonly fileName?: string; readonly fileServer: string }>;
  /** With `outputPath`: the `FileName` and `FileServer` answered to the service (your own identifiers, never a path). */
  readonly fileName?: string;
  readonly fileServer?: string;
  /** Who must have made the new signature at this workflow step. */
  readonly expectSigner?: (signer: SignatureReport['signer']) => boolean;
  /**
   * When this job was issued: the moment the integrator handed out the
   * document and upload URLs. Required: a signature made earlier (less the
   * handler's `clockSkewMs`) is an earlier signing of the same document
   * replayed, and is refused.
   */
  readonly issuedAt: Date;
}

/** One handled upload, for the integrator's log. Never holds document content or tokens. */
export interface VgcaUploadEvent {
  readonly outcome: 'stored' | 'rejected';
  /** The HTTP status answered. */
  readonly status: number;
  readonly code: ErrorCode | null;
  readonly detail: string | null;
  readonly bytes: number;
}

/** Options of {@link createVgcaUploadHandler}: core `verify`'s trust and revocation settings, plus these. */
export interface VgcaUploadHandlerOptions extends Omit<SuccessorCheckOptions, 'signal' | 'expectSigner' | 'notBefore'> {
  /**
   * Maps a request to its upload target, or null when the request is not
   * expected (unknown or expired token): answered 403 and nothing is read.
   */
  readonly resolve: (request: IncomingMessage, url: URL) => VgcaUploadTarget | null | Promise<VgcaUploadTarget | null>;
  /** Largest upload read; default 64 MiB. */
  readonly maxBytes?: number;
  /** Language of the `Message` the service shows the user; default `vi`. */
  readonly lang?: Lang;
  readonly onEvent?: (event: VgcaUploadEvent) => void;
}

/** The JSON the service expects back: `Status` must be a boolean (an integer makes it fail with 0x0028, agents.md §1). */
export interface VgcaUploadAnswer {
  readonly Status: boolean;
  readonly Message: string;
  readonly FileName: string;
  readonly FileServer: string;
}

/**
 * The integrator's server half of the VGCA Sign Service: a framework-neutral
 * `node:http` request handler for the `FileUploadHandler` URL. It reads the
 * signed PDF (the `multipart/form-data` part `uploadfile`, or a raw
 * `application/pdf` body), accepts it only if it is the original plus one new
 * signature that verifies with core, made after the job was issued, and
 * nothing else: no content, page, resource or annotation change, also on the
 * first signature of an unsigned draft ({@link checkSignedSuccessor}), stores it
 * only then (atomically), and answers `{"Status": true|false, "Message",
 * "FileName", "FileServer"}`.
 *
 * Works as the handler of `http.createServer`, or inside Express/Koa/Fastify
 * through their raw `req`/`res` (mount it before any body parser).
 */
export function createVgcaUploadHandler(options: VgcaUploadHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (!options || typeof options.resolve !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'options.resolve must be a function');
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw kysoError('ERR_INVALID_ARGUMENT', 'options.maxBytes must be a positive integer');
  const lang = options.lang ?? 'vi';

  return async (req, res) => {
    let bytes = 0;
    const answer = (status: number, body: VgcaUploadAnswer, error: KysoError | null) => {
      const json = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
        'cache-control': 'no-store',
        ...(status === 413 ? { connection: 'close' } : {}),
      });
      res.end(json);
      options.onEvent?.({ outcome: body.Status ? 'stored' : 'rejected', status, code: error?.code ?? null, detail: error?.detail ?? null, bytes });
    };
    const reject = (status: number, error: KysoError) => {
      const detail = error.detail ? ` (${error.detail})` : '';
      // Refused changes are named for the user in the service's language too, not only in the English detail.
      const changes = error.cause instanceof RefusedStepChanges ? ` ${error.cause.text[lang]}` : '';
      answer(status, { Status: false, Message: `${error.text[lang]}${changes}${detail}`, FileName: '', FileServer: '' }, error);
    };

    try {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return reject(405, kysoError('ERR_VGCA_UPLOAD_MALFORMED', `method ${req.method ?? '?'} instead of POST`));
      }
      const url = new URL(req.url ?? '/', 'http://upload.invalid');
      const target = await options.resolve(req, url);
      if (!target) {
        req.resume();
        return reject(403, kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'no upload is expected at this address (unknown or expired token)'));
      }
      if (!target.outputPath && typeof target.store !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'the upload target has neither outputPath nor store');
      if (!(target.issuedAt instanceof Date) || Number.isNaN(target.issuedAt.getTime())) {
        throw kysoError('ERR_INVALID_ARGUMENT', 'the upload target has no valid issuedAt (when the job was issued)');
      }

      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        req.resume();
        return reject(413, kysoError('ERR_VGCA_UPLOAD_MALFORMED', `the upload declares ${declared} bytes, more than ${maxBytes}`));
      }
      const body = await readBody(req, maxBytes);
      bytes = body.length;
      const signed = extractPdf(body, req.headers['content-type']);
      const original = typeof target.original === 'string' ? new Uint8Array(await readFile(target.original)) : target.original;

      const check = await checkSignedSuccessor(original, signed, {
        trust: options.trust, intermediates: options.intermediates, revocation: options.revocation, fetch: options.fetch,
        timeoutMs: options.timeoutMs, at: options.at, policy: options.policy, acceptRevocationUnknown: options.acceptRevocationUnknown,
        expectSigner: target.expectSigner, notBefore: target.issuedAt, clockSkewMs: options.clockSkewMs,
        maxAppearanceShare: options.maxAppearanceShare,
      });

      let stored: { fileName?: string; fileServer: string };
      if (target.outputPath) {
        writeFileAtomic(target.outputPath, signed);
        stored = { fileName: target.fileName, fileServer: target.fileServer ?? 'stored' };
      } else {
        stored = await target.store!(signed, check);
      }
      if (!stored || typeof stored.fileServer !== 'string' || !stored.fileServer) {
        throw kysoError('ERR_INVALID_ARGUMENT', 'the upload target must give a non-empty fileServer');
      }
      answer(200, { Status: true, Message: '', FileName: stored.fileName ?? '', FileServer: stored.fileServer }, null);
    } catch (error) {
      const e = error instanceof KysoError ? error : kysoError('ERR_IO', 'the upload could not be handled', error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e.code === 'ERR_VGCA_UPLOAD_MALFORMED' && /more than \d+ bytes/.test(e.detail ?? '')) return reject(413, e);
      const clientFault = e.code.startsWith('ERR_VGCA_UPLOAD_');
      // Verification failures are an answer, not a crash: 200 with Status false is what the service reads.
      reject(clientFault ? (e.code === 'ERR_VGCA_UPLOAD_MALFORMED' ? 400 : 200) : 500, e);
    }
  };
}

/** The signed PDF of an upload: the `uploadfile` part of a multipart body, or a raw PDF body. */
function extractPdf(body: Uint8Array, contentType: string | undefined): Uint8Array {
  const boundary = multipartBoundary(contentType);
  let pdf: Uint8Array;
  if (boundary) {
    const part = parseMultipart(body, boundary).find((p) => p.name === VGCA_UPLOAD_FIELD);
    if (!part) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', `the multipart body has no "${VGCA_UPLOAD_FIELD}" part`);
    pdf = part.body;
  } else {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/pdf' && type !== 'application/octet-stream') {
      throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', `content type ${JSON.stringify(type)}: expected multipart/form-data or application/pdf`);
    }
    pdf = body;
  }
  if (pdf.length < 5 || String.fromCharCode(...pdf.subarray(0, 5)) !== '%PDF-') throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'the uploaded file is not a PDF');
  return pdf;
}

/** Reads a request body up to `max` bytes (`ERR_VGCA_UPLOAD_MALFORMED` beyond, or on a broken connection). */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      length += chunk.length;
      if (length > max) {
        done = true;
        req.resume();
        reject(kysoError('ERR_VGCA_UPLOAD_MALFORMED', `the upload is more than ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const all = Buffer.concat(chunks, length);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.length));
    });
    req.on('error', (cause) => {
      if (done) return;
      done = true;
      reject(kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'the upload connection broke', cause));
    });
    req.on('aborted', () => {
      if (done) return;
      done = true;
      reject(kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'the upload was aborted'));
    });
  });
}
