// The demo server's contract, over HTTP, without a browser: the stages of an outgoing document, the checks
// it makes before storing signed bytes, the allowlisted gateway to the test PKI, and storage that survives
// a restart. Signatures here are made in Node with core; the browser path is flow.test.ts.
import { get as httpGet } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs12Adapter } from '@kyso/adapters';
import { sign, verify } from '@kyso/core';
import '@kyso/core/node';
import {
  ensurePki, pkiRoutes, routeFetch, sealImage, signatureImage, startCrlServer, startOcspResponder,
  type CrlServer, type OcspResponder, type TestPki,
} from '@kyso/testkit';
import { startDemo, type RunningDemo } from './demo-server.js';

interface Doc { id: string; state: string; number: string | null; date: string | null }

let pki: TestPki;
let ocsp: OcspResponder;
let crl: CrlServer;
let demo: RunningDemo;
let dir: string;
const dataDir = () => join(dir, 'data');
const webDir = () => join(dir, 'web');

const get = async (path: string) => fetch(new URL(path, demo.url));
const json = async <T>(path: string): Promise<T> => (await get(path)).json() as Promise<T>;
const postPdf = (path: string, bytes: Uint8Array) =>
  fetch(new URL(path, demo.url), { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes as Uint8Array<ArrayBuffer> });
const postJson = (path: string, value: unknown) =>
  fetch(new URL(path, demo.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const pdfOf = async (id: string) => new Uint8Array(await (await get(`/api/documents/${id}/pdf`)).arrayBuffer());
const key = async (name: 'leader' | 'seal') => {
  const { readFileSync } = await import('node:fs');
  return Pkcs12Adapter.open(new Uint8Array(readFileSync(pki.entity(name).p12Path!)), pki.p12Password);
};
const approveInNode = async (bytes: Uint8Array, who: 'leader' | 'seal' = 'leader') => sign(bytes, {
  adapter: await key(who), level: 'B-B',
  appearance: { role: 'approve', image: { bytes: signatureImage() } }, placement: { page: 1, anchor: { text: 'Nguyễn Văn Đức' } },
});
/** The status of a GET with the path sent exactly as given. */
const rawStatus = (path: string) => new Promise<number>((resolve, reject) => {
  const u = new URL(demo.url);
  httpGet({ host: u.hostname, port: u.port, path }, (res) => {
    res.resume();
    resolve(res.statusCode ?? 0);
  }).on('error', reject);
});
/** Flips one byte at `at` (a change any hash notices). */
const flip = (bytes: Uint8Array, at: number) => {
  const out = bytes.slice();
  out[at] = out[at]! ^ 0x01;
  return out;
};
const newDraft = async () => (await (await postJson('/api/documents', {})).json()) as Doc;

beforeAll(async () => {
  pki = await ensurePki();
  ocsp = await startOcspResponder({ pki });
  crl = await startCrlServer({ pki });
  dir = mkdtempSync(join(tmpdir(), 'qlvb-demo-server-'));
  // A page file in place of the Vite build (built and driven in flow.test.ts): enough to see the headers.
  mkdirSync(join(webDir(), 'qlvb-demo/web'), { recursive: true });
  writeFileSync(join(webDir(), 'qlvb-demo/web/index.html'), '<!doctype html><title>t</title>');
  demo = await startDemo({ dataDir: dataDir(), webDir: webDir(), build: false });
});

afterAll(async () => {
  await demo?.stop();
  await ocsp?.close();
  await crl?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('qlvb-demo server', () => {
  it('seeds one draft decision whose number and date are still empty form fields', async () => {
    const docs = await json<Doc[]>('/api/documents');
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ state: 'draft', number: null, date: null });
    const text = new TextDecoder('latin1').decode(await pdfOf(docs[0]!.id));
    for (const field of ['soVanBan', 'ngay', 'thang', 'nam']) expect(text).toContain(`/T (${field})`);
    expect(text).toContain('/FontFile2'); // the Vietnamese text's font is embedded
  });

  it('sends the strict Content-Security-Policy with every HTML page', async () => {
    const res = await get('/');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob: data:",
    );
  });

  it('forwards only the listed test-PKI endpoints, with their methods and content types', async () => {
    const crlRes = await get('/pki/crl/intermediate.crl');
    expect(crlRes.status).toBe(200);
    expect(new Uint8Array(await crlRes.arrayBuffer())).toEqual(pki.crlDer);
    expect((await get('/pki/ocsp')).status).toBe(405); // OCSP is POST here
    expect((await get('/pki/http://example.org/')).status).toBe(404);
    // Raw paths, as a hostile client sends them (fetch would normalise the dots away).
    expect(await rawStatus('/pki/crl/..%2f..%2fapi/config')).toBe(404);
    expect(await rawStatus('/pki/../../../etc/passwd')).toBe(404);
    const wrongType = await fetch(new URL('/pki/tsa', demo.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(wrongType.status).toBe(415);
    expect(await rawStatus('/%2e%2e/%2e%2e/etc/passwd')).toBe(404);
    expect(await rawStatus('/assets/../../../../etc/passwd')).toBe(404);
  });

  it('refuses signed uploads that change earlier bytes, fail verification, or come from the wrong key', async () => {
    const doc = await newDraft();
    const draft = await pdfOf(doc.id);
    const signed = await approveInNode(draft);

    const changedPrefix = await postPdf(`/api/documents/${doc.id}/approve`, flip(signed, 400));
    expect(changedPrefix.status).toBe(422);
    expect((await changedPrefix.json()).error.code).toBe('NOT_APPEND_ONLY');

    // Inside the appended update but covered by the signature: the prefix is intact, the hash is not.
    const tamperedIncrement = await postPdf(`/api/documents/${doc.id}/approve`, flip(signed, draft.length + 40));
    expect(tamperedIncrement.status).toBe(422);
    expect((await tamperedIncrement.json()).error.code).toBe('NOT_VALID');

    const bySeal = await postPdf(`/api/documents/${doc.id}/approve`, await approveInNode(draft, 'seal'));
    expect(bySeal.status).toBe(422);
    expect((await bySeal.json()).error.code).toBe('WRONG_SIGNER');

    expect((await json<Doc>(`/api/documents/${doc.id}`)).state).toBe('draft');
  });

  it('takes a document through approve → number → issue → publish; the number keeps the approval valid', async () => {
    const doc = await newDraft();
    const approved = await postPdf(`/api/documents/${doc.id}/approve`, await approveInNode(await pdfOf(doc.id)));
    expect(approved.status).toBe(200);

    const numbered = await postJson(`/api/documents/${doc.id}/number`, { number: '7', date: '2026-02-03' });
    expect(numbered.status).toBe(200);
    // Decree 30/2020 Appendix I: a leading zero for numbers, days and months below 10 (January, February).
    expect(await numbered.json()).toMatchObject({ state: 'numbered', number: '07/QĐ-UBND', date: '2026-02-03' });
    const bytes = await pdfOf(doc.id);
    const fetchVia = routeFetch(pkiRoutes({ ocsp, crl }));
    const report = await verify(bytes, { trust: [pki.rootPem], revocation: 'online', fetch: fetchVia });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', modifications: { verdict: 'allowed' } });
    expect(report.signatures[0]!.modifications.changes.map((c) => [c.kind, c.allowed])).toEqual(
      expect.arrayContaining([['form-filled', true]]),
    );
    expect(report.signatures[0]!.modifications.changes.every((c) => c.allowed)).toBe(true);

    // The clerk cannot number twice.
    expect((await postJson(`/api/documents/${doc.id}/number`, { number: '8', date: '2026-02-03' })).status).toBe(409);
    expect((await get(`/published/${doc.id}.pdf`)).status).toBe(404);

    const sealed = await sign(bytes, { adapter: await key('seal'), level: 'B-B', appearance: { role: 'issue', image: { bytes: sealImage(36) } } });
    expect((await postPdf(`/api/documents/${doc.id}/issue`, sealed)).status).toBe(200);
    expect((await postJson(`/api/documents/${doc.id}/publish`, {})).status).toBe(200);
    const published = await get(`/published/${doc.id}.pdf`);
    expect(published.status).toBe(200);
    expect(new Uint8Array(await published.arrayBuffer())).toEqual(sealed);
    expect(await json<{ id: string; number: string }[]>('/api/published')).toEqual([
      expect.objectContaining({ id: doc.id, number: '07/QĐ-UBND', url: `/published/${doc.id}.pdf` }),
    ]);
  });

  it('rejects a number or a date that is not one', async () => {
    const doc = await newDraft();
    expect((await postPdf(`/api/documents/${doc.id}/approve`, await approveInNode(await pdfOf(doc.id)))).status).toBe(200);
    expect((await postJson(`/api/documents/${doc.id}/number`, { number: '7a', date: '2026-02-03' })).status).toBe(400);
    expect((await postJson(`/api/documents/${doc.id}/number`, { number: '7', date: '2026-02-30' })).status).toBe(400);
    expect((await json<Doc>(`/api/documents/${doc.id}`)).state).toBe('approved');
  });

  it('keeps every document and its stage across a restart', async () => {
    const before = await json<Doc[]>('/api/documents');
    expect(before.map((d) => d.state)).toEqual(expect.arrayContaining(['draft', 'approved', 'published']));
    await demo.stop();
    demo = await startDemo({ dataDir: dataDir(), webDir: webDir(), build: false });
    const after = await json<Doc[]>('/api/documents');
    expect(after).toEqual(before);
    const published = before.find((d) => d.state === 'published')!;
    expect((await get(`/published/${published.id}.pdf`)).status).toBe(200);
  });
});
