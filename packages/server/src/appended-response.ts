import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';

/**
 * Answers with a signed or extended PDF without holding it in memory: the
 * uploaded file as stored, then the incremental update kyso appended to it
 * (ISO 32000-2 §7.5.6: the input is a byte-identical prefix of the output).
 */
export async function sendAppended(
  res: ServerResponse, upload: { readonly path: string; readonly bytes: number }, increment: Uint8Array,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': upload.bytes + increment.length, ...headers });
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(upload.path);
    input.on('error', reject);
    input.on('end', () => res.end(Buffer.from(increment), () => resolve()));
    input.pipe(res, { end: false });
  });
}
