import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expose, releaseProxy, type Remote } from 'comlink';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  ensurePki, ensureSamples, PKI_URLS, routeFetch, startCrlServer, startOpensslOcspResponder, startTsaServer,
  type CrlServer, type OpensslOcspResponder, type TestPki, type TsaServer,
} from '@kyso/testkit';
import { sign, type SignOptions } from '../../src/entries/sign.js';
import type { FetchLike } from '../../src/options.js';
import { createWorkerApi } from '../../src/worker/api.js';
import { createKyso } from '../../src/worker/client.js';
import type { CallerSide } from '../../src/worker/protocol.js';
import type { WorkerLike } from '../../src/worker/web-types.js';

/**
 * One `fetch` rule, the same in the worker as in-process (docs/decisions/0032):
 * each request reaches the function core's precedence picks (`fetchFor` in
 * src/options.ts), whether core runs in-process or behind the worker client.
 * The worker here is the real client and the real worker API over a real
 * MessageChannel (comlink), in one Node process; the services are real
 * (`openssl ts`, `openssl ocsp`, the CRL server).
 */
let pki: TestPki;
let simple: Uint8Array;
let ocsp: OpensslOcspResponder;
let crl: CrlServer;
let tsaSignature: TsaServer;
let tsaArchive: TsaServer;
let network: FetchLike;

beforeAll(async () => {
  pki = await ensurePki();
  simple = new Uint8Array(readFileSync((await ensureSamples()).simple));
  ocsp = await startOpensslOcspResponder({ pki });
  crl = await startCrlServer({ pki });
  [tsaSignature, tsaArchive] = await Promise.all([
    startTsaServer({ pki, time: new Date('2026-03-01T00:00:00Z') }),
    startTsaServer({ pki, time: new Date('2026-06-02T00:00:00Z') }),
  ]);
  network = routeFetch({
    [PKI_URLS.ocsp]: ocsp.url, [PKI_URLS.intermediateCrl]: crl.intermediateUrl, [PKI_URLS.rootCrl]: crl.rootUrl,
    [PKI_URLS.intermediateCert]: crl.intermediateCertUrl, [PKI_URLS.rootCert]: crl.rootCertUrl,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([ocsp?.close(), crl?.close(), tsaSignature?.close(), tsaArchive?.close()]);
});

/** The full worker's API behind a MessagePort, as `createKyso({ worker })` takes it. */
function portWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  expose(createWorkerApi({
    transferResult: (outcome) => outcome,
    release: (caller) => (caller as unknown as Remote<CallerSide>)[releaseProxy](),
  }), port2 as unknown as Parameters<typeof expose>[1]);
  port1.start();
  return {
    postMessage: (message, transfer) => port1.postMessage(message, transfer as Transferable[]),
    addEventListener: (type, listener) => port1.addEventListener(type, listener as (e: Event) => void),
    removeEventListener: (type, listener) => port1.removeEventListener(type, listener as (e: Event) => void),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}

/** Which service a URL is: the two TSAs by their address, the rest by the test PKI's fixed URLs. */
function service(url: string): string {
  if (url === tsaSignature.url) return 'signature TSA';
  if (url === tsaArchive.url) return 'archive TSA';
  if (url === PKI_URLS.ocsp) return 'OCSP';
  if (url === PKI_URLS.intermediateCrl || url === PKI_URLS.rootCrl) return 'CRL';
  if (url === PKI_URLS.intermediateCert || url === PKI_URLS.rootCert) return 'AIA';
  return url;
}

/** Options with a recording fetch in the named slots; `seen` gets "service → slot" once per pair. */
function optionsWith(slots: readonly ('fetch' | 'timestamp' | 'ltv' | 'archiveTimestamp')[], seen: Set<string>, adapter: SignOptions['adapter']): SignOptions {
  const recording = (slot: string): FetchLike => (url, init) => {
    seen.add(`${service(url)} → ${slot}`);
    return network(url, init);
  };
  const has = (s: (typeof slots)[number]) => slots.includes(s);
  return {
    adapter, level: 'B-LTA', signingTime: new Date('2026-03-01T00:00:00Z'),
    ...(has('fetch') ? { fetch: recording('fetch') } : {}),
    timeouts: { tsa: 20_000, ocsp: 10_000, crl: 10_000, aia: 10_000 },
    timestamp: { url: tsaSignature.url, ...(has('timestamp') ? { fetch: recording('timestamp') } : {}) },
    ltv: {
      trust: [pki.rootDer], at: new Date('2026-06-02T12:00:00Z'),
      ...(has('ltv') ? { fetch: recording('ltv') } : {}),
      archiveTimestamp: { url: tsaArchive.url, ...(has('archiveTimestamp') ? { fetch: recording('archiveTimestamp') } : {}) },
    },
  };
}

async function requestsOf(slots: readonly ('fetch' | 'timestamp' | 'ltv' | 'archiveTimestamp')[]): Promise<{ inProcess: string[]; worker: string[] }> {
  const e = pki.entity('seal');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  const inProcess = new Set<string>();
  await sign(simple.slice(), optionsWith(slots, inProcess, adapter));
  const worker = new Set<string>();
  const kyso = createKyso({ worker: portWorker() });
  try {
    await kyso.sign(simple.slice(), optionsWith(slots, worker, adapter));
  } finally {
    kyso.terminate();
  }
  return { inProcess: [...inProcess].sort(), worker: [...worker].sort() };
}

describe('the same requests reach the same fetch in the worker as in-process (sign to B-LTA)', () => {
  it('one top-level fetch: every service goes through it', async () => {
    const { inProcess, worker } = await requestsOf(['fetch']);
    expect(inProcess.filter((r) => !r.endsWith('→ fetch'))).toEqual([]);
    expect(inProcess).toEqual(expect.arrayContaining(['OCSP → fetch', 'archive TSA → fetch', 'signature TSA → fetch']));
    expect(worker).toEqual(inProcess);
  }, 120_000);

  it('the deprecated nested fetches: the TSA through timestamp.fetch, OCSP/CRL/AIA through ltv.fetch, the archive TSA through its own', async () => {
    const { inProcess, worker } = await requestsOf(['fetch', 'timestamp', 'ltv', 'archiveTimestamp']);
    expect(inProcess).toEqual(expect.arrayContaining(['OCSP → ltv', 'archive TSA → archiveTimestamp', 'signature TSA → timestamp']));
    expect(inProcess.filter((r) => r.endsWith('→ fetch'))).toEqual([]);
    expect(worker).toEqual(inProcess);
  }, 120_000);

  it('timestamp.fetch alone: validation data falls back to it, as before the top-level fetch existed', async () => {
    const { inProcess, worker } = await requestsOf(['timestamp']);
    expect(inProcess).toEqual(expect.arrayContaining(['OCSP → timestamp', 'archive TSA → timestamp', 'signature TSA → timestamp']));
    expect(worker).toEqual(inProcess);
  }, 120_000);
});
