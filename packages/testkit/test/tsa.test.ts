import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, run, startTsaServer, type TestPki, type TsaServer } from '../src/index.js';

let pki: TestPki;
let work: string;
const servers: TsaServer[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  work = await mkdtemp(join(tmpdir(), 'kyso-tsa-test-'));
  await writeFile(join(work, 'data.bin'), 'kyso TEST data to be time-stamped\n');
  await run('openssl', ['ts', '-query', '-data', 'data.bin', '-sha256', '-cert', '-out', 'query.tsq'], { cwd: work });
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await rm(work, { recursive: true, force: true });
});

async function server(mode: Parameters<typeof startTsaServer>[0] = {}): Promise<TsaServer> {
  const s = await startTsaServer({ pki, ...mode });
  servers.push(s);
  return s;
}

async function post(url: string): Promise<Response> {
  const body = await readFile(join(work, 'query.tsq'));
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body });
}

/** Saves the reply and runs `openssl ts -verify` against the query and the test root. */
async function verifyReply(res: Response, name: string): Promise<boolean> {
  await writeFile(join(work, name), new Uint8Array(await res.arrayBuffer()));
  try {
    await run('openssl', ['ts', '-verify', '-in', name, '-queryfile', 'query.tsq', '-CAfile', pki.rootPath, '-untrusted', pki.chainPath], { cwd: work });
    return true;
  } catch {
    return false;
  }
}

describe('test TSA server', () => {
  it('answers an RFC 3161 query with a token that openssl verifies against the test root', async () => {
    const tsa = await server();
    const res = await post(tsa.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    expect(await verifyReply(res, 'ok.tsr')).toBe(true);
    expect(tsa.requests).toBe(1);
    const text = (await run('openssl', ['ts', '-reply', '-in', 'ok.tsr', '-text'], { cwd: work })).stdout.toString();
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Policy OID: 2.16.704.1.1.1.99.1');
  });

  it('fails at the HTTP level in http500 mode', async () => {
    const tsa = await server({ mode: 'http500' });
    expect((await post(tsa.url)).status).toBe(500);
  });

  it('sends bytes that are not a TimeStampResp in garbage mode', async () => {
    const tsa = await server({ mode: 'garbage' });
    const res = await post(tsa.url);
    expect(res.status).toBe(200);
    await writeFile(join(work, 'garbage.tsr'), new Uint8Array(await res.arrayBuffer()));
    await expect(run('openssl', ['ts', '-reply', '-in', 'garbage.tsr', '-text'], { cwd: work })).rejects.toThrow();
  });

  it('time-stamps a different imprint in wrong-imprint mode', async () => {
    const tsa = await server({ mode: 'wrong-imprint' });
    expect(await verifyReply(await post(tsa.url), 'imprint.tsr')).toBe(false);
    const text = (await run('openssl', ['ts', '-reply', '-in', 'imprint.tsr', '-text'], { cwd: work })).stdout.toString();
    expect(text).toContain('Status: Granted.');
  });

  it('answers with another nonce in wrong-nonce mode', async () => {
    const tsa = await server({ mode: 'wrong-nonce' });
    const res = await post(tsa.url);
    await writeFile(join(work, 'nonce.tsr'), new Uint8Array(await res.arrayBuffer()));
    const err = await run('openssl', ['ts', '-verify', '-in', 'nonce.tsr', '-queryfile', 'query.tsq', '-CAfile', pki.rootPath], { cwd: work }).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(err).toMatch(/nonce mismatch/i);
  });

  it('rejects without a token in rejection mode', async () => {
    const tsa = await server({ mode: 'rejection' });
    const res = await post(tsa.url);
    await writeFile(join(work, 'rejected.tsr'), new Uint8Array(await res.arrayBuffer()));
    const text = (await run('openssl', ['ts', '-reply', '-in', 'rejected.tsr', '-text'], { cwd: work })).stdout.toString();
    expect(text).toContain('Status: Rejected.');
    expect(text).toMatch(/policy is not supported/);
  });

  it('answers properly but only after delayMs in slow mode', async () => {
    const tsa = await server({ mode: 'slow', delayMs: 400 });
    const started = performance.now();
    const res = await post(tsa.url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(await verifyReply(res, 'slow.tsr')).toBe(true);
  });

  it('lets the mode change between requests and counts every request', async () => {
    const tsa = await server({ mode: 'http500' });
    expect((await post(tsa.url)).status).toBe(500);
    tsa.mode = 'ok';
    expect(await verifyReply(await post(tsa.url), 'switch.tsr')).toBe(true);
    expect(tsa.requests).toBe(2);
    expect(tsa.lastQuery).toEqual(new Uint8Array(await readFile(join(work, 'query.tsq'))));
  });

  it('drops a pending slow answer on close', async () => {
    const tsa = await startTsaServer({ pki, mode: 'slow', delayMs: 30_000 });
    const pending = post(tsa.url).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 100));
    await tsa.close();
    expect(await pending).toBe('dropped');
  });
});
