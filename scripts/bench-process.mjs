#!/usr/bin/env node
/**
 * Whole-process bench of the `kyso` binary (issue 16; docs/decisions/0026-cli-start-up.md): what a user or a
 * shell script pays, start-up included, each row beside its yardstick measured in the same run:
 *
 *  1. start-up and size: `kyso verify` and `kyso sign` of a 50 KB, a 20 MB and a 200 MB file beside `node -e 0`
 *     (Node's own start), poppler's `pdfsig` (a native verifier) and `sha256sum` (reading and hashing the file), and
 *     a floor: a Node process that only reads and hashes the file, beside pdfsig (where it is slower than pdfsig, no
 *     Node program can meet "verify ≤ pdfsig" at that size);
 *  2. audit: `kyso audit` over 1,000 small signed files beside a shell-style loop of `pdfsig` over the same files;
 *  3. scaling: verify and sign from 1 MB to 200 MB, audit from 10 to 10,000 files, with the growth per step.
 *
 * Commands run in alternation, round after round (not all runs of one command and then the next), so that the
 * load of a shared machine falls on every row alike. Each comparison is the ratio of the two commands within each
 * round, reported as min / median / max over the rounds, and the target holds when the median ratio does. Wall time
 * is measured around each process; CPU time (user + sys) and peak RSS come from GNU time when it is installed.
 * Figures only: speed is measured here, never asserted (tests never time anything).
 *
 * kyso runs from a bundle made for this run in a temporary package folder (bin/ + bundle/), so that
 * another build of the checkout during the bench cannot switch it to dist/.
 *
 * Run by `npm run bench` (after `tsc -b`), or alone:
 * `node scripts/bench-process.mjs [--runs 7] [--audit-runs 5] [--audit-files 1000] [--scaling 0|1] [--large 0|1]`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const PIN_VAR = 'KYSO_BENCH_PIN';
const MB = 1e6;
const SIGNING_TIME = new Date('2026-01-15T03:00:00Z');
/** `node -e` body: read the file named by the first argument and SHA-256 it, as the least a verifier on Node must do. */
const FLOOR_SCRIPT = "require('node:crypto').createHash('sha256').update(require('node:fs').readFileSync(process.argv[1])).digest('hex')";

const hasGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0;
const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/** One process: wall ms around it; CPU ms and peak RSS (MiB) from GNU time when installed. */
function runOnce(argv, env) {
  const started = performance.now();
  const r = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-f', '\nKYSO-BENCH-TIME %U %S %M', ...argv], { env, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - started;
  const m = hasGnuTime ? /KYSO-BENCH-TIME (\S+) (\S+) (\d+)\s*$/.exec(r.stderr) : null;
  return {
    status: r.status, stdout: r.stdout, stderr: r.stderr, wallMs,
    cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rssMiB: m ? Number(m[3]) / 1024 : NaN,
  };
}

/** A shell-style loop: one process per file, one after another; summed like one process (peak = the largest). */
function runLoop(argvOf, files, env) {
  const started = performance.now();
  let cpuMs = 0;
  let rssMiB = 0;
  let valid = 0;
  for (const f of files) {
    const r = runOnce(argvOf(f), env);
    cpuMs += r.cpuMs;
    rssMiB = Math.max(rssMiB, r.rssMiB);
    if (/Signature is Valid\./.test(r.stdout)) valid++;
  }
  return { status: 0, stdout: '', stderr: '', wallMs: performance.now() - started, cpuMs, rssMiB, valid };
}

const median = (xs) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const sizeLabel = (bytes) => (bytes >= MB ? `${fmt(bytes / MB)} MB` : `${fmt(bytes / 1e3)} KB`);

/** Right-aligned columns (the first left-aligned). */
function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((t) => String(t[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** Runs `rows` (each { label, argv | run, exit? }) in `rounds` alternating rounds after one untimed round. */
function alternate(rows, rounds, env, log) {
  for (const row of rows) row.runs = [];
  const once = (row) => (row.run ? row.run() : runOnce(row.argv, env));
  for (const row of rows) once(row);
  for (let i = 0; i < rounds; i++) {
    log(`round ${i + 1}/${rounds}`);
    for (const row of rows) {
      const r = once(row);
      if (r.status !== (row.exit ?? 0)) throw new Error(`${row.label} exited ${r.status}: ${r.stderr}`);
      row.runs.push(r);
    }
  }
}

/** min / median / max of the per-round ratio a/b of `key` (default wall time). */
function ratios(a, b, key = 'wallMs') {
  const per = a.runs.map((r, i) => r[key] / b.runs[i][key]);
  return { min: Math.min(...per), median: median(per), max: Math.max(...per) };
}

/** The number of files in a finished bench-audit folder; writing it last marks the folder complete. */
const AUDIT_MARKER = '.complete';

/**
 * `count` small signed files in `<fixtures>/bench-audit/<count>/`, made once: the `simple` sample signed in
 * this process, with signing times spread over a year so the audit's month breakdown has content.
 */
export async function ensureAuditFiles(pki, count, log = () => {}) {
  const { fixturesDir, ensureSamples } = await import('@kyso/testkit');
  const dir = join(fixturesDir(), 'bench-audit', String(count));
  const marker = join(dir, AUDIT_MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(count)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { sign } = await import('@kyso/core');
  const { fromPkcs8Pem } = await import('@kyso/adapters');
  const leader = pki.entity('leader');
  const adapter = await fromPkcs8Pem(leader.keyPem, leader.certDer, leader.chainDer);
  const simple = new Uint8Array(readFileSync((await ensureSamples()).simple));
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const signingTime = new Date(SIGNING_TIME.getTime() + (i % 365) * 86_400_000);
    const sub = join(dir, String(Math.floor(i / 100)).padStart(3, '0'));
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `${String(i).padStart(5, '0')}.pdf`), await sign(simple, { adapter, signingTime }));
  }
  writeFileSync(marker, String(count));
  log(`made ${count} signed files in ${fmt((performance.now() - t0) / 1000)} s (${dir})`);
  return dir;
}

export function listPdfs(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.pdf')).map((f) => join(dir, String(f))).sort();
}

/** bin/kyso.js and a bundle built now, laid out as the package ships them, in `work/pkg`; returns the bin's path. */
async function packageForBench(work) {
  const { bundleCli } = await import('../packages/cli/scripts/bundle.mjs');
  const pkg = join(work, 'pkg');
  // The whole bin/ folder: its package.json makes bin/kyso.js a CommonJS script.
  cpSync(join(repo, 'packages/cli/bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(repo, 'packages/cli/package.json'), join(pkg, 'package.json'));
  // The font and @kyso/server resolve from the package's folder upwards, as in an install.
  symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  await bundleCli(join(pkg, 'bundle'));
  return join(pkg, 'bin/kyso.js');
}

/**
 * Runs the whole-process bench and returns its report lines.
 * `runs`: rounds of the size rows; `auditRuns`/`auditFiles`: the audit comparison (0 files skips it);
 * `scaling`: the scaling table; `large`: include 200 MB.
 */
export async function benchProcess({ runs = 7, auditRuns = 5, auditFiles = 1000, scaling = true, large = true, log = () => {} } = {}) {
  const { ensurePki, ensureLargeSample } = await import('@kyso/testkit');
  const pki = await ensurePki();
  const work = mkdtempSync(join(tmpdir(), 'kyso-bench-process-'));
  const env = { ...process.env, [PIN_VAR]: pki.p12Password };
  const node = process.execPath;
  const out = [];
  const targets = [];
  const hold = (name, ok, detail) => targets.push(`  ${ok ? 'holds' : 'NOT  '}  ${name}: ${detail}`);
  try {
    const bin = await packageForBench(work);
    const kyso = (...args) => [node, bin, ...args];
    const verifyArgs = (file) => ['verify', file, '--trust', pki.rootPath, '--offline'];
    const auditArgs = (dir) => ['audit', dir, '--trust', pki.rootPath, '--offline', '--format', 'json'];
    const signArgs = (input, output) => ['sign', input, '-o', output, '--p12', pki.entity('leader').p12Path, '--pin-env', PIN_VAR];
    const pdfsigArgs = (file) => ['pdfsig', '-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', file];
    const withPdfsig = hasCommand('pdfsig');
    const withSha = hasCommand('sha256sum');

    /** A signed copy of the `size` sample (signed by kyso itself), and its unsigned input. */
    const inputs = new Map();
    const inputOf = async (size) => {
      if (inputs.has(size)) return inputs.get(size);
      const input = await ensureLargeSample(size);
      const signed = join(work, `signed-${size}.pdf`);
      const first = runOnce(kyso(...signArgs(input, signed)), env);
      if (first.status !== 0) throw new Error(`kyso sign failed (${first.status}): ${first.stderr}`);
      const f = { size: statSync(input).size, input, signed, out: join(work, `out-${size}.pdf`) };
      inputs.set(size, f);
      return f;
    };

    // ── 1. Start-up and size ──
    const sizes = large ? [50e3, 20e6, 200e6] : [50e3, 20e6];
    const files = [];
    for (const size of sizes) files.push(await inputOf(size));
    const nodeRow = { label: 'node -e 0', argv: [node, '-e', '0'] };
    const rows = [nodeRow];
    const bySize = new Map();
    for (const f of files) {
      const s = sizeLabel(f.size);
      const r = {
        verify: { label: `kyso verify ${s}`, argv: kyso(...verifyArgs(f.signed)), exit: 2 },
        sign: { label: `kyso sign ${s}`, argv: kyso(...signArgs(f.input, f.out)) },
        pdfsig: withPdfsig ? { label: `pdfsig ${s}`, argv: pdfsigArgs(f.signed) } : undefined,
        shaSigned: withSha ? { label: `sha256sum ${s} signed`, argv: ['sha256sum', f.signed] } : undefined,
        shaInput: withSha && f.size >= 100 * MB ? { label: `sha256sum ${s} input`, argv: ['sha256sum', f.input] } : undefined,
        // The least any verifier on Node does: start Node, read the file, SHA-256 it (OpenSSL). Beside pdfsig it says
        // where target 2 is out of reach of every Node program, kyso or not.
        floor: { label: `node read+hash ${s}`, argv: [node, '-e', FLOOR_SCRIPT, f.signed] },
      };
      bySize.set(f, r);
      rows.push(...Object.values(r).filter(Boolean));
    }
    log(`whole processes: ${rows.length} commands × ${runs} rounds…`);
    alternate(rows, runs, env, log);
    const base = median(nodeRow.runs.map((r) => r.wallMs));
    const baseCpu = median(nodeRow.runs.map((r) => r.cpuMs));
    out.push(`whole processes (kyso = bin/kyso.js running a bundle built for this run), ${runs} alternating rounds, ms; CPU = user + sys` +
      `${hasGnuTime ? '' : ' (GNU time not installed: n/a)'}; RSS = peak resident set:`);
    out.push('kyso verify: --trust the test root, --offline (INDETERMINATE, exit 2: no revocation data); kyso sign: PKCS#12 key, invisible B-B signature.');
    out.push(...table(
      ['command', 'wall min', 'median', 'max', '× node -e 0', 'CPU median', '× node CPU', 'RSS MiB'],
      rows.map((row) => {
        const wall = row.runs.map((r) => r.wallMs);
        const cpu = median(row.runs.map((r) => r.cpuMs));
        return [row.label, fmt(Math.min(...wall)), fmt(median(wall)), fmt(Math.max(...wall)), fmt(median(wall) / base, 2),
          fmt(cpu), fmt(cpu / baseCpu, 2), fmt(Math.max(...row.runs.map((r) => r.rssMiB)))];
      }),
    ));

    // Each comparison: the per-round ratio (kyso / yardstick), min / median / max, and the target on the median.
    const comparisons = [];
    const compare = (name, a, b, limit) => {
      if (!a || !b) return;
      const q = ratios(a, b);
      comparisons.push([name, fmt(q.min, 2), fmt(q.median, 2), fmt(q.max, 2), `≤ ${limit}`, q.median <= limit ? 'yes' : 'NO']);
      return q.median <= limit;
    };
    const small = bySize.get(files[0]);
    const startVerify = compare(`kyso verify ${sizeLabel(files[0].size)} / node -e 0`, small.verify, nodeRow, 1.5);
    const startSign = compare(`kyso sign ${sizeLabel(files[0].size)} / node -e 0`, small.sign, nodeRow, 2);
    hold('1. start-up', startVerify && startSign, `verify ≤ 1.5 × node -e 0: ${startVerify ? 'yes' : 'no'}; sign ≤ 2 ×: ${startSign ? 'yes' : 'no'}`);
    const verifyHolds = [];
    for (const f of files) {
      const r = bySize.get(f);
      verifyHolds.push(compare(`kyso verify ${sizeLabel(f.size)} / pdfsig`, r.verify, r.pdfsig, 1));
      if (r.shaInput) verifyHolds.push(compare(`kyso verify ${sizeLabel(f.size)} / sha256sum of it`, r.verify, r.shaSigned, 0.9));
    }
    // The floor beside pdfsig: above 1, no Node process that verifies (it must at least start, read and hash) can be
    // as fast as pdfsig at that size. Printed as a fact of the run, not a target.
    const floors = [];
    for (const f of files) {
      const r = bySize.get(f);
      if (!r.pdfsig) continue;
      const q = ratios(r.floor, r.pdfsig);
      comparisons.push([`(floor) node read+hash ${sizeLabel(f.size)} / pdfsig`, fmt(q.min, 2), fmt(q.median, 2), fmt(q.max, 2), 'fact', q.median > 1 ? 'above' : 'below']);
      if (q.median > 1) floors.push(`${sizeLabel(f.size)} (${fmt(q.median, 2)} ×)`);
    }
    const peakOf = (row) => Math.max(...row.runs.map((r) => r.rssMiB));
    const verifyPeak = Math.max(...files.map((f) => peakOf(bySize.get(f).verify)));
    hold('2. verify', verifyHolds.every(Boolean) && verifyPeak <= 100,
      `≤ pdfsig at every size and ≤ 0.9 × sha256sum at the largest: ${verifyHolds.every(Boolean) ? 'yes' : 'no'}; peak ${fmt(verifyPeak)} MiB ≤ 100: ${verifyPeak <= 100 ? 'yes' : 'no'}` +
      (floors.length ? `; out of reach of any Node process at ${floors.join(', ')}: starting Node, reading and hashing alone take longer than pdfsig there` : ''));
    const twenty = files.find((f) => f.size >= 20 * MB && f.size < 100 * MB);
    const signTwenty = twenty ? median(bySize.get(twenty).sign.runs.map((r) => r.wallMs)) : NaN;
    const biggest = files[files.length - 1];
    const signBig = biggest.size >= 100 * MB ? compare(`kyso sign ${sizeLabel(biggest.size)} / sha256sum of its input`, bySize.get(biggest).sign, bySize.get(biggest).shaInput, 1) : undefined;
    const signPeak = Math.max(...files.map((f) => peakOf(bySize.get(f).sign)));
    hold('3. sign', signTwenty <= 250 && signBig !== false && signPeak <= 100,
      `20 MB median ${fmt(signTwenty)} ms ≤ 250: ${signTwenty <= 250 ? 'yes' : 'no'}; ` +
      `${signBig === undefined ? '200 MB not run' : `200 MB ≤ 1.0 × sha256sum: ${signBig ? 'yes' : 'no'}`}; peak ${fmt(signPeak)} MiB ≤ 100: ${signPeak <= 100 ? 'yes' : 'no'}`);

    // ── 2. Audit beside a pdfsig loop ──
    if (auditFiles > 0) {
      const dir = await ensureAuditFiles(pki, auditFiles, log);
      const pdfs = listPdfs(dir);
      const audit = { label: `kyso audit ${pdfs.length} files`, argv: kyso(...auditArgs(dir)) };
      const auditRows = [audit];
      const loop = withPdfsig ? { label: `pdfsig loop ${pdfs.length} files`, run: () => runLoop(pdfsigArgs, pdfs, env) } : undefined;
      if (loop) auditRows.push(loop);
      log(`audit beside a pdfsig loop: ${auditRuns} rounds…`);
      alternate(auditRows, auditRuns, env, log);
      const summary = JSON.parse(audit.runs[0].stdout).summary;
      out.push('');
      out.push(`audit of ${pdfs.length} small signed files, ${auditRuns} alternating rounds (wall time, start-up included; kyso audit: ` +
        `worker threads started once, --offline; pdfsig: one process per file, as a shell loop; ${summary.documents} documents, ${summary.signed} signed` +
        `${loop ? `, pdfsig valid ${loop.runs[0].valid}` : ''}):`);
      out.push(...table(
        ['command', 'wall min', 'median', 'max', 'docs/s (median)', 'CPU median', 'RSS MiB'],
        auditRows.map((row) => {
          const wall = row.runs.map((r) => r.wallMs);
          return [row.label, fmt(Math.min(...wall)), fmt(median(wall)), fmt(Math.max(...wall)), fmt(pdfs.length / (median(wall) / 1000)),
            fmt(median(row.runs.map((r) => r.cpuMs))), fmt(Math.max(...row.runs.map((r) => r.rssMiB)))];
        }),
      ));
      if (loop) {
        // Speed is the inverse of time: pdfsig loop time / audit time, per round.
        const q = ratios(loop, audit);
        comparisons.push([`kyso audit speed / pdfsig loop speed (${pdfs.length} files)`, fmt(q.min, 2), fmt(q.median, 2), fmt(q.max, 2), '≥ 10', q.median >= 10 ? 'yes' : 'NO']);
        const peak = peakOf(audit);
        hold('4. audit', q.median >= 10 && peak <= 256, `${fmt(q.median, 1)} × the pdfsig loop's documents/s (≥ 10: ${q.median >= 10 ? 'yes' : 'no'}); peak ${fmt(peak)} MiB ≤ 256: ${peak <= 256 ? 'yes' : 'no'}`);
      }
    }

    out.push('');
    out.push('comparisons (ratio of the two commands within each round; the target holds when the median does):');
    out.push(...table(['kyso / yardstick', 'min', 'median', 'max', 'target', 'holds'], comparisons));

    // ── 3. Scaling ──
    if (scaling) {
      out.push('');
      out.push(...(await scalingTable({ kyso, verifyArgs, signArgs, auditArgs, inputOf, pki, env, log, large, auditFiles })));
      hold('6. scaling', true, 'table above (time and memory per step; growth = time ratio / size ratio, 1.00 is linear)');
    }
    out.push('');
    out.push('targets (issue 16; 5, the browser, is scripts/bench-browser.mjs):');
    out.push(...targets);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Verify and sign from 1 MB to 200 MB, audit from 10 to 10,000 files: median of 3 wall times, peak RSS, growth per step. */
async function scalingTable({ kyso, verifyArgs, signArgs, auditArgs, inputOf, pki, env, log, large, auditFiles }) {
  const lines = [];
  const sizes = [1e6, 5e6, 20e6, 50e6, ...(large ? [100e6, 200e6] : [])];
  const runsEach = 3;
  const measure = (argv, exit) => {
    const rs = [];
    for (let i = 0; i < runsEach; i++) {
      const r = runOnce(argv, env);
      if (r.status !== exit) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
      rs.push(r);
    }
    return { ms: median(rs.map((r) => r.wallMs)), cpu: median(rs.map((r) => r.cpuMs)), rss: Math.max(...rs.map((r) => r.rssMiB)) };
  };
  const rows = [];
  let previous;
  const withSha = hasCommand('sha256sum');
  for (const size of sizes) {
    log(`scaling: ${sizeLabel(size)}…`);
    const f = await inputOf(size);
    // Alternating, with sha256sum of the same file as the yardstick of each round: its ratio is what scales
    // with the file; the absolute times also carry the machine's load.
    const verifyRow = { label: 'verify', argv: kyso(...verifyArgs(f.signed)), exit: 2 };
    const signRow = { label: 'sign', argv: kyso(...signArgs(f.input, f.out)) };
    const shaRow = withSha ? { label: 'sha256sum', argv: ['sha256sum', f.signed] } : undefined;
    alternate([verifyRow, signRow, ...(shaRow ? [shaRow] : [])], runsEach, env, () => {});
    const summary = (row) => ({
      ms: median(row.runs.map((r) => r.wallMs)), rss: Math.max(...row.runs.map((r) => r.rssMiB)),
      sha: shaRow ? ratios(row, shaRow).median : NaN,
    });
    const v = summary(verifyRow);
    const g = summary(signRow);
    const growth = (now, before) => (before ? fmt(now / before / (f.size / previous.size), 2) : '');
    rows.push([sizeLabel(f.size), fmt(v.ms), fmt(f.size / MB / (v.ms / 1000)), fmt(v.rss), growth(v.ms, previous?.v.ms), fmt(v.sha, 2),
      fmt(g.ms), fmt(f.size / MB / (g.ms / 1000)), fmt(g.rss), growth(g.ms, previous?.g.ms), fmt(g.sha, 2)]);
    previous = { size: f.size, v, g };
  }
  lines.push(`scaling with the file (${runsEach} alternating rounds with sha256sum of the same file, medians; growth = time ratio ÷ size ratio to the row above: 1.00 is linear, < 1 is start-up being spread; × sha = median per-round ratio to sha256sum):`);
  lines.push(...table(['size', 'verify ms', 'MB/s', 'RSS MiB', 'growth', '× sha', 'sign ms', 'MB/s', 'RSS MiB', 'growth', '× sha'], rows));
  if (auditFiles > 0) {
    // Up to ten times the audit comparison's file count (10,000 by default).
    const counts = [10, 100, 1000, 10000].filter((n) => n <= 10 * auditFiles);
    const aRows = [];
    let before;
    for (const count of counts) {
      log(`scaling: audit of ${count} files…`);
      const dir = await ensureAuditFiles(pki, count, log);
      const a = measure(kyso(...auditArgs(dir)), 0);
      const growth = before ? fmt(a.ms / before.ms / (count / before.count), 2) : '';
      aRows.push([String(count), fmt(a.ms), fmt(count / (a.ms / 1000)), fmt(a.cpu), fmt(a.rss), growth]);
      before = { count, ms: a.ms };
    }
    lines.push('');
    lines.push(`scaling with the number of files (kyso audit, median of ${runsEach}; growth as above):`);
    lines.push(...table(['files', 'wall ms', 'docs/s', 'CPU ms', 'RSS MiB', 'growth'], aRows));
  }
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' }, 'audit-runs': { type: 'string' }, 'audit-files': { type: 'string' },
      scaling: { type: 'string' }, large: { type: 'string' },
    },
  });
  const started = performance.now();
  const lines = await benchProcess({
    runs: Number(values.runs ?? 7),
    auditRuns: Number(values['audit-runs'] ?? 5),
    auditFiles: Number(values['audit-files'] ?? 1000),
    scaling: values.scaling !== '0',
    large: values.large !== '0',
    log: (m) => process.stderr.write(`bench-process: ${m}\n`),
  });
  process.stdout.write(`${lines.join('\n')}\nbench took ${fmt((performance.now() - started) / 1000)} s\n`);
}
