// The integrator's VGCA upload handler on a real node:http server (127.0.0.1, port 0): what it accepts, what it
// refuses (and that nothing is stored then), and the boolean Status it answers. Signed files are made here with
// core and the test PKI's software keys.
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs12Adapter } from '@kyso/adapters';
import { parseMultipart, type VgcaUploadEvent, type VgcaUploadHandlerOptions } from '@kyso/adapters/vgca-handler';
import { sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { startUploadServer, type UploadServer } from './helpers/vgca-upload-server.js';

let pki: TestPki;
let dir: string;
let original: Uint8Array;
let signed: Uint8Array;
let leader: SigningAdapter;
let server: UploadServer;
let base: string;
const events: VgcaUploadEvent[] = [];
/** Per-test handler options, swapped by each test (the server stays up). */
let current: VgcaUploadHandlerOptions;
let n = 0;
/** When each job is issued, and when the test signatures are made (a minute later): fixed, never the clock. */
const ISSUED = new Date('2026-03-05T07:30:00Z');
const SIGNED = new Date('2026-03-05T07:31:00Z');

const flip = (bytes: Uint8Array, at: number) => {
  const out = bytes.slice();
  out[at] = out[at]! ^ 0x01;
  return out;
};
const concat = (...parts: (Uint8Array | string)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p))));
const multipart = (file: Uint8Array, boundary = 'XyZ123', field = 'uploadfile', preamble = '') =>
  concat(preamble, `--${boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nhello\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    file, `\r\n--${boundary}--\r\n`);

/** A fresh target in the temp folder, with the default options (trust the test root, revocation off but accepted as unknown). */
function target(more: Partial<VgcaUploadHandlerOptions> = {}, orig: Uint8Array = original) {
  const outputPath = join(dir, `stored-${++n}.pdf`);
  current = {
    trust: [pki.rootPem], revocation: 'off', acceptRevocationUnknown: true,
    resolve: (_req, url) => (url.searchParams.get('t') === 'good' ? { original: orig, outputPath, fileServer: `doc-${n}`, fileName: 'signed.pdf', issuedAt: ISSUED } : null),
    onEvent: (e) => events.push(e),
    ...more,
  };
  return outputPath;
}

async function post(body: Uint8Array, contentType: string, path = '/upload?t=good') {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': contentType }, body: body as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: (await res.json()) as { Status: unknown; Message: string; FileName: string; FileServer: string } };
}

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-vgca-handler-'));
  original = new Uint8Array(readFileSync(samples.simple));
  leader = await Pkcs12Adapter.open(new Uint8Array(readFileSync(pki.entity('leader').p12Path!)), pki.p12Password);
  signed = await sign(original, { adapter: leader, level: 'B-B', signingTime: SIGNED });
  server = await startUploadServer(() => current);
  base = server.base;
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('accepted uploads', () => {
  it('multipart/form-data, part "uploadfile" → Status true (a boolean), stored byte for byte', async () => {
    const out = target();
    const { status, json } = await post(multipart(signed), 'multipart/form-data; boundary=XyZ123');
    expect(status).toBe(200);
    expect(json).toEqual({ Status: true, Message: '', FileName: 'signed.pdf', FileServer: `doc-${n}` });
    expect(new Uint8Array(readFileSync(out))).toEqual(signed);
    expect(events.at(-1)).toMatchObject({ outcome: 'stored', code: null, bytes: multipart(signed).length });
  });

  it('a quoted boundary, a preamble, and the file after another field', async () => {
    const out = target();
    const { json } = await post(multipart(signed, 'a b:c', 'uploadfile', 'preamble to ignore\r\n'), 'multipart/form-data; charset=utf-8; boundary="a b:c"');
    expect(json.Status).toBe(true);
    expect(existsSync(out)).toBe(true);
  });

  it('a raw application/pdf body, stored by the integrator\'s own store()', async () => {
    target();
    let stored: Uint8Array | null = null;
    current = { ...current, resolve: () => ({ original, issuedAt: ISSUED, store: async (bytes) => ((stored = bytes), { fileServer: 'db:42', fileName: 'x.pdf' }) }) };
    const { json } = await post(signed, 'application/pdf');
    expect(json).toEqual({ Status: true, Message: '', FileName: 'x.pdf', FileServer: 'db:42' });
    expect(stored).toEqual(signed);
  });

  it('the original may be given as a file path', async () => {
    const out = target();
    const originalPath = join(dir, 'original.pdf');
    (await import('node:fs')).writeFileSync(originalPath, original);
    current = { ...current, resolve: () => ({ original: originalPath, outputPath: out, fileServer: 'p', issuedAt: ISSUED }) };
    expect((await post(multipart(signed), 'multipart/form-data; boundary=XyZ123')).json.Status).toBe(true);
  });
});

describe('refused uploads: Status false, nothing stored', () => {
  type Row = [name: string, body: () => Uint8Array, contentType: string, httpStatus: number, code: string, setup?: () => void, path?: string];
  const rows: Row[] = [
    ['unknown or expired token', () => multipart(signed), 'multipart/form-data; boundary=XyZ123', 403, 'ERR_VGCA_UPLOAD_MALFORMED', undefined, '/upload?t=old'],
    ['no "uploadfile" part', () => multipart(signed, 'XyZ123', 'file'), 'multipart/form-data; boundary=XyZ123', 400, 'ERR_VGCA_UPLOAD_MALFORMED'],
    ['truncated multipart body', () => multipart(signed).subarray(0, 400), 'multipart/form-data; boundary=XyZ123', 400, 'ERR_VGCA_UPLOAD_MALFORMED'],
    ['multipart without a boundary', () => multipart(signed), 'multipart/form-data', 400, 'ERR_VGCA_UPLOAD_MALFORMED'],
    ['text/plain body', () => signed, 'text/plain', 400, 'ERR_VGCA_UPLOAD_MALFORMED'],
    ['not a PDF', () => multipart(concat('GIF89a', signed)), 'multipart/form-data; boundary=XyZ123', 400, 'ERR_VGCA_UPLOAD_MALFORMED'],
    ['over maxBytes (Content-Length)', () => multipart(signed), 'multipart/form-data; boundary=XyZ123', 413, 'ERR_VGCA_UPLOAD_MALFORMED', () => { current = { ...current, maxBytes: 1000 }; }],
    ['the original sent back unsigned', () => multipart(original), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_NOT_APPENDED'],
    ['the original changed before signing (not a prefix)', () => multipart(signed), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_NOT_APPENDED',
      () => { const t = current.resolve; current = { ...current, resolve: async (q, u) => ({ ...(await t(q, u))!, original: flip(original, 20) }) }; }],
    ['a signed byte changed after signing', () => multipart(flip(signed, original.length + 30)), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_INVALID'],
    ['bytes appended but no signature', () => multipart(concat(original, '\n% nothing here\n')), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_INVALID'],
    ['unsigned bytes after the new signature', () => multipart(concat(signed, '\n% appended later\n')), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_INVALID'],
    ['revocation unknown while the policy wants it known', () => multipart(signed), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_INVALID',
      () => { current = { ...current, acceptRevocationUnknown: false }; }],
    ['no trust configured', () => multipart(signed), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_INVALID', () => { current = { ...current, trust: [] }; }],
    ['signer other than the expected one', () => multipart(signed), 'multipart/form-data; boundary=XyZ123', 200, 'ERR_VGCA_UPLOAD_INVALID',
      () => { const t = current.resolve; current = { ...current, resolve: async (q, u) => ({ ...(await t(q, u))!, expectSigner: () => false }) }; }],
  ];
  for (const [name, body, contentType, httpStatus, code, setup, path] of rows) {
    it(`${name} → HTTP ${httpStatus}, ${code}`, async () => {
      const out = target();
      setup?.();
      const { status, json } = await post(body(), contentType, path);
      expect(status).toBe(httpStatus);
      expect(json.Status).toBe(false);
      expect(json.FileServer).toBe('');
      expect(json.Message.length).toBeGreaterThan(0);
      expect(events.at(-1)).toMatchObject({ outcome: 'rejected', code });
      expect(existsSync(out)).toBe(false);
    });
  }

  it('two signatures appended at once → ERR_VGCA_UPLOAD_INVALID', async () => {
    const twice = await sign(signed, { adapter: leader, level: 'B-B', signingTime: SIGNED });
    const out = target();
    const { json } = await post(multipart(twice), 'multipart/form-data; boundary=XyZ123');
    expect(json.Status).toBe(false);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining('2 signatures') });
    expect(existsSync(out)).toBe(false);
  });

  it('a streamed body over maxBytes without Content-Length → 413, the server stays up', async () => {
    target();
    current = { ...current, maxBytes: 2048 };
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/upload?t=good`, { method: 'POST', headers: { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(1024, 0x25));
      req.end();
    });
    expect(status).toBe(413);
    target();
    expect((await post(multipart(signed), 'multipart/form-data; boundary=XyZ123')).json.Status).toBe(true);
  });

  it('GET → 405 with Allow: POST', async () => {
    target();
    const res = await fetch(`${base}/upload?t=good`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(((await res.json()) as { Status: unknown }).Status).toBe(false);
  });

  it('a failed write answers Status false (HTTP 500) and leaves no temporary file', async () => {
    target();
    const missing = join(dir, 'no-such-folder', 'out.pdf');
    current = { ...current, resolve: () => ({ original, outputPath: missing, issuedAt: ISSUED }) };
    const { status, json } = await post(multipart(signed), 'multipart/form-data; boundary=XyZ123');
    expect(status).toBe(500);
    expect(json.Status).toBe(false);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_IO' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('parseMultipart', () => {
  it('keeps binary bodies exact, including CR LF and dashes inside', () => {
    const file = concat('%PDF-1.7\r\n--XyZ12\r\n\x00\xff');
    const parts = parseMultipart(multipart(file), 'XyZ123');
    expect(parts.map((p) => p.name)).toEqual(['other', 'uploadfile']);
    expect(parts[1]!.body).toEqual(file);
    expect(parts[1]!.filename).toBe('a.pdf');
  });
  it.each([
    ['no delimiter', 'hello'],
    ['no header end', '--B\r\nContent-Disposition: form-data; name="a"'],
    ['no form-data name', '--B\r\nContent-Disposition: attachment\r\n\r\nx\r\n--B--'],
    ['no closing delimiter', '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'],
  ])('%s → ERR_VGCA_UPLOAD_MALFORMED', (_n, body) => {
    expect(() => parseMultipart(concat(body), 'B')).toThrow(expect.objectContaining({ code: 'ERR_VGCA_UPLOAD_MALFORMED' }));
  });
});
