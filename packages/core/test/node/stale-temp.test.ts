import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAdapter } from '@kyso/core';
import { removeStaleTemporaryFiles, signFile, writeFileAtomic } from '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, type SampleName } from '@kyso/testkit';

/**
 * A kyso write killed mid-way (kill -9 of `kyso sign -o SAME.pdf`) leaves its temporary file, as large as the PDF,
 * beside the output. The next kyso write there removes those of processes that are gone, says so, and never
 * touches a temporary file of a running process.
 */
let dir: string;
let samples: Record<SampleName, string>;
let leader: SigningAdapter;
/** The id of a process that has exited. */
let deadPid: number;
/** The machine's tag in kyso's temporary file names. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const OTHER = HOST === '00000000' ? '11111111' : '00000000';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyso-stale-'));
  samples = await ensureSamples();
  const e = (await ensurePki()).entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file with a temporary-looking name and some bytes, optionally `ageMs` old. */
function leftover(folder: string, name: string, ageMs = 0): string {
  const path = join(folder, name);
  writeFileSync(path, new Uint8Array(4096));
  if (ageMs) {
    const t = new Date(Date.now() - ageMs);
    utimesSync(path, t, t);
  }
  return path;
}

describe('temporary files of interrupted writes', () => {
  it('signFile removes those of a dead process (and old ones of older kyso versions) and reports them; a live process\'s stay', async () => {
    const folder = mkdtempSync(join(dir, 'sign-'));
    const out = join(folder, 'out.pdf');
    const hour = 3600 * 1000;
    const dead = leftover(folder, `.out.pdf.kyso-${HOST}-${deadPid}-0123456789ab.tmp`);
    const deadOther = leftover(folder, `.report.html.kyso-${HOST}-${deadPid}-a0a0a0a0a0a0.tmp`);
    const legacyOld = leftover(folder, '.out.pdf.0123456789ab.tmp', 2 * hour);
    const otherHostOld = leftover(folder, `.out.pdf.kyso-${OTHER}-${deadPid}-0123456789ab.tmp`, 48 * hour);
    const kept = [
      leftover(folder, `.out.pdf.kyso-${HOST}-${process.ppid}-fedcba987654.tmp`), // a running process (this test's parent)
      leftover(folder, `.out.pdf.kyso-${HOST}-${process.pid}-fedcba987654.tmp`), // this very process
      leftover(folder, `.out.pdf.kyso-${OTHER}-${deadPid}-fedcba987654.tmp`, 2 * hour), // another machine: its pids mean nothing here
      leftover(folder, '.out.pdf.ba9876543210.tmp'), // old-style, fresh: maybe an older kyso still writing
      leftover(folder, '.other.pdf.0123456789ab.tmp', 2 * hour), // old-style, for another file
      leftover(folder, '.out.pdf.kyso-x-0123456789ab.tmp', 2 * hour), // not kyso's pattern
    ];
    const reported: string[] = [];
    await signFile(samples.simple, out, { adapter: leader }, { onStaleTemporaryFiles: (r) => reported.push(...r) });
    expect(reported.sort()).toEqual([dead, deadOther, legacyOld, otherHostOld].sort());
    for (const p of [dead, deadOther, legacyOld, otherHostOld]) expect(existsSync(p)).toBe(false);
    for (const p of kept) expect(existsSync(p), p).toBe(true);
    expect(existsSync(out)).toBe(true);
    // Nothing of this write is left behind either.
    expect(readdirSync(folder).filter((n) => n.includes('.kyso-') && !kept.some((k) => k.endsWith(n)))).toEqual([]);
  });

  it('writeFileAtomic does the same; nothing stale, nothing reported', () => {
    const folder = mkdtempSync(join(dir, 'write-'));
    const dead = leftover(folder, `.a.csv.kyso-${HOST}-${deadPid}-0123456789ab.tmp`);
    const reported: string[][] = [];
    writeFileAtomic(join(folder, 'a.csv'), new TextEncoder().encode('x'), { onStaleTemporaryFiles: (r) => reported.push([...r]) });
    expect(reported).toEqual([[dead]]);
    writeFileAtomic(join(folder, 'a.csv'), new TextEncoder().encode('y'), { onStaleTemporaryFiles: (r) => reported.push([...r]) });
    expect(reported).toHaveLength(1);
    expect(readdirSync(folder)).toEqual(['a.csv']);
  });

  it('a folder that cannot be read gives nothing, without throwing', () => {
    expect(removeStaleTemporaryFiles(join(dir, 'does-not-exist'))).toEqual([]);
  });
});
