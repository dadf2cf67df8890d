import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../../src/main.js';

/** What one CLI run left behind. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `main(argv)` in this process with `env` added to `process.env`,
 * capturing what it writes to stdout and stderr.
 */
export async function runMain(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const binPath = join(repoRoot, 'packages/cli/bin/kyso.js');
export const distMain = join(repoRoot, 'packages/cli/dist/main.js');

/** Fails with a message that says what to do when the CLI has not been built. */
export function requireBuild(): void {
  if (!existsSync(distMain)) {
    throw new Error(
      `${distMain} is missing: the binary tests run the built CLI. ` +
        'Run `npm test` (its pretest runs `tsc -b`) or build with `npx tsc -b` first.',
    );
  }
}

/**
 * Runs the real binary as a child process, asynchronously so that servers
 * living in this process (the test TSA) can answer it. `detached` puts the
 * child in a new session, without a controlling terminal.
 */
export function runBinary(
  args: string[], options: { env?: Record<string, string>; cwd?: string; command?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const command = options.command ?? process.execPath;
  const argv = options.command ? args : [binPath, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      // A kyso that waited on a terminal would hang the suite; without one it must fail fast.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) reject(new Error(`${command} ${argv.join(' ')} was killed (${signal}): ${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** What `pdfsig` says of each signature in a file. */
export interface PdfsigSignature {
  readonly field: string;
  readonly valid: boolean;
  readonly totalDocument: boolean;
}

/** Verifies `path` with poppler's `pdfsig`, trusting the test PKI's NSS database. */
export function pdfsig(path: string, nssDir: string): PdfsigSignature[] {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' });
  if (r.error) throw r.error;
  const blocks = r.stdout.split(/^Signature #\d+:$/m).slice(1);
  return blocks.map((b) => ({
    field: /Signature Field Name: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
    valid: /Signature Validation: Signature is Valid\./.test(b),
    totalDocument: /Total document signed/.test(b),
  }));
}

/** The page text as `pdftotext` reads it, widget appearances included. */
export function pdftotext(path: string): string {
  const r = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout;
}

/** The bytes `signed` appended after `original` (which must be a prefix of it). */
export function appended(original: string, signed: string): Buffer {
  const a = readFileSync(original);
  const b = readFileSync(signed);
  if (b.length <= a.length || !b.subarray(0, a.length).equals(a)) throw new Error(`${original} is not a prefix of ${signed}`);
  return b.subarray(a.length);
}

/** Decodes a PDF text string written as `<FEFF…>` (UTF-16BE with BOM, ISO 32000-2 §7.9.2.2). */
export function textStringEntry(bytes: Buffer, key: string): string | undefined {
  const m = new RegExp(`/${key}\\s*<([0-9A-Fa-f\\s]*)>`).exec(bytes.toString('latin1'));
  if (m) {
    const hex = m[1]!.replace(/\s/g, '');
    if (!/^feff/i.test(hex)) return Buffer.from(hex, 'hex').toString('latin1');
    const be = Buffer.from(hex.slice(4), 'hex');
    return be.swap16().toString('utf16le');
  }
  return new RegExp(`/${key}\\s*\\(([^)]*)\\)`).exec(bytes.toString('latin1'))?.[1];
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void; files: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }), files: () => readdirSync(dir).sort() };
}
