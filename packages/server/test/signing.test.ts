import { sign as nodeSign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '@kyso/core';
import { ensurePki, ensureSamples, type TestPki } from '@kyso/testkit';
import { connectRedis, startService, type KysoService } from '../src/index.js';
import { AT } from './helpers/documents.js';
import { startRedis, type TestRedis } from './helpers/redis.js';

const KEYS = ['signing-client-one-0123456789abcdef', 'signing-client-two-0123456789abcdef'];

let pki: TestPki;
let redis: TestRedis;
let client: ReturnType<typeof connectRedis>;
let service: KysoService;
let pdf: Uint8Array;
let other: Uint8Array;

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  pdf = new Uint8Array(readFileSync(samples.simple));
  other = new Uint8Array(readFileSync(samples.vietnamese));
  redis = await startRedis();
  client = connectRedis(redis.url);
  service = await startService({ port: 0, apiKeys: KEYS, signing: { redis: client } });
});

afterAll(async () => {
  await service?.close();
  client?.disconnect();
  await redis?.stop();
});

async function prepareAs(key: string, body = pdf): Promise<{ id: string; hash: string; toBeSigned: string }> {
  const leader = pki.entity('leader');
  const res = await fetch(`${service.url}/v1/sign/prepare?reason=${encodeURIComponent('Phê duyệt')}`, {
    method: 'POST', body,
    headers: { authorization: `Bearer ${key}`, 'kyso-certificate': b64(leader.certDer), 'kyso-chain': leader.chainDer.map(b64).join(',') },
  });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ id: string; hash: string; toBeSigned: string }>;
}

/** What the signer's key does elsewhere (a token, an HSM, a phone): sign the bytes prepare answered. */
function signatureOf(prepared: { hash: string; toBeSigned: string }): string {
  return b64(nodeSign(prepared.hash.replace('-', '').toLowerCase(), Buffer.from(prepared.toBeSigned, 'base64'), pki.entity('leader').keyPem));
}

function finishAs(key: string, id: string, value: string, body = pdf): Promise<Response> {
  return fetch(`${service.url}/v1/sign/finish?id=${id}`, { method: 'POST', body, headers: { authorization: `Bearer ${key}`, 'kyso-signature-value': value } });
}

describe('staged signing through the service', () => {
  it('prepares, takes a signature value made elsewhere, and answers the signed PDF (the input plus one update)', async () => {
    const prepared = await prepareAs(KEYS[0]!);
    expect(prepared.id).toMatch(/^[0-9a-f]{32}$/);
    const res = await finishAs(KEYS[0]!, prepared.id, signatureOf(prepared));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const signed = new Uint8Array(await res.arrayBuffer());
    expect(signed.subarray(0, pdf.length)).toEqual(pdf);
    const report = await verify(signed, { trust: [pki.rootPem], revocation: 'off', at: new Date(AT) });
    expect(report.signatures).toHaveLength(1);
    expect(new X509Certificate(pki.entity('leader').certDer).subject).toContain(`CN=${report.signatures[0]!.signer.commonName}`);
    expect(report.signatures[0]!.indication).not.toBe('TOTAL_FAILED');
    expect(report.signatures[0]!.modifications.verdict).toBe('none');
    // Used once: the same id cannot finish a second time.
    expect((await finishAs(KEYS[0]!, prepared.id, signatureOf(prepared))).status).toBe(404);
  });

  it('keeps each client\'s prepared signatures to that client', async () => {
    const prepared = await prepareAs(KEYS[0]!);
    const stolen = await finishAs(KEYS[1]!, prepared.id, signatureOf(prepared));
    expect(stolen.status).toBe(404);
    expect((await stolen.json()).code).toBe('ERR_SERVICE_NOT_FOUND');
  });

  it('refuses a signature value from another key and another document at finish', async () => {
    const prepared = await prepareAs(KEYS[0]!);
    const wrongKey = b64(nodeSign(prepared.hash.replace('-', '').toLowerCase(), Buffer.from(prepared.toBeSigned, 'base64'), pki.entity('seal').keyPem));
    const refused = await finishAs(KEYS[0]!, prepared.id, wrongKey);
    expect(refused.status).toBe(422);
    expect((await refused.json()).code).toBe('ERR_SIG_VALUE_INVALID');
    const again = await prepareAs(KEYS[0]!);
    const otherFile = await finishAs(KEYS[0]!, again.id, signatureOf(again), other);
    expect(otherFile.status).toBe(422);
    expect((await otherFile.json()).code).toBe('ERR_SIG_PREPARED_INVALID');
  });

  it('refuses bad headers as typed errors, and answers 503 without Redis', async () => {
    const noCert = await fetch(`${service.url}/v1/sign/prepare`, { method: 'POST', body: pdf, headers: { authorization: `Bearer ${KEYS[0]}` } });
    expect(noCert.status).toBe(400);
    expect((await noCert.json()).code).toBe('ERR_INVALID_ARGUMENT');
    const bt = await fetch(`${service.url}/v1/sign/prepare?level=B-T`, { method: 'POST', body: pdf, headers: { authorization: `Bearer ${KEYS[0]}`, 'kyso-certificate': b64(pki.entity('leader').certDer) } });
    expect((await bt.json()).code).toBe('ERR_INVALID_ARGUMENT');
    const plain = await startService({ port: 0 });
    try {
      const res = await fetch(`${plain.url}/v1/sign/prepare`, { method: 'POST', body: pdf });
      expect(res.status).toBe(503);
      expect((await res.json()).code).toBe('ERR_SERVICE_UNAVAILABLE');
    } finally {
      await plain.close();
    }
  });
});
