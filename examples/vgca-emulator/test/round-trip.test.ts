// The VGCA Sign Service round trip, every part real: VgcaAdapter (the page side) → the emulator over wss on
// 127.0.0.1 (downloads the document, signs it with kyso core and the test PKI, uploads it as multipart `uploadfile`)
// → kyso's upload handler (verifies with core, stores atomically, answers a boolean Status) → the reply to the page.
// The stored files are then checked by poppler's pdfsig and by kyso verify.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Pkcs12Adapter, signDocumentVerified, VgcaAdapter, type VgcaSocket } from '@kyso/adapters';
import { verify, type FetchLike, type FullDocumentRequest, type SigningAdapter } from '@kyso/core';
import {
  ensurePki, ensureSamples, pkiRoutes, routeFetch, sealImage, signatureImage, startCrlServer, startOcspResponder,
  type CrlServer, type OcspResponder, type SampleName, type TestPki,
} from '@kyso/testkit';
import { localCertificate, startVgcaEmulator, type RunningEmulator } from '../emulator.mjs';
import { startIntegrator, type Integrator } from './integrator.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let ocsp: OcspResponder;
let crl: CrlServer;
let routed: FetchLike;
let dir: string;
let integrator: Integrator;
let emulator: RunningEmulator;
let keys: Record<'leader' | 'seal' | 'untrusted', SigningAdapter>;
/** Which key the emulator's "user" picks for the next call, by role; the default is the Decree 30 signer. */
let keyOverride: SigningAdapter | null = null;
/** Signature values the emulator asked any key for. */
let keyUses = 0;
/** When the integrator issues each job, and when the emulator's user signs: fixed, never the clock. */
const ISSUED = new Date('2026-03-05T07:30:00Z');
const SIGNED = new Date('2026-03-05T07:31:00Z');

/** The page side, as a page of `origin` (default the integrator's own, the one origin the emulator allows). */
const adapter = (options: { replyTimeoutMs?: number; url?: string; origin?: string } = {}) => new VgcaAdapter({
  url: options.url ?? emulator.url,
  webSocket: (url) => new WebSocket(url, { ca: emulator.certPem!, origin: options.origin ?? integrator.url }) as unknown as VgcaSocket,
  connectTimeoutMs: 2_000,
  replyTimeoutMs: options.replyTimeoutMs ?? 30_000,
});
const serialOf = (name: 'leader' | 'seal') => pki.entity(name).serialHex.toLowerCase();
const bySigner = (name: 'leader' | 'seal') => (s: { serialNumber: string | null }) => s.serialNumber?.toLowerCase() === serialOf(name);
const trust = () => [pki.rootPem];
const kysoVerify = (bytes: Uint8Array) => verify(bytes, { trust: trust(), revocation: 'online', fetch: routed });
const sample = (name: SampleName) => new Uint8Array(readFileSync(samples[name]));

/** poppler's pdfsig, trusting the test root through the testkit's NSS database. */
function pdfsig(path: string) {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, path], { encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  return {
    total: (out.match(/^Signature #\d+:/gm) ?? []).length,
    valid: (out.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    wholeDocument: (out.match(/Total document signed/g) ?? []).length,
    out,
  };
}

/** The widget rectangles (x1 y1 x2 y2) written in the bytes after `from`. */
function rectsAfter(bytes: Uint8Array, from: number): number[][] {
  const text = Buffer.from(bytes.subarray(from)).toString('latin1');
  return [...text.matchAll(/\/Rect\s*\[([-\d.\s]+)\]/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
}

/** Signs through the whole chain and checks the stored file the way a page would before reporting success. */
async function signVerified(name: string, original: Uint8Array, request: Omit<FullDocumentRequest, 'documentUrl' | 'uploadUrl'>, signer: 'leader' | 'seal') {
  const job = integrator.job(name, { original, expectSigner: bySigner(signer) });
  const outcome = await signDocumentVerified(adapter(), { ...request, documentUrl: job.documentUrl, uploadUrl: job.uploadUrl }, {
    original,
    fetchSigned: async (result) => new Uint8Array(await (await fetch(integrator.storedUrl(result.fileServer))).arrayBuffer()),
    trust: trust(), revocation: 'online', fetch: routed, expectSigner: bySigner(signer), clock: () => ISSUED,
  });
  expect(outcome.result.fileServer).toBe(job.token);
  expect(new Uint8Array(readFileSync(job.outputPath))).toEqual(outcome.signed);
  return { ...outcome, path: job.outputPath };
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  ocsp = await startOcspResponder({ pki });
  crl = await startCrlServer({ pki });
  routed = routeFetch(pkiRoutes({ ocsp, crl })) as unknown as FetchLike;
  dir = mkdtempSync(join(tmpdir(), 'kyso-vgca-'));
  const p12 = (name: 'leader' | 'seal' | 'untrusted') =>
    Pkcs12Adapter.open(new Uint8Array(readFileSync(pki.entity(name).p12Path!)), pki.p12Password);
  const counted = (key: SigningAdapter): SigningAdapter => ({
    name: key.name, listCertificates: (s) => key.listCertificates(s), capabilities: () => key.capabilities(),
    sign: (request) => ((keyUses += 1), key.sign(request)),
  });
  keys = { leader: counted(await p12('leader')), seal: counted(await p12('seal')), untrusted: counted(await p12('untrusted')) };
  integrator = await startIntegrator(dir, { trust: trust(), fetch: routed }, () => ISSUED);
  emulator = await startVgcaEmulator({
    tls: localCertificate(),
    keyFor: (role) => keyOverride ?? (role === 'issue' || role === 'appendix' || role === 'copy' ? keys.seal : keys.leader),
    images: { approve: signatureImage(), issue: sealImage(36) },
    allowedOrigins: [integrator.url],
    clock: () => SIGNED,
  });
});

afterAll(async () => {
  await emulator?.close();
  await integrator?.close();
  await ocsp?.close();
  await crl?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.mode = 'normal';
  keyOverride = null;
});

describe('round trip per endpoint: adapter → emulator (wss) → handler', () => {
  it('GetVersion answers over wss with the emulator\'s certificate', async () => {
    expect(await adapter().getVersion()).toContain('"Status":0');
  });

  it('SignApproved, then SignIssued with the seal over the leader\'s signature; pdfsig and kyso verify agree', async () => {
    const draft = sample('vietnamese');
    const approved = await signVerified('approved', draft, { role: 'approve' }, 'leader');
    expect(approved.signature.indication).toBe('TOTAL_PASSED');
    expect(approved.signature.signer.serialNumber?.toLowerCase()).toBe(serialOf('leader'));
    expect(emulator.calls.at(-1)).toMatchObject({ endpoint: 'SignApproved', status: 0, uploaded: true });
    const leaderRect = rectsAfter(approved.signed, draft.length).at(-1)!;

    const issuedDate = new Date('2026-03-05T07:30:00Z');
    const issued = await signVerified('issued', approved.signed, { role: 'issue', docNumber: '15/QĐ-UBND', issuedDate }, 'seal');
    expect(issued.result.documentNumber).toBe('15/QĐ-UBND');
    expect(issued.result.documentDate).toBe('2026-03-05T14:30:00+07:00');
    expect(emulator.calls.at(-1)).toMatchObject({ endpoint: 'SignIssued', status: 0, uploaded: true });

    // Decree 30 App. I §II.8a: the seal's right edge at the left third of the leader's signature, vertically centred on it.
    const [lx1, ly1, lx2, ly2] = leaderRect as [number, number, number, number];
    const [sx1, sy1, sx2, sy2] = rectsAfter(issued.signed, approved.signed.length).at(-1) as [number, number, number, number];
    expect(sx2).toBeCloseTo(lx1 + (lx2 - lx1) / 3, 0);
    expect((sy1 + sy2) / 2).toBeCloseTo((ly1 + ly2) / 2, 0);
    expect(sx2 - sx1).toBeCloseTo((36 * 72) / 25.4, 0); // the seal at its real size (36 mm)

    const report = await kysoVerify(new Uint8Array(readFileSync(issued.path)));
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(report.signatures.map((s) => s.signer.serialNumber?.toLowerCase())).toEqual([serialOf('leader'), serialOf('seal')]);
    expect(report.lastRevisionSigned).toBe(true);
    const ps = pdfsig(issued.path);
    expect(ps.total).toBe(2);
    expect(ps.valid).toBe(2);
    expect(ps.wholeDocument).toBe(1);
  });

  it('SignAppendix: the agency signature, text only, at the top right of page 1 of a separate file', async () => {
    const appendix = sample('simple');
    const signed = await signVerified('appendix', appendix, {
      role: 'appendix', docNumber: '15/QĐ-UBND', metadata: [{ key: 'abc', value: 'abc' }],
    }, 'seal');
    const [x1, y1, x2, y2] = rectsAfter(signed.signed, appendix.length).at(-1) as [number, number, number, number];
    const media = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(Buffer.from(appendix).toString('latin1'))!;
    expect(x2).toBeGreaterThan(Number(media[1]) - 60);
    expect(y2).toBeGreaterThan(Number(media[2]) - 60);
    expect(x2 - x1).toBeGreaterThan(0);
    expect(y2 - y1).toBeLessThan(80);
    expect(pdfsig(signed.path)).toMatchObject({ total: 1, valid: 1, wholeDocument: 1 });
  });

  it('SignCopy: an electronic copy (SAO LỤC from MetaData) signed by the agency', async () => {
    const signed = await signVerified('copy', sample('simple'), {
      role: 'copy', docNumber: '20/SY-VP', metadata: [{ key: 'CopyForm', value: 'SAO LỤC' }],
    }, 'seal');
    expect(signed.signature.indication).toBe('TOTAL_PASSED');
    expect(pdfsig(signed.path)).toMatchObject({ total: 1, valid: 1, wholeDocument: 1 });
  });

  it('Comment and SignIncome on a received document keep the earlier signatures valid', async () => {
    const draft = sample('vietnamese');
    const approved = await signVerified('c-approved', draft, { role: 'approve' }, 'leader');
    const commented = await signVerified('c-comment', approved.signed, { role: 'comment', metadata: [] }, 'leader');
    const received = await signVerified('c-income', commented.signed, { role: 'income', metadata: [{ key: 'SoDen', value: '42' }] }, 'leader');
    const report = await kysoVerify(received.signed);
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(pdfsig(received.path)).toMatchObject({ total: 3, valid: 3, wholeDocument: 1 });
  });
});

/** A port with nothing listening (bound once, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('only the integrator\'s page may drive the emulator (origin allowlist)', () => {
  /** Opens a handshake as a page of `origin` (none: no Origin header) and returns the HTTP status it got. */
  const handshake = (origin: string | null) => new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${emulator.url}/SignApproved`, { ca: emulator.certPem!, ...(origin === null ? {} : { origin }) });
    socket.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', reject);
  });

  for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null', null]) {
    it(`a page from ${origin === null ? 'no origin at all' : origin} is refused with 403 before anything is signed`, async () => {
      const before = { uses: keyUses, calls: emulator.calls.length, refused: emulator.refused.length };
      expect(await handshake(origin)).toBe(403);
      expect(keyUses).toBe(before.uses);
      expect(emulator.calls.length).toBe(before.calls);
      expect(emulator.refused.length).toBe(before.refused + 1);
    });
  }

  it('through VgcaAdapter: a foreign page gets ERR_VGCA_UNAVAILABLE, nothing downloaded, signed or stored; the integrator\'s page signs', async () => {
    const original = sample('simple');
    const job = integrator.job('foreign-origin', { original, expectSigner: bySigner('leader') });
    const before = { uses: keyUses, events: integrator.events.length };
    await expect(adapter({ origin: 'https://evil.example' }).signDocument({ role: 'approve', documentUrl: job.documentUrl, uploadUrl: job.uploadUrl }))
      .rejects.toMatchObject({ code: 'ERR_VGCA_UNAVAILABLE' });
    expect(keyUses).toBe(before.uses);
    expect(integrator.events.length).toBe(before.events);
    expect(existsSync(job.outputPath)).toBe(false);

    await adapter().signDocument({ role: 'approve', documentUrl: job.documentUrl, uploadUrl: job.uploadUrl });
    expect(keyUses).toBe(before.uses + 1);
    expect(existsSync(job.outputPath)).toBe(true);
  });

  it('an allowlist entry that is not an origin is refused at start', async () => {
    await expect(startVgcaEmulator({ keyFor: () => keys.leader, tls: null, allowedOrigins: ['https://qlvb.example/app'] })).rejects.toThrow(/allowedOrigins/);
  });
});

describe('failure table: typed errors, no hang, nothing stored', () => {
  type Case = {
    name: string;
    mode?: RunningEmulator['mode'];
    key?: 'untrusted' | 'seal';
    replyTimeoutMs?: number;
    down?: boolean;
    expire?: boolean;
    code: string;
    /** The handler's verdict when an upload reached it. */
    handler?: string;
    /** Some words of the handler's detail, which the service passes on to the page as its Message. */
    why?: string;
  };
  const cases: Case[] = [
    { name: 'service not running', down: true, code: 'ERR_VGCA_UNAVAILABLE' },
    { name: 'refused (no certificate)', mode: 'refuse', code: 'ERR_VGCA_REFUSED' },
    { name: 'user cancelled', mode: 'cancel', code: 'ERR_VGCA_CANCELLED' },
    { name: 'malformed reply', mode: 'malformed', code: 'ERR_VGCA_BAD_REPLY' },
    { name: 'closed without a reply', mode: 'close', code: 'ERR_VGCA_BAD_REPLY' },
    { name: 'no reply (time-out)', mode: 'silent', replyTimeoutMs: 400, code: 'ERR_VGCA_TIMEOUT' },
    { name: 'document URL expired (download fails)', expire: true, code: 'ERR_VGCA_REFUSED' },
    { name: 'tampered upload: handler says Status false', mode: 'tamper', code: 'ERR_VGCA_NOT_STORED', handler: 'ERR_VGCA_UPLOAD_INVALID', why: 'TOTAL_FAILED/HASH_FAILURE' },
    { name: 'wrong original (not a prefix)', mode: 'rewrite', code: 'ERR_VGCA_NOT_STORED', handler: 'ERR_VGCA_UPLOAD_NOT_APPENDED', why: 'differs from the original at byte 7' },
    { name: 'signer not trusted', key: 'untrusted', code: 'ERR_VGCA_NOT_STORED', handler: 'ERR_VGCA_UPLOAD_INVALID', why: 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND' },
    { name: 'another signer than the step expects', key: 'seal', code: 'ERR_VGCA_NOT_STORED', handler: 'ERR_VGCA_UPLOAD_INVALID', why: 'unexpected certificate' },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      emulator.mode = c.mode ?? 'normal';
      keyOverride = c.key ? keys[c.key] : null;
      const original = sample('vietnamese');
      const job = integrator.job(`fail-${c.name.replace(/\W+/g, '-')}`, { original, expectSigner: bySigner('leader') });
      if (c.expire) integrator.expire(job.token);
      const eventsBefore = integrator.events.length;
      const url = c.down ? `wss://127.0.0.1:${await freePort()}` : undefined;
      const started = Date.now();
      const error = await adapter({ replyTimeoutMs: c.replyTimeoutMs, url })
        .signDocument({ role: 'approve', documentUrl: job.documentUrl, uploadUrl: job.uploadUrl })
        .then(() => null, (e: unknown) => e);
      expect(error).toMatchObject({ code: c.code });
      expect((error as { text: { vi: string; en: string } }).text.vi.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(existsSync(job.outputPath)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const events = integrator.events.slice(eventsBefore);
      if (c.handler) expect(events).toMatchObject([{ outcome: 'rejected', code: c.handler, detail: expect.stringContaining(c.why!) }]);
      if (c.why) expect((error as { detail: string }).detail).toContain(c.why);
      else expect(events).toEqual([]);
    });
  }

  it('a second call while one is in flight → ERR_VGCA_BUSY; an abort → ERR_ABORTED; both without waiting for the service', async () => {
    emulator.mode = 'silent';
    const a = adapter();
    const job = integrator.job('busy', { original: sample('simple') });
    const controller = new AbortController();
    const first = a.signDocument({ role: 'approve', ...job, signal: controller.signal }).then(() => null, (e: unknown) => e);
    await expect(a.signDocument({ role: 'approve', ...job })).rejects.toMatchObject({ code: 'ERR_VGCA_BUSY' });
    setTimeout(() => controller.abort(), 100);
    expect(await first).toMatchObject({ code: 'ERR_ABORTED' });
    expect(existsSync(job.outputPath)).toBe(false);
  });

  it('a handler that answers an integer Status makes the service fail (0x0028) → ERR_VGCA_REFUSED', async () => {
    const { createServer: createHttp } = await import('node:http');
    const original = sample('simple');
    const bad = createHttp((req, res) => {
      if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/pdf' }).end(original);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"Status":1,"FileServer":"x"}'));
    });
    await new Promise<void>((resolve) => bad.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(bad.address() as { port: number }).port}`;
    try {
      await expect(adapter().signDocument({ role: 'approve', documentUrl: `${base}/src`, uploadUrl: `${base}/up` }))
        .rejects.toMatchObject({ code: 'ERR_VGCA_REFUSED', detail: expect.stringContaining('Status 40') });
    } finally {
      bad.closeAllConnections();
      await new Promise<void>((resolve) => bad.close(() => resolve()));
    }
  });

  it('a missing DocNumber for SignIssued is refused before any connection (ERR_INVALID_ARGUMENT)', async () => {
    const callsBefore = emulator.calls.length;
    await expect(adapter().signDocument({ role: 'issue', documentUrl: 'http://127.0.0.1:1/s', uploadUrl: 'http://127.0.0.1:1/u', issuedDate: new Date() }))
      .rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', detail: expect.stringContaining('docNumber') });
    expect(emulator.calls.length).toBe(callsBefore);
  });
});
