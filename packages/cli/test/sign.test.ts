import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '@kyso/core';
import {
  ensurePki, ensureSamples, sealImage, signatureImage, startTsaServer, type SampleName, type TestPki, type TsaServer,
} from '@kyso/testkit';
import { appended, pdfsig, pdftotext, runMain, tempDir, textStringEntry, type CliRun } from './helpers/cli.js';

// A frozen signing time: the output must not depend on the real clock.
const TIME = '2026-01-15T03:00:00Z';
const PIN_VAR = 'KYSO_CLI_TEST_PIN';
const WRONG_PIN = 'Zq9-wrong-PIN-7731';

let pki: TestPki;
let samples: Record<SampleName, string>;
let tmp: ReturnType<typeof tempDir>;
let sigPng: string;
let sealPng: string;
/** Every output of every run, to check that the password never shows. */
const transcript: string[] = [];

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  tmp = tempDir();
  sigPng = join(tmp.dir, 'sig.png');
  sealPng = join(tmp.dir, 'seal.png');
  writeFileSync(sigPng, signatureImage());
  writeFileSync(sealPng, sealImage());
});

afterAll(() => tmp.remove());

const out = (name: string) => join(tmp.dir, name);
const p12 = (name: 'leader' | 'seal') => pki.entity(name).p12Path!;

/** `kyso sign IN -o OUT --p12 leader.p12 --pin-env VAR --signing-time T …extra`, the PIN in the environment. */
async function sign(input: string, output: string, extra: string[] = [], pin = pki.p12Password, key: 'leader' | 'seal' = 'leader'): Promise<CliRun> {
  const run = await runMain(
    ['sign', input, '-o', output, '--p12', p12(key), '--pin-env', PIN_VAR, '--signing-time', TIME, ...extra],
    { [PIN_VAR]: pin },
  );
  transcript.push(run.stdout, run.stderr);
  return run;
}

function expectSigned(run: CliRun, input: string, output: string): void {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(`${output}\n`);
  expect(appended(input, output).length).toBeGreaterThan(0);
}

describe('kyso sign: success', () => {
  it('signs with a PKCS#12 file whose password comes from an environment variable, appending to the input', async () => {
    const output = out('bb.pdf');
    const run = await sign(samples.simple, output);
    expectSigned(run, samples.simple, output);
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('puts an approval signature image on page 1 at the given rectangle', async () => {
    const output = out('approve.pdf');
    const run = await sign(samples.simple, output, ['--role', 'approve', '--image', sigPng, '--page', '1', '--rect', '300,100,180,60']);
    expectSigned(run, samples.simple, output);
    const tail = appended(samples.simple, output).toString('latin1');
    expect(tail).toMatch(/\/Rect \[300 100 480 160\]/);
    expect(tail).toMatch(/\/Subtype \/Image/);
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('puts the seal of an issue signature on an approved document, keeping the approval valid', async () => {
    const approved = out('approved-for-issue.pdf');
    expectSigned(await sign(samples.simple, approved, ['--role', 'approve', '--image', sigPng, '--rect', '300,100,180,60']), samples.simple, approved);
    const issued = out('issued.pdf');
    const run = await sign(approved, issued, ['--role', 'issue', '--image', sealPng], pki.p12Password, 'seal');
    expectSigned(run, approved, issued);
    expect(appended(approved, issued).toString('latin1')).toMatch(/\/Subtype \/Image/);
    expect(pdfsig(issued, pki.nssDir)).toEqual([
      { field: 'Signature1', valid: true, totalDocument: false },
      { field: 'Signature2', valid: true, totalDocument: true },
    ]);
  });

  it('writes the document number of an appendix signature on the page', async () => {
    const output = out('appendix.pdf');
    const run = await sign(samples.simple, output, ['--role', 'appendix', '--doc-number', '15/QĐ-UBND']);
    expectSigned(run, samples.simple, output);
    expect(pdftotext(output).normalize('NFC')).toContain('15/QĐ-UBND');
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('writes the copy form of a copy signature on the page', async () => {
    const output = out('copy.pdf');
    const run = await sign(samples.simple, output, ['--role', 'copy', '--copy-form', 'SAO Y']);
    expectSigned(run, samples.simple, output);
    expect(pdftotext(output)).toContain('SAO Y');
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('signs into an existing empty field named with --field', async () => {
    const output = out('field.pdf');
    const run = await sign(samples['acroform-empty-field'], output, ['--field', 'SigLeader']);
    expectSigned(run, samples['acroform-empty-field'], output);
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'SigLeader', valid: true, totalDocument: true }]);
  });

  it('makes a certification signature with the DocMDP permission of --certify', async () => {
    const output = out('certify.pdf');
    const run = await sign(samples.simple, output, ['--certify', '2']);
    expectSigned(run, samples.simple, output);
    const tail = appended(samples.simple, output).toString('latin1');
    expect(tail).toMatch(/\/Perms <<\/DocMDP \d+ 0 R>>/);
    expect(tail).toMatch(/\/TransformParams <<\/Type \/TransformParams\/P 2\/V \/1\.2>>/);
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('records a Vietnamese reason and location exactly', async () => {
    const output = out('reason.pdf');
    const reason = 'Phê duyệt văn bản số 15/QĐ-UBND';
    const location = 'Thành phố Đà Nẵng, Việt Nam';
    const run = await sign(samples.vietnamese, output, ['--reason', reason, '--location', location]);
    expectSigned(run, samples.vietnamese, output);
    const tail = appended(samples.vietnamese, output);
    expect(textStringEntry(tail, 'Reason')).toBe(reason.normalize('NFC'));
    expect(textStringEntry(tail, 'Location')).toBe(location.normalize('NFC'));
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('prints the help of the sign command', async () => {
    const run = await runMain(['sign', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: kyso sign IN\.pdf -o OUT\.pdf --p12 FILE/);
    expect(run.stdout).not.toMatch(/--password|--pin(?!-env)/);
  });
});

describe('kyso sign: B-T with a timestamp authority', () => {
  let tsa: TsaServer;
  beforeAll(async () => {
    tsa = await startTsaServer({ pki });
  });
  afterAll(() => tsa.close());

  it('embeds a signature timestamp token from the TSA', async () => {
    const output = out('bt.pdf');
    const before = tsa.requests;
    const run = await sign(samples.simple, output, ['--level', 'B-T', '--tsa', tsa.url]);
    expectSigned(run, samples.simple, output);
    expect(tsa.requests).toBe(before + 1);
    // id-aa-signatureTimeStampToken, 1.2.840.113549.1.9.16.2.14 (RFC 3161 Appendix A), DER, inside the hex /Contents.
    expect(appended(samples.simple, output).toString('latin1').toLowerCase()).toContain('060b2a864886f70d010910020e');
    expect(pdfsig(output, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
  });

  it('fails with ERR_TSA_BAD_RESPONSE and writes nothing when the TSA answers HTTP 500', async () => {
    const bad = await startTsaServer({ pki, mode: 'http500' });
    try {
      const output = out('bt-500.pdf');
      const before = tmp.files();
      const run = await sign(samples.simple, output, ['--level', 'B-T', '--tsa', bad.url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^ERR_TSA_BAD_RESPONSE: /);
      expect(existsSync(output)).toBe(false);
      expect(tmp.files()).toEqual(before);
    } finally {
      await bad.close();
    }
  });

  it('refuses B-T without --tsa as a usage error', async () => {
    const run = await sign(samples.simple, out('bt-no-tsa.pdf'), ['--level', 'B-T']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: .*--tsa/);
  });
});

describe('kyso sign: failures', () => {
  it('fails with ERR_KEY_PASSWORD (exit 1) on a wrong password and writes nothing', async () => {
    const output = out('wrong-pin.pdf');
    const run = await sign(samples.simple, output, [], WRONG_PIN);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith('ERR_KEY_PASSWORD:')).toBe(true);
    expect(existsSync(output)).toBe(false);
  });

  it('speaks Vietnamese by default and English with --lang en', async () => {
    const vi = await sign(samples.simple, out('lang-vi.pdf'), [], WRONG_PIN);
    expect(vi.stderr.startsWith(`ERR_KEY_PASSWORD: ${ERROR_MESSAGES.ERR_KEY_PASSWORD.vi}`)).toBe(true);
    const en = await sign(samples.simple, out('lang-en.pdf'), ['--lang', 'en'], WRONG_PIN);
    expect(en.stderr.startsWith(`ERR_KEY_PASSWORD: ${ERROR_MESSAGES.ERR_KEY_PASSWORD.en}`)).toBe(true);
    const enEq = await sign(samples.simple, out('lang-en-eq.pdf'), ['--lang=en'], WRONG_PIN);
    expect(enEq.stderr.startsWith(`ERR_KEY_PASSWORD: ${ERROR_MESSAGES.ERR_KEY_PASSWORD.en}`)).toBe(true);
  });

  it('fails as a usage error (exit 64) when the --pin-env variable is not set', async () => {
    const output = out('no-env.pdf');
    const run = await runMain(['sign', samples.simple, '-o', output, '--p12', p12('leader'), '--pin-env', 'KYSO_CLI_TEST_UNSET_VAR']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: .*--pin-env/);
    expect(existsSync(output)).toBe(false);
  });

  it('fails as a usage error without --p12', async () => {
    const run = await runMain(['sign', samples.simple, '-o', out('no-p12.pdf'), '--pin-env', PIN_VAR], { [PIN_VAR]: pki.p12Password });
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: .*--p12/);
  });

  it('fails as a usage error without -o', async () => {
    const run = await runMain(['sign', samples.simple, '--p12', p12('leader'), '--pin-env', PIN_VAR], { [PIN_VAR]: pki.p12Password });
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: .*--output/);
  });

  it.each(['300,100,180', '300,100,180,abc', '1,2,3,4,5', ''])('rejects --rect %j as a usage error', async (rect) => {
    const output = out('bad-rect.pdf');
    const run = await sign(samples.simple, output, ['--rect', rect]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: .*--rect/);
    expect(existsSync(output)).toBe(false);
  });

  it.each([
    ['--role', 'sign'], ['--level', 'B-LT'], ['--certify', '4'], ['--page', '0'], ['--unit', 'cm'], ['--signing-time', 'yesterday'], ['--lang', 'fr'],
  ])('rejects %s %s as a usage error', async (flag, value) => {
    const run = await sign(samples.simple, out('bad-option.pdf'), [flag, value]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: /);
  });

  it('exits 64 (usage) with the usage on an unknown command', async () => {
    const run = await runMain(['sigh', samples.simple]);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^kyso: unknown command "sigh"/);
    expect(run.stderr).toContain('Usage: kyso <command>');
  });

  it('exits 64 (usage) on an unknown option', async () => {
    const run = await sign(samples.simple, out('unknown-option.pdf'), ['--frobnicate']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^kyso: dòng lệnh không hợp lệ — chi tiết kỹ thuật: Unknown option '--frobnicate'/);
  });

  it('fails with ERR_IO when the input file does not exist', async () => {
    const output = out('missing-out.pdf');
    const run = await sign(join(tmp.dir, 'no-such-file.pdf'), output);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERR_IO: /);
    expect(existsSync(output)).toBe(false);
  });

  it('fails with ERR_IO when the image file does not exist', async () => {
    const run = await sign(samples.simple, out('missing-image.pdf'), ['--role', 'approve', '--image', join(tmp.dir, 'no-such.png')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERR_IO: /);
  });

  it('fails with ERR_PDF_MALFORMED on a file that is not a PDF, and creates no output file, not even a temporary one', async () => {
    const garbage = join(tmp.dir, 'garbage.pdf');
    // Deterministic noise that is not a PDF: no header, no xref, no trailer.
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    const output = out('garbage-signed.pdf');
    const before = tmp.files();
    const run = await sign(garbage, output);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ERR_PDF_MALFORMED: /);
    expect(existsSync(output)).toBe(false);
    expect(tmp.files()).toEqual(before);
  });

  it('fails with ERR_PDF_MALFORMED on a PDF header followed by junk', async () => {
    const junk = join(tmp.dir, 'junk.pdf');
    writeFileSync(junk, '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R\nstartxref\n999999\n%%EOF\n');
    const output = out('junk-signed.pdf');
    const run = await sign(junk, output);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ERR_PDF_(MALFORMED|TRUNCATED): /);
    expect(existsSync(output)).toBe(false);
  });
});

describe('kyso sign: the password', () => {
  it.each([['--password'], ['--pin'], ['--p12-password'], ['-p']])('has no %s option: it is a usage error that does not echo the value', async (flag) => {
    const secret = pki.p12Password;
    const output = out('password-arg.pdf');
    const run = await runMain(['sign', samples.simple, '-o', output, '--p12', p12('leader'), flag, secret]);
    transcript.push(run.stdout, run.stderr);
    expect(run.code).toBe(64);
    expect(existsSync(output)).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('does not echo --pin-env when the password itself is given there by mistake', async () => {
    const run = await runMain(['sign', samples.simple, '-o', out('pin-env-mistake.pdf'), '--p12', p12('leader'), `--pin-env=${WRONG_PIN}`]);
    transcript.push(run.stdout, run.stderr);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: /);
    expect(run.stdout + run.stderr).not.toContain(WRONG_PIN);
  });

  it('never appears in anything the CLI printed in this file, right or wrong', async () => {
    // Runs late in the file, so the transcript holds the successes and failures above.
    await sign(samples.simple, out('leak-check.pdf'), ['--lang', 'en']);
    await sign(samples.simple, out('leak-check-wrong.pdf'), ['--lang', 'en'], WRONG_PIN);
    expect(transcript.length).toBeGreaterThan(20);
    for (const text of transcript) {
      expect(text).not.toContain(pki.p12Password);
      expect(text).not.toContain(WRONG_PIN);
    }
  });

  it('leaves the input untouched', async () => {
    const before = readFileSync(samples.simple);
    await sign(samples.simple, out('untouched.pdf'));
    expect(readFileSync(samples.simple).equals(before)).toBe(true);
  });
});
