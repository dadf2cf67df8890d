#!/usr/bin/env node
/**
 * Whole-process bench of the `kyso` binary (issue 16; docs/decisions/0026-cli-start-up.md): what a user or a
 * shell script pays for one `kyso verify` / `kyso sign`, start-up included, beside the yardsticks measured in the
 * same run — `node -e 0` (Node's own start-up), poppler's `pdfsig` (a native verifier) and `sha256sum` (reading
 * and hashing the file) — on a 50 KB and a 20 MB file.
 *
 * The commands run in alternation, round after round (not all runs of one command and then the next), so that
 * the load of a shared machine falls on every row alike; the ratios compare medians of the same run. Wall time
 * is measured around each process; CPU time (user + sys) and peak RSS come from GNU time when it is installed.
 * Figures only: speed is measured here, never asserted.
 *
 * Targets: `kyso verify` of the small file ≤ 1.5 × `node -e 0`; `kyso sign` of it ≤ 2 × (medians of wall time).
 *
 * Run by `npm run bench` (after `tsc -b`; it bundles the CLI first, as `npm run build` does), or alone:
 * `node scripts/bench-process.mjs [--runs 10]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(repo, 'packages/cli/bin/kyso.js');
const DIST_MAIN = pathToFileURL(join(repo, 'packages/cli/dist/main.js')).href;
const PIN_VAR = 'KYSO_BENCH_PIN';
const SIZES = [50e3, 20e6];

const hasGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0;
const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/** One process: wall ms around it; CPU ms and peak RSS (MiB) from GNU time when installed. */
function runOnce(argv, env) {
  const started = performance.now();
  const r = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-f', '\nKYSO-BENCH-TIME %U %S %M', ...argv], { env, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = performance.now() - started;
  const m = hasGnuTime ? /KYSO-BENCH-TIME (\S+) (\S+) (\d+)\s*$/.exec(r.stderr) : null;
  return {
    status: r.status, stderr: r.stderr, wallMs,
    cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rssMiB: m ? Number(m[3]) / 1024 : NaN,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const sizeLabel = (bytes) => (bytes >= 1e6 ? `${fmt(bytes / 1e6)} MB` : `${fmt(bytes / 1e3)} KB`);

/**
 * Runs the whole-process bench and returns its report lines. `pki` is the testkit's; `runs` rounds.
 * `unbundled` adds a row running dist/ directly (the CLI before its bundle) for comparison.
 */
export async function benchProcess({ runs = 10, unbundled = true } = {}) {
  const { ensurePki, ensureLargeSample } = await import('@kyso/testkit');
  const { bundleCli } = await import('../packages/cli/scripts/bundle.mjs');
  const pki = await ensurePki();
  // What `npm run build` makes and the packed package ships; bin/kyso.js runs it while it is newer than the build.
  await bundleCli();
  const work = mkdtempSync(join(tmpdir(), 'kyso-bench-process-'));
  const env = { ...process.env, [PIN_VAR]: pki.p12Password };
  const node = process.execPath;
  try {
    const inputs = [];
    for (const size of SIZES) {
      const input = await ensureLargeSample(size);
      const signed = join(work, `signed-${size}.pdf`);
      const signArgs = (output) => [node, BIN, 'sign', input, '-o', output, '--p12', pki.entity('leader').p12Path, '--pin-env', PIN_VAR];
      const first = runOnce(signArgs(signed), env);
      if (first.status !== 0) throw new Error(`kyso sign failed (${first.status}): ${first.stderr}`);
      inputs.push({ size: statSync(input).size, input, signed, signArgs: signArgs(join(work, `out-${size}.pdf`)) });
    }
    const verifyArgs = (file) => ['verify', file, '--trust', pki.rootPath, '--offline'];
    const rows = [{ label: 'node -e 0', argv: [node, '-e', '0'] }];
    for (const f of inputs) {
      const s = sizeLabel(f.size);
      rows.push({ label: `kyso verify ${s}`, argv: [node, BIN, ...verifyArgs(f.signed)], verify: f.size, exit: 2 });
      if (unbundled && f === inputs[0]) {
        rows.push({
          label: `kyso verify ${s}, dist/ unbundled`,
          exit: 2,
          argv: [node, '--input-type=module', '-e', `const { main } = await import(${JSON.stringify(DIST_MAIN)}); process.exitCode = await main(process.argv.slice(1));`, ...verifyArgs(f.signed)],
        });
      }
      rows.push({ label: `kyso sign ${s}`, argv: f.signArgs, sign: f.size });
    }
    if (hasCommand('pdfsig')) {
      for (const f of inputs) rows.push({ label: `pdfsig ${sizeLabel(f.size)}`, argv: ['pdfsig', '-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', f.signed] });
    }
    if (hasCommand('sha256sum')) for (const f of inputs) rows.push({ label: `sha256sum ${sizeLabel(f.size)}`, argv: ['sha256sum', f.signed] });
    for (const row of rows) row.runs = [];

    // One untimed round: files in the page cache, binaries resolved.
    for (const row of rows) runOnce(row.argv, env);
    for (let i = 0; i < runs; i++) {
      for (const row of rows) {
        const r = runOnce(row.argv, env);
        // kyso verify exits 2 here (INDETERMINATE: --offline, no revocation data), which is the expected verdict.
        if (r.status !== (row.exit ?? 0)) throw new Error(`${row.label} exited ${r.status}: ${r.stderr}`);
        row.runs.push(r);
      }
    }

    const base = median(rows[0].runs.map((r) => r.wallMs));
    const baseCpu = median(rows[0].runs.map((r) => r.cpuMs));
    const header = ['command', 'wall min', 'median', 'max', '× node -e 0', 'CPU median', '× node CPU', 'RSS MiB'];
    const table = rows.map((row) => {
      const wall = row.runs.map((r) => r.wallMs);
      const cpu = median(row.runs.map((r) => r.cpuMs));
      row.ratio = median(wall) / base;
      return [
        row.label, fmt(Math.min(...wall)), fmt(median(wall)), fmt(Math.max(...wall)), fmt(row.ratio, 2),
        fmt(cpu), fmt(cpu / baseCpu, 2), fmt(median(row.runs.map((r) => r.rssMiB))),
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    const small = inputs[0].size;
    const verifySmall = rows.find((r) => r.verify === small);
    const signSmall = rows.find((r) => r.sign === small);
    const bundle = join(repo, 'packages/cli/bundle/complete');
    const builds = ['packages/cli', 'packages/core', 'packages/adapters'].map((p) => join(repo, p, 'tsconfig.tsbuildinfo')).filter(existsSync);
    const bundled = existsSync(bundle) && builds.every((b) => statSync(b).mtimeMs <= statSync(bundle).mtimeMs);
    return [
      `whole processes (kyso = packages/cli/bin/kyso.js, ${bundled ? 'running the bundle' : 'NOT running the bundle: a build was newer than it at the end'}), ` +
        `${runs} alternating rounds, ms; CPU = user + sys${hasGnuTime ? '' : ' (GNU time not installed: n/a)'}:`,
      'kyso verify: --trust the test root, --offline (INDETERMINATE, exit 2: no revocation data); kyso sign: PKCS#12 key, invisible B-B signature.',
      line(header),
      ...table.map(line),
      `targets (median wall): kyso verify ${sizeLabel(small)} ≤ 1.5 × node -e 0: ${fmt(verifySmall.ratio, 2)} ${verifySmall.ratio <= 1.5 ? 'yes' : 'NO'}; ` +
        `kyso sign ${sizeLabel(small)} ≤ 2 × node -e 0: ${fmt(signSmall.ratio, 2)} ${signSmall.ratio <= 2 ? 'yes' : 'NO'}.`,
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const started = performance.now();
  const lines = await benchProcess({ runs: Number(values.runs ?? 10) });
  process.stdout.write(`${lines.join('\n')}\nbench took ${fmt((performance.now() - started) / 1000)} s\n`);
}
