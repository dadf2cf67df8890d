import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type SignatureReport, type VerifyOptions } from '@kyso/core';
import '@kyso/core/node';
import type { KysoClient } from '@kyso/core/worker';
import { ensurePki, ensureStoryFixtures } from '@kyso/testkit';
import {
  createKysoSignatureVerifier, describeVerdict, statusOf, toPdfjsResult, verifyPdfjsDocument,
  type PdfjsSignature, type PdfjsSignatureData,
} from '../../src/pdfjs-verifier/index.js';
import { FIELD, formDocuments } from './documents.js';

/**
 * `@kyso/elements/pdfjs-verifier` as pdf.js's signature verifier: each of
 * pdf.js's signatures (its /ByteRange, its signed spans) is answered from
 * kyso's report of the whole file. Real documents, real verification (core in
 * this process standing in for the worker, same function); the shapes given
 * to the verifier are pdf.js's (`getSignatures()` entries + `getSignatureData()`).
 */
let stories: string;
let options: VerifyOptions;
let filled: Uint8Array;

/** kyso's worker client API over core's verify in this process (the worker runs the same function). */
const inProcess: KysoClient = {
  verify: (pdf, o) => verify(pdf, o),
  prepare: () => Promise.reject(new Error('unused')),
  finish: () => Promise.reject(new Error('unused')),
  sign: () => Promise.reject(new Error('unused')),
  extend: () => Promise.reject(new Error('unused')),
  terminate: () => undefined,
};

const story = async (file: string) => new Uint8Array(await readFile(join(stories, file)));

/** What pdf.js's getSignatures() + getSignatureData() give for the signature with `byteRange` in `pdf`. */
function asPdfjs(pdf: Uint8Array, byteRange: readonly number[], extra: Partial<PdfjsSignature> = {}): PdfjsSignature & PdfjsSignatureData {
  const [a, b, c, d] = byteRange as [number, number, number, number];
  const tail = pdf.subarray(c + d);
  return {
    id: `9R:${byteRange.join('-')}`, fieldName: 'Signature1', byteRange,
    coversWholeDocument: tail.every((x) => x === 0x0a || x === 0x0d || x === 0x20),
    modificationsAfterSignature: 0,
    data: [pdf.slice(a, a + b), pdf.slice(c, c + d)], pkcs7: new Uint8Array(0),
    ...extra,
  };
}

async function judge(pdf: Uint8Array, index = 0, extra: Partial<PdfjsSignature> = {}) {
  const verifier = createKysoSignatureVerifier({ document: pdf, client: inProcess, verifyOptions: options, lang: 'en' });
  const report = await verifier.report();
  return verifier.verify(asPdfjs(pdf, report.signatures[index]!.byteRange!, extra));
}

beforeAll(async () => {
  const pki = await ensurePki();
  stories = (await ensureStoryFixtures()).dir;
  options = { trust: [pki.rootDer], revocation: 'embedded' };
  filled = (await formDocuments()).filled;
}, 180_000);

describe('pdf.js verifier results from kyso', () => {
  it('a valid signature: verified, not modified, with the signer and kyso\'s indication', async () => {
    const r = await judge(await story('valid.pdf'));
    expect(r).toMatchObject({ status: 'verified', errorCode: null, documentModifiedAfterSigning: false, modificationsAfterSignature: 0 });
    expect(r.certificate?.subjectCN).toBe('Nguyễn Văn Đức');
    expect(r.kyso).toMatchObject({ indication: 'TOTAL_PASSED', integrity: 'intact', modifications: { verdict: 'none', changes: [] } });
    expect(describeVerdict(r, 'vi')).toEqual({ state: 'verified', headline: 'Chữ ký hợp lệ', changes: [] });
  });

  it('a form filled after signing: verified AND modified after signing, the fill listed as allowed (pdf.js#21698)', async () => {
    const r = await judge(filled);
    expect(r).toMatchObject({ status: 'verified', documentModifiedAfterSigning: true, modificationsAfterSignature: 1 });
    expect(r.kyso?.modifications).toEqual({
      verdict: 'allowed',
      changes: [expect.objectContaining({ kind: 'form-filled', allowed: true, label: { vi: `điền trường biểu mẫu '${FIELD}'`, en: `form field '${FIELD}' filled` } })],
    });
    expect(describeVerdict(r, 'en')).toEqual({ state: 'allowed', headline: 'Modified after signing, allowed', changes: [{ text: `form field '${FIELD}' filled`, allowed: true }] });
    expect(describeVerdict(r, 'vi').headline).toBe('Đã thay đổi sau khi ký, thay đổi được phép');
  });

  it('page content changed after signing: invalid, never verified', async () => {
    const r = await judge(await story('modified.pdf'));
    expect(r).toMatchObject({ status: 'invalid', errorCode: 'KYSO_MODIFIED_DISALLOWED', documentModifiedAfterSigning: true });
    expect(r.kyso?.modifications.changes.some((c) => !c.allowed)).toBe(true);
    expect(describeVerdict(r, 'en').state).toBe('disallowed');
  });

  it('a signed byte altered: invalid with kyso\'s sub-indication', async () => {
    expect(await judge(await story('tampered.pdf'))).toMatchObject({ status: 'invalid', errorCode: 'HASH_FAILURE' });
  });

  it('certificate problems map to pdf.js\'s certificate statuses; an undecided one stays unknown', async () => {
    expect(await judge(await story('revoked.pdf'))).toMatchObject({ status: 'revoked', errorCode: 'REVOKED_NO_POE' });
    expect(await judge(await story('expired.pdf'))).toMatchObject({ status: 'expired', errorCode: 'OUT_OF_BOUNDS_NO_POE' });
    expect(await judge(await story('untrusted.pdf'))).toMatchObject({ status: 'untrusted', errorCode: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(await judge(await story('indeterminate.pdf'))).toMatchObject({ status: 'unknown', errorCode: 'TRY_LATER' });
  });

  it('what pdf.js saw after the signed bytes counts even where kyso found no change', async () => {
    const r = await judge(await story('valid.pdf'), 0, { coversWholeDocument: false, modificationsAfterSignature: 2 });
    expect(r).toMatchObject({ status: 'verified', documentModifiedAfterSigning: true, modificationsAfterSignature: 2 });
  });
});

describe('strictness: what kyso cannot vouch for is never verified', () => {
  it('spans pdf.js read that differ from the bytes kyso verified: unknown (not the same file)', async () => {
    const valid = await story('valid.pdf');
    const verifier = createKysoSignatureVerifier({ document: valid, client: inProcess, verifyOptions: options });
    const { byteRange } = (await verifier.report()).signatures[0]!;
    const other = valid.slice();
    other[byteRange![1]! - 10] ^= 0x01; // inside the first signed span
    expect(await verifier.verify(asPdfjs(other, byteRange!))).toMatchObject({ status: 'unknown', errorCode: 'KYSO_DATA_MISMATCH', kyso: null });
    expect(await verifier.verify({ ...asPdfjs(valid, byteRange!), data: [] })).toMatchObject({ status: 'unknown', errorCode: 'KYSO_DATA_MISMATCH' });
  });

  it('a /ByteRange kyso did not find: unknown; a file kyso cannot read: unknown with kyso\'s error code', async () => {
    const valid = await story('valid.pdf');
    const verifier = createKysoSignatureVerifier({ document: valid, client: inProcess, verifyOptions: options });
    expect(await verifier.verify({ id: 'x', byteRange: [0, 10, 20, 30] })).toMatchObject({ status: 'unknown', errorCode: 'KYSO_SIGNATURE_NOT_FOUND' });
    const bytes = await story('garbage.pdf');
    const garbage = createKysoSignatureVerifier({ document: bytes, client: inProcess, verifyOptions: options });
    const r = await garbage.verify({ id: 'x', byteRange: [0, 10, 20, 30] });
    expect(r.status).toBe('unknown');
    expect(r.errorCode).toMatch(/^KYSO_FAILED:ERR_[A-Z_]+$/);
    // Listed by pdf.js, the signature keeps that answer; with nothing listed, the failure reaches the page.
    const listing = { getData: () => Promise.resolve(bytes), getSignatures: () => Promise.resolve([{ id: 'x', byteRange: [0, 10, 20, 30] }]),
      getSignatureData: () => Promise.resolve({ data: [bytes.slice(0, 10), bytes.slice(20, 50)], pkcs7: new Uint8Array(0) }) };
    expect((await verifyPdfjsDocument(listing, garbage)).map((v) => v.result.errorCode)).toEqual([r.errorCode]);
    await expect(verifyPdfjsDocument({ getData: listing.getData }, garbage)).rejects.toMatchObject({ code: r.errorCode!.slice('KYSO_FAILED:'.length) });
  });

  it('a report that passed but lists a disallowed change is invalid; an unchecked signature value is never a certificate status', () => {
    const base = {
      kind: 'signature', field: 'S', subFilter: 'ETSI.CAdES.detached', level: 'PAdES-B-B',
      signer: { commonName: 'A', organization: null, uid: [], serialNumber: '01', issuer: 'CN=Root, O=Test' },
      signingTime: { claimed: null, timestamp: null }, coverage: 'whole-revision', byteRange: [0, 1, 3, 1], coversWholeFile: true,
      integrity: 'intact', cryptoValid: true, chain: { status: 'trusted', path: [], anchor: null }, revocation: { status: 'good', source: [] },
      modifications: { verdict: 'none', changes: [] }, indication: 'TOTAL_PASSED', subIndication: null, messages: [],
    } as const satisfies SignatureReport;
    const change = { revision: 2, kind: 'page-content-changed', allowed: false, label: { vi: 'x', en: 'x' }, objects: [] } as const;
    expect(statusOf({ ...base, modifications: { verdict: 'disallowed', changes: [change] } })).toEqual({ status: 'invalid', errorCode: 'KYSO_MODIFIED_DISALLOWED' });
    expect(statusOf({ ...base, cryptoValid: null })).toEqual({ status: 'unknown', errorCode: 'TOTAL_PASSED' });
    expect(statusOf({ ...base, indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', cryptoValid: null }).status).toBe('unknown');
    expect(statusOf({ ...base, indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', integrity: 'unknown' }).status).toBe('unknown');
    expect(toPdfjsResult({ id: 'x', byteRange: [0, 1, 3, 1] }, base).certificate).toMatchObject({ subjectCN: 'A', issuerCN: 'Root' });
  });
});

describe('verifyPdfjsDocument', () => {
  it('pdf.js < 6.2 (no getSignatures): kyso lists the signatures, each answered in pdf.js\'s shape', async () => {
    const pdf = await story('approve-issue.pdf');
    const verifier = createKysoSignatureVerifier({ document: () => Promise.resolve(pdf), client: inProcess, verifyOptions: options });
    const verdicts = await verifyPdfjsDocument({ getData: () => Promise.resolve(pdf) }, verifier);
    expect(verdicts.map((v) => [v.listedBy, v.result.status, describeVerdict(v.result, 'en').state])).toEqual([
      ['kyso', 'verified', 'allowed'], // the leader's approval, then the seal's signature added: an allowed change
      ['kyso', 'verified', 'verified'],
    ]);
  });

  it('a signature pdf.js does not list is still shown (listed by kyso)', async () => {
    const pdf = await story('approve-issue.pdf');
    const verifier = createKysoSignatureVerifier({ document: pdf, client: inProcess, verifyOptions: options });
    const ranges = (await verifier.report()).signatures.map((s) => s.byteRange!);
    const only = asPdfjs(pdf, ranges[1]!);
    const pdfjsLike = {
      getData: () => Promise.resolve(pdf),
      getSignatures: () => Promise.resolve([{ ...only, data: undefined, pkcs7: undefined }]),
      getSignatureData: (id: string) => Promise.resolve(id === only.id ? { data: only.data, pkcs7: only.pkcs7 } : null),
    };
    const verdicts = await verifyPdfjsDocument(pdfjsLike, verifier);
    expect(verdicts.map((v) => [v.listedBy, v.signature.byteRange, v.result.status])).toEqual([
      ['pdfjs', ranges[1], 'verified'],
      ['kyso', ranges[0], 'verified'],
    ]);
  });
});
