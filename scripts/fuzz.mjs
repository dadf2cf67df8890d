#!/usr/bin/env node
/**
 * `npm run fuzz -- --minutes N [--target NAME]... [--corpus DIR] [--update-corpus] [--seed S]`
 *
 * Coverage-guided fuzzing of every parser hostile bytes reach (targets in
 * packages/core/test/fuzz/targets.ts), one worker process at a time
 * (fuzz/child.mjs), the minutes shared among the targets. This process is the
 * watchdog: it kills a worker whose input runs longer than a bound
 * proportional to the input's size (a hang) or whose memory grows past a
 * limit, keeps that input as a finding and starts a new worker for the rest
 * of the target's time. Uncaught non-KysoError exceptions are findings too.
 *
 * Why not Jazzer.js: see docs/decisions/0018-fuzzing.md (its native libFuzzer
 * addon does not load on this Debian 12 glibc; older releases download it
 * from outside the npm registry). The loop here uses V8's block coverage.
 *
 * Output: out/fuzz/<run>/ (summary.json, crashes/, corpus/<target>/);
 * with --update-corpus, new small inputs also go to fuzz/corpus/<target>/ (up to
 * 25 per target), which the fixed-seed test slice replays.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const all = (name) => args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]] : []));
const minutes = Number(opt('minutes', '5'));
const seed = Number(opt('seed', String(Date.now() % 1_000_000)));
const TARGETS = ['pdf-document', 'pdf-objects', 'pdf-text', 'cms', 'certificate', 'revocation', 'agent-protocol', 'token-agent-adapter', 'verify'];
const targets = all('target').length ? all('target') : TARGETS;
const sharedCorpus = opt('corpus', process.env.KYSO_CORPUS ? join(process.env.KYSO_CORPUS, 'pdfs') : join(root, '..', 'shared', 'corpus', 'pdfs'));
const updateCorpus = args.includes('--update-corpus');
const KEEP = 25;

/**
 * Per-input bound on the worker's CPU time: generous, growing with the input's
 * size. CPU time, not wall time, so that other work on a shared machine does
 * not make a hang; ten times the bound in wall time is the backstop.
 */
const boundMs = (size) => 5_000 + Math.ceil(size / 1024) * 20;
/** Resident memory a worker may reach (the heap is capped lower by --max-old-space-size). */
const MAX_RSS = 2.5 * 1024 ** 3;

const run = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(root, 'out', 'fuzz', run);
mkdirSync(join(outDir, 'crashes'), { recursive: true });

/** CPU milliseconds (user + system) a process has used so far. */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function rss(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs one worker until it finishes, or kills it on a hang or memory blow-up; resolves with what it reported. */
function worker(target, ms, workerSeed) {
  const work = join(outDir, 'work', target);
  mkdirSync(work, { recursive: true });
  const corpusOut = join(outDir, 'corpus', target);
  const dirs = [join(root, 'fuzz', 'corpus', target)];
  const kind = target === 'pdf-document' || target === 'pdf-objects' || target === 'verify';
  if (kind && existsSync(sharedCorpus)) dirs.push(sharedCorpus);
  const child = spawn(process.execPath, ['--import', join(root, 'fuzz', 'register.mjs'), '--max-old-space-size=1536', '--stack-size=984',
    join(root, 'fuzz', 'child.mjs'), target, String(ms), work, corpusOut, String(workerSeed), ...dirs], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const state = { iterations: 0, crashes: [], done: null, killed: null, lastStats: null };
  let current = { at: Date.now(), cpu: 0, size: 0 };
  child.on('message', (m) => {
    if (m.t === 'run') current = { at: Date.now(), cpu: cpuMs(child.pid), size: m.size };
    else if (m.t === 'crash') {
      state.crashes.push({ kind: 'exception', what: m.kind, file: m.file });
      copyFileSync(join(work, 'crashes', m.file), join(outDir, 'crashes', m.file));
      copyFileSync(join(work, 'crashes', m.file.replace(/\.bin$/, '.txt')), join(outDir, 'crashes', m.file.replace(/\.bin$/, '.txt')));
      console.log(`[${target}] crash: ${m.kind}`);
    } else if (m.t === 'stats') {
      state.lastStats = m;
      console.log(`[${target}] ${m.iterations} inputs, corpus ${m.corpus}, ${m.features} features, ${m.crashes} crashes`);
    } else if (m.t === 'done') state.done = m;
  });
  const keep = (why) => {
    const file = `${target}-${why}-${Date.now()}.bin`;
    if (existsSync(join(work, 'current.bin'))) copyFileSync(join(work, 'current.bin'), join(outDir, 'crashes', file));
    state.crashes.push({ kind: why, what: `${why} on an input of ${current.size} bytes`, file });
    console.log(`[${target}] ${why}: input kept as ${file}`);
  };
  const timer = setInterval(() => {
    if (state.killed) return;
    // Seed generation (signing, a TSA reply) happens before the first input: the first bound starts then.
    const bound = boundMs(current.size);
    if (current.size > 0 && (cpuMs(child.pid) - current.cpu > bound || Date.now() - current.at > 10 * bound)) {
      state.killed = 'hang';
      keep('hang');
      child.kill('SIGKILL');
    } else if (rss(child.pid) > MAX_RSS) {
      state.killed = 'memory';
      keep('memory');
      child.kill('SIGKILL');
    }
  }, 1000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (!state.done && !state.killed) {
        // Died on its own: out of heap, a stack overflow in native code, or an unsettled promise.
        keep(`exit-${code ?? signal}`);
        writeFileSync(join(outDir, 'crashes', `${target}-exit-${Date.now()}.txt`), stderr);
      }
      resolve(state);
    });
  });
}

const perTarget = (minutes * 60_000) / targets.length;
const summary = { run, seed, minutes, targets: {}, coverage: {} };
const coverage = {};
console.log(`fuzzing ${targets.join(', ')} for ${minutes} min (${Math.round(perTarget / 1000)} s each), seed ${seed}, out ${outDir}`);
for (const [i, target] of targets.entries()) {
  const until = Date.now() + perTarget;
  const t = { iterations: 0, crashes: [], corpus: 0, features: 0, workers: 0 };
  while (Date.now() < until - 5000) {
    t.workers++;
    const s = await worker(target, until - Date.now(), seed + i * 1000 + t.workers);
    t.crashes.push(...s.crashes);
    const last = s.done ?? s.lastStats;
    if (last) {
      t.iterations += last.iterations;
      t.corpus = Math.max(t.corpus, last.corpus);
      t.features = Math.max(t.features, last.features);
    }
    if (s.done) {
      for (const [url, c] of Object.entries(s.done.coverage)) {
        const file = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
        // A block counts as hit when any target's worker ran it.
        const prev = (coverage[file] ??= { blocks: new Map(), functions: new Map() });
        for (const [k, hit] of c.blocks) prev.blocks.set(k, prev.blocks.get(k) || hit);
        for (const [k, hit] of c.functions) prev.functions.set(k, prev.functions.get(k) || hit);
      }
      break;
    }
  }
  summary.targets[target] = t;
  console.log(`[${target}] ${t.iterations} inputs, ${t.features} features, ${t.crashes.length} findings`);
  if (updateCorpus && existsSync(join(outDir, 'corpus', target))) {
    const dest = join(root, 'fuzz', 'corpus', target);
    mkdirSync(dest, { recursive: true });
    // The kept corpus stays small (the test slice replays it): at most KEEP inputs of at most 16 KiB per target.
    let room = KEEP - readdirSync(dest).filter((f) => !f.startsWith('finding-')).length;
    for (const f of readdirSync(join(outDir, 'corpus', target)).sort()) {
      if (room <= 0) break;
      if (statSync(join(outDir, 'corpus', target, f)).size > 16 * 1024 || existsSync(join(dest, f))) continue;
      copyFileSync(join(outDir, 'corpus', target, f), join(dest, f));
      room--;
    }
  }
}

// Coverage per module (a folder of sources): blocks and functions V8 saw run, of those it knows.
const modules = {};
const count = (m) => [m.size, [...m.values()].filter(Boolean).length];
for (const [file, c] of Object.entries(coverage)) {
  const [blocks, blocksHit] = count(c.blocks);
  const [functions, functionsHit] = count(c.functions);
  summary.coverage[file] = { blocks, blocksHit, functions, functionsHit };
  const mod = file.replace(/\/[^/]+$/, '');
  const m = (modules[mod] ??= { blocks: 0, blocksHit: 0, functions: 0, functionsHit: 0 });
  m.blocks += blocks;
  m.blocksHit += blocksHit;
  m.functions += functions;
  m.functionsHit += functionsHit;
}
summary.modules = modules;
writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
console.log('\nmodule                                   blocks hit   functions hit');
for (const [mod, m] of Object.entries(modules).sort()) {
  console.log(`${mod.padEnd(40)} ${String(m.blocksHit).padStart(5)}/${String(m.blocks).padEnd(5)} ${String(Math.round((100 * m.blocksHit) / m.blocks)).padStart(3)}%  ${String(m.functionsHit).padStart(4)}/${String(m.functions).padEnd(4)} ${String(Math.round((100 * m.functionsHit) / m.functions)).padStart(3)}%`);
}
const findings = Object.values(summary.targets).reduce((n, t) => n + t.crashes.length, 0);
console.log(`\n${findings} findings; summary in ${join(outDir, 'summary.json')}`);
process.exitCode = findings ? 1 : 0;
