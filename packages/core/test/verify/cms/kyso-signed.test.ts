import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, type SigningAdapter } from '@kyso/core';
import { openFileSource } from '@kyso/core/node';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, SAMPLE_PASSWORDS, startTsaServer, type SampleName, type TestPki, type TsaServer } from '@kyso/testkit';
import { examineCms, examineTimestamp } from '../../../src/verify/cms/index.js';
import { hashByteRange } from '../../../src/verify/structure/index.js';
import { tempDir, writeTemp } from '../../helpers/signed-pdf.js';
import { examineFile, type Examined } from './pipeline.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let tsa: TsaServer;
const read = (p: string) => new Uint8Array(readFileSync(p));
const T0 = new Date('2026-03-05T07:30:12Z');

async function adapterFor(name: Parameters<TestPki['entity']>[0]): Promise<SigningAdapter> {
  const e = pki.entity(name);
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
}

/** What every untouched kyso signature must show. */
function expectSound(s: Examined): void {
  expect(s.found.byteRange.problems).toEqual([]);
  expect(s.found.byteRange.coverage).toBe('whole-revision');
  expect(s.cms?.cms.parsed).toBe(true);
  expect(s.cms?.cms.error).toBeNull();
  expect(s.cms?.cms.digestMatches).toBe(true);
  expect(s.cms?.cms.signatureValid).toBe(true);
  expect(s.cms?.cms.signingCertificateBinding).toBe('v2-match');
  expect(s.cms?.cms.signedAttributesPresent).toBe(true);
  expect(s.cms?.cms.weakAlgorithms).toEqual([]);
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  tsa = await startTsaServer({ pki });
});

afterAll(async () => {
  await tsa?.close();
});

describe('kyso signatures come out sound', () => {
  const cases = [
    ['leader', 'RSASSA-PKCS1-v1_5', 'SHA-256'],
    ['leader', 'RSASSA-PKCS1-v1_5', 'SHA-512'],
    ['rsa3072', 'RSA-PSS', 'SHA-256'],
    ['rsa3072', 'RSA-PSS', 'SHA-384'],
    ['p256', 'ECDSA', 'SHA-256'],
    ['p384', 'ECDSA', 'SHA-384'],
  ] as const;
  it.each(cases)('%s with %s and %s', async (entity, scheme, hash) => {
    const output = await sign(read(samples.simple), { adapter: await adapterFor(entity), scheme, hash, signingTime: T0 });
    const { revisions, signatures } = await examineFile(output);
    expect(signatures).toHaveLength(1);
    const [s] = signatures;
    expectSound(s!);
    expect(s!.found.kind).toBe('signature');
    expect(s!.found.subFilter).toBe('ETSI.CAdES.detached');
    expect(s!.found.revision).toBe(revisions.length - 1);
    expect(s!.found.byteRange.coveredRevision).toBe(revisions.length - 1);
    expect(s!.found.claimed.time).toBe(T0.toISOString());
    expect(s!.cms!.cms.digestAlgorithm).toBe(hash);
    expect(s!.cms!.cms.signatureAlgorithm).toEqual({ scheme, hash });
    expect(s!.cms!.certificates[s!.cms!.cms.signerIndex!]).toEqual(pki.entity(entity).certDer);
  });

  it('two and three signatures, each covering its own revision', async () => {
    let pdf: Uint8Array = read(samples.simple);
    for (const who of ['leader', 'seal', 'p256'] as const) pdf = await sign(pdf, { adapter: await adapterFor(who), signingTime: T0 });
    const { revisions, signatures } = await examineFile(pdf);
    expect(signatures).toHaveLength(3);
    signatures.forEach(expectSound);
    const covered = signatures.map((s) => s.found.byteRange.coveredRevision);
    expect(covered).toEqual([revisions.length - 3, revisions.length - 2, revisions.length - 1]);
    expect(signatures.map((s) => s.found.revision)).toEqual(covered);
    expect(revisions[revisions.length - 1]!.end).toBe(pdf.length);
  });

  it('B-T: the signature timestamp imprints the signature value and verifies', async () => {
    const output = await sign(read(samples.simple), { adapter: await adapterFor('leader'), level: 'B-T', timestamp: { url: tsa.url } });
    const { signatures } = await examineFile(output);
    const [s] = signatures;
    expectSound(s!);
    expect(s!.cms!.signatureTimestampToken).not.toBeNull();
    expect(s!.timestamp).toMatchObject({ imprintMatches: true, signatureValid: true, tsaEkuOk: true, error: null });
    expect(s!.timestamp!.certificates[s!.timestamp!.tsaIndex!]).toEqual(pki.entity('tsa').certDer);
    expect(Date.parse(s!.timestamp!.genTime!)).not.toBeNaN();
    // The imprint is over the signature value: another value does not match.
    const other = await examineTimestamp(s!.cms!.signatureTimestampToken!, () => new Uint8Array(32));
    expect(other.imprintMatches).toBe(false);
  });

  it.each(['encrypted-aes256', 'encrypted-rc4'] as const)('%s signed with the user password', async (kind) => {
    const output = await sign(read(samples[kind]), { adapter: await adapterFor('leader'), password: SAMPLE_PASSWORDS.user, signingTime: T0 });
    const { signatures } = await examineFile(output, SAMPLE_PASSWORDS.user);
    expect(signatures).toHaveLength(1);
    expectSound(signatures[0]!);
  });
});

describe('hashByteRange', () => {
  it('streams the covered bytes of a file in place, reusing one buffer', async () => {
    const output = await sign(read(samples['pages-120']), { adapter: await adapterFor('leader'), signingTime: T0 });
    const path = writeTemp(tempDir('kyso-verify-hash-'), 'signed.pdf', output);
    const { signatures } = await examineFile(output);
    const br = signatures[0]!.found.byteRange.byteRange!;
    const expected = createHash('sha256')
      .update(output.subarray(br[0]!, br[0]! + br[1]!))
      .update(output.subarray(br[2]!, br[2]! + br[3]!))
      .digest();
    const file = openFileSource(path);
    try {
      expect(file.readInto).toBeTypeOf('function');
      expect(Buffer.from(await hashByteRange(file, br, "SHA-256"))).toEqual(expected);
    } finally {
      file.close();
    }
    const sha1 = createHash('sha1').update(output.subarray(0, br[1]!)).update(output.subarray(br[2]!, br[2]! + br[3]!)).digest();
    expect(Buffer.from(await hashByteRange({ length: output.length, read: (o, l) => output.subarray(o, o + l) }, br, "SHA-1"))).toEqual(sha1);
  });
});

describe('examineCms never throws for a malformed CMS', () => {
  const none = () => new Uint8Array(32);
  it.each([
    ['empty', new Uint8Array(0)],
    ['garbage', new Uint8Array([1, 2, 3, 4, 5])],
    ['a bare SEQUENCE', new Uint8Array([0x30, 0x00])],
    ['a ContentInfo of id-data', new Uint8Array([0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01])],
  ])('%s', async (_, der) => {
    const x = await examineCms(der, none, { documentTimestamp: false });
    expect(x.cms.parsed).toBe(false);
    expect(x.cms.error).toMatch(/CMS/);
    expect(x.cms.digestMatches).toBeNull();
    expect(x.cms.signatureValid).toBeNull();
    const t = await examineTimestamp(der, none);
    expect(t.signatureValid).toBeNull();
    expect(t.error).toBeTruthy();
  });

  it('a signature CMS given as a document timestamp is refused, not trusted', async () => {
    const output = await sign(read(samples.simple), { adapter: await adapterFor('leader'), signingTime: T0 });
    const { signatures } = await examineFile(output);
    const contents = signatures[0]!.found.contents!;
    const x = await examineCms(contents, none, { documentTimestamp: true });
    expect(x.cms.digestMatches).toBeNull();
    expect(x.cms.signatureValid).toBeNull();
    expect(x.cms.error).toMatch(/TSTInfo/);
  });

  it('a message-digest that is not the digest of the covered bytes: digestMatches false, the signature over the attributes still valid', async () => {
    const output = await sign(read(samples.simple), { adapter: await adapterFor('leader'), signingTime: T0 });
    const { signatures } = await examineFile(output);
    const x = await examineCms(signatures[0]!.found.contents!, none, { documentTimestamp: false });
    expect(x.cms.digestMatches).toBe(false);
    expect(x.cms.signatureValid).toBe(true);
  });
});
