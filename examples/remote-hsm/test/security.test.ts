// The example CSC server under attack: what a vendor who copies it must keep. One-time codes cannot be brute-forced
// by cycling challenges; approvals and SADs do not outlive their lifetime or their access token; state stays bounded;
// every malformed request is a 4xx; the confirmation form answers its own pages only. Time is the server's injected
// clock, moved by the tests (nothing here waits for real time to pass).
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, LEADER_PASSWORD, closeFixtureModule, startTestHsm, type TestHsm } from './harness.js';
import { demoCredentials } from '../server/setup.mjs';

afterAll(() => closeFixtureModule());

const clock = { t: Date.UTC(2030, 0, 1) };
const minutes = (n: number) => n * 60_000;
const SHA256 = '2.16.840.1.101.3.4.2.1';
const RSA_SHA256 = '1.2.840.113549.1.1.11';
const PSS = '1.2.840.113549.1.1.10';
const hash = (fill: number) => Buffer.alloc(32, fill).toString('base64');

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: Record<string, unknown> }

/** One HTTP request, sent exactly as given (raw path, any headers, any body). */
function raw(origin: string, o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, method: o.method ?? 'POST', path: o.path, headers: o.headers ?? {}, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON (an HTML page, an empty answer)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    r.on('error', reject);
    r.end(o.body);
  });
}

const call = (hsm: TestHsm, token: string, method: string, body: unknown) => raw(hsm.origin, {
  path: `/csc/v2/${method}`, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});

async function clientToken(hsm: TestHsm, id = CLIENT_ID, secret = CLIENT_SECRET): Promise<string> {
  const r = await raw(hsm.origin, {
    path: '/oauth2/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${id}&client_secret=${secret}`,
  });
  expect(r.status).toBe(200);
  return r.json.access_token as string;
}

async function leaderToken(hsm: TestHsm): Promise<string> {
  const r = await raw(hsm.origin, { path: '/csc/v2/auth/login', headers: { Authorization: `Basic ${Buffer.from(`leader:${LEADER_PASSWORD}`).toString('base64')}` } });
  expect(r.status).toBe(200);
  return r.json.access_token as string;
}

const challenge = (hsm: TestHsm, token: string, credentialID = 'leader-otp') =>
  call(hsm, token, 'credentials/getChallenge', { credentialID, authObjectID: 'OTP' });
const withOtp = (hsm: TestHsm, token: string, otp: string, credentialID = 'leader-otp') => call(hsm, token, 'credentials/authorize', {
  credentialID, numSignatures: 1, hashes: [hash(7)], hashAlgorithmOID: SHA256, authData: [{ id: 'OTP', value: otp }],
});
const signHash = (hsm: TestHsm, token: string, SAD: string, credentialID = 'leader-otp', h = hash(7)) =>
  call(hsm, token, 'signatures/signHash', { credentialID, SAD, hashes: [h], signAlgo: RSA_SHA256 });
/** The code the phone shows last (2-digit codes repeat, so no "next unseen" here). */
const lastOtp = async (hsm: TestHsm) => (await hsm.phone('leader')).otps.at(-1)!.otp;
/** A 2-digit code that is surely not `otp`. */
const wrong = (otp: string, k: number) => String((Number(otp) + 1 + k) % 100).padStart(2, '0');

/** A server with 2-digit codes and the given limits; rate limits are wide unless a test narrows them. */
const start = (o: Record<string, unknown> = {}) => startTestHsm({
  clock: () => clock.t, otpDigits: 2, maxFailures: 5, lockoutMs: minutes(15),
  challengeLimit: { max: 1000, windowMs: minutes(10) }, attemptLimit: { max: 1000, windowMs: minutes(10) },
  clientRateLimit: { max: 1000, windowMs: minutes(10) }, ...o,
});

describe('one-time codes (explicit mode) against brute force', () => {
  it('cycling fresh challenges buys no fresh guesses: after 5 wrong codes even the right one gets no SAD', async () => {
    const hsm = await start();
    try {
      const token = await clientToken(hsm);
      const answers: number[] = [];
      // Two wrong guesses per challenge: never the 3 tries a single code allows, so only a count across challenges stops it.
      for (let round = 0; round < 3; round++) {
        const ch = await challenge(hsm, token);
        if (ch.status !== 204) {
          answers.push(ch.status);
          continue;
        }
        const otp = await lastOtp(hsm);
        for (let k = 0; k < 2; k++) answers.push((await withOtp(hsm, token, wrong(otp, k))).status);
      }
      expect(answers).toEqual([400, 400, 400, 400, 400, 403]);
      // The lucky guess that would come next: the code the phone shows. Locked: no code is checked, none is sent.
      expect((await challenge(hsm, token)).status).toBe(403);
      const lucky = await withOtp(hsm, token, await lastOtp(hsm));
      expect(lucky.status).toBe(403);
      expect(lucky.json).toMatchObject({ error: 'access_denied' });
      expect(lucky.json.SAD).toBeUndefined();
      expect(hsm.audit().filter((e) => e.outcome === 'granted-otp')).toEqual([]);
      expect(hsm.audit().some((e) => e.outcome === 'otp-refused-locked')).toBe(true);
    } finally {
      await hsm.close();
    }
  });

  it('a blind walk through the whole 2-digit code space gets at most 5 codes checked', async () => {
    const hsm = await start();
    try {
      const token = await clientToken(hsm);
      let checked = 0;
      let granted = false;
      for (let guess = 0; guess < 100 && !granted; guess++) {
        if (guess % 3 === 0) await challenge(hsm, token); // a fresh code every third guess, as the probe did
        const r = await withOtp(hsm, token, String(guess).padStart(2, '0'));
        if (r.status === 200 || (r.status === 400 && r.json.error === 'invalid_otp')) checked++;
        else expect(r.status).toBe(403);
        granted = r.status === 200;
      }
      expect(checked).toBeLessThanOrEqual(5);
    } finally {
      await hsm.close();
    }
  });

  it('failures also count per client across credentials: a client spreading guesses is locked, the user is not', async () => {
    const hsm = await start({
      maxClientFailures: 5,
      credentials: [...demoCredentials(), { id: 'leader-otp2', owner: 'leader', key: 'kyso-leader/leader', confirm: 'otp' }],
    });
    try {
      const token = await clientToken(hsm);
      await challenge(hsm, token, 'leader-otp');
      const a = await lastOtp(hsm);
      for (let k = 0; k < 3; k++) expect((await withOtp(hsm, token, wrong(a, k), 'leader-otp')).status).toBe(400);
      await challenge(hsm, token, 'leader-otp2');
      const b = await lastOtp(hsm);
      for (let k = 0; k < 2; k++) expect((await withOtp(hsm, token, wrong(b, k), 'leader-otp2')).status).toBe(400);
      // Each credential saw fewer than 5 failures; the client saw its 5.
      expect((await challenge(hsm, token, 'leader-otp2')).status).toBe(403);
      expect((await withOtp(hsm, token, b, 'leader-otp2')).status).toBe(403);
      // The user, logged in on its own, still signs with leader-otp2.
      const user = await leaderToken(hsm);
      expect((await challenge(hsm, user, 'leader-otp2')).status).toBe(204);
      const ok = await withOtp(hsm, user, await lastOtp(hsm), 'leader-otp2');
      expect(ok.status).toBe(200);
      expect((await signHash(hsm, user, ok.json.SAD as string, 'leader-otp2')).status).toBe(200);
    } finally {
      await hsm.close();
    }
  });

  it('a locked credential never signs, not even with a SAD granted before; the lock ends after lockoutMs', async () => {
    const hsm = await start({ lockoutMs: minutes(1), sadTtlMs: minutes(10) });
    try {
      const token = await clientToken(hsm);
      await challenge(hsm, token);
      const granted = await withOtp(hsm, token, await lastOtp(hsm));
      expect(granted.status).toBe(200);
      const sad = granted.json.SAD as string;
      for (let k = 0; k < 5; k++) {
        await challenge(hsm, token);
        await withOtp(hsm, token, wrong(await lastOtp(hsm), 0));
      }
      const refused = await signHash(hsm, token, sad);
      expect(refused.status).toBe(403);
      expect(refused.json.signatures).toBeUndefined();
      clock.t += minutes(1);
      const signed = await signHash(hsm, token, sad);
      expect(signed.status).toBe(200);
      expect(Buffer.from((signed.json.signatures as string[])[0]!, 'base64')).toHaveLength(256);
    } finally {
      await hsm.close();
    }
  });

  it('rate-limits challenges and code attempts per credential, with Retry-After; a rate is no lock', async () => {
    const hsm = await start({ challengeLimit: { max: 3, windowMs: minutes(1) }, attemptLimit: { max: 3, windowMs: minutes(1) }, maxFailures: 100 });
    try {
      const token = await clientToken(hsm);
      for (let i = 0; i < 3; i++) expect((await challenge(hsm, token)).status).toBe(204);
      const fourth = await challenge(hsm, token);
      expect(fourth.status).toBe(429);
      expect(fourth.json).toMatchObject({ error: 'too_many_requests' });
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      clock.t += minutes(1);
      await challenge(hsm, token);
      const a = await lastOtp(hsm);
      for (let k = 0; k < 2; k++) expect((await withOtp(hsm, token, wrong(a, k))).status).toBe(400);
      await challenge(hsm, token);
      const b = await lastOtp(hsm);
      expect((await withOtp(hsm, token, wrong(b, 0))).status).toBe(400);
      // Three attempts in the window: the fourth is not checked, right code or not.
      const limited = await withOtp(hsm, token, b);
      expect(limited.status).toBe(429);
      expect(limited.json.SAD).toBeUndefined();
      clock.t += minutes(1);
      expect((await withOtp(hsm, token, b)).status).toBe(200);
    } finally {
      await hsm.close();
    }
  });

  it('rate-limits a client across credentials, not the user it types for', async () => {
    const hsm = await start({
      clientRateLimit: { max: 2, windowMs: minutes(1) },
      credentials: [...demoCredentials(), { id: 'leader-otp2', owner: 'leader', key: 'kyso-leader/leader', confirm: 'otp' }],
    });
    try {
      const token = await clientToken(hsm);
      expect((await challenge(hsm, token, 'leader-otp')).status).toBe(204);
      expect((await challenge(hsm, token, 'leader-otp2')).status).toBe(204);
      expect((await challenge(hsm, token, 'leader-otp')).status).toBe(429);
      expect((await challenge(hsm, await leaderToken(hsm), 'leader-otp')).status).toBe(204);
    } finally {
      await hsm.close();
    }
  });
});

describe('passwords and client secrets against guessing', () => {
  it('after the allowed wrong passwords or secrets, even the right one waits (429) until the window moves', async () => {
    const hsm = await start({ authFailureLimit: { max: 3, windowMs: minutes(1) } });
    try {
      const login = (password: string) => raw(hsm.origin, { path: '/csc/v2/auth/login', headers: { Authorization: `Basic ${Buffer.from(`leader:${password}`).toString('base64')}` } });
      const client = (id: string, secret: string) => raw(hsm.origin, {
        path: '/oauth2/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${id}&client_secret=${secret}`,
      });
      for (let i = 0; i < 3; i++) {
        expect((await login(`guess-${i}`)).status).toBe(401);
        expect((await client(CLIENT_ID, `guess-${i}`)).status).toBe(401);
      }
      const right = await login(LEADER_PASSWORD);
      expect(right.status).toBe(429);
      expect(right.json.access_token).toBeUndefined();
      expect((await client(CLIENT_ID, CLIENT_SECRET)).status).toBe(429);
      expect((await client('other-app', 'other-secret')).status).toBe(200); // another client is not held up
      clock.t += minutes(1);
      expect((await login(LEADER_PASSWORD)).status).toBe(200);
      expect((await client(CLIENT_ID, CLIENT_SECRET)).status).toBe(200);
    } finally {
      await hsm.close();
    }
  });
});

describe('lifetimes: approvals, SADs and tokens', () => {
  it('an approval collected after the confirmation lifetime is refused', async () => {
    const hsm = await start({ confirmTtlMs: minutes(2) });
    try {
      const token = await clientToken(hsm);
      const auth = await call(hsm, token, 'credentials/authorize', { credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(1)], hashAlgorithmOID: SHA256 });
      expect(auth.status).toBe(202);
      await hsm.confirmNext('leader', 'approve');
      clock.t += minutes(2);
      const late = await call(hsm, token, 'credentials/authorizeCheck', { handle: auth.json.handle });
      expect(late.status).toBe(400);
      expect(late.json).toMatchObject({ error: 'expired_token' });
      expect(late.json.SAD).toBeUndefined();
    } finally {
      await hsm.close();
    }
  });

  it('auth/revoke kills the SADs and the open confirmations issued under the token', async () => {
    const hsm = await start();
    try {
      const token = await clientToken(hsm);
      const seal = await call(hsm, token, 'credentials/authorize', { credentialID: 'agency-seal', numSignatures: 2 });
      expect(seal.status).toBe(200);
      const pending = await call(hsm, token, 'credentials/authorize', { credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(2)], hashAlgorithmOID: SHA256 });
      expect(pending.status).toBe(202);
      expect((await call(hsm, token, 'auth/revoke', {})).status).toBe(204);
      const next = await clientToken(hsm);
      const used = await signHash(hsm, next, seal.json.SAD as string, 'agency-seal');
      expect(used.status).toBe(400);
      expect(used.json).toMatchObject({ error: 'invalid_request', error_description: 'Invalid parameter SAD' });
      expect((await call(hsm, next, 'credentials/authorizeCheck', { handle: pending.json.handle })).status).toBe(400);
      expect((await hsm.phone('leader')).confirmations).toEqual([]);
    } finally {
      await hsm.close();
    }
  });

  it('a SAD dies when its access token expires, even used under a fresh token', async () => {
    const hsm = await start({ tokenTtlMs: minutes(5), sadTtlMs: minutes(10) });
    try {
      const token = await clientToken(hsm);
      const seal = await call(hsm, token, 'credentials/authorize', { credentialID: 'agency-seal', numSignatures: 1 });
      clock.t += minutes(5);
      expect((await signHash(hsm, await clientToken(hsm), seal.json.SAD as string, 'agency-seal')).status).toBe(400);
    } finally {
      await hsm.close();
    }
  });
});

describe('bounded state', () => {
  it('expired tokens, SADs, approvals, codes and failure counts are swept; the maps end empty', async () => {
    const hsm = await start({ maxPendingPerUser: 1000, sweepIntervalMs: minutes(1) });
    try {
      const token = await clientToken(hsm);
      for (let i = 0; i < 120; i++) {
        const r = await call(hsm, token, 'credentials/authorize', { credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(i % 256)], hashAlgorithmOID: SHA256 });
        expect(r.status).toBe(202);
        if (i % 2 === 0) await hsm.confirmNext('leader', 'approve');
      }
      for (let i = 0; i < 30; i++) await call(hsm, await clientToken(hsm), 'credentials/authorize', { credentialID: 'agency-seal', numSignatures: 1 });
      await challenge(hsm, token);
      await withOtp(hsm, token, 'xx');
      const before = hsm.stats();
      expect(before).toMatchObject({ pendings: 120, sads: 30, tokens: 31, otps: 1, failures: 2 });
      clock.t += minutes(120); // past every lifetime: token 1 h, SAD 5 min, confirmation 2 min, lock-out memory 15 min
      // Any request sweeps once `sweepIntervalMs` has passed; no timer is needed for it.
      expect((await raw(hsm.origin, { path: '/csc/v2/info', body: '{}' })).status).toBe(200);
      expect(hsm.stats()).toEqual({ tokens: 0, sads: 0, pendings: 0, otps: 0, phones: 0, phoneItems: 0, failures: 0, rateKeys: 0 });
    } finally {
      await hsm.close();
    }
  });

  it('refuses new work past its caps instead of growing: 429 per user, 503 in all, tokens too', async () => {
    const hsm = await start({ maxPendingPerUser: 3, maxPending: 4, maxTokens: 3 });
    try {
      const token = await clientToken(hsm);
      const ask = () => call(hsm, token, 'credentials/authorize', { credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(9)], hashAlgorithmOID: SHA256 });
      for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(202);
      const perUser = await ask();
      expect(perUser.status).toBe(429);
      expect(perUser.json).toMatchObject({ error: 'too_many_requests' });
      await hsm.confirmNext('leader', 'approve'); // one decided: room for one more on the phone
      expect((await ask()).status).toBe(202);
      await hsm.confirmNext('leader', 'reject');
      const global = await ask();
      expect(global.status).toBe(503);
      expect(global.json).toMatchObject({ error: 'temporarily_unavailable' });
      expect(hsm.stats().pendings).toBe(4);
      await clientToken(hsm);
      await clientToken(hsm);
      const tooMany = await raw(hsm.origin, {
        path: '/oauth2/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
      });
      expect(tooMany.status).toBe(503);
      expect(hsm.stats().tokens).toBe(3);
    } finally {
      await hsm.close();
    }
  });
});

describe('malformed requests are 4xx, never 500, and the server stays up', () => {
  const der = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex').toString('base64');
  const pssCases: [string, string][] = [
    ['[0] holding an INTEGER, not an AlgorithmIdentifier', der('3005 a003 020105')],
    ['[1] holding an INTEGER', der('3005 a103 020105')],
    ['[1] MGF1 without parameters', der('300f a10d 300b 0609 2a864886f70d010108')],
    ['[2] salt as an OID', der('3005 a203 06012a')],
    ['[0] empty', der('3002 a000')],
    ['[5] unknown field', der('3005 a503 020105')],
    ['truncated', der('3005 a003 02')],
    ['not base64', '%%%'],
    ['empty string', ''],
  ];
  it.each(pssCases)('PSS parameters: %s', async (_name, params) => {
    const hsm = await start();
    try {
      const token = await clientToken(hsm);
      const seal = await call(hsm, token, 'credentials/authorize', { credentialID: 'agency-seal', numSignatures: 1 });
      const r = await call(hsm, token, 'signatures/signHash', {
        credentialID: 'agency-seal', SAD: seal.json.SAD, hashes: [hash(4)], signAlgo: PSS, signAlgoParams: params,
      });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: 'invalid_request' });
      expect((await raw(hsm.origin, { path: '/csc/v2/info', body: '{}' })).status).toBe(200);
    } finally {
      await hsm.close();
    }
  });

  it('a table of malformed requests: each answers its 4xx', async () => {
    const hsm = await start();
    try {
      const token = await clientToken(hsm);
      const seal = (await call(hsm, token, 'credentials/authorize', { credentialID: 'agency-seal', numSignatures: 50 })).json.SAD;
      const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const cases: [string, Parameters<typeof raw>[1], number][] = [
        ['not JSON', { path: '/csc/v2/credentials/list', headers: auth, body: '{"userID":' }, 400],
        ['a JSON array', { path: '/csc/v2/credentials/list', headers: auth, body: '[]' }, 400],
        ['JSON null', { path: '/csc/v2/credentials/list', headers: auth, body: 'null' }, 400],
        ['a JSON number', { path: '/csc/v2/credentials/info', headers: auth, body: '5' }, 400],
        ['credentialID an object', { path: '/csc/v2/credentials/info', headers: auth, body: '{"credentialID":{}}' }, 400],
        ['numSignatures a string', { path: '/csc/v2/credentials/authorize', headers: auth, body: '{"credentialID":"agency-seal","numSignatures":"1"}' }, 400],
        ['numSignatures huge', { path: '/csc/v2/credentials/authorize', headers: auth, body: '{"credentialID":"agency-seal","numSignatures":1e300}' }, 400],
        ['hashes a string', { path: '/csc/v2/credentials/authorize', headers: auth, body: JSON.stringify({ credentialID: 'leader-rsa', numSignatures: 1, hashes: 'x', hashAlgorithmOID: SHA256 }) }, 400],
        ['hashes of numbers', { path: '/csc/v2/credentials/authorize', headers: auth, body: JSON.stringify({ credentialID: 'leader-rsa', numSignatures: 1, hashes: [1], hashAlgorithmOID: SHA256 }) }, 400],
        ['unknown hash algorithm', { path: '/csc/v2/credentials/authorize', headers: auth, body: JSON.stringify({ credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(1)], hashAlgorithmOID: '1.2.3' }) }, 400],
        ['authData a string', { path: '/csc/v2/credentials/authorize', headers: auth, body: JSON.stringify({ credentialID: 'leader-otp', numSignatures: 1, hashes: [hash(1)], hashAlgorithmOID: SHA256, authData: 'x' }) }, 400],
        ['authData of nulls and numbers', { path: '/csc/v2/credentials/authorize', headers: auth, body: JSON.stringify({ credentialID: 'leader-otp', numSignatures: 1, hashes: [hash(1)], hashAlgorithmOID: SHA256, authData: [null, 5, { id: 'OTP', value: 5 }] }) }, 400],
        ['description a number', { path: '/csc/v2/credentials/authorize', headers: auth, body: JSON.stringify({ credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(1)], hashAlgorithmOID: SHA256, description: 5 }) }, 400],
        ['handle an object', { path: '/csc/v2/credentials/authorizeCheck', headers: auth, body: '{"handle":{}}' }, 400],
        ['SAD a number', { path: '/csc/v2/signatures/signHash', headers: auth, body: JSON.stringify({ credentialID: 'agency-seal', SAD: 5, hashes: [hash(1)], signAlgo: RSA_SHA256 }) }, 400],
        ['unknown signAlgo', { path: '/csc/v2/signatures/signHash', headers: auth, body: JSON.stringify({ credentialID: 'agency-seal', SAD: seal, hashes: [hash(1)], signAlgo: '1.2.3.4' }) }, 400],
        ['signAlgo a number', { path: '/csc/v2/signatures/signHash', headers: auth, body: JSON.stringify({ credentialID: 'agency-seal', SAD: seal, hashes: [hash(1)], signAlgo: 5 }) }, 400],
        ['ECDSA on an RSA key', { path: '/csc/v2/signatures/signHash', headers: auth, body: JSON.stringify({ credentialID: 'agency-seal', SAD: seal, hashes: [hash(1)], signAlgo: '1.2.840.10045.4.3.2' }) }, 400],
        ['a digest of the wrong length', { path: '/csc/v2/signatures/signHash', headers: auth, body: JSON.stringify({ credentialID: 'agency-seal', SAD: seal, hashes: ['AAAA'], signAlgo: RSA_SHA256 }) }, 400],
        ['PSS parameters an object', { path: '/csc/v2/signatures/signHash', headers: auth, body: JSON.stringify({ credentialID: 'agency-seal', SAD: seal, hashes: [hash(1)], signAlgo: PSS, signAlgoParams: {} }) }, 400],
        ['a body over 256 KiB', { path: '/csc/v2/credentials/list', headers: auth, body: `{"userID":"${'a'.repeat(300 * 1024)}"}` }, 413],
        ['a chunked body over 256 KiB', { path: '/csc/v2/credentials/list', headers: { ...auth, 'Transfer-Encoding': 'chunked' }, body: 'a'.repeat(300 * 1024) }, 413],
        ['a declared Content-Length over 256 KiB', { path: '/csc/v2/credentials/list', headers: { ...auth, 'Content-Length': String(10 * 1024 * 1024) }, body: '{}' }, 413],
        ['an oversized token request', { path: '/oauth2/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(300 * 1024) }, 413],
        ['an oversized confirmation form', { path: '/confirm/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(300 * 1024) }, 413],
        ['a request target that is no URL', { path: 'http://[', body: '{}' }, 400],
        ['an inherited name as method', { path: '/csc/v2/__proto__', headers: auth, body: '{}' }, 404],
        ['Basic credentials that are no base64 text', { path: '/csc/v2/auth/login', headers: { Authorization: 'Basic ////' }, body: '' }, 401],
        ['a bearer token with spaces', { path: '/csc/v2/credentials/list', headers: { Authorization: 'Bearer a b' }, body: '{}' }, 401],
        ['a GET on the API', { method: 'GET', path: '/csc/v2/info' }, 404],
      ];
      const got: [string, number][] = [];
      for (const [name, req] of cases) got.push([name, (await raw(hsm.origin, req)).status]);
      expect(got).toEqual(cases.map(([name, , status]) => [name, status]));
      expect((await raw(hsm.origin, { path: '/csc/v2/info', body: '{}' })).status).toBe(200);
    } finally {
      await hsm.close();
    }
  });
});

describe('origins', () => {
  it('the confirmation form answers only its own pages: a foreign or an API-allowed origin cannot approve', async () => {
    const hsm = await start({ allowedOrigins: ['https://qlvb.example'] });
    try {
      const token = await clientToken(hsm);
      const auth = await call(hsm, token, 'credentials/authorize', { credentialID: 'leader-rsa', numSignatures: 1, hashes: [hash(5)], hashAlgorithmOID: SHA256 });
      const link = (await hsm.phone('leader')).confirmations[0]!.url;
      const path = new URL(link).pathname;
      const post = (headers: Record<string, string>) => raw(hsm.origin, {
        path, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers }, body: 'decision=approve',
      });
      const foreign: Record<string, string>[] = [
        { Origin: 'https://evil.example' }, { Origin: 'https://qlvb.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
      ];
      for (const headers of foreign) {
        const r = await post(headers);
        expect([JSON.stringify(headers), r.status, r.headers['access-control-allow-origin']]).toEqual([JSON.stringify(headers), 403, undefined]);
      }
      const pre = await raw(hsm.origin, { method: 'OPTIONS', path, headers: { Origin: 'https://qlvb.example', 'Access-Control-Request-Method': 'POST' } });
      expect(pre.status).toBe(403);
      expect((await call(hsm, token, 'credentials/authorizeCheck', { handle: auth.json.handle })).status).toBe(202);
      // The page the server served posts with its own origin.
      const own = await post({ Origin: hsm.origin, 'Sec-Fetch-Site': 'same-origin' });
      expect(own.status).toBe(200);
      expect(own.headers['access-control-allow-origin']).toBeUndefined();
      expect((await call(hsm, token, 'credentials/authorizeCheck', { handle: auth.json.handle })).status).toBe(200);
    } finally {
      await hsm.close();
    }
  });

  it('the phone inbox is no CORS resource, even for an allowed origin', async () => {
    const hsm = await start({ allowedOrigins: ['https://qlvb.example'] });
    try {
      const r = await raw(hsm.origin, { method: 'GET', path: '/phone/leader', headers: { Origin: 'https://qlvb.example', Authorization: 'Bearer test-phone-leader' } });
      expect(r.status).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      const api = await raw(hsm.origin, { path: '/csc/v2/info', headers: { Origin: 'https://qlvb.example' }, body: '{}' });
      expect(api.headers['access-control-allow-origin']).toBe('https://qlvb.example');
    } finally {
      await hsm.close();
    }
  });
});
