import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts, judge, KysoError, LEGACY_POLICY, sign, verify, type SigningAdapter, type VerifyOptions } from '@kyso/core';
import { issueTestCertificate } from './chain/issue.js';
import '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import {
  appendAnnotation, ensurePki, ensureSamples, pkiRoutes, routeFetch, startCrlServer, startOcspResponder, startTsaServer,
  type SampleName, type TestPki,
} from '@kyso/testkit';

let pki: TestPki;
let samples: Record<SampleName, string>;
let servers: { close(): Promise<void> }[] = [];
let online: VerifyOptions;
let tsaUrl: string;
const read = (p: string) => new Uint8Array(readFileSync(p));
/** A fixed validation time: leaves are valid 2025–2035, CRL and OCSP data 2026–2036. */
const AT = new Date('2030-01-01T00:00:00Z');
const adapters = new Map<string, SigningAdapter>();
async function adapter(name: Parameters<TestPki['entity']>[0]): Promise<SigningAdapter> {
  if (!adapters.has(name)) {
    const e = pki.entity(name);
    adapters.set(name, await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer));
  }
  return adapters.get(name)!;
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  // The TSA's clock is frozen (faketime), so genTime is known and no test depends on the real clock.
  const tsa = await startTsaServer({ pki, time: new Date('2026-06-01T00:00:00Z') });
  servers = [ocsp, crl, tsa];
  tsaUrl = tsa.url;
  online = { trust: [pki.rootDer], revocation: 'online', fetch: routeFetch(pkiRoutes({ ocsp, crl })), at: AT, timeoutMs: 3000 };
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('verify: kyso-signed documents', () => {
  it('a B-B signature, trusted and not revoked, is TOTAL_PASSED', async () => {
    const signed = await sign(read(samples.vietnamese), { adapter: await adapter('leader') });
    const r = await verify(signed, online);
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]).toMatchObject({
      kind: 'signature', level: 'PAdES-B-B', indication: 'TOTAL_PASSED', subIndication: null, integrity: 'intact', cryptoValid: true,
      coverage: 'whole-revision', coversWholeFile: true, chain: { status: 'trusted' }, revocation: { status: 'good' },
      modifications: { verdict: 'none' }, signer: { commonName: 'Nguyễn Văn Đức', uid: ['CCCD:001085012345'] },
    });
    expect(r.lastRevisionSigned).toBe(true);
    expect(r.unsignedTrailing).toBe(0);
  });

  it('a B-T signature is TOTAL_PASSED with the timestamp as signing time', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader'), level: 'B-T', timestamp: { url: tsaUrl } });
    const s = (await verify(signed, online)).signatures[0]!;
    expect(s).toMatchObject({ level: 'PAdES-B-T', indication: 'TOTAL_PASSED' });
    expect(s.signingTime.timestamp).toBe('2026-06-01T00:00:00.000Z');
  });

  it('approve then issue: both pass; the first reports allowed later changes', async () => {
    const one = await sign(read(samples.vietnamese), { adapter: await adapter('leader') });
    const two = await sign(one, { adapter: await adapter('seal') });
    const r = await verify(two, online);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(r.signatures[0]!.modifications.verdict).toBe('allowed');
    expect(r.signatures[0]!.coversWholeFile).toBe(false);
    expect(r.signatures[1]!.modifications.verdict).toBe('none');
  });

  it('every algorithm kyso signs with verifies', async () => {
    for (const [who, scheme, hash] of [['rsa3072', 'RSA-PSS', 'SHA-384'], ['p256', 'ECDSA', 'SHA-256'], ['p384', 'ECDSA', 'SHA-384'], ['leader', 'RSASSA-PKCS1-v1_5', 'SHA-512']] as const) {
      const signed = await sign(read(samples.simple), { adapter: await adapter(who), scheme, hash });
      expect((await verify(signed, online)).signatures[0]!.indication, `${who} ${scheme}`).toBe('TOTAL_PASSED');
    }
  });
});

describe('verify: what must not pass', () => {
  it('a revoked signer without a timestamp is INDETERMINATE/REVOKED_NO_POE (nothing proves it signed before the revocation)', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('revoked') });
    expect((await verify(signed, online)).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', revocation: { status: 'revoked' } });
  });

  it('an annotation added after an approval signature: TOTAL_FAILED/FORMAT_FAILURE over intact bytes, the message naming it and its page', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader') });
    const s = (await verify(await appendAnnotation(signed, 'Đã xem'), online)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', integrity: 'intact', cryptoValid: true, modifications: { verdict: 'disallowed' } });
    expect(s.messages[0]!.en).toMatch(/^Changed after signing \(not allowed\): .*annotation added on page 1/);
    expect(s.messages[0]!.vi).toMatch(/^Tài liệu bị thay đổi sau khi ký \(không được phép\): .*thêm chú thích trên trang 1/);
  });

  it('a signer under another root is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('untrusted') });
    expect((await verify(signed, online)).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('without any trust anchor nothing is trusted', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader') });
    expect((await verify(signed, { ...online, trust: [] })).signatures[0]!.indication).toBe('INDETERMINATE');
  });

  it('a skipped revocation check never gives TOTAL_PASSED', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader') });
    expect((await verify(signed, { ...online, revocation: 'off' })).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect((await verify(signed, { ...online, revocation: 'embedded' })).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('a changed covered byte is TOTAL_FAILED/HASH_FAILURE', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader') });
    const tampered = signed.slice();
    const at = new TextDecoder('latin1').decode(tampered).indexOf('/MediaBox');
    tampered[at + 1] = 'm'.charCodeAt(0);
    expect((await verify(tampered, online)).signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', integrity: 'broken' });
  });

  it('a signer certificate its CA signed with SHA-1 is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE; only the legacy policy lets it through', async () => {
    // No trust store accepts SHA-1 on an end-entity certificate; the chain still reaches the anchor.
    const leader = pki.entity('leader');
    const sha1Signed = issueTestCertificate({
      issuer: pki.entity('intermediate'), keyOf: leader, cn: 'SHA-1 signed signer', ca: false, signature: 'rsa-sha1', keyUsage: ['nonRepudiation'],
    });
    const signed = await sign(read(samples.simple), { adapter: await fromPkcs8Pem(leader.keyPem, sha1Signed, leader.chainDer) });
    const options: VerifyOptions = { trust: [pki.rootDer], revocation: 'off', at: new Date('2027-01-01T00:00:00Z') };
    const facts = await gatherFacts(signed, options);
    const s = facts.signatures[0]!;
    expect([s.chain.status, s.chain.problems]).toEqual(['trusted', [{ kind: 'sha1-link', cert: s.cms.signerIndex }]]);
    const strict = judge(facts).signatures[0]!;
    expect([strict.indication, strict.subIndication, strict.messages[0]!.en]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'Weak algorithm under the policy: SHA-1 (CA)']);
    // The legacy policy accepts the link; the check that remains here is the revocation that was turned off.
    expect(judge(facts, LEGACY_POLICY).signatures[0]!.subIndication).toBe('TRY_LATER');
  });

  it('an expired signer without a timestamp is INDETERMINATE/OUT_OF_BOUNDS_NO_POE', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('expired') });
    expect((await verify(signed, online)).signatures[0]!.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });

  it('a document without signatures has an empty list', async () => {
    const r = await verify(read(samples.simple), online);
    expect(r.signatures).toEqual([]);
    expect(r.revisions).toBe(1);
  });

  it('an unreadable file is a typed error', async () => {
    await expect(verify(new Uint8Array([1, 2, 3]), online)).rejects.toBeInstanceOf(KysoError);
  });
});

describe('facts and judgement are separate', () => {
  it('facts are plain JSON data that can be judged again later, at another time', async () => {
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader') });
    const facts = JSON.parse(JSON.stringify(await gatherFacts(signed, online)));
    expect(judge(facts).signatures[0]!.indication).toBe('TOTAL_PASSED');
    // Years after the certificate expired, without a timestamp, the same facts are no longer enough.
    expect(judge(facts, { name: 'later', sha1: 'ca-links-only', minRsaBits: 2048, clockSkew: 120, at: '2036-01-01T00:00:00Z' }).signatures[0]!.subIndication)
      .toBe('OUT_OF_BOUNDS_NO_POE');
  });

  it('the report follows docs/report.schema.json (required fields, no others)', async () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../../../docs/report.schema.json'), 'utf8'));
    const signed = await sign(read(samples.simple), { adapter: await adapter('leader') });
    const r = JSON.parse(JSON.stringify(await verify(signed, online)));
    expect(Object.keys(r).sort()).toEqual([...schema.required].sort());
    expect(Object.keys(r.signatures[0]).sort()).toEqual([...schema.$defs.signature.required].sort());
    expect(Object.keys(r.signatures[0].signer).sort()).toEqual([...schema.$defs.signature.properties.signer.required].sort());
  });
});
