/**
 * The hostile-input table (packages/core/test/pdf/hostile-cases.ts) through the service: each case
 * is answered by POST /v1/sign/prepare with the typed error core's `prepare` gives (the table's code),
 * by POST /v1/verify with a typed error or a report in which nothing is TOTAL_PASSED, the same answer
 * twice; and the whole table as one uploaded audit (POST /v1/audit) completes through `kyso worker`
 * processes with the same code per file, leaving no job active and every worker alive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type TestPki } from '@kyso/testkit';
import { auditReporter } from '../../cli/src/serve-audit.js';
import { HOSTILE_PDF_CASES } from '../../core/test/pdf/hostile-cases.js';
import { AUDIT_QUEUE, connectRedis, startService, type AuditJobStatus, type KysoService } from '../src/index.js';
import { AT } from './helpers/documents.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

const KYSO = new URL('./helpers/kyso-src.mjs', import.meta.url).pathname;

let pki: TestPki;
let dir: string;
let redis: TestRedis;
let connection: Redis;
let service: KysoService;
let queue: Queue;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-server-hostile-'));
  mkdirSync(join(dir, 'spool'));
  redis = await startRedis();
  connection = connectRedis(redis.url);
  queue = new Queue(AUDIT_QUEUE, { connection: { url: redis.url }, prefix: 'kyso' });
  for (let n = 0; n < 2; n++) {
    const child = spawn(process.execPath, [KYSO, 'worker', '--queue', redis.url], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.resume();
    workers.push(child);
  }
  while ((await queue.getWorkers()).length < 2) await new Promise((r) => setTimeout(r, 100));
  service = await startService({
    port: 0, trust: [pki.rootPem], maxBodyBytes: 4 * 1024 * 1024,
    signing: { redis: connection },
    audit: { url: redis.url, redis: connection, reporter: auditReporter, spool: join(dir, 'spool') },
  });
});

afterAll(async () => {
  await service?.close();
  await queue?.close();
  connection?.disconnect();
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : null)));
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The table's expectation: one code, or either truncation code. */
const matches = (expected: string, code: string) =>
  expected === 'TRUNCATED_OR_MALFORMED' ? ['ERR_PDF_TRUNCATED', 'ERR_PDF_MALFORMED'].includes(code) : code === expected;

interface Answer { status: number; body: { code?: string; message?: { vi: string; en: string }; signatures?: { indication: string }[] } }

async function post(path: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...headers }, body });
  return { status: res.status, body: await res.json() as Answer['body'] };
}

/** A verify answer as one comparable value: the typed error's code, or the report's indications. */
function outcome(a: Answer): string {
  if (a.status === 200) return `report:${(a.body.signatures ?? []).map((s) => s.indication).join(',')}`;
  return `${a.status}:${a.body.code}`;
}

describe('the hostile-input table through the service', () => {
  it.each(HOSTILE_PDF_CASES)('%s: POST /v1/sign/prepare answers the table\'s typed error', async (_name, make, expected) => {
    const answer = await post('/v1/sign/prepare', make(), { 'kyso-certificate': Buffer.from(pki.entity('seal').certDer).toString('base64') });
    expect(answer.status).toBe(422);
    expect(matches(expected, answer.body.code!), `${answer.body.code}`).toBe(true);
    expect(answer.body.message!.vi.length).toBeGreaterThan(0);
    expect(answer.body.message!.en.length).toBeGreaterThan(0);
  });

  it.each(HOSTILE_PDF_CASES)('%s: POST /v1/verify answers a typed error or a report with nothing valid, the same twice', async (_name, make) => {
    const first = await post(`/v1/verify?offline&at=${AT}`, make());
    if (first.status === 200) expect(first.body.signatures!.every((s) => s.indication !== 'TOTAL_PASSED')).toBe(true);
    else {
      expect(first.status).toBe(422);
      expect(first.body.code).toMatch(/^ERR_[A-Z0-9_]+$/);
    }
    expect(outcome(await post(`/v1/verify?offline&at=${AT}`, make()))).toBe(outcome(first));
  });

  it('as one uploaded audit: every file gets the code POST /v1/verify gives, no job stays active, every worker lives on', async () => {
    const form = new FormData();
    const expected = new Map<string, string | null>();
    for (const [i, [name, make]] of HOSTILE_PDF_CASES.entries()) {
      const path = `case-${String(i).padStart(2, '0')}.pdf`;
      const verified = await post(`/v1/verify?offline&at=${AT}`, make());
      expected.set(path, verified.status === 200 ? null : verified.body.code!);
      form.append('file', new Blob([make()]), path);
      void name;
    }
    const started = await fetch(`${service.url}/v1/audit?offline&at=${AT}`, { method: 'POST', body: form });
    expect(started.status).toBe(202);
    const { id } = await started.json() as AuditJobStatus;
    let status: AuditJobStatus;
    do {
      await new Promise((r) => setTimeout(r, 200));
      status = await (await fetch(`${service.url}/v1/jobs/${id}`)).json() as AuditJobStatus;
    } while (status.state !== 'completed');
    const rows = (status.report as { rows: { path: string; error: string | null }[] }).rows;
    expect(new Map(rows.map((r) => [r.path, r.error]))).toEqual(expected);
    expect(await queue.getActiveCount()).toBe(0);
    expect(await queue.getFailedCount()).toBe(0);
    expect(workers.map((w) => w.exitCode ?? w.signalCode)).toEqual([null, null]);
    expect((await queue.getWorkers()).length).toBe(2);
  });
});
