import { describe, expect, it } from 'vitest';
import { fetchFor, fetchSlots, timeoutFor, type FetchLike } from '../../src/options.js';
import { lazyExport, onFirstUse } from '../../src/util/lazy-export.js';
import { finish } from '../../src/sign/finish.js';
import { requestTimestamp } from '../../src/crypto/timestamp-client.js';
import { readFileSync } from 'node:fs';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples } from '@kyso/testkit';
import { prepare } from '../../src/sign/prepare.js';
import { fromBase64 } from '../../src/util/base64.js';

/** A fetch that is never called in these cases: its identity is what is checked. */
const named = (name: string): FetchLike => Object.assign(async () => {
  throw new Error(`${name} was called`);
}, { label: name });

describe('one fetch rule (docs/decisions/0032): fetchFor', () => {
  const top = named('top');
  const tsa = named('timestamp');
  const ltv = named('ltv');

  it('one top-level fetch serves every service', () => {
    for (const service of ['tsa', 'ocsp', 'crl', 'aia'] as const) expect(fetchFor({ fetch: top }, service)).toBe(top);
  });

  it('a nested (deprecated) fetch wins for its own service only', () => {
    const options = { fetch: top, timestamp: { fetch: tsa }, ltv: { fetch: ltv } };
    expect(fetchFor(options, 'tsa')).toBe(tsa);
    for (const service of ['ocsp', 'crl', 'aia'] as const) expect(fetchFor(options, service)).toBe(ltv);
    expect(fetchFor({ fetch: top, timestamp: { fetch: tsa } }, 'ocsp')).toBe(top);
  });

  it('without a top-level fetch, validation data falls back to the timestamp\'s (as signing did before)', () => {
    expect(fetchFor({ timestamp: { fetch: tsa } }, 'crl')).toBe(tsa);
    expect(fetchFor({ ltv: { fetch: ltv } }, 'tsa')).toBeUndefined();
    expect(fetchFor({}, 'ocsp')).toBeUndefined();
    expect(fetchFor(undefined, 'tsa')).toBeUndefined();
  });

  it('lists the slots that hold a function, and only those', () => {
    expect(fetchSlots({ fetch: top, timestamp: { fetch: tsa }, ltv: { archiveTimestamp: { fetch: ltv } } }))
      .toEqual({ fetch: top, timestamp: tsa, archiveTimestamp: ltv });
    expect(fetchSlots({ timestamp: {}, ltv: {} })).toEqual({});
  });
});

describe('per-service time-outs: timeoutFor', () => {
  it('timeouts[service], else the older option, else the default', () => {
    expect(timeoutFor({ ocsp: 500 }, 'ocsp', 9000, 10_000)).toBe(500);
    expect(timeoutFor({ ocsp: 500 }, 'crl', 9000, 10_000)).toBe(9000);
    expect(timeoutFor(undefined, 'tsa', undefined, 15_000)).toBe(15_000);
  });
});

describe('timeouts.tsa reaches the TSA client', () => {
  it('finish gives up on a TSA that never answers after timeouts.tsa, even when timestamp.timeoutMs is long', async () => {
    const { prepared, signature, pdf } = await preparedBT();
    const silent: FetchLike = (_url, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    await expect(finish(prepared, signature, {
      pdf, fetch: silent, timeouts: { tsa: 50 }, timestamp: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 3_600_000 },
    })).rejects.toMatchObject({ code: 'ERR_TSA_TIMEOUT' });
  });

  it('the TSA client names the time-out it was given', async () => {
    const silent: FetchLike = (_url, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    await expect(requestTimestamp({ url: 'http://127.0.0.1:9/tsa', fetch: silent, imprint: new Uint8Array(32), hash: 'SHA-256', timeoutMs: 40 }))
      .rejects.toMatchObject({ code: 'ERR_TSA_TIMEOUT', detail: expect.stringContaining('40 ms') });
  });
});

describe('timeouts.ocsp / crl / aia reach verification', () => {
  it('each online exchange gives up after its own service time-out, not the older timeoutMs', async () => {
    const { gatherFacts } = await import('../../src/verify/verify.js');
    const { sign } = await import('../../src/entries/sign.js');
    const pki = await ensurePki();
    const e = pki.entity('leader');
    const signed = await sign(new Uint8Array(readFileSync((await ensureSamples()).simple)), { adapter: await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer), level: 'B-B' });
    const silent: FetchLike = (_url, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const facts = JSON.stringify(await gatherFacts(signed, {
      trust: [pki.rootDer], revocation: 'online', fetch: silent, timeoutMs: 3_600_000, timeouts: { ocsp: 41, crl: 43, aia: 47 },
    }));
    expect(facts).toContain('within 41 ms');
    expect(facts).toContain('within 43 ms');
    expect(facts).not.toContain('3600000');
  });
});

describe('lazy bindings: lazyExport', () => {
  it('loads the module once, on the first call, and forwards the arguments and the result', async () => {
    let loads = 0;
    const load = onFirstUse(async () => {
      loads++;
      return { double: async (n: number) => n * 2, now: (s: string) => `${s}!` };
    });
    const double = lazyExport(load, 'double');
    const now = lazyExport(load, 'now');
    expect(loads).toBe(0);
    expect(await double(21)).toBe(42);
    expect(await now('sync made async')).toBe('sync made async!');
    expect(await double(1)).toBe(2);
    expect(loads).toBe(1);
  });

  it('a rejection of the implementation reaches the caller unchanged', async () => {
    const failing = lazyExport(onFirstUse(async () => ({ fail: async () => { throw new RangeError('from the module'); } })), 'fail');
    await expect(failing()).rejects.toThrow(RangeError);
  });
});

/** A B-T signature prepared and signed by the key, waiting for its timestamp. */
async function preparedBT() {
  const pki = await ensurePki();
  const pdf = new Uint8Array(readFileSync((await ensureSamples()).simple));
  const e = pki.entity('leader');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  const [entry] = await adapter.listCertificates();
  const prepared = await prepare(pdf, { certificate: e.certDer, chain: e.chainDer, level: 'B-T', timestamp: { url: 'http://127.0.0.1:9/tsa' } });
  const signature = await adapter.sign({
    certificateId: entry!.id, algorithm: { scheme: prepared.scheme, hash: prepared.hash },
    data: fromBase64(prepared.toBeSigned)!, digest: fromBase64(prepared.toBeSignedDigest)!,
  });
  return { prepared, signature, pdf };
}
