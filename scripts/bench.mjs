#!/usr/bin/env node
/**
 * Signing, verification and audit throughput bench (`npm run bench`, which
 * builds first and runs this with --expose-gc).
 *
 * For each input size, in the same run:
 *  (a) reference: node:crypto SHA-256 over the whole file, read with readSync
 *      into one reused buffer — the floor any signer or verifier must hash through;
 *  (b) kyso: `signFile` (and `signIncrement`, without the output write) from
 *      @kyso/core with a software key, each in a fresh child process: peak RSS
 *      after its first signing, then the steady-state time (docs/decisions/0013);
 *  (c) poppler `pdfsig` verifying the signed file (wall time);
 *  (d) kyso: `verify` over `openFileSource` of the signed file (trusting the
 *      test root, embedded revocation), warm, in a child process.
 * For the 20 MB file also (e) `extendIncrement` to B-LT and B-LTA against local
 * OCSP/CRL/TSA servers, as a ratio to (a) of the same signed file.
 * Then whole processes (scripts/bench-process.mjs, issue 16): `kyso verify` and
 * `kyso sign` of a 50 KB, a 20 MB and a 200 MB file, start-up included, beside
 * `node -e 0`, `pdfsig` and `sha256sum`; `kyso audit` over 1,000 small signed
 * files (made once into .fixtures/bench-audit/) beside a shell-style loop of
 * `pdfsig` over the same files; in alternating rounds, each comparison as
 * min/median/max of its per-round ratio, and which targets hold; then the
 * scaling table (1 MB → 200 MB, 10 → 10,000 files).
 * Best of 3 in this script's own rows. Figures only: speed is measured here, never asserted.
 *
 * Targets printed next to the figures: sign ≥ 0.9 × hash speed; verify ≥ 0.9 ×
 * hash speed; peak RSS of file signing ≤ 1.2 × file + 64 MB; and issue 16's
 * whole-process targets, printed by scripts/bench-process.mjs (docs/decisions/0026).
 *
 * Usage: node --expose-gc scripts/bench.mjs [--sizes 1e6,20e6,100e6|none] [--runs 3] [--audit-files 1000] [--audit-runs 5] [--process-runs 7] [--scaling 0|1] [--large 0|1] [--prof DIR]
 * (internal: --child sign-file|sign-update|sign-memory|verify IN OUT prints one JSON line).
 * With --prof, every child of this script's own rows writes a V8 CPU profile into DIR.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SIGNING_TIME = new Date('2026-01-15T03:00:00Z');
const MB = 1e6;
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    // Write a V8 CPU profile of every child into this folder.
    prof: { type: 'string' },
    // Number of small signed files for the audit comparison (scripts/bench-process.mjs); 0 skips it.
    'audit-files': { type: 'string' },
    // Alternating rounds of kyso audit beside the pdfsig loop.
    'audit-runs': { type: 'string' },
    // 0 skips the scaling table; 0 for --large leaves out the 200 MB rows.
    scaling: { type: 'string' },
    large: { type: 'string' },
    // Rounds of the whole-process rows (scripts/bench-process.mjs: kyso verify/sign beside node -e 0, pdfsig, sha256sum); 0 skips them all.
    'process-runs': { type: 'string' },
  },
  allowPositionals: true,
  strict: false,
});


/** Signing in a fresh process: peak RSS of the first signing, then time warm: prints `{ ms, firstMs, maxRssBytes, loopRssBytes, baseRssBytes }`. */
async function child(mode, [input, output]) {
  // Only what a signing application loads: no testkit (its PKI and PDF
  // generators would inflate the baseline RSS). The key comes from the files
  // the parent names in the environment.
  const { fromPkcs8Pem } = await import('@kyso/adapters');
  const { signFile } = await import('@kyso/core/node');
  const { sign } = await import('@kyso/core');
  const [keyPath, certPath, ...chainPaths] = String(process.env.KYSO_BENCH_KEY).split('\n');
  const adapter = await fromPkcs8Pem(readFileSync(keyPath, 'utf8'), readFileSync(certPath, 'utf8'), chainPaths.map((p) => readFileSync(p, 'utf8')));
  if (mode === 'verify') {
    await verifyChild(input);
    return;
  }
  let once;
  let signed;
  if (mode === 'sign-file') {
    once = () => signFile(input, output, { adapter, signingTime: SIGNING_TIME });
  } else if (mode === 'sign-update') {
    // The signing work alone (parse, hash the byte ranges in place, CMS), without the durable output write.
    const { openFileSource } = await import('@kyso/core/node');
    const { signIncrement } = await import('@kyso/core');
    once = async () => {
      const source = openFileSource(input);
      try {
        await signIncrement(source, { adapter, signingTime: SIGNING_TIME });
      } finally {
        source.close();
      }
    };
  } else if (mode === 'sign-memory') {
    // Reading the input is the caller's part: only sign() is timed; the last output is written for pdfsig.
    const bytes = new Uint8Array(readFileSync(input));
    once = async () => {
      signed = await sign(bytes, { adapter, signingTime: SIGNING_TIME });
    };
  } else {
    throw new Error(`unknown child mode ${mode}`);
  }
  // Memory is one signing's: what `kyso sign` or a request handler costs, in a fresh process. Repeated
  // signings would add whatever garbage V8 lets pile up before it collects, which is not the signer's need.
  globalThis.gc?.();
  const baseRssBytes = process.memoryUsage().rss;
  const t0 = performance.now();
  await once();
  const firstMs = performance.now() - t0;
  // resourceUsage().maxRSS is in kilobytes (getrusage ru_maxrss on Linux): the process's peak so far.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  await warmUp(once);
  const { ms } = await timeRepeated(once);
  if (signed) writeFileSync(output, signed);
  const loopRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ms, firstMs, maxRssBytes, loopRssBytes, baseRssBytes })}\n`);
}

/**
 * Throughput is a steady-state figure (a server or a batch job signs many
 * documents in one process): `fn` runs untimed for WARM_UP_MS first (at least
 * twice), so that module compilation, WebCrypto start-up and V8's tiering up
 * of the parser and of asn1js are not counted. A single warm-up run left the
 * fixed cost at about twice its steady value; it settles after about a second.
 */
const WARM_UP_MS = 1000;
async function warmUp(fn) {
  let runs = 0;
  const t0 = performance.now();
  while (runs < 2 || performance.now() - t0 < WARM_UP_MS) {
    await fn();
    runs++;
  }
}

/**
 * Mean milliseconds of `fn` over as many runs as fit in MIN_TIMED_MS (at
 * least one): a 1 MB file hashes in about a millisecond, below the timer's
 * and the scheduler's noise for a single run.
 */
const MIN_TIMED_MS = 300;
async function timeRepeated(fn) {
  let runs = 0;
  const t0 = performance.now();
  do {
    await fn();
    runs++;
  } while (performance.now() - t0 < MIN_TIMED_MS);
  return { ms: (performance.now() - t0) / runs, runs };
}

/** A fixed validation time inside the test PKI's validity, so the verdict does not depend on the clock. */
const VALIDATION_TIME = new Date('2030-01-01T00:00:00Z');

/** Verification of a file: peak RSS of the first, then time warm: prints `{ ms, maxRssBytes, loopRssBytes, baseRssBytes, indication }`. */
async function verifyChild(input) {
  const { verify } = await import('@kyso/core');
  const { openFileSource } = await import('@kyso/core/node');
  const root = readFileSync(String(process.env.KYSO_BENCH_ROOT), 'utf8');
  const once = async () => {
    const source = openFileSource(input);
    try {
      return await verify(source, { trust: [root], revocation: 'embedded', at: VALIDATION_TIME });
    } finally {
      source.close();
    }
  };
  globalThis.gc?.();
  const baseRssBytes = process.memoryUsage().rss;
  let report = await once();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  await warmUp(once);
  const { ms } = await timeRepeated(async () => {
    report = await once();
  });
  const loopRssBytes = process.resourceUsage().maxRSS * 1024;
  const indication = report.signatures.map((x) => x.subIndication ?? x.indication).join(' ');
  process.stdout.write(`${JSON.stringify({ ms, maxRssBytes, loopRssBytes, baseRssBytes, indication })}\n`);
}

const hasGnuTime = (() => {
  if (!existsSync('/usr/bin/time')) return false;
  const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
})();

/**
 * Runs one child. Its peak RSS is the kernel's figure (getrusage) read by the
 * child right after its first signing or verification; GNU time, when
 * installed, gives the whole run's peak (warm-up and timed loop included).
 */
function runChild(mode, input, output, keyFiles) {
  const self = fileURLToPath(import.meta.url);
  const nodeArgs = [...(values.prof ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`] : []), '--expose-gc', self, '--child', mode, input, output];
  const options = { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, KYSO_BENCH_KEY: keyFiles.join('\n'), KYSO_BENCH_ROOT: keyFiles.at(-1) } };
  const r = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...nodeArgs], options)
    : spawnSync(process.execPath, nodeArgs, options);
  if (r.status !== 0) throw new Error(`bench child ${mode} failed (${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop();
  const result = JSON.parse(line);
  const gnu = hasGnuTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr) : null;
  return { ...result, peakRssBytes: result.maxRssBytes, wholeRunRssBytes: gnu ? Number(gnu[1]) * 1024 : result.loopRssBytes };
}

const hashBuffer = Buffer.allocUnsafe(4 * MiB);

/**
 * SHA-256 of the whole file through one reused read buffer, opened and
 * closed per run like a signer does; mean milliseconds over repeated runs.
 */
function hashFile(path) {
  const once = () => {
    const fd = openSync(path, 'r');
    try {
      const h = createHash('sha256');
      const size = fstatSync(fd).size;
      for (let pos = 0; pos < size;) {
        const n = readSync(fd, hashBuffer, 0, hashBuffer.length, pos);
        if (n === 0) break;
        h.update(hashBuffer.subarray(0, n));
        pos += n;
      }
      h.digest();
    } finally {
      closeSync(fd);
    }
  };
  return meanMsSync(once);
}

/** Mean milliseconds of a synchronous `once` over at least MIN_TIMED_MS, after one untimed run. */
function meanMsSync(once) {
  once();
  let runs = 0;
  const t0 = performance.now();
  do {
    once();
    runs++;
  } while (performance.now() - t0 < MIN_TIMED_MS);
  return (performance.now() - t0) / runs;
}

/** SHA-256 of the file's bytes already in memory (4 MiB updates), mean ms over repeated runs: the in-memory signer's reference. */
function hashInMemory(path) {
  const bytes = readFileSync(path);
  const once = () => {
    const h = createHash('sha256');
    for (let at = 0; at < bytes.length; at += 4 * MiB) h.update(bytes.subarray(at, at + 4 * MiB));
    h.digest();
  };
  return meanMsSync(once);
}

function pdfsig(path, nssDir) {
  const t0 = performance.now();
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, valid: /Signature Validation: Signature is Valid\./.test(r.stdout) };
}

const best = (xs) => Math.min(...xs);
const rate = (bytes, ms) => bytes / MB / (ms / 1000);
const fmt = (x, d = 1) => x.toFixed(d);

/**
 * Extends the signed file at `path` to B-LT and to B-LTA `runs` times each
 * (the updates are computed, not written, like `extendFile` before its rename);
 * best times in ms, with the file's hash time for the ratio.
 */
async function benchExtend(path, size, pki, runs, hashMs) {
  const { extendIncrement } = await import('@kyso/core');
  const { openFileSource } = await import('@kyso/core/node');
  const { PKI_URLS, routeFetch, startCrlServer, startOpensslOcspResponder, startTsaServer } = await import('@kyso/testkit');
  const ocsp = await startOpensslOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  const tsa = await startTsaServer({ pki, time: new Date('2026-06-02T00:00:00Z') });
  const fetch = routeFetch({
    [PKI_URLS.ocsp]: ocsp.url, [PKI_URLS.intermediateCrl]: crl.intermediateUrl, [PKI_URLS.rootCrl]: crl.rootUrl,
    [PKI_URLS.intermediateCert]: crl.intermediateCertUrl, [PKI_URLS.rootCert]: crl.rootCertUrl,
  });
  const once = async (level) => {
    const source = openFileSource(path);
    try {
      const t0 = performance.now();
      await extendIncrement(source, {
        level, trust: [pki.rootDer], fetch, at: new Date('2026-06-02T12:00:00Z'), ...(level === 'B-LTA' ? { timestamp: { url: tsa.url } } : {}),
      });
      return performance.now() - t0;
    } finally {
      source.close();
    }
  };
  try {
    process.stderr.write(`bench: extend ${fmt(size / MB)} MB to B-LT and B-LTA…\n`);
    await once('B-LTA');
    const ltMs = best(await sequence(runs, () => once('B-LT')));
    const ltaMs = best(await sequence(runs, () => once('B-LTA')));
    return { size, hashMs, ltMs, ltaMs };
  } finally {
    await Promise.all([ocsp.close(), crl.close(), tsa.close()]);
  }
}

async function sequence(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

async function bench() {
  const { ensurePki, ensureLargeSample, ensureSamples } = await import('@kyso/testkit');
  const runs = Number(values.runs ?? 3);
  const sizes = values.sizes === 'none' ? [] : String(values.sizes ?? '1e6,20e6,100e6').split(',').map((s) => Math.round(Number(s)));
  const auditFiles = Number(values['audit-files'] ?? 1000);
  const pki = await ensurePki();
  const leader = pki.entity('leader');
  const keyFiles = [leader.keyPath, leader.certPath, pki.intermediatePath, pki.rootPath];
  const work = mkdtempSync(join(tmpdir(), 'kyso-bench-'));
  const started = performance.now();
  const rows = [];
  const verifyRows = [];
  let memoryRow;
  let extendRow;
  let fixedMs = 0;
  try {
    if (sizes.length) {
      // The per-signature cost that does not depend on the size (parse, CMS, the RSA private-key operation,
      // checking the value): signing the smallest sample, so the per-byte part of larger files can be told apart.
      const tiny = (await ensureSamples()).simple;
      fixedMs = best(Array.from({ length: runs }, () => runChild('sign-update', tiny, join(work, 'tiny.pdf'), keyFiles).ms));
    }
    for (const requested of sizes) {
      const input = await ensureLargeSample(requested);
      const size = statSync(input).size;
      const output = join(work, `signed-${requested}.pdf`);
      process.stderr.write(`bench: ${fmt(size / MB)} MB (${input})…\n`);

      const hashMs = best(Array.from({ length: runs }, () => hashFile(input)));
      const signs = Array.from({ length: runs }, () => runChild('sign-file', input, output, keyFiles));
      const signMs = best(signs.map((s) => s.ms));
      const updates = Array.from({ length: runs }, () => runChild('sign-update', input, output, keyFiles));
      const updateMs = best(updates.map((u) => u.ms));
      const peak = Math.max(...[...signs, ...updates].map((s) => s.peakRssBytes));
      const wholeRun = Math.max(...[...signs, ...updates].map((s) => s.wholeRunRssBytes));
      const base = Math.min(...[...signs, ...updates].map((s) => s.baseRssBytes));
      const checks = Array.from({ length: runs }, () => pdfsig(output, pki.nssDir));
      const pdfsigMs = best(checks.map((c) => c.ms));
      const firstMs = Math.min(...signs.map((s) => s.firstMs));
      rows.push({ size, hashMs, signMs, updateMs, firstMs, pdfsigMs, peak, wholeRun, base, valid: checks.every((c) => c.valid) });
      const signedSize = statSync(output).size;
      const signedHashMs = best(Array.from({ length: runs }, () => hashFile(output)));
      const verifies = Array.from({ length: runs }, () => runChild('verify', output, '', keyFiles));
      verifyRows.push({
        size: signedSize, hashMs: signedHashMs, verifyMs: best(verifies.map((v) => v.ms)), pdfsigMs,
        peak: Math.max(...verifies.map((v) => v.peakRssBytes)), indication: verifies[0].indication,
      });

      if (requested === 20e6 || (extendRow === undefined && requested >= 20e6)) {
        // Extending to B-LT / B-LTA in this process, against local `openssl ocsp`, CRL and `openssl ts` servers.
        extendRow = await benchExtend(output, size, pki, runs, signedHashMs);
      }
      if (requested === 20e6 || (memoryRow === undefined && requested >= 20e6)) {
        const memOut = join(work, `signed-memory-${requested}.pdf`);
        const mems = Array.from({ length: runs }, () => runChild('sign-memory', input, memOut, keyFiles));
        memoryRow = {
          size,
          hashMs: best(Array.from({ length: runs }, () => hashInMemory(input))),
          ms: best(mems.map((m) => m.ms)),
          peak: Math.max(...mems.map((m) => m.peakRssBytes)),
          base: Math.min(...mems.map((m) => m.baseRssBytes)),
          valid: pdfsig(memOut, pki.nssDir).valid,
        };
        rmSync(memOut, { force: true });
      }
      rmSync(output, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const header = ['size MB', 'hash MB/s', 'core MB/s', 'core/hash', 'stream/hash', 'sign MB/s', 'sign/hash', 'pdfsig MB/s', 'sign/pdfsig', 'peak RSS MB', 'RSS/file', 'RSS target MB', 'RSS ok', 'peak-base MB', 'pdfsig valid'];
  const table = rows.map((r) => {
    const target = 1.2 * r.size + 64 * MB;
    return [
      fmt(r.size / MB), fmt(rate(r.size, r.hashMs), 0), fmt(rate(r.size, r.updateMs), 0), fmt(r.hashMs / r.updateMs, 2),
      r.updateMs > fixedMs ? fmt(r.hashMs / (r.updateMs - fixedMs), 2) : 'n/a',
      fmt(rate(r.size, r.signMs), 0), fmt(r.hashMs / r.signMs, 2),
      fmt(rate(r.size, r.pdfsigMs), 0), fmt(r.pdfsigMs / r.signMs, 2), fmt(r.peak / MB), fmt(r.peak / r.size, 2),
      fmt(target / MB), r.peak <= target ? 'yes' : 'NO', fmt((r.peak - r.base) / MB), r.valid ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const out = [];
  out.push(`kyso bench — node ${process.version}, best of ${runs}; MB = 10^6 bytes`);
  out.push('targets: signing (core/hash) ≥ 0.9; peak RSS ≤ 1.2 × file + 64 MB; verify/hash ≥ 0.9 (whole-process targets: see the end).');
  out.push('sign/pdfsig > 1 means kyso signs faster than pdfsig verifies.');
  out.push('hash = node:crypto SHA-256 of the file, read with readSync into one reused 4 MiB buffer.');
  out.push('Times are steady state (a server or a batch job): at least 1 s of untimed runs in the process first, then the mean over');
  out.push('at least 300 ms. Peak RSS is one signing\'s: the kernel\'s peak (getrusage) of a fresh process after its first signing.');
  out.push('core = signIncrement over the file (parse, hash the byte ranges in place, CMS); sign = signFile, core plus the durable');
  out.push('atomic output write (copy in the thread pool, fdatasync, rename), which a bare hash does not pay.');
  out.push(`fixed per-signature cost (core on the ${fmt(fixedMs, 2)} ms smallest sample: parse, CMS, RSA-2048 private-key operation, value check);`);
  out.push('stream/hash = hash time / (core time - fixed cost): the per-byte part of signing against the bare hash.');
  out.push('');
  out.push(line(header));
  for (const row of table) out.push(line(row));
  out.push('');
  out.push(`base = the signing child's RSS before signing (node + kyso modules + key): ${rows.map((r) => fmt(r.base / MB)).join(' / ')} MB;`);
  out.push('peak-base is what signing itself added.');
  out.push(`first signFile in a fresh process (modules compiled, V8 cold, as one \`kyso sign\`): ${rows.map((r) => `${fmt(r.firstMs, 0)} ms`).join(' / ')}.`);
  out.push(`targets met (core/hash ≥ 0.9; peak RSS ≤ 1.2 × file + 64 MB): ${rows.map((r) => `${fmt(r.size / MB)} MB ${r.hashMs / r.updateMs >= 0.9 ? 'yes' : 'NO'}/${r.peak <= 1.2 * r.size + 64 * MB ? 'yes' : 'NO'}`).join(', ')}` +
    ' (docs/decisions/0013 explains why 1 MB cannot reach either).');
  out.push(`peak RSS of the whole child run (${hasGnuTime ? '/usr/bin/time -v' : 'getrusage'}; warm-up and timed loop, garbage V8 had not yet collected): ${rows.map((r) => fmt(r.wholeRun / MB)).join(' / ')} MB.`);
  if (memoryRow) {
    const m = memoryRow;
    const target = 1.2 * m.size + 64 * MB;
    out.push(
      `in-memory sign(bytes) on ${fmt(m.size / MB)} MB (warm, time of sign() alone; RSS of the process: the input buffer and the output array included): ${fmt(rate(m.size, m.ms), 0)} MB/s, ` +
        `${fmt(m.hashMs / m.ms, 2)} × SHA-256 of the bytes in memory (${fmt(rate(m.size, m.hashMs), 0)} MB/s), ` +
        `peak RSS ${fmt(m.peak / MB)} MB = ${fmt(m.peak / m.size, 2)} × file, peak-base ${fmt((m.peak - m.base) / MB)} MB (target ${fmt(target / MB)} MB: ${m.peak <= target ? 'yes' : 'NO'}), ` +
        `pdfsig valid: ${m.valid ? 'yes' : 'NO'}`,
    );
  }
  if (verifyRows.length) {
    out.push('');
    out.push('verify = `verify` over openFileSource of the signed output (trust the test root, embedded revocation), warm, in a child process.');
    out.push('target: verify/hash ≥ 0.9 (hash = node:crypto SHA-256 of the same signed file).');
    const vHeader = ['size MB', 'hash MB/s', 'verify MB/s', 'verify/hash', 'verify ms', 'pdfsig MB/s', 'verify/pdfsig', 'peak RSS MB', 'result'];
    const vTable = verifyRows.map((r) => [
      fmt(r.size / MB), fmt(rate(r.size, r.hashMs), 0), fmt(rate(r.size, r.verifyMs), 0), fmt(r.hashMs / r.verifyMs, 2), fmt(r.verifyMs, 0),
      fmt(rate(r.size, r.pdfsigMs), 0), fmt(r.pdfsigMs / r.verifyMs, 2), fmt(r.peak / MB), r.indication,
    ]);
    const vWidths = vHeader.map((h, i) => Math.max(h.length, ...vTable.map((row) => row[i].length)));
    const vLine = (cells) => cells.map((c, i) => c.padStart(vWidths[i])).join('  ');
    out.push(vLine(vHeader));
    for (const row of vTable) out.push(vLine(row));
  }
  if (extendRow) {
    const e = extendRow;
    out.push('');
    out.push(`extend a ${fmt(e.size / MB)} MB signed file (extendIncrement over openFileSource, warm; OCSP by openssl ocsp, CRL and TSA on 127.0.0.1;`);
    out.push('B-LT hashes the signature\'s byte ranges once to gather evidence; B-LTA also hashes the whole file for the document timestamp):');
    for (const [level, ms] of [['B-LT', e.ltMs], ['B-LTA', e.ltaMs]]) {
      out.push(`  ${level}: ${fmt(ms, 0)} ms, ${fmt(rate(e.size, ms), 0)} MB/s; hash/extend ${fmt(e.hashMs / ms, 2)} (node:crypto SHA-256 of the same file: ${fmt(e.hashMs, 1)} ms)`);
    }
  }
  const processRuns = Number(values['process-runs'] ?? 7);
  if (processRuns > 0) {
    process.stderr.write('bench: whole kyso processes beside node -e 0, pdfsig, sha256sum and a pdfsig loop…\n');
    out.push('');
    out.push(...(await (await import('./bench-process.mjs')).benchProcess({
      runs: processRuns,
      auditRuns: Number(values['audit-runs'] ?? 5),
      auditFiles,
      scaling: values.scaling !== '0',
      large: values.large !== '0',
      log: (m) => process.stderr.write(`bench: ${m}\n`),
    })));
  }
  out.push(`bench took ${fmt((performance.now() - started) / 1000)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

// Last, so that every constant above is initialised before the top-level await runs.
if (values.child) await child(String(values.child), process.argv.slice(-2));
else {
  await bench();
  // ── The elements in Chromium (issue 5 §6): scripts/bench-browser.mjs prints its own table; KYSO_BENCH_BROWSER=0 skips it. ──
  if (process.env.KYSO_BENCH_BROWSER !== '0') await (await import('./bench-browser.mjs')).printBenchBrowser();
  if (process.env.KYSO_BENCH_SERVICE !== '0') await (await import('./bench-service.mjs')).printBenchService(); // issue 17: queue docs/s (1 vs 2 workers), Redis commands/doc, /v1/verify p50/p99 (KYSO_BENCH_SERVICE=0 skips)
}
