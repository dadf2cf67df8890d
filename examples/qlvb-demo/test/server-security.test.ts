// The QLVB demo's back end under attack, as a vendor who copies it must keep it: files only from the web folder,
// stored names that are never paths, bodies capped before they are read, a 4xx for every malformed request,
// state-changing requests from its own pages only, its own host names only, and the PKI gateway an allowlist.
// The server runs in this process (startDemoServer) on 127.0.0.1; requests are sent raw, exactly as written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Plain ESM JavaScript checked with // @ts-check (JSDoc types).
import { startDemoServer } from '../server/app.mjs';

const SECRET = 'not-for-the-web-7f3a';
let dir: string;
let demo: Awaited<ReturnType<typeof startDemoServer>>;
let host: string;

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; text: string }

/** One HTTP request on its own connection, sent exactly as given. */
function raw(o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: demo.port, method: o.method ?? 'GET', path: o.path, headers: { Host: host, ...o.headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    r.on('error', reject);
    r.end(o.body);
  });
}
const post = (path: string, headers: Record<string, string>, body: string | Buffer = '') => raw({ method: 'POST', path, headers, body });
const count = async () => (JSON.parse((await raw({ path: '/api/documents' })).text) as unknown[]).length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qlvb-demo-security-'));
  mkdirSync(join(dir, 'web/assets'), { recursive: true });
  mkdirSync(join(dir, 'web-sibling'), { recursive: true });
  writeFileSync(join(dir, 'web/index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'web-sibling/secret.txt'), SECRET);
  demo = await startDemoServer({ dataDir: join(dir, 'data'), webDir: join(dir, 'web'), port: 0, maxDocuments: 3 });
  host = `127.0.0.1:${demo.port}`;
});

afterAll(async () => {
  await demo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('paths', () => {
  it.each([
    '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/..%2f..%2fsecret.txt',
    '/..%2fweb-sibling/secret.txt', '/%2e%2e%2fweb-sibling%2fsecret.txt', '/assets/%00', '/..%2f..%2f..%2fetc/passwd',
    '/%E0%A4%A', '/%', '/api/documents/..%2f..%2findex.json', '/published/..%2f..%2fsecret.txt.pdf', '/pki/..%2fapi/config',
  ])('%s: a 4xx, and nothing from outside the web folder', async (path) => {
    const r = await raw({ path });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toContain(SECRET);
  });

  it('a sender\'s file name is shown, never used as a path', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
    const before = readdirSync(join(dir, 'data/inbox'));
    const r = await post('/api/inbox', { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent('../../escape/../../../x.pdf') }, pdf);
    expect(r.status).toBe(201);
    const rec = JSON.parse(r.text) as { id: string; name: string };
    expect(rec.name).not.toMatch(/[/\\]|\.\./);
    expect(readdirSync(join(dir, 'data/inbox'))).toEqual([...before, `${rec.id}.pdf`].sort());
    expect(existsSync(join(dir, 'x.pdf')) || existsSync(join(dir, 'escape'))).toBe(false);
    const badEscape = await post('/api/inbox', { 'Content-Type': 'application/pdf', 'X-File-Name': '%E0%A4%A' }, pdf);
    expect(badEscape.status).toBe(400);
  });
});

describe('bodies and malformed requests', () => {
  it('bodies over their caps answer 413 (declared or sent), and the server reads no further', async () => {
    const id = (JSON.parse((await raw({ path: '/api/documents' })).text) as { id: string }[])[0]!.id;
    const declared = await post(`/api/documents/${id}/approve`, { 'Content-Type': 'application/pdf', 'Content-Length': String(64 * 1024 * 1024) }, '%PDF-');
    expect(declared.status).toBe(413);
    const sent = await post(`/api/documents/${id}/number`, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, `{"number":"${'1'.repeat(8000)}"}`);
    expect(sent.status).toBe(413);
    const inbox = await post('/api/inbox', { 'Content-Type': 'application/pdf', 'Content-Length': String(33 * 1024 * 1024) }, '%PDF-');
    expect(inbox.status).toBe(413);
    const tsa = await post('/pki/tsa', { 'Content-Type': 'application/timestamp-query' }, Buffer.alloc(70 * 1024));
    expect(tsa.status).toBe(413);
  });

  it('a table of malformed requests: each answers its 4xx, and the server stays up', async () => {
    const id = (JSON.parse((await raw({ path: '/api/documents' })).text) as { id: string }[])[0]!.id;
    const j = { 'Content-Type': 'application/json' };
    const cases: [string, Parameters<typeof raw>[0], number][] = [
      ['number: not JSON', { method: 'POST', path: `/api/documents/${id}/number`, headers: j, body: '{"number":' }, 400],
      ['number: JSON null', { method: 'POST', path: `/api/documents/${id}/number`, headers: j, body: 'null' }, 400],
      ['number: a JSON array', { method: 'POST', path: `/api/documents/${id}/number`, headers: j, body: '[1]' }, 400],
      ['number: an object as number', { method: 'POST', path: `/api/documents/${id}/number`, headers: j, body: '{"number":{},"date":[]}' }, 400],
      ['approve: not a PDF type', { method: 'POST', path: `/api/documents/${id}/approve`, headers: { 'Content-Type': 'text/plain' }, body: 'x' }, 400],
      ['approve: not PDF bytes', { method: 'POST', path: `/api/documents/${id}/approve`, headers: { 'Content-Type': 'application/pdf' }, body: 'hello' }, 400],
      ['inbox: not PDF bytes', { method: 'POST', path: '/api/inbox', headers: { 'Content-Type': 'application/pdf' }, body: '' }, 400],
      ['a request target that is no URL', { path: 'http://[' }, 400],
      ['PUT on a document', { method: 'PUT', path: `/api/documents/${id}`, body: '{}' }, 405],
      ['an unknown API path', { method: 'POST', path: '/api/nothing', headers: j, body: '{}' }, 404],
      ['an unknown document', { path: '/api/documents/00000000-0000-0000-0000-000000000000' }, 404],
    ];
    const got: [string, number][] = [];
    for (const [name, req] of cases) got.push([name, (await raw(req)).status]);
    expect(got).toEqual(cases.map(([name, , status]) => [name, status]));
    expect((await raw({ path: '/api/documents' })).status).toBe(200);
  });
});

describe('origins and hosts', () => {
  it('refuses state-changing requests from other origins (CSRF), and takes them from its own pages', async () => {
    const before = await count();
    const own = `http://${host}`;
    const foreign: Record<string, string>[] = [
      { Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' }, { Origin: `http://localhost:${demo.port}` },
    ];
    for (const headers of foreign) {
      const r = await post('/api/documents', { 'Content-Type': 'application/json', ...headers }, '{}');
      expect([JSON.stringify(headers), r.status]).toEqual([JSON.stringify(headers), 403]);
    }
    const tsa = await post('/pki/tsa', { 'Content-Type': 'application/timestamp-query', Origin: 'https://evil.example' }, Buffer.alloc(10));
    expect(tsa.status).toBe(403);
    expect(await count()).toBe(before);
    // The page itself: Chromium's fetch under Referrer-Policy: no-referrer sends Origin: null with Sec-Fetch-Site.
    expect((await post('/api/documents', { Origin: own, 'Sec-Fetch-Site': 'same-origin' }, '{}')).status).toBe(201);
    expect((await post('/api/documents', { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }, '{}')).status).toBe(201);
    expect(await count()).toBe(before + 2);
  });

  it('answers only its own host names (a DNS-rebinding page names another)', async () => {
    const rebound = await raw({ path: '/api/config', headers: { Host: `evil.example:${demo.port}` } });
    expect(rebound.status).toBe(421);
    expect(rebound.text).not.toContain('demoKeyPassword');
    expect((await raw({ path: '/api/documents', headers: { Host: `localhost:${demo.port}` } })).status).toBe(200);
  });

  it('keeps no more documents than its cap', async () => {
    while ((await count()) < 3) await post('/api/documents', {}, '{}');
    const full = await post('/api/documents', {}, '{}');
    expect(full.status).toBe(507);
    expect(await count()).toBe(3);
  });
});

describe('the test-PKI gateway is an allowlist', () => {
  it('forwards fixed paths to fixed services, whatever the request target names', async () => {
    // An absolute-form target (RFC 9112 §3.2.2) naming another host still reaches only the listed local service.
    const absolute = await raw({ path: 'http://evil.example/pki/crl/intermediate.crl' });
    expect(absolute.status).toBe(200);
    expect(Buffer.from(absolute.text, 'latin1')).toEqual(Buffer.from(demo.pki.crlDer));
    expect((await raw({ path: '/pki/crl/intermediate.crl?upstream=http://evil.example/' })).status).toBe(200);
    for (const path of ['/pki/', '/pki/http://evil.example/', '/pki//evil.example/x', '/pki/crl/intermediate.crl/', '/pki/CRL/intermediate.crl']) {
      expect([path, (await raw({ path })).status]).toEqual([path, 404]);
    }
    expect((await raw({ path: '/pki/tsa' })).status).toBe(405);
    expect((await post('/pki/ocsp', { 'Content-Type': 'application/json' }, '{}')).status).toBe(415);
  });
});
