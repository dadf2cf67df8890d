import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { verifyCommand } from '../../cli/src/verify-command.js';
import { connectRedis, redisAnswers, startService, type KysoService } from '../src/index.js';
import { AT, malformedPdfs, signAs } from './helpers/documents.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

const KEY = 'k-0123456789abcdef0123456789abcdef';
const MAX_BODY = 2 * 1024 * 1024;

let pki: TestPki;
let dir: string;
let files: Record<string, string>;
let service: KysoService;
let logs: string[] = [];

/** One HTTP exchange with the service; the body is sent whole unless `chunks` says otherwise. */
function call(path: string, options: { method?: string; body?: Uint8Array; key?: string | null; headers?: Record<string, string>; base?: KysoService } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const s = options.base ?? service;
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, {
      method: options.method ?? (options.body ? 'POST' : 'GET'),
      headers: { ...(options.key === null ? {} : { authorization: `Bearer ${options.key ?? KEY}` }), ...options.headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    // The service may answer and close before taking the whole body (413, 401): that is not a test failure.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(options.body ? Buffer.from(options.body) : undefined);
  });
}

const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('kyso-serve-'));

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-server-test-'));
  writeFileSync(join(dir, 'root.pem'), pki.rootPem);
  const simple = new Uint8Array(readFileSync(samples.simple));
  const vietnamese = new Uint8Array(readFileSync(samples.vietnamese));
  files = {
    leader: join(dir, 'leader.pdf'),
    seal: join(dir, 'seal.pdf'),
    unsigned: join(dir, 'unsigned.pdf'),
  };
  writeFileSync(files.leader!, await signAs(pki, 'leader', simple));
  writeFileSync(files.seal!, await signAs(pki, 'seal', vietnamese));
  writeFileSync(files.unsigned!, vietnamese);
  service = await startService({
    port: 0, apiKeys: [KEY, 'another-key-that-is-long-enough-0000'], trust: [pki.rootPem], maxBodyBytes: MAX_BODY,
    headersTimeoutMs: 500, bodyTimeoutMs: 1_000, logger: (level, msg, fields) => logs.push(JSON.stringify({ level, msg, ...fields })),
  });
});

afterAll(async () => {
  await service?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('POST /v1/verify', () => {
  it('answers the JSON report kyso verify --format json prints for the same file and options', async () => {
    const cases: [string, string[], string][] = [
      ['leader', ['--trust', join(dir, 'root.pem')], ''],
      ['seal', ['--trust', join(dir, 'root.pem'), '--revocation', 'off', '--lang', 'en'], '&revocation=off&lang=en'],
      ['unsigned', ['--trust', join(dir, 'root.pem')], ''],
      ['leader', ['--trust', join(dir, 'root.pem'), '--profile', 'vn-gov', '--policy', 'legacy'], '&profile=vn-gov&policy=legacy'],
    ];
    for (const [name, cliArgs, query] of cases) {
      const file = files[name]!;
      const cli = await verifyCommand([file, '--format', 'json', '--offline', '--at', AT, ...cliArgs]);
      const revocation = query.includes('revocation=') ? '' : '&offline=true';
      const res = await call(`/v1/verify?at=${encodeURIComponent(AT)}&name=${encodeURIComponent(file)}${revocation}${query}`, { body: readFileSync(file) });
      expect(res.status, `${name} ${query}`).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.text, `${name} ${query}`).toBe(cli.output);
    }
    expect(JSON.parse((await call(`/v1/verify?offline&at=${AT}`, { body: readFileSync(files.leader!) })).text).signatures).toHaveLength(1);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a body over the size cap with 413, declared or streamed, and keeps nothing of it', async () => {
    const big = new Uint8Array(MAX_BODY + 1);
    const declared = await call('/v1/verify?offline', { body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).code).toBe('ERR_SERVICE_BODY_TOO_LARGE');
    // Chunked: no length announced, the cap is enforced on the bytes as they arrive.
    const streamed = await call('/v1/verify?offline', { body: big, headers: { 'transfer-encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toMatchObject({ code: 'ERR_SERVICE_BODY_TOO_LARGE', message: { vi: expect.any(String), en: expect.any(String) } });
    expect(leftovers()).toEqual([]);
  });

  it('answers malformed PDFs as kyso verify does: the same typed error (4xx) or the same report, and keeps serving', async () => {
    for (const [name, bytes] of Object.entries(malformedPdfs(new Uint8Array(readFileSync(files.leader!))))) {
      const file = join(dir, 'malformed.pdf');
      writeFileSync(file, bytes);
      const cli = await verifyCommand([file, '--format', 'json', '--offline', '--at', AT]).then((r) => r.output, (e: { code: string }) => e.code);
      const res = await call(`/v1/verify?offline&at=${AT}&name=${encodeURIComponent(file)}`, { body: bytes });
      if (cli.startsWith('ERR_')) {
        expect(res.status, name).toBeGreaterThanOrEqual(400);
        expect(res.status, name).toBeLessThan(500);
        const body = JSON.parse(res.text);
        expect(body.code, name).toBe(cli);
        expect(body.message.vi.length, name).toBeGreaterThan(0);
        expect(body.message.en.length, name).toBeGreaterThan(0);
      } else {
        expect(res.status, name).toBe(200);
        expect(res.text, name).toBe(cli);
      }
    }
    // At least the plainly broken ones are refused.
    expect(JSON.parse((await call('/v1/verify?offline', { body: new TextEncoder().encode('GIF89a') })).text).code).toMatch(/^ERR_PDF_/);
    expect((await call('/healthz')).status).toBe(200);
    expect(leftovers()).toEqual([]);
  });

  it('asks for a configured API key and never logs keys', async () => {
    const none = await call('/v1/verify?offline', { body: readFileSync(files.leader!), key: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(none.text).code).toBe('ERR_SERVICE_UNAUTHORIZED');
    const wrong = await call('/v1/verify?offline', { body: readFileSync(files.leader!), key: `${KEY.slice(0, -1)}X` });
    expect(wrong.status).toBe(401);
    const second = await call(`/v1/verify?offline&at=${AT}`, { body: readFileSync(files.leader!), key: 'another-key-that-is-long-enough-0000' });
    expect(second.status).toBe(200);
    const lines = logs.join('\n');
    expect(lines).toContain('"status":401');
    expect(lines).not.toContain(KEY);
    expect(lines).not.toContain('another-key-that-is-long-enough');
    expect(lines).not.toContain('%PDF');
  });

  it('refuses bad options, unknown routes and methods with typed errors', async () => {
    const bad = await call('/v1/verify?revocation=sometimes', { body: readFileSync(files.leader!) });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).code).toBe('ERR_INVALID_ARGUMENT');
    const typo = await call('/v1/verify?profle=vn', { body: readFileSync(files.leader!) });
    expect(JSON.parse(typo.text).code).toBe('ERR_INVALID_ARGUMENT');
    const missing = await call('/v2/nothing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).code).toBe('ERR_SERVICE_NOT_FOUND');
    expect(JSON.parse((await call('/v1/verify', { method: 'GET' })).text).code).toBe('ERR_SERVICE_NOT_FOUND');
  });
});

describe('limits and operations', () => {
  it('rate-limits each client with 429 and Retry-After', async () => {
    let now = 0;
    const limited = await startService({ port: 0, rateLimitPerMinute: 2, now: () => now });
    try {
      const body = readFileSync(files.unsigned!);
      expect((await call('/v1/verify?offline', { body, base: limited, key: null })).status).toBe(200);
      expect((await call('/v1/verify?offline', { body, base: limited, key: null })).status).toBe(200);
      const third = await call('/v1/verify?offline', { body, base: limited, key: null });
      expect(third.status).toBe(429);
      expect(JSON.parse(third.text).code).toBe('ERR_SERVICE_RATE_LIMITED');
      expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      now += 30_000; // half a minute later one request is allowed again
      expect((await call('/v1/verify?offline', { body, base: limited, key: null })).status).toBe(200);
      expect((await call('/v1/verify?offline', { body, base: limited, key: null })).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('closes a slowloris connection whose headers never finish, and one whose body never finishes', async () => {
    const slowHeaders = connect(service.port, '127.0.0.1');
    let answer = '';
    slowHeaders.on('data', (d) => { answer += d.toString(); });
    slowHeaders.write('POST /v1/verify HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => slowHeaders.writable && slowHeaders.write('X-a: b\r\n'), 100);
    await new Promise((r) => slowHeaders.once('close', r));
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('ERR_SERVICE_TIMEOUT');

    const slowBody = connect(service.port, '127.0.0.1');
    let bodyAnswer = '';
    slowBody.on('data', (d) => { bodyAnswer += d.toString(); });
    slowBody.write(`POST /v1/verify?offline HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 100000\r\n\r\n%PDF-1.7\n`);
    await new Promise((r) => slowBody.once('close', r));
    expect(bodyAnswer).toMatch(/^HTTP\/1\.1 408/);
    expect(bodyAnswer).toContain('ERR_SERVICE_TIMEOUT');
    expect(leftovers()).toEqual([]);
  });

  it('handles at most maxConcurrent documents at once: the next gets 503 before any byte is stored', async () => {
    const s = await startService({ port: 0, maxConcurrent: 1 });
    try {
      const pdf = readFileSync(files.unsigned!);
      const first = new Promise<number>((resolve, reject) => {
        const req = request(`${s.url}/v1/verify?offline`, { method: 'POST', headers: { 'content-length': pdf.length } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        // Hold the upload open until the second request has been refused.
        s.server.once('request', () => {
          void call('/v1/verify?offline', { body: pdf, base: s, key: null }).then((second) => {
            expect(second.status).toBe(503);
            expect(second.headers['retry-after']).toBe('1');
            expect(JSON.parse(second.text).code).toBe('ERR_SERVICE_UNAVAILABLE');
            req.end(pdf.subarray(100));
          }, reject);
        });
        req.write(pdf.subarray(0, 100));
      });
      expect(await first).toBe(200);
      expect((await call('/v1/verify?offline', { body: pdf, base: s, key: null })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('exposes Prometheus metrics', async () => {
    const res = await call('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^kyso_http_requests_total\{route="\/v1\/verify",status="200"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^kyso_http_requests_total\{route="\/v1\/verify",status="413"\} 2$/m);
    expect(res.text).toMatch(/^kyso_http_request_duration_seconds_count\{route="\/v1\/verify"\} [1-9]\d*$/m);
    expect(res.text).toContain('# TYPE kyso_http_request_duration_seconds histogram');
  });

  it('is ready only while Redis answers', async () => {
    const redis: TestRedis = await startRedis();
    const client = connectRedis(redis.url);
    const withRedis = await startService({ port: 0, ready: () => redisAnswers(client, 500) });
    try {
      expect((await call('/readyz', { base: withRedis })).status).toBe(200);
      await redis.stop();
      const down = await call('/readyz', { base: withRedis });
      expect(down.status).toBe(503);
      expect(JSON.parse(down.text).code).toBe('ERR_SERVICE_UNAVAILABLE');
      expect((await call('/healthz', { base: withRedis })).status).toBe(200);
    } finally {
      client.disconnect();
      await withRedis.close();
      await redis.stop();
    }
  });

  it('finishes in-flight work on shutdown, then refuses connections', async () => {
    const s = await startService({ port: 0, trust: [pki.rootPem] });
    const pdf = readFileSync(files.leader!);
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${s.url}/v1/verify?offline&at=${AT}`, { method: 'POST', headers: { 'content-length': pdf.length } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      // Half the body now; the rest only once the request is in flight and shutdown has begun.
      s.server.once('request', () => {
        closed = s.close();
        setTimeout(() => req.end(pdf.subarray(1000)), 200);
      });
      req.write(pdf.subarray(0, 1000));
    });
    let closed: Promise<void> | undefined;
    const res = await answered;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).signatures).toHaveLength(1);
    await closed;
    await expect(call('/healthz', { base: s })).rejects.toThrow(/ECONNREFUSED/);
  });
});
