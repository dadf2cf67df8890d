import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { finish, KysoError, prepare, sign, type PreparedSignature, type SigningAdapter } from '@kyso/core';
import '@kyso/core/node';
import { fromPkcs8Pem, Pkcs12Adapter } from '@kyso/adapters';
import { ensurePki, ensureSamples, type SampleName, type TestPki } from '@kyso/testkit';
import { opensslCmsVerify, pdfsig, qpdfCheck, rawSignatures, tempDir, writeTemp } from '../helpers/signed-pdf.js';

let pki: TestPki;
let samples: Record<SampleName, string>;
let dir: string;
const read = (p: string) => new Uint8Array(readFileSync(p));
const T0 = new Date('2026-03-05T07:30:12Z');

async function adapterFor(name: Parameters<TestPki['entity']>[0]): Promise<SigningAdapter> {
  const e = pki.entity(name);
  return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
}

/** Every independent check a signed file must pass. */
function crossCheck(input: Uint8Array, output: Uint8Array, expectedSignatures: number, label: string): void {
  expect(Buffer.compare(output.subarray(0, input.length), input), `${label}: the input is a prefix of the output`).toBe(0);
  const path = writeTemp(dir, `${label}.pdf`, output);
  const sig = pdfsig(path, pki.nssDir);
  expect(sig.total - sig.unsigned, sig.output).toBe(expectedSignatures);
  expect(sig.valid, sig.output).toBe(expectedSignatures);
  expect(sig.output).toMatch(/Total document signed/);
  const q = qpdfCheck(path);
  expect(q.ok, q.output).toBe(true);
  const raws = rawSignatures(output);
  const last = raws[raws.length - 1]!;
  expect(last.byteRange[2] + last.byteRange[3]).toBe(output.length);
  const v = opensslCmsVerify(dir, last, pki.rootPath);
  expect(v.ok, v.output).toBe(true);
}

beforeAll(async () => {
  pki = await ensurePki();
  samples = await ensureSamples();
  dir = tempDir('kyso-sign-');
});

describe('sign: PAdES B-B on every kind of input, checked by pdfsig, qpdf and openssl', () => {
  const kinds: SampleName[] = ['simple', 'vietnamese', 'classic-xref', 'xref-stream', 'hybrid', 'linearized', 'acroform-empty-field',
    'incremental', 'pdf20', 'pages-120', 'rotated'];
  it.each(kinds)('%s', async (kind) => {
    const input = read(samples[kind]);
    const output = await sign(input, { adapter: await adapterFor('leader'), signingTime: T0 });
    crossCheck(input, output, 1, `bb-${kind}`);
  });
});

describe('sign: algorithms', () => {
  const cases = [
    ['leader', 'RSASSA-PKCS1-v1_5', 'SHA-256'],
    ['leader', 'RSASSA-PKCS1-v1_5', 'SHA-512'],
    ['rsa3072', 'RSA-PSS', 'SHA-256'],
    ['rsa3072', 'RSA-PSS', 'SHA-384'],
    ['p256', 'ECDSA', 'SHA-256'],
    ['p384', 'ECDSA', 'SHA-384'],
  ] as const;
  it.each(cases)('%s with %s and %s', async (entity, scheme, hash) => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: await adapterFor(entity), scheme, hash, signingTime: T0 });
    crossCheck(input, output, 1, `alg-${entity}-${scheme}-${hash}`);
  });

  it('declares the ETSI developer extension in PDF 1.x files, not in PDF 2.0 ones', async () => {
    const update = async (kind: SampleName) => {
      const input = read(samples[kind]);
      const output = await sign(input, { adapter: await adapterFor('leader'), signingTime: T0 });
      return new TextDecoder('latin1').decode(output.subarray(input.length));
    };
    expect(await update('simple')).toMatch(/\/Extensions <<\/ESIC <<\/BaseVersion \/1\.7\/ExtensionLevel 2>>>>/);
    expect(await update('pdf20')).not.toMatch(/ESIC/);
  });

  it('adbe.pkcs7.detached for old verifiers', async () => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: await adapterFor('leader'), subFilter: 'adbe.pkcs7.detached', signingTime: T0 });
    expect(new TextDecoder('latin1').decode(output.subarray(input.length))).toContain('/SubFilter /adbe.pkcs7.detached');
    crossCheck(input, output, 1, 'adbe');
  });

  it('a certificate without network revocation pointers is trusted by pdfsig through the test root', async () => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: await adapterFor('offline'), signingTime: T0 });
    crossCheck(input, output, 1, 'trusted');
    expect(pdfsig(writeTemp(dir, 'trusted.pdf', output), pki.nssDir).trusted).toBe(1);
  });

  it('signs through a PKCS#12 file', async () => {
    const input = read(samples.simple);
    const adapter = await Pkcs12Adapter.open(read(pki.entity('seal').p12Path!), pki.p12Password);
    crossCheck(input, await sign(input, { adapter, signingTime: T0 }), 1, 'p12');
  });
});

describe('sign: several signatures stay valid', () => {
  it('approve then issue: both valid per pdfsig', async () => {
    const input = read(samples.vietnamese);
    const one = await sign(input, { adapter: await adapterFor('leader'), signingTime: T0 });
    const two = await sign(one, { adapter: await adapterFor('seal'), signingTime: new Date(T0.getTime() + 60_000) });
    crossCheck(one, two, 2, 'approve-issue');
  });

  it('three signatures in a row on an xref-stream file', async () => {
    let pdf = read(samples['xref-stream']);
    for (const [i, who] of (['leader', 'p256', 'seal'] as const).entries()) {
      const next = await sign(pdf, { adapter: await adapterFor(who), signingTime: new Date(T0.getTime() + i * 1000) });
      crossCheck(pdf, next, i + 1, `three-${i}`);
      pdf = next;
    }
  });
});

describe('sign: fields, certification and locks', () => {
  it('signs into the named empty field of an AcroForm', async () => {
    const input = read(samples['acroform-empty-field']);
    const output = await sign(input, { adapter: await adapterFor('leader'), field: 'SigLeader', signingTime: T0 });
    crossCheck(input, output, 1, 'field');
    expect(spawnSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, writeTemp(dir, 'field.pdf', output)], { encoding: 'utf8' }).stdout).toMatch(/Signature Field Name: SigLeader/);
  });

  it('refuses a field that does not exist, and one already signed', async () => {
    const input = read(samples['acroform-empty-field']);
    const adapter = await adapterFor('leader');
    await expect(sign(input, { adapter, field: 'Nope' })).rejects.toMatchObject({ code: 'ERR_SIG_FIELD_NOT_FOUND' });
    const signed = await sign(input, { adapter, field: 'SigLeader', signingTime: T0 });
    await expect(sign(signed, { adapter, field: 'SigLeader' })).rejects.toMatchObject({ code: 'ERR_SIG_FIELD_SIGNED' });
  });

  it('certifies with DocMDP P=2, and a later approval signature stays allowed', async () => {
    const input = read(samples.simple);
    const certified = await sign(input, { adapter: await adapterFor('seal'), certify: 2, signingTime: T0 });
    const text = new TextDecoder('latin1').decode(certified.subarray(input.length));
    expect(text).toMatch(/\/TransformMethod \/DocMDP/);
    expect(text).toMatch(/\/Perms <<\/DocMDP \d+ 0 R>>/);
    crossCheck(input, certified, 1, 'certified');
    const approved = await sign(certified, { adapter: await adapterFor('leader'), signingTime: T0 });
    crossCheck(certified, approved, 2, 'certified-approved');
  });

  it('refuses to change a document certified with P=1, and to certify a signed one', async () => {
    const input = read(samples.simple);
    const locked = await sign(input, { adapter: await adapterFor('seal'), certify: 1, signingTime: T0 });
    await expect(sign(locked, { adapter: await adapterFor('leader') })).rejects.toMatchObject({ code: 'ERR_SIG_FIELD_LOCKED' });
    const signed = await sign(input, { adapter: await adapterFor('leader'), signingTime: T0 });
    await expect(sign(signed, { adapter: await adapterFor('seal'), certify: 2 })).rejects.toMatchObject({ code: 'ERR_SIG_CERTIFY_NOT_ALLOWED' });
  });

  it('writes a FieldMDP lock into the signature reference', async () => {
    const input = read(samples.simple);
    const output = await sign(input, { adapter: await adapterFor('leader'), lock: { action: 'All' }, signingTime: T0 });
    expect(new TextDecoder('latin1').decode(output.subarray(input.length))).toMatch(/\/TransformMethod \/FieldMDP\/TransformParams <<\/Type \/TransformParams\/Action \/All/);
    crossCheck(input, output, 1, 'fieldmdp');
  });
});

describe('staged signing: prepare → (key elsewhere) → finish', () => {
  it('the prepared state survives JSON and structured cloning, and finishes elsewhere', async () => {
    const input = read(samples.vietnamese);
    const leader = pki.entity('leader');
    const prepared = await prepare(input, { certificate: leader.certDer, chain: leader.chainDer, signingTime: T0 });
    const revived = structuredClone(JSON.parse(JSON.stringify(prepared))) as PreparedSignature;
    // The "HSM": node:crypto signs the digest-less data with the leader's key.
    const tbs = Buffer.from(revived.toBeSigned, 'base64');
    const { createSign } = await import('node:crypto');
    const value = createSign('sha256').update(tbs).sign(leader.keyPem);
    const output = await finish(revived, new Uint8Array(value), { pdf: input });
    crossCheck(input, output, 1, 'staged');
    expect(Buffer.from(revived.toBeSignedDigest, 'base64')).toEqual(createHash('sha256').update(tbs).digest());
  });

  it('finish refuses another file, a signature from another key, and a tampered state (version, a /Contents hole moved or resized)', async () => {
    const input = read(samples.simple);
    const leader = pki.entity('leader');
    const prepared = await prepare(input, { certificate: leader.certDer, signingTime: T0 });
    const { createSign } = await import('node:crypto');
    const good = new Uint8Array(createSign('sha256').update(Buffer.from(prepared.toBeSigned, 'base64')).sign(leader.keyPem));
    await expect(finish(prepared, good, { pdf: read(samples['classic-xref']) })).rejects.toMatchObject({ code: 'ERR_SIG_PREPARED_INVALID' });
    const other = new Uint8Array(createSign('sha256').update(Buffer.from(prepared.toBeSigned, 'base64')).sign(pki.entity('seal').keyPem));
    await expect(finish(prepared, other, { pdf: input })).rejects.toMatchObject({ code: 'ERR_SIG_VALUE_INVALID' });
    await expect(finish({ ...prepared, version: 2 } as unknown as PreparedSignature, good, { pdf: input })).rejects.toMatchObject({ code: 'ERR_SIG_PREPARED_INVALID' });
    // A hole moved by two bytes is still inside the update: only its own `<` and `>` tell it apart.
    await expect(finish({ ...prepared, contentsOffset: prepared.contentsOffset - 2 }, good, { pdf: input })).rejects.toMatchObject({ code: 'ERR_SIG_PREPARED_INVALID' });
    await expect(finish({ ...prepared, contentsCapacity: prepared.contentsCapacity - 1 }, good, { pdf: input })).rejects.toMatchObject({ code: 'ERR_SIG_PREPARED_INVALID' });
    expect((await finish(prepared, good, { pdf: input })).length).toBe(prepared.byteRange[2] + prepared.byteRange[3]);
  });

  it('a reason and a name that spell the placeholder keys do not move the placeholders', async () => {
    const input = read(samples.simple);
    const tricky = '/ByteRange [0 1 2 3] /Contents <00>';
    const output = await sign(input, { adapter: await adapterFor('leader'), signingTime: T0, reason: tricky, name: tricky, location: tricky });
    crossCheck(input, output, 1, 'placeholder-keys-in-strings');
  });

  it('reports a too-small fixed /Contents as ERR_SIG_CONTENTS_TOO_SMALL', async () => {
    const input = read(samples.simple);
    await expect(sign(input, { adapter: await adapterFor('leader'), contentsSize: 300 })).rejects.toMatchObject({ code: 'ERR_SIG_CONTENTS_TOO_SMALL' });
  });
});

describe('encrypted input', () => {
  it('is refused with ERR_PDF_ENCRYPTED', async () => {
    for (const s of ['encrypted-aes256', 'encrypted-rc4'] as const) {
      await expect(sign(read(samples[s]), { adapter: await adapterFor('leader') })).rejects.toMatchObject({ code: 'ERR_PDF_ENCRYPTED' });
    }
  });
});

describe('golden file', () => {
  it('fixed input, keys and a frozen clock give byte-identical output', async () => {
    const input = read(samples.vietnamese);
    const opts = { signingTime: T0, reason: 'Phê duyệt', location: 'Đà Nẵng' };
    const a = await sign(input, { ...opts, adapter: await adapterFor('leader') });
    const b = await sign(input, { ...opts, adapter: await adapterFor('leader') });
    expect(Buffer.compare(a, b)).toBe(0);
    const golden = readFileSync(join(__dirname, 'golden.sha256'), 'utf8').trim();
    expect(createHash('sha256').update(a).digest('hex')).toBe(golden);
  });
});

export { asn1js, pkijs, KysoError };
