#!/usr/bin/env node
/**
 * The service and the distributed audit (issue 17 §4), on the built packages (`npm run bench` builds
 * first and calls {@link printBenchService}; alone: `node scripts/bench-service.mjs [--docs 300] [--runs 2] [--seconds 10]`).
 *
 *  (a) documents per second of `kyso audit DIR --queue` with 1 and 2 `kyso worker` processes (and the
 *      ratio), beside `kyso audit --jobs 2` (worker threads, one process) over the same files;
 *  (b) Redis commands per document of those queue runs: redis-server's own count (`INFO stats`
 *      total_commands_processed), which counts the commands run inside BullMQ's Lua scripts too; and, in
 *      one more untimed run watched with MONITOR, the commands clients sent (each at most one round
 *      trip: an upper bound on round trips), by command;
 *  (c) `POST /v1/verify` latency p50/p99 and throughput of one `kyso serve` under 16 concurrent
 *      clients (autocannon, keep-alive), after a warm-up.
 * Each queue run gets a fresh redis-server started with the shipped packages/server/redis.conf (AOF on)
 * in a temporary folder. Figures only: speed is measured here, never asserted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KYSO = join(ROOT, 'packages/cli/bin/kyso.js');
const REDIS_CONF = join(ROOT, 'packages/server/redis.conf');
const AT = '2030-01-01T00:00:00Z';

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Signed and unsigned documents in a fresh folder: `signed` distinct approval signatures, `unsigned` sample variants. */
async function makeDocuments(dir, signed, unsigned) {
  const { ensurePki, ensureSamples, SAMPLE_NAMES } = await import('@kyso/testkit');
  const { fromPkcs8Pem } = await import('@kyso/adapters');
  const { sign } = await import('@kyso/core');
  const pki = await ensurePki();
  const samples = await ensureSamples();
  const docs = join(dir, 'documents');
  mkdirSync(join(docs, 'signed'), { recursive: true });
  mkdirSync(join(docs, 'unsigned'), { recursive: true });
  const e = pki.entity('leader');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  const simple = new Uint8Array(readFileSync(samples.simple));
  let one;
  for (let i = 0; i < signed; i++) {
    const bytes = await sign(simple, { adapter, signingTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
    one ??= bytes;
    writeFileSync(join(docs, 'signed', `${String(i).padStart(5, '0')}.pdf`), bytes);
  }
  for (let i = 0; i < unsigned; i++) {
    const name = SAMPLE_NAMES[i % SAMPLE_NAMES.length];
    writeFileSync(join(docs, 'unsigned', `${name}-${i}.pdf`), Buffer.concat([readFileSync(samples[name]), Buffer.from(`%variant ${i}\n`)]));
  }
  writeFileSync(join(dir, 'root.pem'), pki.rootPem);
  return { docs, rootPem: join(dir, 'root.pem'), signedExample: one };
}

/** redis-server with the shipped configuration, on a free port, in a fresh folder. */
async function startRedis(dir) {
  const port = await freePort();
  const data = mkdtempSync(join(dir, 'redis-'));
  const child = spawn('redis-server', [REDIS_CONF, '--port', String(port), '--dir', data], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
  });
  child.stdout.resume();
  const url = `redis://127.0.0.1:${port}`;
  const commands = () => Number(/total_commands_processed:(\d+)/.exec(spawnSync('redis-cli', ['-p', String(port), 'INFO', 'stats'], { encoding: 'utf8' }).stdout)?.[1]);
  return {
    url,
    commands,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** `kyso worker` processes registered with the queue. */
async function startWorkers(url, count) {
  const { Queue } = await import('bullmq');
  const queue = new Queue('kyso-audit', { connection: { url }, prefix: 'kyso' });
  const children = Array.from({ length: count }, () => spawn(process.execPath, [KYSO, 'worker', '--queue', url], { stdio: 'ignore' }));
  while ((await queue.getWorkers()).length < count) await sleep(100);
  await queue.close();
  return {
    async stop() {
      await Promise.all(children.map((c) => {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        return exited;
      }));
    },
  };
}

function timedKyso(args) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [KYSO, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`kyso ${args[0]} exited ${r.status}: ${r.stderr}`);
  return performance.now() - started;
}

/**
 * One queue audit with `workers` processes on a fresh Redis: wall time and Redis commands; with
 * `watch`, also the commands clients sent (MONITOR shows those apart from the ones run inside Lua scripts).
 */
async function queueRun(dir, docs, rootPem, workers, watch = false) {
  const redis = await startRedis(dir);
  const pool = await startWorkers(redis.url, workers);
  let monitor;
  const sent = new Map();
  if (watch) {
    monitor = spawn('redis-cli', ['-u', redis.url, 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let buffer = '';
    monitor.stdout.on('data', (d) => {
      buffer += d;
      let n;
      while ((n = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, n);
        buffer = buffer.slice(n + 1);
        const command = / \[\d+ [^\]]+\] "(\w+)"/.exec(line);
        if (command && !line.includes(' lua]')) sent.set(command[1].toLowerCase(), (sent.get(command[1].toLowerCase()) ?? 0) + 1);
      }
    });
    await sleep(300);
  }
  try {
    const before = redis.commands();
    const ms = timedKyso(['audit', docs, '--queue', redis.url, '--offline', '--at', AT, '--trust', rootPem, '--format', 'json', '-o', join(dir, `queue-${workers}.json`)]);
    const commands = redis.commands() - before;
    if (monitor) await sleep(300);
    return { ms, commands, sent };
  } finally {
    monitor?.kill();
    await pool.stop();
    await redis.stop();
  }
}

/** `POST /v1/verify` under `connections` concurrent keep-alive clients for `seconds`, after a 3 s warm-up. */
async function verifyLatency(rootPem, pdf, connections, seconds) {
  const { default: autocannon } = await import('autocannon');
  const port = await freePort();
  const serve = spawn(process.execPath, [KYSO, 'serve', '--port', String(port), '--trust', rootPem, '--rate-limit', '1000000000', '--max-concurrent', String(connections * 2)], { stdio: 'ignore' });
  try {
    for (;;) {
      if (serve.exitCode !== null) throw new Error(`kyso serve exited ${serve.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    const run = (duration) => autocannon({
      url: `http://127.0.0.1:${port}/v1/verify?offline&at=${AT}`,
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from(pdf),
      connections,
      duration,
    });
    await run(3);
    const r = await run(seconds);
    return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, ok: r['2xx'], other: r.non2xx + r.errors + r.timeouts };
  } finally {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
}

/** Runs the service rows and answers them as lines. */
export async function benchService({ docs: total = 300, runs = 2, seconds = 10, log = () => {} } = {}) {
  // Not named kyso-*: the shared machine's clean-ups remove those while the bench still runs.
  const dir = mkdtempSync(join(tmpdir(), 'bench-service-'));
  try {
    const signed = Math.round(total * 2 / 3);
    log(`service: making ${signed} signed and ${total - signed} unsigned documents…`);
    const { docs, rootPem, signedExample } = await makeDocuments(dir, signed, total - signed);
    const best = (xs, key) => xs.reduce((a, b) => (b[key] < a[key] ? b : a));
    const threads = [];
    const one = [];
    const two = [];
    for (let r = 0; r < runs; r++) {
      log(`service: audit round ${r + 1}/${runs} (threads, queue with 1 worker, with 2 workers)…`);
      threads.push({ ms: timedKyso(['audit', docs, '--jobs', '2', '--offline', '--at', AT, '--trust', rootPem, '--format', 'json', '-o', join(dir, 'threads.json')]) });
      one.push(await queueRun(dir, docs, rootPem, 1));
      two.push(await queueRun(dir, docs, rootPem, 2));
    }
    const same = readFileSync(join(dir, 'threads.json'), 'utf8') === readFileSync(join(dir, 'queue-2.json'), 'utf8');
    log('service: one more queue run with 2 workers, its client commands watched (MONITOR)…');
    const { sent } = await queueRun(dir, docs, rootPem, 2, true);
    const sentTotal = [...sent.values()].reduce((a, b) => a + b, 0);
    const sentBy = [...sent.entries()].filter(([, n]) => n / total >= 0.05).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${fmt(n / total, 2)}`).join(', ');
    log('service: POST /v1/verify under 16 concurrent clients…');
    const latency = await verifyLatency(rootPem, signedExample, 16, seconds);
    const t = best(threads, 'ms');
    const q1 = best(one, 'ms');
    const q2 = best(two, 'ms');
    const rate = (ms) => total / (ms / 1000);
    return [
      `service and distributed audit (${total} documents, ${signed} signed; best of ${runs}; Redis ${REDIS_CONF.replace(ROOT, '')}, AOF on; load average ${loadavg().map((l) => fmt(l, 1)).join(' ')}):`,
      `  kyso audit --jobs 2 (threads):          ${fmt(t.ms / 1000, 2)} s, ${fmt(rate(t.ms), 1)} docs/s`,
      `  kyso audit --queue, 1 kyso worker:      ${fmt(q1.ms / 1000, 2)} s, ${fmt(rate(q1.ms), 1)} docs/s, ${fmt(q1.commands / total, 1)} Redis commands/doc`,
      `  kyso audit --queue, 2 kyso workers:     ${fmt(q2.ms / 1000, 2)} s, ${fmt(rate(q2.ms), 1)} docs/s, ${fmt(q2.commands / total, 1)} Redis commands/doc`,
      `  2 workers / 1 worker: ${fmt(rate(q2.ms) / rate(q1.ms), 2)}×; queue report ${same ? 'identical to' : 'DIFFERS from'} the thread audit's`,
      `  Redis round trips per document (commands clients sent, 2 workers, MONITOR): ${fmt(sentTotal / total, 2)} (${sentBy}); commands/doc above include those run inside BullMQ's Lua scripts`,
      `  POST /v1/verify, 16 concurrent clients (autocannon, ${seconds} s, ${(signedExample.length / 1024).toFixed(1)} KB signed PDF): p50 ${latency.p50} ms, p99 ${latency.p99} ms, ${fmt(latency.rps, 0)} req/s (${latency.ok} answered 2xx, ${latency.other} other)`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the service rows (the hook `scripts/bench.mjs` calls); KYSO_BENCH_SERVICE_DOCS sets the document count. */
export async function printBenchService() {
  const lines = await benchService({
    docs: Number(process.env.KYSO_BENCH_SERVICE_DOCS ?? 300),
    log: (m) => process.stderr.write(`bench: ${m}\n`),
  });
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { docs: { type: 'string' }, runs: { type: 'string' }, seconds: { type: 'string' } } });
  const lines = await benchService({
    docs: Number(values.docs ?? 300), runs: Number(values.runs ?? 2), seconds: Number(values.seconds ?? 10),
    log: (m) => process.stderr.write(`bench: ${m}\n`),
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}
