import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ensureSamples, startTsaServer, type SampleName, type TestPki, type TsaServer } from '@kyso/testkit';
import { appended, pdfsig, repoRoot, requireBuild, runBinary, tempDir } from './helpers/cli.js';

// These run the built `packages/cli/bin/kyso.js` as users do. They never build
// it themselves: `npm test` builds in its pretest, and a missing build fails
// here with a message that says so.

const TIME = '2026-01-15T03:00:00Z';
const PIN_VAR = 'KYSO_CLI_TEST_PIN';

let pki: TestPki;
let samples: Record<SampleName, string>;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  requireBuild();
  pki = await ensurePki();
  samples = await ensureSamples();
  tmp = tempDir();
});

afterAll(() => tmp?.remove());

const out = (name: string) => join(tmp.dir, name);
const signArgs = (input: string, output: string, extra: string[] = []) => [
  'sign', input, '-o', output, '--p12', pki.entity('leader').p12Path!, '--pin-env', PIN_VAR, '--signing-time', TIME, ...extra,
];
const pinEnv = () => ({ [PIN_VAR]: pki.p12Password });

describe('the kyso binary', () => {
  it('signs a PDF: exit 0, the output path on stdout, a valid signature appended to the input', async () => {
    const output = out('signed.pdf');
    const run = await runBinary(signArgs(samples.simple, output), { env: pinEnv() });
    expect(run).toEqual({ code: 0, stdout: `${output}\n`, stderr: '' });
    expect(appended(samples.simple, output).length).toBeGreaterThan(0);
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  describe('with a timestamp authority', () => {
    let tsa: TsaServer;
    beforeAll(async () => {
      tsa = await startTsaServer({ pki });
    });
    afterAll(() => tsa?.close());

    it('signs at B-T through --tsa', async () => {
      const output = out('bt.pdf');
      const run = await runBinary(signArgs(samples.simple, output, ['--level', 'B-T', '--tsa', tsa.url]), { env: pinEnv() });
      expect(run).toEqual({ code: 0, stdout: `${output}\n`, stderr: '' });
      expect(tsa.requests).toBe(1);
      // id-aa-signatureTimeStampToken (RFC 3161 Appendix A), DER, inside the hex /Contents.
      expect(appended(samples.simple, output).toString('latin1').toLowerCase()).toContain('060b2a864886f70d010910020e');
      expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
    });

    it('fails with ERR_TSA_BAD_RESPONSE and leaves no output when the TSA answers HTTP 500', async () => {
      tsa.mode = 'http500';
      try {
        const output = out('bt-500.pdf');
        const before = tmp.files();
        const run = await runBinary(signArgs(samples.simple, output, ['--level', 'B-T', '--tsa', tsa.url]), { env: pinEnv() });
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^ERR_TSA_BAD_RESPONSE: /);
        expect(existsSync(output)).toBe(false);
        expect(tmp.files()).toEqual(before);
      } finally {
        tsa.mode = 'ok';
      }
    });
  });

  it('fails with ERR_KEY_PASSWORD (exit 1) on a wrong password, without printing it', async () => {
    const wrong = 'Zq9-wrong-PIN-7731';
    const output = out('wrong.pdf');
    const run = await runBinary(signArgs(samples.simple, output, ['--lang', 'en']), { env: { [PIN_VAR]: wrong } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERR_KEY_PASSWORD: The key password \(PIN\) is wrong\./);
    expect(run.stdout + run.stderr).not.toContain(wrong);
    expect(existsSync(output)).toBe(false);
  });

  it('without --pin-env and without a terminal, fails at once as a usage error instead of waiting', async () => {
    const output = out('no-tty.pdf');
    const run = await runBinary(['sign', samples.simple, '-o', output, '--p12', pki.entity('leader').p12Path!], { timeoutMs: 15_000 });
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: .*--pin-env/);
    expect(existsSync(output)).toBe(false);
  });

  it('fails with ERR_PDF_MALFORMED on a file that is not a PDF, creating no file', async () => {
    const output = out('not-a-pdf-signed.pdf');
    const before = tmp.files();
    const run = await runBinary(signArgs(pki.entity('leader').p12Path!, output), { env: pinEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERR_PDF_MALFORMED: /);
    expect(tmp.files()).toEqual(before);
  });

  it('exits 64 (usage) on an unknown command', async () => {
    const run = await runBinary(['verfy', samples.simple]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^kyso: unknown command "verfy"/);
  });

  it('answers `npx kyso --help` from the repository root', async () => {
    // Offline and no install prompt: the repository's own bin must be found, never the registry's.
    const run = await runBinary(['kyso', '--help'], {
      command: 'npx', cwd: repoRoot, env: { npm_config_yes: 'false', npm_config_offline: 'true' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^kyso: sign and verify PDF documents/);
    expect(run.stdout).toContain('Usage: kyso <command> [options]');
  });
});
