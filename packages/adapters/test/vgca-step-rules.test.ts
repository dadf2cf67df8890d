// What a signing step may bring back to the integrator: the document exactly as it was sent plus one signature
// (its field, widget and appearance), made after the job was issued. Written as the attacks: the unsigned draft,
// a revision that changes what the page shows, then a valid signature by a trusted leader over the whole file,
// which a plain verifier (kyso verify, pdfsig) calls valid; and an earlier signing of the same draft replayed.
// Both the integrator's upload handler (a real node:http server on 127.0.0.1) and the page's signDocumentVerified
// must refuse them, and still accept the legitimate approve → issue chain.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPkcs8Pem, RefusedStepChanges, signDocumentVerified } from '@kyso/adapters';
import type { VgcaUploadEvent, VgcaUploadHandlerOptions } from '@kyso/adapters/vgca-handler';
import {
  analyseAppendedRevisions, KysoError, sign, verify, type FullDocumentRequest, type FullDocumentSigner, type SigningAdapter,
} from '@kyso/core';
import '@kyso/core/node';
import { ensurePki, ensureSamples, sealImage, signatureImage, type TestPki } from '@kyso/testkit';
import { CHANGES, handSigned, signedWithChange, type ChangeName } from './vgca-attack-files.js';
import { startUploadServer, type UploadServer } from './helpers/vgca-upload-server.js';

/** Validation time: inside every test certificate's validity; the tests never read the clock. */
const AT = new Date('2030-01-01T00:00:00Z');
/** When the integrator issued the job (handed out the document and upload URLs). */
const ISSUED = new Date('2026-03-05T07:30:00Z');
const AFTER = new Date('2026-03-05T07:31:10Z');
const MINUTE = 60_000;

let pki: TestPki;
let dir: string;
let draft: Uint8Array;
let leader: SigningAdapter;
let seal: SigningAdapter;
let server: UploadServer;
let base: string;
const events: VgcaUploadEvent[] = [];
let current: VgcaUploadHandlerOptions;
let n = 0;

const serial = (name: 'leader' | 'seal') => pki.entity(name).serialHex.toLowerCase();
const bySigner = (name: 'leader' | 'seal') => (s: { serialNumber: string | null }) => s.serialNumber?.toLowerCase() === serial(name);
const trustOnly = { trust: [] as string[], revocation: 'off' as const, acceptRevocationUnknown: true, at: AT };

/** A fresh job for `original`, issued at `issuedAt`, stored under the temp folder; returns where it would be stored. */
function job(original: Uint8Array, more: { issuedAt?: Date; lang?: 'vi' | 'en'; expect?: 'leader' | 'seal' } = {}) {
  const outputPath = join(dir, `stored-${++n}.pdf`);
  current = {
    ...trustOnly, trust: [pki.rootPem], lang: more.lang ?? 'vi',
    resolve: () => ({
      original, outputPath, fileServer: `doc-${n}`, issuedAt: more.issuedAt ?? ISSUED,
      ...(more.expect ? { expectSigner: bySigner(more.expect) } : {}),
    }),
    onEvent: (e) => events.push(e),
  };
  return outputPath;
}

async function upload(file: Uint8Array) {
  const res = await fetch(`${base}/upload`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: (await res.json()) as { Status: unknown; Message: string; FileServer: string } };
}

/** A service that says it stored `stored` (a compromised agent, or a handler that is not kyso's). */
function serviceStoring(stored: Uint8Array): { signer: FullDocumentSigner; fetchSigned: () => Promise<Uint8Array> } {
  return {
    signer: { signDocument: async () => ({ fileName: 'signed.pdf', fileServer: 'doc-1', documentNumber: null, documentDate: null, message: null }) },
    fetchSigned: async () => stored,
  };
}
const request: FullDocumentRequest = { role: 'approve', documentUrl: 'https://qlvb.example/doc?t=1', uploadUrl: 'https://qlvb.example/up?t=1' };

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  dir = mkdtempSync(join(tmpdir(), 'kyso-vgca-steps-'));
  draft = new Uint8Array(readFileSync(samples.simple));
  const key = async (name: 'leader' | 'seal') => {
    const e = pki.entity(name);
    return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  };
  leader = await key('leader');
  seal = await key('seal');
  server = await startUploadServer(() => current);
  base = server.base;
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('first step on an unsigned draft: content replaced, then signed by a trusted leader', () => {
  it('a plain verifier and pdfsig accept the attack file, and it shows the new text', async () => {
    const attack = await signedWithChange(draft, 'page 1 content replaced', leader, AFTER);
    const report = await verify(attack, { trust: [pki.rootPem], revocation: 'off', at: AT });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ coversWholeFile: true, cryptoValid: true, integrity: 'intact' });
    expect(report.signatures[0]!.modifications.verdict).toBe('none');
    const path = join(dir, 'attack.pdf');
    writeFileSync(path, attack);
    const ps = spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, path], { encoding: 'utf8' });
    expect(ps.stdout).toContain('Signature is Valid.');
    expect(ps.stdout).toContain('Total document signed');
    expect(spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' }).stdout).toContain('So tien: 9.000.000.000');
  });

  it('the handler refuses it: Status false, ERR_VGCA_UPLOAD_INVALID naming the change in vi, nothing stored', async () => {
    const attack = await signedWithChange(draft, 'page 1 content replaced', leader, AFTER);
    const out = job(draft, { expect: 'leader' });
    const { status, json } = await upload(attack);
    expect(status).toBe(200);
    expect(json.Status).toBe(false);
    expect(json.FileServer).toBe('');
    expect(json.Message).toContain('nội dung trang 1 bị thay thế');
    expect(events.at(-1)).toMatchObject({ outcome: 'rejected', code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining('page 1 content replaced') });
    expect(existsSync(out)).toBe(false);
  });

  it('the handler answers in English when configured so', async () => {
    const attack = await signedWithChange(draft, 'page 1 content replaced', leader, AFTER);
    job(draft, { lang: 'en' });
    const { json } = await upload(attack);
    expect(json.Status).toBe(false);
    expect(json.Message).toContain('The signed file changes more than adding the signature: page 1 content replaced');
  });

  it('signDocumentVerified refuses it too, with the changes as the cause', async () => {
    const attack = await signedWithChange(draft, 'page 1 content replaced', leader, AFTER);
    const { signer, fetchSigned } = serviceStoring(attack);
    const error = await signDocumentVerified(signer, request, { original: draft, fetchSigned, ...trustOnly, trust: [pki.rootPem], clock: () => ISSUED })
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(KysoError);
    expect((error as KysoError).code).toBe('ERR_VGCA_UPLOAD_INVALID');
    const cause = (error as KysoError).cause;
    expect(cause).toBeInstanceOf(RefusedStepChanges);
    expect((cause as RefusedStepChanges).changes.map((c) => c.kind)).toContain('page-content-changed');
    expect((cause as RefusedStepChanges).text.vi).toContain('nội dung trang 1 bị thay thế');
  });
});

describe('other changes slipped in with the first signature are refused by the handler', () => {
  const rows: [ChangeName, boolean, RegExp][] = [
    ['annotation added', false, /annotation added on page 1/],
    ['annotation added', true, /annotation added on page 1/],
    ['page 1 content replaced', true, /page 1 content replaced/],
    ['page added', false, /page 2 added/],
    ['font resource swapped', false, /page 1 resources \(fonts, images\) changed/],
  ];
  for (const [change, sameRevision, label] of rows) {
    it(`${change}${sameRevision ? ', in the signing revision itself' : ', in a revision before the signature'}`, async () => {
      const attack = await signedWithChange(draft, change, leader, AFTER, sameRevision);
      // The attack is real: one intact, whole-file signature whose own analysis sees nothing after it.
      const report = await verify(attack, { trust: [pki.rootPem], revocation: 'off', at: AT });
      expect(report.signatures.map((s) => [s.coversWholeFile, s.cryptoValid])).toEqual([[true, true]]);
      expect(report.revisions).toBe(sameRevision ? 2 : 3);
      const out = job(draft);
      const { json } = await upload(attack);
      expect(json.Status).toBe(false);
      expect(events.at(-1)).toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringMatching(label) });
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a signature whose appearance covers the whole page (a new page in disguise)', async () => {
    const attack = await sign(draft, {
      adapter: leader, level: 'B-B', signingTime: AFTER, placement: { page: 1, rect: [0, 0, 595, 842] },
      appearance: { role: 'custom', template: 'So tien: 9.000.000.000 dong - da duyet' },
    });
    const out = job(draft);
    const { json } = await upload(attack);
    expect(json.Status).toBe(false);
    expect(json.Message).toContain("phủ 100% trang 1 (tối đa 10%)");
    expect(events.at(-1)).toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining('covers 100% of page 1 (at most 10%)') });
    expect(existsSync(out)).toBe(false);
  });

  it('a signature whose own widget runs JavaScript when the page opens', async () => {
    const attack = await handSigned(draft, { adapter: leader, signingTime: AFTER, pageOpenScript: 'this.getField("x")' });
    const report = await verify(attack, { trust: [pki.rootPem], revocation: 'off', at: AT });
    expect(report.signatures.map((s) => [s.coversWholeFile, s.cryptoValid])).toEqual([[true, true]]);
    const out = job(draft);
    expect((await upload(attack)).json.Status).toBe(false);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining("signature 'Signature1' carries an action") });
    expect(existsSync(out)).toBe(false);
  });

  it('core names each change kind under the step rules', async () => {
    const kinds: Record<ChangeName, string> = {
      'page 1 content replaced': 'page-content-changed', 'annotation added': 'annotation-added', 'page added': 'page-added',
      'font resource swapped': 'resources-changed',
    };
    for (const change of Object.keys(CHANGES) as ChangeName[]) {
      const attack = await signedWithChange(draft, change, leader, AFTER);
      const step = await analyseAppendedRevisions(attack, draft.length);
      expect(step.verdict).toBe('disallowed');
      expect(step.refused.map((c) => c.kind)).toContain(kinds[change]);
      expect(step.signatures).toHaveLength(1);
      // The signature itself is not what is refused.
      expect(step.changes.filter((c) => c.kind === 'signature-added').every((c) => c.allowed)).toBe(true);
    }
  });
});

describe('legitimate steps are still accepted', () => {
  it('approve on the unsigned draft, then issue with the seal over it, each with its appearance', async () => {
    const approved = await sign(draft, { adapter: leader, level: 'B-B', signingTime: AFTER, appearance: { role: 'approve', image: { bytes: signatureImage() } } });
    const approvedStep = await analyseAppendedRevisions(approved, draft.length);
    expect(approvedStep).toMatchObject({ verdict: 'allowed', refused: [] });
    let out = job(draft, { expect: 'leader' });
    expect((await upload(approved)).json).toMatchObject({ Status: true, FileServer: `doc-${n}` });
    expect(new Uint8Array(readFileSync(out))).toEqual(approved);

    const later = new Date(AFTER.getTime() + 30 * MINUTE);
    const issued = await sign(approved, { adapter: seal, level: 'B-B', signingTime: new Date(later.getTime() + MINUTE), appearance: { role: 'issue', image: { bytes: sealImage(36) } } });
    out = job(approved, { issuedAt: later, expect: 'seal' });
    expect((await upload(issued)).json.Status).toBe(true);
    expect(new Uint8Array(readFileSync(out))).toEqual(issued);

    const { signer, fetchSigned } = serviceStoring(issued);
    const ok = await signDocumentVerified(signer, { ...request, role: 'issue', docNumber: '15/QĐ-UBND', issuedDate: later }, {
      original: approved, fetchSigned, ...trustOnly, trust: [pki.rootPem], clock: () => later, expectSigner: bySigner('seal'),
    });
    expect(ok.step.verdict).toBe('allowed');
    expect(ok.signedAt).toBe(new Date(later.getTime() + MINUTE).toISOString());
  });

  it('an issue step over an approval whose file ends right after %%EOF (no end-of-line)', async () => {
    const approved = await handSigned(draft, { adapter: leader, signingTime: AFTER, noFinalEol: true });
    expect(Buffer.from(approved.subarray(-5)).toString('latin1')).toBe('%%EOF');
    const issued = await sign(approved, { adapter: seal, level: 'B-B', signingTime: AFTER });
    const out = job(approved, { expect: 'seal' });
    const { json } = await upload(issued);
    expect(json.Message).toBe('');
    expect(json.Status).toBe(true);
    expect(existsSync(out)).toBe(true);
  });

  it('an issue step that also changes page 1 is refused like the first step', async () => {
    const approved = await sign(draft, { adapter: leader, level: 'B-B', signingTime: AFTER });
    const attack = await signedWithChange(approved, 'page 1 content replaced', seal, AFTER);
    const out = job(approved);
    expect((await upload(attack)).json.Status).toBe(false);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining('page 1 content replaced') });
    expect(existsSync(out)).toBe(false);
  });
});

describe('replay: a signing made before the job was issued', () => {
  it('the handler refuses a signature made 10 minutes before the job, accepts one made within the clock skew', async () => {
    const replayed = await sign(draft, { adapter: leader, level: 'B-B', signingTime: new Date(ISSUED.getTime() - 10 * MINUTE) });
    let out = job(draft);
    expect((await upload(replayed)).json.Status).toBe(false);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining('before this signing job was issued') });
    expect(existsSync(out)).toBe(false);

    const skewed = await sign(draft, { adapter: leader, level: 'B-B', signingTime: new Date(ISSUED.getTime() - 2 * MINUTE) });
    out = job(draft);
    expect((await upload(skewed)).json.Status).toBe(true);
    expect(existsSync(out)).toBe(true);
  });

  it('signDocumentVerified takes the job time from its clock, just before the request', async () => {
    const signedAt = new Date(ISSUED.getTime() + MINUTE);
    const fresh = await sign(draft, { adapter: leader, level: 'B-B', signingTime: signedAt });
    const { signer, fetchSigned } = serviceStoring(fresh);
    const options = { original: draft, fetchSigned, ...trustOnly, trust: [pki.rootPem] };
    expect((await signDocumentVerified(signer, request, { ...options, clock: () => ISSUED })).signedAt).toBe(signedAt.toISOString());
    // The same file, offered for a job issued an hour later: an earlier signing replayed.
    await expect(signDocumentVerified(signer, request, { ...options, clock: () => new Date(ISSUED.getTime() + 60 * MINUTE) }))
      .rejects.toMatchObject({ code: 'ERR_VGCA_UPLOAD_INVALID', detail: expect.stringContaining('before this signing job was issued') });
  });

  it('a handler target without issuedAt is the integrator\'s error (HTTP 500), never an acceptance', async () => {
    const fresh = await sign(draft, { adapter: leader, level: 'B-B', signingTime: AFTER });
    const out = job(draft);
    const resolve = current.resolve;
    current = { ...current, resolve: async (q, u) => ({ ...(await resolve(q, u))!, issuedAt: undefined as unknown as Date }) };
    const { status, json } = await upload(fresh);
    expect(status).toBe(500);
    expect(json.Status).toBe(false);
    expect(events.at(-1)).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(existsSync(out)).toBe(false);
  });
});
