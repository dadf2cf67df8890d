import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, type SampleName, type TestPki } from '@kyso/testkit';
import { runMain, tempDir } from './helpers/cli.js';

/** `kyso sign -o SAME.pdf` killed mid-write leaves `.SAME.pdf.kyso-PID-HEX.tmp`; the next run clears it and says so. */
const PIN_VAR = 'KYSO_CLI_STALE_PIN';
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
let pki: TestPki;
let samples: Record<SampleName, string>;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  tmp = tempDir();
});

afterAll(() => tmp.remove());

describe('kyso sign after an interrupted write', () => {
  it.each([
    ['en', 'kyso: removed a temporary file left by an interrupted write: '],
    ['vi', 'kyso: đã xoá tệp tạm còn sót lại từ một lần ghi bị gián đoạn: '],
  ] as const)('--lang %s: the stale temporary file is removed and named on stderr; a running process\'s is kept', async (lang, notice) => {
    const output = join(tmp.dir, `out-${lang}.pdf`);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(tmp.dir, `.out-${lang}.pdf.kyso-${HOST}-${deadPid}-0123456789ab.tmp`);
    const live = join(tmp.dir, `.out-${lang}.pdf.kyso-${HOST}-${process.ppid}-0123456789ab.tmp`);
    writeFileSync(stale, new Uint8Array(1024));
    writeFileSync(live, new Uint8Array(1024));
    const run = await runMain(
      ['sign', samples.simple, '-o', output, '--p12', pki.entity('leader').p12Path!, '--pin-env', PIN_VAR, '--signing-time', '2026-01-15T03:00:00Z', '--lang', lang],
      { [PIN_VAR]: pki.p12Password },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${notice}${stale}\n`);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(output)).toBe(true);
  });
});
