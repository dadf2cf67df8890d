// CscAdapter against the example CSC v2 server (examples/remote-hsm), which signs on SoftHSM2 through PKCS#11.
// The "phone" confirmation is answered through the server's confirmation page (HTTP POST of its form).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KysoError, RemoteSigningError, finish, fromBase64, prepare, sign, verify, type PreparedSignature, type SignatureScheme,
} from '@kyso/core';
import { fixturesDir } from '@kyso/testkit';
import { CscAdapter, type CscAdapterOptions, type CscPendingAuthorization } from '../src/index.js';
import {
  CLIENT_ID, CLIENT_SECRET, LEADER_PASSWORD, closeFixtureModule, fixtureModule, pdfsig, rawServer, startTestHsm, type TestHsm,
} from '../../../examples/remote-hsm/test/harness.js';
import { failure } from './helpers/failure.js';

const SIGNING_TIME = new Date('2026-11-20T03:00:00Z');
let hsm: TestHsm;
let pdf: Uint8Array;
let nssDir: string;
let root: Uint8Array;

const adapterFor = (user: string, extra: Partial<CscAdapterOptions> = {}) => new CscAdapter({
  baseUrl: hsm.baseUrl,
  auth: { type: 'client_credentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  userID: user,
  confirmation: { pollIntervalMs: 20, timeoutMs: 10_000 },
  ...extra,
});

/** The KysoError `promise` rejects with, so a test can look at the code. */
beforeAll(async () => {
  const { pki } = await fixtureModule();
  nssDir = pki.nssDir;
  root = pki.rootDer;
  pdf = new Uint8Array(readFileSync(join(fixturesDir(), 'samples/simple.pdf')));
  hsm = await startTestHsm({ confirmTtlMs: 10_000 });
});

afterAll(async () => {
  await hsm?.close();
  closeFixtureModule();
});

describe('CscAdapter: PDFs signed on SoftHSM2 through the CSC v2 server', () => {
  it.each([
    { credential: 'leader-rsa', scheme: 'RSASSA-PKCS1-v1_5' as SignatureScheme, bits: 2048 },
    { credential: 'leader-rsa3072', scheme: 'RSA-PSS' as SignatureScheme, bits: 3072 },
    { credential: 'leader-p256', scheme: 'ECDSA' as SignatureScheme, bits: 256 },
  ])('$credential ($scheme): phone-confirmed signature verifies with pdfsig and kyso verify', async ({ credential, scheme }) => {
    const adapter = adapterFor('leader');
    const phone = hsm.confirmNext('leader', 'approve');
    const signed = await sign(pdf, { adapter, certificateId: credential, scheme, level: 'B-B', signingTime: SIGNING_TIME });
    await phone;
    expect(Buffer.from(signed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);

    const p = pdfsig(signed, nssDir);
    expect(p.total, p.output).toBe(1);
    expect(p.valid, p.output).toBe(1);
    expect(p.output).toContain('Total document signed');
    // (pdfsig cannot judge trust here: the test leaves name OCSP responders that are offline; kyso checks the chain.)

    const report = await verify(signed, { trust: [root], revocation: 'off' });
    const s = report.signatures[0]!;
    expect(s).toMatchObject({ integrity: 'intact', cryptoValid: true, coversWholeFile: true, chain: { status: 'trusted' } });
    expect(s.indication).not.toBe('TOTAL_FAILED');
    expect(s.chain.path.length).toBe(3);
    const events = hsm.audit().filter((e) => e.credentialID === credential);
    expect(events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['pending', 'approved', 'granted', 'signed']));
  });

  it('lists each user\'s credentials for the relying service (client credentials), with chains and labels', async () => {
    const leader = await adapterFor('leader').listCertificates();
    expect(leader.map((e) => e.id).sort()).toEqual(['leader-otp', 'leader-p256', 'leader-rsa', 'leader-rsa3072']);
    for (const e of leader) expect(e.chain.length).toBe(2); // intermediate from the token, root from the server's CA list
    const agency = await adapterFor('agency').listCertificates();
    expect(agency.map((e) => [e.id, e.label])).toEqual([['agency-seal', 'Con dấu Sở (RSA-2048)']]);
    const cred = await adapterFor('agency').credential('agency-seal');
    expect(cred).toMatchObject({ authMode: 'implicit', scal: '1', multisign: 100, keyLength: 2048 });
  });

  it('logs a user in with auth/login (HTTP Basic) and signs with the automated seal at once', async () => {
    const adapter = new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'client_credentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, userID: 'agency' });
    const signed = await sign(pdf, { adapter, certificateId: 'agency-seal', level: 'B-B', signingTime: SIGNING_TIME });
    expect(pdfsig(signed, nssDir).valid).toBe(1);
    const basic = new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'basic', username: 'leader', password: LEADER_PASSWORD } });
    expect((await basic.listCertificates()).length).toBe(4);
    expect(hsm.audit().some((e) => e.event === 'auth/login' && e.user === 'leader' && e.outcome === 'ok')).toBe(true);
  });

  it('keeps the prepared signature and the pending authorisation across a "page reload" (JSON, new adapter instances)', async () => {
    // Page 1: prepare, start the authorisation, store both as JSON, forget everything.
    const first = adapterFor('leader');
    const [entry] = (await first.listCertificates()).filter((e) => e.id === 'leader-rsa');
    const prepared = await prepare(pdf, { certificate: entry!.certificate, chain: entry!.chain, level: 'B-B', signingTime: SIGNING_TIME });
    const started = await first.startAuthorization({ credentialId: 'leader-rsa', digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash });
    expect(started.kind).toBe('kyso.csc-pending-authorization');
    const stored = JSON.stringify({ prepared, pending: started });

    // The user confirms on the phone while no page is open.
    await hsm.confirmNext('leader', 'approve');

    // Page 2: a new adapter resumes from the stored JSON.
    const { prepared: p2, pending } = JSON.parse(stored) as { prepared: PreparedSignature; pending: CscPendingAuthorization };
    const second = adapterFor('leader');
    const authorization = await second.awaitAuthorization(pending);
    const authorizationJson = JSON.parse(JSON.stringify(authorization)) as typeof authorization;
    const [value] = await adapterFor('leader').signHash({
      authorization: authorizationJson, digests: [fromBase64(p2.toBeSignedDigest)!], algorithm: { scheme: p2.scheme, hash: p2.hash },
    });
    const signed = await finish(p2, value!, { pdf });
    const check = pdfsig(signed, nssDir);
    expect(check.valid, check.output).toBe(1);
    expect((await verify(signed, { trust: [root], revocation: 'off' })).signatures[0]).toMatchObject({ cryptoValid: true, chain: { status: 'trusted' } });
  });

  it('signs a batch of three documents after one confirmation (numSignatures = 3), each its own signature', async () => {
    const adapter = adapterFor('leader');
    const [entry] = (await adapter.listCertificates()).filter((e) => e.id === 'leader-p256');
    const docs = ['simple.pdf', 'vietnamese.pdf', 'incremental.pdf'].map((f) => new Uint8Array(readFileSync(join(fixturesDir(), 'samples', f))));
    const prepared = await Promise.all(docs.map((d) => prepare(d, { certificate: entry!.certificate, chain: entry!.chain, level: 'B-B', signingTime: SIGNING_TIME })));
    const before = hsm.audit().filter((e) => e.event === 'confirmation').length;
    const phone = hsm.confirmNext('leader', 'approve');
    const values = await adapter.signBatch(prepared.map((p) => ({
      certificateId: 'leader-p256', algorithm: { scheme: p.scheme, hash: p.hash },
      data: fromBase64(p.toBeSigned)!, digest: fromBase64(p.toBeSignedDigest)!,
    })));
    await phone;
    expect(values.length).toBe(3);
    for (const [i, p] of prepared.entries()) {
      const signed = await finish(p, values[i]!, { pdf: docs[i]! });
      expect(pdfsig(signed, nssDir).valid, `document ${i}`).toBe(1);
    }
    const audit = hsm.audit();
    expect(audit.filter((e) => e.event === 'confirmation').length - before).toBe(1);
    expect(audit.some((e) => e.event === 'signatures/signHash' && e.credentialID === 'leader-p256' && e.count === 3)).toBe(true);
    // The audit log holds no hashes, SADs, tokens or secrets.
    const text = readFileSync(hsm.auditLog, 'utf8');
    for (const p of prepared) expect(text).not.toContain(p.toBeSignedDigest);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toMatch(/"SAD"|access_token|pin/i);
  });

  it('explicit mode: the service sends an OTP to the phone (credentials/getChallenge), the authData callback returns it', async () => {
    const asked: string[] = [];
    const adapter = adapterFor('leader', {
      authData: async (req) => {
        asked.push(...req.sent);
        return [{ id: 'OTP', value: await hsm.nextOtp('leader') }];
      },
    });
    const signed = await sign(pdf, { adapter, certificateId: 'leader-otp', level: 'B-B', signingTime: SIGNING_TIME });
    expect(asked).toEqual(['OTP']);
    expect(pdfsig(signed, nssDir).valid).toBe(1);
  });

  it('reports pending confirmations to onPending (for a "confirm on your phone" message)', async () => {
    const seen: CscPendingAuthorization[] = [];
    const adapter = adapterFor('leader', { confirmation: { pollIntervalMs: 20, onPending: (p) => seen.push(p) } });
    const phone = hsm.confirmNext('leader', 'approve');
    await sign(pdf, { adapter, certificateId: 'leader-rsa', level: 'B-B', signingTime: SIGNING_TIME });
    await phone;
    expect(seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ credentialID: 'leader-rsa', numSignatures: 1 });
  });
});

describe('CscAdapter failure table: typed errors, no hang', () => {
  const digest = new Uint8Array(32).fill(7);
  const req = (certificateId: string, signal?: AbortSignal) => ({
    certificateId, algorithm: { scheme: 'RSASSA-PKCS1-v1_5' as const, hash: 'SHA-256' as const }, data: new Uint8Array(1), digest, signal,
  });

  it.each([
    {
      name: 'bad access token (401)', code: 'ERR_CSC_UNAUTHORIZED',
      run: () => new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'token', accessToken: 'not-a-token' } }).listCertificates(),
    },
    {
      name: 'wrong client secret', code: 'ERR_CSC_UNAUTHORIZED',
      run: () => new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'client_credentials', clientId: CLIENT_ID, clientSecret: 'wrong' }, userID: 'leader' }).listCertificates(),
    },
    {
      name: 'wrong password at auth/login', code: 'ERR_CSC_UNAUTHORIZED',
      run: () => new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'basic', username: 'leader', password: 'wrong' } }).listCertificates(),
    },
    {
      name: 'another user\'s credential (403)', code: 'ERR_CSC_FORBIDDEN',
      run: () => new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'basic', username: 'leader', password: LEADER_PASSWORD } }).sign(req('agency-seal')),
    },
    {
      name: 'a client not registered for the user (403)', code: 'ERR_CSC_FORBIDDEN',
      run: () => new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'client_credentials', clientId: 'other-app', clientSecret: 'other-secret' }, userID: 'leader' }).listCertificates(),
    },
    {
      name: 'unknown credential', code: 'ERR_CSC_REQUEST_REJECTED',
      run: () => adapterFor('leader').sign(req('no-such-credential')),
    },
    {
      name: 'algorithm the key cannot do (ECDSA on RSA)', code: 'ERR_SIG_ALGORITHM_UNSUPPORTED',
      run: () => adapterFor('agency').sign({ ...req('agency-seal'), algorithm: { scheme: 'ECDSA', hash: 'SHA-256' } }),
    },
    {
      name: 'confirmation rejected on the phone', code: 'ERR_CSC_AUTH_REJECTED',
      run: async () => {
        const phone = hsm.confirmNext('leader', 'reject');
        try {
          return await adapterFor('leader').sign(req('leader-rsa'));
        } finally {
          await phone;
        }
      },
    },
    {
      name: 'wrong OTP', code: 'ERR_CSC_AUTH_REJECTED',
      run: () => adapterFor('leader', { authData: async () => [{ id: 'OTP', value: '000000x' }] }).sign(req('leader-otp')),
    },
    {
      name: 'confirmation not given within the adapter\'s time-out', code: 'ERR_CSC_AUTH_TIMEOUT',
      run: async () => {
        try {
          return await adapterFor('leader', { confirmation: { pollIntervalMs: 20, timeoutMs: 300 } }).sign(req('leader-rsa'));
        } finally {
          await hsm.confirmNext('leader', 'reject'); // the phone still shows it: clear it for the next tests
        }
      },
    },
    {
      name: 'SAD used up (second signHash with a one-signature SAD)', code: 'ERR_CSC_SAD_EXPIRED',
      run: async () => {
        const a = adapterFor('agency');
        const authorization = await a.authorize({ credentialId: 'agency-seal', digests: [digest], hash: 'SHA-256' });
        const alg = { scheme: 'RSASSA-PKCS1-v1_5' as const, hash: 'SHA-256' as const };
        await a.signHash({ authorization, digests: [digest], algorithm: alg });
        return a.signHash({ authorization, digests: [digest], algorithm: alg });
      },
    },
    {
      name: 'a hash the SAD does not cover', code: 'ERR_CSC_REQUEST_REJECTED',
      run: async () => {
        const a = adapterFor('leader');
        const phone = hsm.confirmNext('leader', 'approve');
        const authorization = await a.authorize({ credentialId: 'leader-rsa', digests: [digest], hash: 'SHA-256' });
        await phone;
        return a.signHash({ authorization, digests: [new Uint8Array(32).fill(8)], algorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
      },
    },
    {
      name: 'more signatures than the credential allows per authorisation', code: 'ERR_INVALID_ARGUMENT',
      run: () => adapterFor('leader').signBatch(Array.from({ length: 11 }, () => req('leader-rsa'))),
    },
    {
      name: 'server down', code: 'ERR_CSC_UNREACHABLE',
      run: async () => {
        const dead = await rawServer((res) => res.end());
        await dead.close();
        return new CscAdapter({ baseUrl: dead.url, auth: { type: 'token', accessToken: 't' } }).listCertificates();
      },
    },
  ])('$name → $code', async ({ code, run }) => {
    const started = Date.now();
    const e = await failure(run());
    expect(e.code, e.message).toBe(code);
    expect(Date.now() - started).toBeLessThan(10_000);
    if (code.startsWith('ERR_CSC_')) expect(e).toBeInstanceOf(RemoteSigningError);
    expect(e.message).not.toMatch(/SAD":|Bearer|test-client-secret|test-leader-password/);
  });

  it('cancel while waiting for the phone → ERR_ABORTED at once', async () => {
    const controller = new AbortController();
    const pending = adapterFor('leader').sign(req('leader-rsa', controller.signal));
    await hsm.phone('leader').then(async function wait(box): Promise<void> {
      if (box.confirmations.length === 0) return new Promise((r) => setTimeout(r, 20)).then(() => hsm.phone('leader')).then(wait);
    });
    const t = Date.now();
    controller.abort();
    expect((await failure(pending)).code).toBe('ERR_ABORTED');
    expect(Date.now() - t).toBeLessThan(1_000);
    await hsm.confirmNext('leader', 'reject'); // clear the phone for the next tests
  });

  it('server-side expiries: the pending confirmation (expired_token) and the SAD', async () => {
    const short = await startTestHsm({ confirmTtlMs: 200, sadTtlMs: 200 });
    try {
      const opts = { auth: { type: 'client_credentials' as const, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, confirmation: { pollIntervalMs: 50 } };
      const leader = new CscAdapter({ baseUrl: short.baseUrl, userID: 'leader', ...opts });
      expect((await failure(leader.sign(req('leader-rsa')))).code).toBe('ERR_CSC_AUTH_TIMEOUT');
      const agency = new CscAdapter({ baseUrl: short.baseUrl, userID: 'agency', ...opts });
      const authorization = await agency.authorize({ credentialId: 'agency-seal', digests: [digest], hash: 'SHA-256' });
      await new Promise((r) => setTimeout(r, 300));
      const e = await failure(agency.signHash({ authorization, digests: [digest], algorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }));
      expect(e.code).toBe('ERR_CSC_SAD_EXPIRED');
      expect(short.audit().some((x) => x.outcome === 'sad-expired')).toBe(true);
    } finally {
      await short.close();
    }
  });

  it('the HSM fails (wrong partition PIN on the server) → HTTP 500 → ERR_CSC_SERVER', async () => {
    const broken = await startTestHsm({ pin: '000000' });
    try {
      const a = new CscAdapter({ baseUrl: broken.baseUrl, userID: 'agency', auth: { type: 'client_credentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
      const e = await failure(a.sign(req('agency-seal')));
      expect(e.code).toBe('ERR_CSC_SERVER');
      expect(e.message).not.toContain('000000');
      expect(broken.audit().some((x) => x.outcome === 'hsm-error')).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it.each([
    { name: 'not JSON', body: '{"credentialIDs": [', status: 200, code: 'ERR_CSC_BAD_RESPONSE' },
    { name: 'JSON of the wrong shape', body: '{"credentialIDs": "leader"}', status: 200, code: 'ERR_CSC_BAD_RESPONSE' },
    { name: 'an HTML error page', body: '<html>502 Bad Gateway</html>', status: 502, code: 'ERR_CSC_SERVER' },
    { name: 'a 500 with JSON', body: '{"error":"server_error"}', status: 500, code: 'ERR_CSC_SERVER' },
  ])('malformed service: $name → $code', async ({ body, status, code }) => {
    const srv = await rawServer((res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    try {
      const e = await failure(new CscAdapter({ baseUrl: srv.url, auth: { type: 'token', accessToken: 't' } }).listCertificates());
      expect(e.code).toBe(code);
    } finally {
      await srv.close();
    }
  });

  it('a service that never answers → ERR_CSC_TIMEOUT after requestTimeoutMs', async () => {
    const srv = await rawServer(() => undefined);
    try {
      const t = Date.now();
      const e = await failure(new CscAdapter({ baseUrl: srv.url, auth: { type: 'token', accessToken: 't' }, requestTimeoutMs: 200 }).listCertificates());
      expect(e.code).toBe('ERR_CSC_TIMEOUT');
      expect(Date.now() - t).toBeLessThan(2_000);
    } finally {
      await srv.close();
    }
  });

  it('renews an expired token once (a token function is asked again after a 401)', async () => {
    let calls = 0;
    const good = async () => {
      calls++;
      if (calls === 1) return 'stale-token';
      const r = await fetch(hsm.tokenUrl, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
      });
      return ((await r.json()) as { access_token: string }).access_token;
    };
    const list = await new CscAdapter({ baseUrl: hsm.baseUrl, auth: { type: 'token', accessToken: good }, userID: 'agency' }).listCertificates();
    expect(list.length).toBe(1);
    expect(calls).toBe(2);
  });

  it.each([
    { name: 'no baseUrl', options: { auth: { type: 'token', accessToken: 't' } } },
    { name: 'ftp baseUrl', options: { baseUrl: 'ftp://x/csc/v2', auth: { type: 'token', accessToken: 't' } } },
    { name: 'no auth', options: { baseUrl: 'http://127.0.0.1:1/csc/v2' } },
    { name: 'unknown auth type', options: { baseUrl: 'http://127.0.0.1:1/csc/v2', auth: { type: 'magic' } } },
    { name: 'negative time-out', options: { baseUrl: 'http://127.0.0.1:1/csc/v2', auth: { type: 'token', accessToken: 't' }, requestTimeoutMs: -1 } },
    { name: 'too long a description', options: { baseUrl: 'http://127.0.0.1:1/csc/v2', auth: { type: 'token', accessToken: 't' }, description: 'x'.repeat(501) } },
  ])('bad options: $name → ERR_INVALID_ARGUMENT', ({ options }) => {
    expect(() => new CscAdapter(options as unknown as CscAdapterOptions)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
