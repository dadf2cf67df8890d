// Shared by the remote-*.test.ts files.
import { request } from 'node:http';

/** POSTs JSON on a fresh connection (the test's own callback forgeries); answers the status and the parsed body. */
export function postRaw(url: string, body: unknown, authorization?: string): Promise<{ status: number; json: { error?: { code: string } } }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(authorization ? { Authorization: authorization } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code: string } } }));
    });
    req.on('error', reject);
    req.end(text);
  });
}
