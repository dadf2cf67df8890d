import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, KysoError, PdfError, type Progress } from '@kyso/core';
import { createKyso } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';
import { fixture } from './fixtures.js';
import { largeFixture, nodeSide, routedFetch, toBase64 } from './node-side.js';

const P12_PASSWORD = 'kyso-test'; // the test PKI's (packages/testkit/src/pki/profile.ts)
const LARGE = 20_000_000; // bytes: .fixtures/samples/large-20000000.pdf, made on first use

const leader = async () => Pkcs12Adapter.open(await fixture('pki/leader.p12'), P12_PASSWORD);

describe('worker client: core in a module Web Worker, the key and the network on the page', () => {
  const kyso = createKyso();
  const servers: string[] = [];
  let root: Uint8Array;
  beforeAll(async () => {
    root = await fixture('pki/root.cert.der');
  });
  afterAll(async () => {
    kyso.terminate();
    await nodeSide.stopServers(servers);
  });

  it('signs with the leader PKCS#12 held by the page, and verifies TOTAL_PASSED with OCSP/CRL fetched by the page', async () => {
    const pdf = await fixture('samples/simple.pdf');
    const original = pdf.slice();
    const signed = await kyso.sign(pdf, { adapter: await leader() });
    expect(signed.subarray(0, original.length)).toEqual(original);

    const revocation = await nodeSide.startRevocation();
    servers.push(revocation.id);
    const fetch = routedFetch(revocation.routes);
    const report = await kyso.verify(signed, { trust: [root], revocation: 'online', fetch });
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', integrity: 'intact', revocation: { status: 'good' } });
    expect(report.signatures[0]!.signer.commonName).toMatch(/Nguyễn/);
    // A function cannot be cloned into a worker: these calls ran on the page.
    expect(fetch.calls.length).toBeGreaterThan(0);
  });

  it('transfers the input by default (the caller\'s buffer is detached) and copies it with transfer: false', async () => {
    const kept = await fixture('samples/simple.pdf');
    const length = kept.length;
    const a = await kyso.verify(kept, {}, { transfer: false });
    expect(kept.length).toBe(length);
    const moved = kept.slice();
    const b = await kyso.verify(moved, {});
    expect(moved.buffer.byteLength).toBe(0);
    expect(moved.length).toBe(0);
    expect(b.revisions).toBe(a.revisions);
  });

  it('makes a B-T signature with the test TSA reached by the page\'s fetch (real HTTP, CORS)', async () => {
    const tsa = await nodeSide.startTsa();
    servers.push(tsa.id);
    const asked: string[] = [];
    const pageFetch: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fetch(input, init);
    };
    const signed = await kyso.sign(await fixture('samples/simple.pdf'), { adapter: await leader(), level: 'B-T', timestamp: { url: tsa.url, fetch: pageFetch } });
    expect(asked).toEqual([tsa.url]);
    const report = await kyso.verify(signed, { trust: [root] });
    expect(report.signatures[0]!.level).toBe('PAdES-B-T');
    expect(report.signatures[0]!.signingTime.timestamp).not.toBeNull();
  });

  it('extends a B-T signature to B-LTA in the worker, every OCSP, CRL and TSA request made by the page', async () => {
    const tsa = await nodeSide.startTsa();
    const revocation = await nodeSide.startRevocation();
    servers.push(tsa.id, revocation.id);
    const fetch = routedFetch(revocation.routes);
    const signed = await kyso.sign(await fixture('samples/simple.pdf'), { adapter: await leader(), level: 'B-T', timestamp: { url: tsa.url, fetch } });
    const before = signed.slice();
    const extended = await kyso.extend(signed, { level: 'B-LTA', trust: [root], fetch, timestamp: { url: tsa.url } });
    expect(extended.subarray(0, before.length)).toEqual(before);
    expect(fetch.calls.some((u) => u.includes('ocsp') || u.includes('crl'))).toBe(true);
    expect(fetch.calls.filter((u) => u === tsa.url).length).toBeGreaterThanOrEqual(2); // signature timestamp, then the archive one
    // Offline now: the signature is proven by the /DSS data alone.
    const report = await kyso.verify(extended, { trust: [root], revocation: 'embedded' });
    expect(report.signatures.map((s) => s.kind)).toEqual(['signature', 'document-timestamp']);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', level: 'PAdES-B-LTA' });
  });

  it('reports progress of hashing a 20 MB document in at most ~50 calls, in order, ending at the total', async () => {
    const pdf = await largeFixture(LARGE);
    const total = pdf.length;
    const events: Progress[] = [];
    await kyso.prepare(pdf, { certificate: await fixture('pki/leader.cert.der') }, { onProgress: (p) => events.push(p) });
    const hash = events.filter((p) => p.phase === 'hash');
    expect(hash.length).toBeGreaterThanOrEqual(2);
    expect(hash.length).toBeLessThanOrEqual(52);
    expect(hash.map((p) => p.done)).toEqual([...hash.map((p) => p.done)].sort((x, y) => x - y));
    expect(hash.at(-1)).toMatchObject({ done: hash.at(-1)!.total });
    expect(hash.at(-1)!.total).toBeGreaterThan(total * 0.99); // the ByteRange: the whole output but /Contents
  }, 60_000);

  it('aborts mid-hash: rejects at once with ERR_ABORTED (AbortError), and the client keeps working', async () => {
    const pdf = await largeFixture(LARGE);
    const size = pdf.length; // the call detaches pdf
    const controller = new AbortController();
    let abortedAt = 0;
    let lastDone = 0;
    const call = kyso.prepare(pdf, { certificate: await fixture('pki/leader.cert.der') }, {
      signal: controller.signal,
      onProgress: (p) => {
        lastDone = p.done;
        if (p.phase === 'hash' && p.done > 0 && !abortedAt) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'ERR_ABORTED' });
    // At once: the page does not wait for the worker to reach its next check.
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(lastDone).toBeLessThan(size);
    const report = await kyso.verify(await fixture('samples/simple.pdf'));
    expect(report.signatures).toEqual([]);
  }, 60_000);

  it('rejects a call whose signal is already aborted without starting it', async () => {
    const pdf = await fixture('samples/simple.pdf');
    const error = await kyso.verify(pdf, {}, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(pdf.length).toBeGreaterThan(0); // not sent, so not detached
  });

  it('revives errors across the worker: class, code, Vietnamese and English text', async () => {
    const garbage = new TextEncoder().encode('%PDF-1.7\nthis is not a PDF at all\n');
    const bad = await kyso.verify(garbage).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PdfError);
    expect(bad).toBeInstanceOf(KysoError);
    expect((bad as KysoError).code).toMatch(/^ERR_PDF_/);

    const encrypted = await fixture('samples/encrypted-aes256.pdf');
    const wrong = await kyso.sign(encrypted, { adapter: await leader(), password: 'not-the-password' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(PdfError);
    expect(wrong).toMatchObject({ code: 'ERR_PDF_PASSWORD' });
    expect((wrong as KysoError).localized('vi')).toBe('Mật khẩu của tệp PDF không đúng.');
    expect((wrong as KysoError).localized('en')).toBe('The PDF password is wrong.');
  });

  it('revives an error thrown by the adapter on the page with its class and code', async () => {
    const real = await leader();
    const refusing = {
      name: 'refusing',
      listCertificates: () => real.listCertificates(),
      capabilities: () => real.capabilities(),
      sign: async () => { throw new KysoError('ERR_KEY_PASSWORD', { detail: 'the token refused' }); },
    };
    const error = await kyso.sign(await fixture('samples/simple.pdf'), { adapter: refusing }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_KEY_PASSWORD', detail: 'the token refused' });
    expect((error as Error).constructor.name).toBe('KeyError');
  });

  it('draws a visible signature with the default font fetched by the worker: the Vietnamese name is in the page text', async () => {
    const signed = await kyso.sign(await fixture('samples/simple.pdf'), {
      adapter: await leader(),
      appearance: { role: 'approve', showText: true, organization: 'Ủy ban nhân dân thành phố Đà Nẵng' },
      placement: { page: 1, rect: [330, 120, 200, 80] },
    });
    const text = (await nodeSide.pdfText(toBase64(signed))).normalize('NFC');
    expect(text).toContain('Nguyễn');
    expect(text).toContain('Đà Nẵng');
  });
});

describe('worker client: the default font is fetched only when a visible signature needs it', () => {
  // A URL that cannot answer: invisible signatures must not care, visible ones must fail cleanly.
  const kyso = createKyso({ fontUrl: 'http://127.0.0.1:9/no-font.ttf' });
  afterAll(() => kyso.terminate());

  it('signs invisibly without fetching the font, and fails a visible signature with ERR_SIG_APPEARANCE', async () => {
    await expect(kyso.sign(await fixture('samples/simple.pdf'), { adapter: await leader() })).resolves.toBeInstanceOf(Uint8Array);
    const error = await kyso.sign(await fixture('samples/simple.pdf'), { adapter: await leader(), appearance: { role: 'approve', showText: true }, placement: { rect: [330, 120, 200, 80] } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_SIG_APPEARANCE' });
  });
});

describe('worker client: terminate', () => {
  it('rejects the pending call and every later call with ERR_ABORTED', async () => {
    const kyso = createKyso();
    const pending = kyso.verify(await largeFixture(LARGE));
    kyso.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(kyso.verify(await fixture('samples/simple.pdf'))).rejects.toBeInstanceOf(AbortError);
  }, 60_000);
});
