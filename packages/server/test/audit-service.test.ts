/**
 * POST /v1/audit and GET /v1/jobs/:id: an audit over HTTP, verified by `kyso worker` processes,
 * answers the report `kyso audit` writes in one process for the same files and options.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { auditCommand } from '../../cli/src/audit-command.js';
import { auditReporter } from '../../cli/src/serve-audit.js';
import { AUDIT_QUEUE, connectRedis, startService, type AuditJobStatus, type KysoService } from '../src/index.js';
import { AT, malformedPdfs, signAs } from './helpers/documents.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

const LOADER = new URL('../../cli/test/audit-ts-hooks.mjs', import.meta.url).href;
const KYSO = new URL('./helpers/kyso-src.mjs', import.meta.url).pathname;
const KEY = 'k-audit-0123456789abcdef0123456789';
const OTHER_KEY = 'k-other-0123456789abcdef0123456789';

let pki: TestPki;
let dir: string;
let docs: string;
let spool: string;
let rootPem: string;
let expected: string;
let redis: TestRedis;
let connection: Redis;
let service: KysoService;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-server-audit-service-'));
  docs = join(dir, 'archive', '2026');
  spool = join(dir, 'spool');
  mkdirSync(join(docs, 'broken'), { recursive: true });
  mkdirSync(spool);
  rootPem = join(dir, 'root.pem');
  writeFileSync(rootPem, pki.rootPem);
  const simple = new Uint8Array(readFileSync(samples.simple));
  const vietnamese = new Uint8Array(readFileSync(samples.vietnamese));
  for (let i = 0; i < 4; i++) {
    const signed = await signAs(pki, i % 2 ? 'seal' : 'leader', i % 2 ? vietnamese : simple, new Date(Date.UTC(2026, i, 10, 3)));
    writeFileSync(join(docs, `signed-${i}.pdf`), signed);
    if (i === 0) writeFileSync(join(docs, 'copy-of-signed-0.pdf'), signed);
  }
  writeFileSync(join(docs, 'unsigned.pdf'), vietnamese);
  for (const [name, bytes] of Object.entries(malformedPdfs(simple))) writeFileSync(join(docs, 'broken', `${name}.pdf`), bytes);
  // A link out of the audit root: never followed by a run.
  symlinkSync(tmpdir(), join(dir, 'archive', 'escape'));
  // The reference: kyso audit in one process, worker threads, the same trust and options.
  expected = (await auditCommand([docs, '--format', 'json', '--offline', '--at', AT, '--trust', rootPem, '--jobs', '2'], { loader: LOADER })).output!;

  redis = await startRedis();
  connection = connectRedis(redis.url);
  const queue = new Queue(AUDIT_QUEUE, { connection: { url: redis.url }, prefix: 'kyso' });
  for (let n = 0; n < 2; n++) {
    const child = spawn(process.execPath, [KYSO, 'worker', '--queue', redis.url], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.resume();
    workers.push(child);
  }
  while ((await queue.getWorkers()).length < 2) await new Promise((r) => setTimeout(r, 100));
  await queue.close();
  service = await startService({
    port: 0, apiKeys: [KEY, OTHER_KEY], trust: [pki.rootPem],
    audit: { url: redis.url, redis: connection, reporter: auditReporter, roots: [join(dir, 'archive')], spool },
  });
});

afterAll(async () => {
  await service?.close();
  connection?.disconnect();
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : null)));
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(path: string, init: RequestInit & { key?: string } = {}): Promise<Response> {
  const { key, ...rest } = init;
  return fetch(`${service.url}${path}`, { ...rest, headers: { authorization: `Bearer ${key ?? KEY}`, ...(rest.headers as Record<string, string>) } });
}

/** Starts a run and reads its status until it is complete; returns the run id and the last status. */
async function runToEnd(query: string, init: RequestInit): Promise<{ id: string; status: AuditJobStatus; progress: number[] }> {
  const started = await call(`/v1/audit?${query}`, { method: 'POST', ...init });
  expect(started.status).toBe(202);
  const first = await started.json() as AuditJobStatus;
  expect(started.headers.get('location')).toBe(`/v1/jobs/${first.id}`);
  expect(first.state).toBe('running');
  const progress: number[] = [];
  for (;;) {
    const res = await call(`/v1/jobs/${first.id}`);
    expect(res.status).toBe(200);
    const status = await res.json() as AuditJobStatus;
    progress.push(status.progress.done);
    expect(status.progress.total).toBe(first.progress.total);
    if (status.state === 'completed') return { id: first.id, status, progress };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('POST /v1/audit, GET /v1/jobs/:id', () => {
  it('audits a folder under an audit root with the report kyso audit writes in one process', async () => {
    const { id, status, progress } = await runToEnd(`offline&at=${AT}`, {
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folder: docs }),
    });
    expect(status.report).toEqual(JSON.parse(expected));
    expect(progress.at(-1)).toBe(JSON.parse(expected).rows.length);
    // Progress only grows.
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    // ?format= answers the report's own bytes, as kyso audit --format prints them.
    const json = await call(`/v1/jobs/${id}?format=json`);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.text()).toBe(expected);
    // Compared as bytes: the CSV starts with a BOM, which a text decoder would drop.
    const csv = Buffer.from(await (await call(`/v1/jobs/${id}?format=csv`)).arrayBuffer());
    const cliCsv = (await auditCommand([docs, '--format', 'csv', '--offline', '--at', AT, '--trust', rootPem, '--jobs', '1'], { loader: LOADER })).output!;
    expect(csv.toString('utf8')).toBe(cliCsv);
  });

  it('audits uploaded files (multipart), named as uploaded, and removes them from the spool once complete', async () => {
    const form = new FormData();
    const names = ['signed-1.pdf', 'unsigned.pdf', 'broken/truncated.pdf'];
    for (const name of names) form.append('file', new Blob([readFileSync(join(docs, name))], { type: 'application/pdf' }), name);
    const { status } = await runToEnd(`offline&at=${AT}`, { body: form });
    const reference = JSON.parse(expected).rows as { path: string }[];
    const report = status.report as { rows: { path: string }[]; summary: { documents: number } };
    expect(report.rows).toEqual(reference.filter((r) => names.includes(r.path)));
    expect(report.summary.documents).toBe(3);
    expect(readdirSync(spool)).toEqual([]);
  });

  it('audits a list of files of a folder; a missing one is an ERR_IO row, as in kyso audit', async () => {
    const { status } = await runToEnd(`offline&at=${AT}`, {
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folder: docs, files: ['signed-0.pdf', 'gone.pdf'] }),
    });
    const rows = (status.report as { rows: { path: string; error: string | null }[] }).rows;
    expect(rows.map((r) => [r.path, r.error])).toEqual([['gone.pdf', 'ERR_IO'], ['signed-0.pdf', null]]);
  });

  it('refuses what would read outside the audit roots, another client\'s run, and unknown runs, with typed errors', async () => {
    const post = (body: unknown, query = 'offline') => call(`/v1/audit?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const codeOf = async (res: Response) => [res.status, (await res.json() as { code: string }).code];
    expect(await codeOf(await post({ folder: '/etc' }))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
    expect(await codeOf(await post({ folder: join(dir, 'archive', 'escape') }))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
    expect(await codeOf(await post({ folder: docs, files: ['../../root.pem'] }))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
    expect(await codeOf(await post({ folder: 'relative' }))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
    expect(await codeOf(await post({ folder: docs }, 'typo=1'))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
    expect(await codeOf(await call('/v1/audit', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: 'x' }))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
    expect(await codeOf(await call('/v1/jobs/AAAAAAAAAAAAAAAAAAAAAA'))).toEqual([404, 'ERR_SERVICE_NOT_FOUND']);
    expect(await codeOf(await call('/v1/jobs/%E0%A4%A'))).toEqual([404, 'ERR_SERVICE_NOT_FOUND']);
    const mine = await (await post({ folder: docs, files: ['unsigned.pdf'] }, `offline&at=${AT}`)).json() as AuditJobStatus;
    expect(await codeOf(await call(`/v1/jobs/${mine.id}`, { key: OTHER_KEY }))).toEqual([404, 'ERR_SERVICE_NOT_FOUND']);
    expect(await codeOf(await call(`/v1/jobs/${mine.id}?format=pdf`))).toEqual([400, 'ERR_INVALID_ARGUMENT']);
  });

  it('answers 503 ERR_SERVICE_UNAVAILABLE when the service has no queue', async () => {
    const plain = await startService({ port: 0 });
    try {
      const res = await fetch(`${plain.url}/v1/audit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(503);
      expect((await res.json() as { code: string }).code).toBe('ERR_SERVICE_UNAVAILABLE');
    } finally {
      await plain.close();
    }
  });
});
