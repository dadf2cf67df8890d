import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples } from '@kyso/testkit';
import { startRedis, type TestRedis } from './helpers/redis.js';

const KYSO = new URL('./helpers/kyso-src.mjs', import.meta.url).pathname;
/** The installed binary (bundle or dist, as `npm test`'s build left it): another copy of @kyso/core than @kyso/server's. */
const BIN = new URL('../../cli/bin/kyso.js', import.meta.url).pathname;
const KEY = 'serve-command-key-0123456789abcdef';

let dir: string;
let redis: TestRedis;
let unsigned: Uint8Array;

beforeAll(async () => {
  const pki = await ensurePki();
  const samples = await ensureSamples();
  unsigned = new Uint8Array(readFileSync(samples.simple));
  dir = mkdtempSync(join(tmpdir(), 'kyso-serve-command-'));
  writeFileSync(join(dir, 'root.pem'), pki.rootPem);
  writeFileSync(join(dir, 'keys.txt'), `${KEY}\n`);
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kyso serve', () => {
  it('serves with its options, reports Redis in readiness and metrics, and stops gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, [KYSO, 'serve', '--port', '0', '--trust', join(dir, 'root.pem'), '--api-keys-file', join(dir, 'keys.txt'), '--redis', redis.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          log += d.toString();
          const m = /"msg":"listening".*"port":(\d+)/.exec(log);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`kyso serve exited ${code}: ${log}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/v1/verify?offline`, { method: 'POST', body: unsigned })).status).toBe(401);
      const ok = await fetch(`${base}/v1/verify?offline`, { method: 'POST', body: unsigned, headers: { authorization: `Bearer ${KEY}` } });
      expect(ok.status).toBe(200);
      expect((await ok.json()).signatures).toEqual([]);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^kyso_queue_jobs\{state="wait"\} 0$/m);
      expect(metrics).toMatch(/^kyso_revocation_cache_hits_total 0$/m);
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(log).toContain('"msg":"stopped"');
      expect(log).not.toContain(KEY);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('audits through the built kyso: serve --audit-root/--audit-spool with a kyso worker answer kyso audit\'s report', async () => {
    const archive = join(dir, 'archive');
    const spool = join(dir, 'spool');
    mkdirSync(archive);
    mkdirSync(spool);
    writeFileSync(join(archive, 'unsigned.pdf'), unsigned);
    writeFileSync(join(archive, 'not-a-pdf.pdf'), 'GIF89a');
    const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--redis', redis.url, '--audit-root', archive, '--audit-spool', spool], { stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = spawn(process.execPath, [BIN, 'worker', '--queue', redis.url], { stdio: ['ignore', 'ignore', 'ignore'] });
    let log = '';
    try {
      const port = await new Promise<number>((resolve, reject) => {
        serve.stderr!.on('data', (d: Buffer) => {
          log += d.toString();
          const m = /"msg":"listening".*"port":(\d+)/.exec(log);
          if (m) resolve(Number(m[1]));
        });
        serve.once('exit', (code) => reject(new Error(`kyso serve exited ${code}: ${log}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const started = await fetch(`${base}/v1/audit?offline&at=2030-01-01T00:00:00Z`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folder: archive }) });
      expect(started.status).toBe(202);
      const { id } = await started.json() as { id: string };
      let status: { state: string; report?: unknown };
      do {
        await new Promise((r) => setTimeout(r, 200));
        status = await (await fetch(`${base}/v1/jobs/${id}`)).json() as typeof status;
      } while (status.state !== 'completed');
      const cli = spawnSync(process.execPath, [BIN, 'audit', archive, '--offline', '--at', '2030-01-01T00:00:00Z', '--format', 'json'], { encoding: 'utf8' });
      expect(status.report).toEqual(JSON.parse(cli.stdout));
    } finally {
      for (const child of [serve, worker]) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
      }
    }
  });

  it('refuses a short API key, a bad port and a bad CA rate as usage errors', async () => {
    writeFileSync(join(dir, 'short.txt'), 'short\n');
    const cases = [
      ['serve', '--api-keys-file', join(dir, 'short.txt')], ['serve', '--port', '70000'],
      ['serve', '--ca-rate', 'fast'], ['serve', '--ca-rate', '2.5'], ['worker', '--queue', 'redis://127.0.0.1:1', '--ca-rate', 'fast'],
    ];
    for (const args of cases) {
      const child = spawn(process.execPath, [KYSO, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
      expect(await new Promise((r) => child.once('exit', r))).toBe(64);
      expect(err).toContain('ERR_INVALID_ARGUMENT');
    }
  });

  it('keeps the server\'s error codes and exit statuses in the built kyso (not ERR_INTERNAL)', async () => {
    const run = (args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.once('exit', (code) => resolve({ code, stderr }));
    });
    const audit = await run(['audit', dir, '--offline', '--queue', 'redis://127.0.0.1:1', '--lang', 'en']);
    expect(audit.stderr).toMatch(/^ERR_QUEUE_UNREACHABLE: /);
    expect(audit.code).toBe(1);
    const worker = await run(['worker', '--queue', 'redis://127.0.0.1:1']);
    expect(worker.stderr).toMatch(/^ERR_QUEUE_UNREACHABLE: /);
    const serve = await run(['serve', '--port', '99999']);
    expect(serve.stderr).toMatch(/^ERR_INVALID_ARGUMENT: /);
    expect(serve.code).toBe(64);
  });
});

