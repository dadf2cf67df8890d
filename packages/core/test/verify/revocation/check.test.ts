import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensurePki, ocspAnswer, ocspErrorAnswer, pkiRoutes, routeFetch, startCrlServer, startOcspResponder,
  type CrlServer, type OcspResponder, type TestPki,
} from '@kyso/testkit';
import { checkRevocation, ocspRequestFor } from '../../../src/verify/revocation/index.js';

// Fixed clocks: the test PKI's CRL and the test responder speak from 2026-01-01 to 2036-01-01;
// `revoked` was revoked on 2025-06-01 for keyCompromise.
const AT = new Date('2026-03-01T08:00:00Z');
const NOW = new Date('2026-03-02T08:00:00Z');
const BEFORE_REVOCATION = new Date('2025-05-01T00:00:00Z');
const AFTER_CRL = new Date('2036-02-01T00:00:00Z');
const REVOKED_AT = '2025-06-01T00:00:00.000Z';

let pki: TestPki;
let ocsp: OcspResponder;
let crl: CrlServer;
const pathOf = (name: 'leader' | 'revoked' | 'p256') => [pki.entity(name).certDer, ...pki.entity(name).chainDer];
const none = { ocsps: [], crls: [] };

beforeAll(async () => {
  pki = await ensurePki();
  ocsp = await startOcspResponder({ pki, delayMs: 3000 });
  crl = await startCrlServer({ pki, delayMs: 3000 });
});
afterAll(async () => {
  await ocsp?.close();
  await crl?.close();
});

/** A fetch that reaches the test OCSP responder and CRL server only (the other source is unroutable). */
const only = (which: 'ocsp' | 'crl') => routeFetch(pkiRoutes(which === 'ocsp' ? { ocsp } : { crl }));

/** An OCSP response from the test responder for `name`, as an LT signer would embed it. */
async function embeddedOcsp(name: 'leader' | 'revoked', options: Parameters<typeof ocspAnswer>[2] = {}): Promise<Uint8Array> {
  const request = await ocspRequestFor(pki.entity(name).certDer, pki.entity('intermediate').certDer);
  return ocspAnswer(pki, request.der, options);
}

describe('online revocation checking', () => {
  it('finds the leader good through its OCSP responder, nonce echoed', async () => {
    ocsp.mode = 'ok';
    const fetch = only('ocsp');
    const facts = await checkRevocation(pathOf('leader'), AT, none, { mode: 'online', fetch, now: NOW, timeoutMs: 2000 });
    expect(facts.entries[0]).toEqual({
      certIndex: 0, status: 'good', source: 'ocsp-online', revokedAt: null, producedAt: '2026-01-01T00:00:00.000Z', reason: null,
    });
    expect(fetch.calls).toContain('http://pki.kyso.test/ocsp');
  });

  it('finds the leader good through the CRL when OCSP is unreachable, and the intermediate good through the root CRL', async () => {
    crl.mode = 'ok';
    const facts = await checkRevocation(pathOf('leader'), AT, none, { mode: 'online', fetch: only('crl'), now: NOW, timeoutMs: 2000 });
    expect(facts.status).toBe('good');
    expect(facts.entries.map((e) => [e.certIndex, e.status, e.source])).toEqual([
      [0, 'good', 'crl-online'],
      [1, 'good', 'crl-online'],
    ]);
  });

  it('finds the revoked leaf revoked, with its date and reason, through OCSP and through the CRL', async () => {
    ocsp.mode = 'ok';
    crl.mode = 'ok';
    for (const which of ['ocsp', 'crl'] as const) {
      const facts = await checkRevocation(pathOf('revoked'), AT, none, { mode: 'online', fetch: only(which), now: NOW, timeoutMs: 2000 });
      expect(facts.status).toBe('revoked');
      expect(facts.entries[0]).toMatchObject({ status: 'revoked', source: `${which}-online`, revokedAt: REVOKED_AT, reason: 'keyCompromise' });
    }
  });

  it('calls a certificate revoked after the time asked about good at that time, keeping the revocation date', async () => {
    const facts = await checkRevocation(pathOf('revoked'), BEFORE_REVOCATION, none, {
      mode: 'online', fetch: only('crl'), now: NOW, timeoutMs: 2000,
    });
    expect(facts.entries[0]).toMatchObject({ status: 'good', source: 'crl-online', revokedAt: REVOKED_AT, reason: 'keyCompromise' });
  });

  it.each([
    ['slow', /within 500 ms/],
    ['http500', /HTTP status 500/],
    ['garbage', /not DER/],
    ['wrong-responder', /neither the issuer nor|did not authorise/],
    ['stale', /stale/],
    ['unauthorized-signer', /without id-kp-OCSPSigning/],
    ['bad-signature', /signature does not verify/],
  ] as const)('leaves the status unknown when the OCSP responder is %s', async (mode, why) => {
    ocsp.mode = mode;
    const started = performance.now();
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, {
      mode: 'online', fetch: only('ocsp'), now: NOW, timeoutMs: 500,
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(facts.status).toBe('unknown');
    expect(facts.entries[0]).toMatchObject({ status: 'unknown', source: 'none' });
    expect(facts.entries[0]!.reason).toMatch(why);
    ocsp.mode = 'ok';
  });

  it.each([
    ['slow', /within 500 ms/],
    ['http500', /HTTP status 500/],
    ['garbage', /not a CRL/],
  ] as const)('leaves the status unknown when the CRL server is %s', async (mode, why) => {
    crl.mode = mode;
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, {
      mode: 'online', fetch: only('crl'), now: NOW, timeoutMs: 500,
    });
    expect(facts.entries[0]).toMatchObject({ status: 'unknown', source: 'none' });
    expect(facts.entries[0]!.reason).toMatch(why);
    crl.mode = 'ok';
  });

  it('accepts a responder named by its key hash', async () => {
    ocsp.mode = 'responder-id-by-key';
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, { mode: 'online', fetch: only('ocsp'), now: NOW });
    expect(facts.entries[0]).toMatchObject({ status: 'good', source: 'ocsp-online' });
    ocsp.mode = 'ok';
  });

  it('refuses a replayed answer whose nonce is not the one sent, an answer about another certificate, and an error status', async () => {
    const replayed = await embeddedOcsp('leader');
    const other = await embeddedOcsp('revoked');
    const cases = [[replayed, /nonce is not the one sent/], [other, /about other certificates/], [ocspErrorAnswer(3), /tryLater/]] as const;
    for (const [body, why] of cases) {
      const fetch = async () => new Response(new Uint8Array(body), { status: 200, headers: { 'content-type': 'application/ocsp-response' } });
      const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, { mode: 'online', fetch, now: NOW });
      expect(facts.entries[0]).toMatchObject({ status: 'unknown', source: 'none' });
      expect(facts.entries[0]!.reason).toMatch(why);
    }
  });

  it('stays offline without an injected fetch', async () => {
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, none, { mode: 'online', now: NOW });
    expect(facts.entries[0]).toMatchObject({ status: 'unknown', reason: 'online: no fetch function was given' });
  });

  it('gives unknown, never throws, when nothing is reachable (each source tried three times: a network error may be passing)', async () => {
    const fetch = routeFetch({});
    const facts = await checkRevocation(pathOf('p256'), AT, none, { mode: 'online', fetch, now: NOW, timeoutMs: 500, retry: { backoffMs: 1 } });
    expect(facts.status).toBe('unknown');
    expect(facts.entries).toHaveLength(2);
    expect(fetch.calls).toEqual([
      ...Array(3).fill('http://pki.kyso.test/ocsp'), ...Array(3).fill('http://pki.kyso.test/crl/intermediate.crl'),
      ...Array(3).fill('http://pki.kyso.test/crl/root.crl'),
    ]);
    expect(facts.entries[0]!.reason).toMatch(/\(after 3 tries\)/);
  });
});

describe('embedded revocation data', () => {
  const noFetch = () => {
    const fetch = routeFetch({});
    return fetch;
  };

  it('decides from an embedded OCSP response without fetching', async () => {
    const fetch = noFetch();
    const response = await embeddedOcsp('leader');
    const facts = await checkRevocation(pathOf('leader'), AT, { ocsps: [response], crls: [pki.rootCrlDer] }, {
      mode: 'online', fetch, now: NOW,
    });
    expect(facts.status).toBe('good');
    expect(facts.entries.map((e) => e.source)).toEqual(['ocsp-embedded', 'crl-embedded']);
    expect(fetch.calls).toEqual([]);
  });

  it('decides from embedded CRLs without fetching, revoked with date and reason', async () => {
    const fetch = noFetch();
    const facts = await checkRevocation(pathOf('revoked'), AT, { ocsps: [], crls: [pki.rootCrlDer, pki.crlDer] }, {
      mode: 'online', fetch, now: NOW,
    });
    expect(facts.status).toBe('revoked');
    expect(facts.entries[0]).toMatchObject({ status: 'revoked', source: 'crl-embedded', revokedAt: REVOKED_AT, reason: 'keyCompromise' });
    expect(facts.entries[1]).toMatchObject({ status: 'good', source: 'crl-embedded' });
    expect(fetch.calls).toEqual([]);
  });

  it('finds the revoked leaf revoked from an embedded OCSP response', async () => {
    const facts = await checkRevocation(pathOf('revoked').slice(0, 2), AT, { ocsps: [await embeddedOcsp('revoked')], crls: [] }, {
      mode: 'embedded', now: NOW,
    });
    expect(facts.entries[0]).toMatchObject({ status: 'revoked', source: 'ocsp-embedded', revokedAt: REVOKED_AT, reason: 'keyCompromise' });
  });

  it('ignores data about other certificates: unknown, not an error', async () => {
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, { ocsps: [await embeddedOcsp('revoked')], crls: [pki.rootCrlDer] }, {
      mode: 'embedded', now: NOW,
    });
    expect(facts.entries[0]).toMatchObject({ status: 'unknown', source: 'none', reason: 'no revocation data for this certificate' });
  });

  it('refuses a stale CRL (the time asked about is after its nextUpdate)', async () => {
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AFTER_CRL, { ocsps: [], crls: [pki.crlDer] }, {
      mode: 'embedded', now: AFTER_CRL,
    });
    expect(facts.status).toBe('unknown');
    expect(facts.entries[0]!.reason).toMatch(/crl-embedded: stale/);
  });

  it('still finds a stale CRL listing a revocation before the time asked about', async () => {
    const facts = await checkRevocation(pathOf('revoked').slice(0, 2), AFTER_CRL, { ocsps: [], crls: [pki.crlDer] }, {
      mode: 'embedded', now: AFTER_CRL,
    });
    expect(facts.entries[0]).toMatchObject({ status: 'revoked', revokedAt: REVOKED_AT });
  });

  it('refuses an OCSP response signed by a certificate the issuer did not authorise (the leader key)', async () => {
    const forged = await embeddedOcsp('revoked', { signer: 'leader' });
    const facts = await checkRevocation(pathOf('revoked').slice(0, 2), AT, { ocsps: [forged], crls: [] }, { mode: 'embedded', now: NOW });
    expect(facts.entries[0]).toMatchObject({ status: 'unknown', source: 'none' });
    expect(facts.entries[0]!.reason).toMatch(/without id-kp-OCSPSigning/);
  });

  it('refuses data that claims to come from after the validation clock', async () => {
    const early = new Date('2025-12-01T00:00:00Z');
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), early, { ocsps: [await embeddedOcsp('leader')], crls: [pki.crlDer] }, {
      mode: 'embedded', now: early,
    });
    expect(facts.entries[0]!.status).toBe('unknown');
    expect(facts.entries[0]!.reason).toMatch(/ocsp-embedded: .*future.*crl-embedded: .*future/);
  });

  it('refuses a CRL signed by someone else than the issuer', async () => {
    // The root's CRL presented for a leaf of the intermediate: another issuer, so it does not apply.
    const facts = await checkRevocation(pathOf('leader').slice(0, 2), AT, { ocsps: [], crls: [pki.rootCrlDer] }, { mode: 'embedded', now: NOW });
    expect(facts.entries[0]!.status).toBe('unknown');
  });

  it('does not go online in embedded mode', async () => {
    const fetch = noFetch();
    const facts = await checkRevocation(pathOf('leader'), AT, none, { mode: 'embedded', fetch, now: NOW });
    expect(facts.status).toBe('unknown');
    expect(fetch.calls).toEqual([]);
  });

  it("reports 'not-checked' in mode off", async () => {
    const facts = await checkRevocation(pathOf('revoked'), AT, { ocsps: [], crls: [pki.crlDer] }, { mode: 'off' });
    expect(facts).toEqual({ status: 'not-checked', entries: [] });
  });
});
