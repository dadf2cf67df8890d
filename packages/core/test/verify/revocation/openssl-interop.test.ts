import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, ocspAnswer, run, type TestPki } from '@kyso/testkit';
import { checkRevocation, ocspRequestFor, readBasicResponse } from '../../../src/verify/revocation/index.js';

// OpenSSL as the independent party: it reads kyso's requests, its responses are judged by kyso,
// and it accepts the test responder's answers, so neither side only agrees with itself.
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  pki = await ensurePki();
  dir = await mkdtemp(join(tmpdir(), 'kyso-ocsp-'));
  // openssl ca's index format: status, expiry, revocation[,reason], serial, file, subject.
  await writeFile(
    join(dir, 'index.txt'),
    'V\t350101000000Z\t\t4B59534F00001001\tunknown\t/CN=leader\n' +
      'R\t350101000000Z\t250601000000Z,keyCompromise\t4B59534F00001006\tunknown\t/CN=revoked\n',
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function opensslAnswer(request: Uint8Array): Promise<Uint8Array> {
  await writeFile(join(dir, 'req.der'), request);
  await run('openssl', [
    'ocsp', '-index', join(dir, 'index.txt'), '-CA', pki.intermediatePath, '-rsigner', pki.entity('ocsp').certPath,
    '-rkey', pki.entity('ocsp').keyPath, '-reqin', join(dir, 'req.der'), '-respout', join(dir, 'resp.der'),
  ]);
  return new Uint8Array(await readFile(join(dir, 'resp.der')));
}

describe('OCSP interoperability with OpenSSL', () => {
  it('OpenSSL reads the request: CertID of the serial asked about and a 32-byte nonce', async () => {
    const request = await ocspRequestFor(pki.entity('leader').certDer, pki.entity('intermediate').certDer);
    await writeFile(join(dir, 'q.der'), request.der);
    const text = (await run('openssl', ['ocsp', '-reqin', join(dir, 'q.der'), '-req_text'])).stdout.toString('utf8');
    expect(text).toMatch(/Serial Number: 4B59534F00001001/);
    expect(text).toMatch(/OCSP Nonce:\s+0420[0-9A-F]{64}/);
  });

  it.each([
    ['leader', 'good', null],
    ['revoked', 'revoked', 'keyCompromise'],
  ] as const)('judges an OpenSSL responder answer about %s: %s', async (name, status, reason) => {
    const request = await ocspRequestFor(pki.entity(name).certDer, pki.entity('intermediate').certDer);
    const response = await opensslAnswer(request.der);
    // OpenSSL stamps its own clock; judge as of the moment it answered.
    const basic = readBasicResponse(response);
    if (typeof basic === 'string') throw new Error(basic);
    const produced = basic.tbsResponseData.producedAt;
    const facts = await checkRevocation([pki.entity(name).certDer, pki.entity('intermediate').certDer], produced, { ocsps: [response], crls: [] }, {
      mode: 'embedded', now: produced,
    });
    expect(facts.entries[0]).toMatchObject({ status, source: 'ocsp-embedded', reason });
  });

  it("OpenSSL verifies the test responder's answer and its nonce", async () => {
    const request = await ocspRequestFor(pki.entity('revoked').certDer, pki.entity('intermediate').certDer);
    await writeFile(join(dir, 'q.der'), request.der);
    await writeFile(join(dir, 'a.der'), ocspAnswer(pki, request.der));
    const out = await run('openssl', [
      'ocsp', '-reqin', join(dir, 'q.der'), '-respin', join(dir, 'a.der'), '-CAfile', pki.rootPath,
      '-verify_other', pki.intermediatePath, '-resp_text', '-attime', String(Date.UTC(2026, 2, 1) / 1000),
    ]);
    expect(out.stderr).toMatch(/Response verify OK/);
    expect(out.stdout.toString('utf8')).toMatch(/Cert Status: revoked\s+Revocation Time: Jun  1 00:00:00 2025 GMT\s+Revocation Reason: keyCompromise/);
  });
});
