import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { verifyCommand } from '../src/verify-command.js';
import { runMain, tempDir } from './helpers/cli.js';

// `kyso verify --lang vi` speaks Vietnamese only: no English reason inside a Vietnamese sentence (before, the
// revocation message ended "(no revocation data for this certificate)"). Technical names (SHA-1, TRY_LATER,
// PAdES-B-B) are not English prose and may stay.

/** English words that only English prose has; a Vietnamese line holding one mixes languages. */
const ENGLISH = /\b(the|this|that|no|not|for|of|with|from|could|was|is|data|certificate|revocation|signature|document|found|missing|unknown|invalid)\b/i;

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  tmp = tempDir();
  const leader = pki.entity('leader');
  const adapter = await fromPkcs8Pem(leader.keyPem, leader.certDer, leader.chainDer);
  writeFileSync(join(tmp.dir, 'signed.pdf'), await sign(new Uint8Array(readFileSync(samples.simple)), { adapter, signingTime: new Date('2026-01-15T03:00:00Z') }));
  writeFileSync(join(tmp.dir, 'root.pem'), pki.rootPem);
});
afterAll(() => tmp?.remove());

describe('errors on stderr in Vietnamese: the English technical detail is set apart, not part of the sentence', () => {
  it('a usage error reads "CODE: câu tiếng Việt — chi tiết kỹ thuật: …", and in English "CODE: sentence (detail)"', async () => {
    const vi = await runMain(['sign', join(tmp.dir, 'signed.pdf')]);
    expect(vi.code).toBe(64);
    expect(vi.stderr).toMatch(/^ERR_INVALID_ARGUMENT: [^()]+\. — chi tiết kỹ thuật: .+\n$/);
    const en = await runMain(['sign', join(tmp.dir, 'signed.pdf'), '--lang', 'en']);
    expect(en.stderr).toMatch(/^ERR_INVALID_ARGUMENT: [^()]+\. \(.+\)\n$/);
  });

  it('an unknown option, which Node words in English, is announced in Vietnamese with Node\'s words as the detail', async () => {
    const vi = await runMain(['verify', join(tmp.dir, 'signed.pdf'), '--frobnicate']);
    expect(vi.code).toBe(64);
    expect(vi.stderr).toMatch(/^kyso: dòng lệnh không hợp lệ — chi tiết kỹ thuật: Unknown option '--frobnicate'/);
  });
});

describe('kyso verify --lang vi: messages wholly in Vietnamese', () => {
  it('the revocation message of a signature without revocation data has no English reason', async () => {
    // No revocation data embedded and none fetched: INDETERMINATE, TRY_LATER, with a reason.
    const { output, exit } = await verifyCommand([join(tmp.dir, 'signed.pdf'), '--trust', join(tmp.dir, 'root.pem'), '--revocation', 'embedded', '--at', '2030-01-01T00:00:00Z', '--lang', 'vi']);
    expect(exit).toBe(2);
    const messages = output.split('\n').filter((l) => l.trim().startsWith('•'));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.filter((l) => ENGLISH.test(l))).toEqual([]);
    // The same report in English still says why.
    const en = await verifyCommand([join(tmp.dir, 'signed.pdf'), '--trust', join(tmp.dir, 'root.pem'), '--revocation', 'embedded', '--at', '2030-01-01T00:00:00Z', '--lang', 'en']);
    expect(en.output).toMatch(/revocation/i);
  });
});
