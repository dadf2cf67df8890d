import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, startTsaServer, type SampleName, type TestPki, type TsaMode, type TsaServer } from '@kyso/testkit';
import { opensslCmsVerify, pdfsig, qpdfCheck, rawSignatures, tempDir, writeTemp } from '../helpers/signed-pdf.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let dir: string;
let tsa: TsaServer;
let leader: SigningAdapter;
const read = (p: string) => new Uint8Array(readFileSync(p));

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  dir = tempDir('kyso-bt-');
  tsa = await startTsaServer({ pki, delayMs: 3000, time: new Date('2026-06-01T00:00:00Z') });
  const e = pki.entity('leader');
  leader = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
});

afterAll(async () => {
  await tsa?.close();
});

/** The signature-timestamp token of a CMS (RFC 3161 App. A unsigned attribute) and the signature value it covers. */
function timestampOf(cms: Uint8Array): { token: Uint8Array; signatureValue: Uint8Array } {
  const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(cms.slice().buffer).result });
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0]!;
  const attr = si.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
  if (!attr) throw new Error('no signature-timestamp attribute');
  return {
    token: new Uint8Array(attr.values[0]!.toBER()),
    signatureValue: new Uint8Array(si.signature.valueBlock.valueHexView),
  };
}

describe('PAdES B-T: a signature timestamp from an RFC 3161 server', () => {
  it('embeds a token over the signature value that openssl ts -verify accepts, and pdfsig validates the file', async () => {
    tsa.mode = 'ok';
    const input = read(samples.vietnamese);
    const output = await sign(input, { adapter: leader, level: 'B-T', timestamp: { url: tsa.url } });
    expect(Buffer.compare(output.subarray(0, input.length), input)).toBe(0);
    const path = writeTemp(dir, 'bt.pdf', output);
    const sig = pdfsig(path, pki.nssDir);
    expect(sig.valid, sig.output).toBe(1);
    expect(sig.wholeDocument).toBe(1);
    expect(qpdfCheck(path).ok).toBe(true);
    const raw = rawSignatures(output)[0]!;
    expect(opensslCmsVerify(dir, raw, pki.rootPath).ok).toBe(true);

    const { token, signatureValue } = timestampOf(raw.cms);
    const tokenFile = writeTemp(dir, 'token.der', token);
    const dataFile = writeTemp(dir, 'sigvalue.bin', signatureValue);
    const r = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', tokenFile, '-data', dataFile,
      '-CAfile', pki.rootPath, '-untrusted', pki.intermediatePath], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/Verification: OK/);
  });

  it('signs a second time with B-T, and both signatures stay valid', async () => {
    tsa.mode = 'ok';
    const one = await sign(read(samples.simple), { adapter: leader, level: 'B-T', timestamp: { url: tsa.url } });
    const seal = pki.entity('seal');
    const two = await sign(one, { adapter: await fromPkcs8Pem(seal.keyPem, seal.certDer, seal.chainDer), level: 'B-T', timestamp: { url: tsa.url } });
    const sig = pdfsig(writeTemp(dir, 'bt2.pdf', two), pki.nssDir);
    expect(sig.valid, sig.output).toBe(2);
  });

  it('uses an injected fetch, so a portal can route the TSA call through its backend', async () => {
    tsa.mode = 'ok';
    const seen: string[] = [];
    const viaBackend: typeof fetch = async (url, init) => {
      seen.push(String(url));
      return fetch(tsa.url, init);
    };
    const output = await sign(read(samples.simple), {
      adapter: leader, level: 'B-T',
      timestamp: { url: 'https://backend.example/tsa-proxy', fetch: viaBackend as never },
    });
    expect(seen).toEqual(['https://backend.example/tsa-proxy']);
    expect(pdfsig(writeTemp(dir, 'bt-proxy.pdf', output), pki.nssDir).valid).toBe(1);
  });

  const failures: [TsaMode | 'closed', string][] = [
    ['slow', 'ERR_TSA_TIMEOUT'],
    ['http500', 'ERR_TSA_BAD_RESPONSE'],
    ['garbage', 'ERR_TSA_BAD_RESPONSE'],
    ['wrong-imprint', 'ERR_TSA_BAD_RESPONSE'],
    ['wrong-nonce', 'ERR_TSA_BAD_RESPONSE'],
    ['rejection', 'ERR_TSA_REJECTED'],
    ['closed', 'ERR_TSA_UNREACHABLE'],
  ];
  it.each(failures)('a TSA answering "%s" gives %s within the time-out', async (mode, code) => {
    let url = tsa.url;
    if (mode === 'closed') {
      const gone = await startTsaServer({ pki });
      url = gone.url;
      await gone.close();
    } else {
      tsa.mode = mode;
    }
    const started = performance.now();
    await expect(sign(read(samples.simple), { adapter: leader, level: 'B-T', timestamp: { url, timeoutMs: 1000 } }))
      .rejects.toMatchObject({ code });
    expect(performance.now() - started).toBeLessThan(2900); // well before the slow server's 3 s answer
  });
});
