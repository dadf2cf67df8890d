/**
 * One fuzz worker (started by scripts/fuzz.mjs, which watches it): a
 * coverage-guided loop over one target. Coverage comes from V8's precise
 * block coverage (node:inspector Profiler), read after every input: an input
 * that reaches a new block, or a block a new number of times (bucketed as
 * libFuzzer does), joins the corpus and is mutated further.
 *
 * Before each input it writes the input to `<work>/current.bin` and tells the
 * parent its size, so the parent can keep the input that hangs or exhausts
 * memory when it has to kill this process.
 *
 * argv: target, milliseconds, work dir, corpus out dir, rng seed, [extra corpus dirs...]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const [targetName, msArg, work, corpusOut, seedArg, ...extraDirs] = process.argv.slice(2);
const deadline = Date.now() + Number(msArg);
// Block coverage must be on before the sources compile: V8 gives functions compiled earlier function-level counts only.
const session = new Session();
session.connect();
const post = (method, params) => {
  let out;
  session.post(method, params, (err, res) => {
    if (err) throw err;
    out = res;
  });
  return out;
};
post('Profiler.enable');
post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const { targetNamed, runOne } = await import('../packages/core/test/fuzz/targets.ts');
const { mutate, MAX_INPUT, Rng } = await import('../packages/core/test/fuzz/mutators.ts');
const { buildSeeds } = await import('../packages/core/test/fuzz/seeds.ts');

const target = targetNamed(targetName);
const seeds = await buildSeeds();
const send = (m) => process.send?.(m);

/** Only the sources under test count (not Node's internals, dependencies, the testkit that built the seeds). */
const ours = (url) => /\/packages\/core\/src\/|\/packages\/agent\/src\/protocol\.ts$|\/packages\/adapters\/src\/token-agent\//.test(url);
const bucket = (c) => (c <= 3 ? c : c < 8 ? 4 : c < 16 ? 5 : c < 128 ? 6 : 7);

const features = new Set();
/** url → Map<"start-end", hit?> for the coverage report; url → Map<functionStart, hit?>. */
const blocks = new Map();
const functions = new Map();
/** url → Map<functionStart, ranges ever reported for that function>. */
const rangesOf = new Map();

/**
 * Whether the block [start, end) ran in this report of its function: V8 merges
 * a block whose count equals its enclosing range's into that range, so the
 * innermost reported range containing it decides, not only its own entry.
 */
function ran(ranges, start, end) {
  let best = null;
  for (const r of ranges) {
    if (r.startOffset <= start && r.endOffset >= end && (!best || r.endOffset - r.startOffset <= best.endOffset - best.startOffset)) best = r;
  }
  return best !== null && best.count > 0;
}

/**
 * Reads (and resets) the coverage counters; returns how many features were new:
 * a block that runs for the first time, or runs a new number of times
 * (bucketed). `baseline`: only learn which blocks exist (what building the
 * seeds ran does not count).
 */
function harvest(baseline = false) {
  const { result } = post('Profiler.takePreciseCoverage');
  let fresh = 0;
  for (const script of result) {
    if (!ours(script.url)) continue;
    let b = blocks.get(script.url);
    let f = functions.get(script.url);
    let byFn = rangesOf.get(script.url);
    if (!b) {
      blocks.set(script.url, (b = new Map()));
      functions.set(script.url, (f = new Map()));
      rangesOf.set(script.url, (byFn = new Map()));
    }
    for (const fn of script.functions) {
      const top = fn.ranges[0];
      if (!top) continue;
      let known = byFn.get(top.startOffset);
      if (!known) byFn.set(top.startOffset, (known = new Map()));
      for (const r of fn.ranges) known.set(`${r.startOffset}-${r.endOffset}`, [r.startOffset, r.endOffset]);
      const executed = !baseline && top.count > 0;
      if (!f.get(top.startOffset)) f.set(top.startOffset, executed);
      for (const [key, [start, end]] of known) {
        if (executed && ran(fn.ranges, start, end)) {
          if (!b.get(key)) {
            b.set(key, true);
            features.add(`${script.url}#${key}`);
            fresh++;
          }
        } else if (!b.has(key)) {
          b.set(key, false);
        }
      }
      if (!executed) continue;
      for (const r of fn.ranges) {
        if (r.count <= 0) continue;
        const feature = `${script.url}#${r.startOffset}-${r.endOffset}#${bucket(r.count)}`;
        if (!features.has(feature)) {
          features.add(feature);
          fresh++;
        }
      }
    }
  }
  return fresh;
}

harvest(true);

const corpus = [];
const sha = (d) => createHash('sha1').update(d).digest('hex');
const known = new Set();
let crashes = 0;
const crashKinds = new Set();
let iterations = 0;

async function runInput(data, origin) {
  writeFileSync(join(work, 'current.bin'), data);
  send({ t: 'run', size: data.length });
  const crash = await runOne(target, data, seeds.context);
  iterations++;
  const fresh = harvest();
  if (crash) {
    const e = crash.error;
    const where = e instanceof Error ? (e.stack ?? '').split('\n').slice(1, 3).join(' ').trim() : '';
    const kind = `${crash.message.slice(0, 160)} @ ${where}`;
    if (!crashKinds.has(kind)) {
      crashKinds.add(kind);
      crashes++;
      const id = sha(data);
      mkdirSync(join(work, 'crashes'), { recursive: true });
      writeFileSync(join(work, 'crashes', `${targetName}-${id}.bin`), data);
      writeFileSync(join(work, 'crashes', `${targetName}-${id}.txt`), `${crash.message}\n${e instanceof Error ? e.stack : ''}\n`);
      send({ t: 'crash', kind, file: `${targetName}-${id}.bin` });
    }
  }
  // A crashing input is kept with the crashes, not in the corpus the test slice replays.
  if (!crash && (fresh > 0 || origin === 'seed')) {
    const id = sha(data);
    if (!known.has(id)) {
      known.add(id);
      corpus.push({ data, hits: 0 });
      if (origin === 'mutant' && data.length <= 64 * 1024) {
        mkdirSync(corpusOut, { recursive: true });
        writeFileSync(join(corpusOut, id), data);
      }
    }
  }
}

function readDir(dir, max = 500) {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile() && statSync(p).size <= MAX_INPUT)
    .slice(0, max)
    .map((p) => new Uint8Array(readFileSync(p)));
}

// Seeds first (generated, then on-disk corpora: the committed one and any given), then mutation.
const initial = [...seeds.byKind[target.kind], ...extraDirs.flatMap((d) => readDir(d))];
for (const d of initial) {
  if (Date.now() > deadline) break;
  await runInput(d, 'seed');
}
const rng = new Rng(Number(seedArg) || 1);
const others = corpus.map((c) => c.data);
let lastReport = Date.now();
while (Date.now() < deadline && corpus.length) {
  // Newer corpus entries (those that found something) are picked more often.
  const i = rng.chance(0.5) ? corpus.length - 1 - rng.int(Math.min(corpus.length, 32)) : rng.int(corpus.length);
  const entry = corpus[i];
  entry.hits++;
  await runInput(mutate(target.kind, entry.data, rng.next(), others), 'mutant');
  if (Date.now() - lastReport > 10_000) {
    lastReport = Date.now();
    send({ t: 'stats', iterations, corpus: corpus.length, features: features.size, crashes });
  }
}

// Block and function keys, hit or not, so the parent can join the coverage of every target.
const summary = {};
for (const [url, b] of blocks) {
  const f = functions.get(url);
  summary[url] = { blocks: [...b], functions: [...f] };
}
send({ t: 'done', iterations, corpus: corpus.length, features: features.size, crashes, coverage: summary });
session.disconnect();
process.exit(0);
