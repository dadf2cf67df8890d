/**
 * Issue 16: the SignerInfo of a CMS is decoded one field (and one attribute) at a time, each part from a cache
 * of the parts met before, instead of whole. Speed is never bought with a different reading: on every input
 * here — kyso's and openssl's signatures, every single-byte change of their SignerInfos, nesting at asn1js's
 * depth limit, SignerInfos about the size decoded field by field — the fast path gives the same tree, or the same error, as the
 * plain path that decodes the SignerInfos whole.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, startTsaServer, type TestPki, type TsaServer } from '@kyso/testkit';
import { derTlv, readChildren, readTlv, type TlvSpan } from '../../../src/crypto/raw-der.js';
import { rawSignatures, tempDir } from '../../helpers/signed-pdf.js';
import { cmsBothWays } from './cms-both-ways.js';

let pki: TestPki;
let tsa: TsaServer;
let dir: string;
/** A kyso PAdES B-B signature (signed attributes only). */
let kysoCms: Uint8Array;
/** A kyso PAdES B-T signature: a signature timestamp among the unsigned attributes. */
let kysoTimestamped: Uint8Array;
/** openssl's CMS with its default signed attributes (signing time, S/MIME capabilities). */
let opensslCms: Uint8Array;

function openssl(name: string, extra: string[]): Uint8Array {
  const content = join(dir, 'content.bin');
  writeFileSync(content, 'kyso SignerInfo fields');
  const out = join(dir, `${name}.der`);
  const leader = pki.entity('leader');
  execFileSync('openssl', ['cms', '-sign', '-binary', '-in', content, '-signer', leader.certPath, '-inkey', leader.keyPath,
    '-certfile', pki.intermediatePath, '-outform', 'DER', '-out', out, ...extra]);
  return new Uint8Array(readFileSync(out));
}

beforeAll(async () => {
  pki = await ensurePki();
  dir = tempDir('signer-info-fields');
  tsa = await startTsaServer({ pki });
  const samples = await ensureSamples();
  const e = pki.entity('leader');
  const adapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  const simple = new Uint8Array(readFileSync(samples.simple));
  kysoCms = rawSignatures(await sign(simple, { adapter }))[0]!.cms;
  kysoTimestamped = rawSignatures(await sign(simple, { adapter, level: 'B-T', timestamp: { url: tsa.url } }))[0]!.cms;
  opensslCms = openssl('default', []);
});

afterAll(async () => {
  await tsa?.close();
});

/** The spans of ContentInfo → SignedData → its fields, and of the SignerInfos' first SignerInfo. */
function outline(cms: Uint8Array) {
  const ci = readTlv(cms, 0)!;
  const content = readChildren(cms, ci)![1]!;
  const sd = readChildren(cms, content)![0]!;
  const fields = readChildren(cms, sd)!;
  const infos = fields[fields.length - 1]!;
  const signer = readChildren(cms, infos)![0]!;
  return { fields, infos, signer, signerFields: readChildren(cms, signer)! };
}

const bytesOf = (cms: Uint8Array, s: TlvSpan) => cms.slice(s.start, s.end);

/** The CMS with its SignerInfos replaced by a SET of these SignerInfos (every other field as it was). */
function withSignerInfos(cms: Uint8Array, signers: readonly Uint8Array[]): Uint8Array {
  const { fields } = outline(cms);
  const sd = derTlv(0x30, ...fields.slice(0, -1).map((f) => bytesOf(cms, f)), derTlv(0x31, ...signers));
  const oid = bytesOf(cms, readChildren(cms, readTlv(cms, 0)!)![0]!);
  return derTlv(0x30, oid, derTlv(0xa0, sd));
}

/** The CMS with its one SignerInfo's fields changed by `change` (given and returning DER). */
function withSignerFields(cms: Uint8Array, change: (fields: Uint8Array[]) => Uint8Array[]): Uint8Array {
  const { signerFields } = outline(cms);
  return withSignerInfos(cms, [derTlv(0x30, ...change(signerFields.map((f) => bytesOf(cms, f))))]);
}

/** An Attribute (RFC 5652 §5.3) of an arbitrary private OID holding one value. */
function attribute(value: Uint8Array): Uint8Array {
  return derTlv(0x30, Uint8Array.of(0x06, 0x03, 0x2a, 0x03, 0x04), derTlv(0x31, value));
}

/** `levels` SEQUENCEs around a NULL. */
function nested(levels: number): Uint8Array {
  let inner = Uint8Array.of(0x05, 0x00);
  for (let i = 0; i < levels; i++) inner = derTlv(0x30, inner);
  return inner;
}

/** Adds an unsigned attribute set `[1]` (or extends it) with `extra`. */
function withUnsigned(cms: Uint8Array, extra: Uint8Array): Uint8Array {
  return withSignerFields(cms, (fields) => {
    const last = fields[fields.length - 1]!;
    if (last[0] === 0xa1) {
      const span = readTlv(last, 0)!;
      return [...fields.slice(0, -1), derTlv(0xa1, last.subarray(span.contentStart), extra)];
    }
    return [...fields, derTlv(0xa1, extra)];
  });
}

function expectSame(der: Uint8Array): { fast: unknown } {
  const { fast, cached, plain } = cmsBothWays(der);
  expect(fast).toEqual(plain);
  expect(cached).toEqual(plain);
  return { fast };
}

describe('SignerInfo decoded field by field: the same reading as decoding it whole', () => {
  it('kyso’s signature with a timestamp, openssl’s default and its variants', () => {
    expectSame(kysoCms);
    expect(expectSame(kysoTimestamped).fast).toHaveProperty('parsed.signer.unsignedAttributes.0.oid', '1.2.840.113549.1.9.16.2.14');
    expectSame(opensslCms);
    expectSame(openssl('noattr', ['-noattr']));
    expectSame(openssl('nodetach', ['-nodetach']));
    expectSame(openssl('keyid', ['-keyid'])); // sid as [0] subjectKeyIdentifier
    expectSame(openssl('streamed', ['-stream', '-nodetach'])); // BER with indefinite lengths: the whole path
  });

  it('two SignerInfos are decoded whole, as before', () => {
    const { signer } = outline(kysoCms);
    const two = withSignerInfos(kysoCms, [bytesOf(kysoCms, signer), bytesOf(kysoCms, signer)]);
    expect(expectSame(two).fast).toHaveProperty('parsed.signerCount', 2);
    const { signer: stamped } = outline(kysoTimestamped);
    expectSame(withSignerInfos(kysoTimestamped, [bytesOf(kysoTimestamped, stamped), bytesOf(kysoCms, signer)]));
  });

  it.each([
    ['kyso', () => kysoCms],
    ['openssl', () => opensslCms],
  ] as const)('every single-byte change of %s’s SignerInfos (four values per byte)', (_name, cmsOf) => {
    const cms = cmsOf();
    const { infos } = outline(cms);
    let errors = 0;
    for (let at = infos.start; at < infos.end; at++) {
      for (const value of new Set([cms[at]! ^ 0x01, cms[at]! ^ 0x80, 0x00, 0xff])) {
        const changed = cms.slice();
        changed[at] = value;
        const { fast, cached, plain } = cmsBothWays(changed);
        if (JSON.stringify(fast) !== JSON.stringify(plain) || JSON.stringify(cached) !== JSON.stringify(plain)) {
          expect({ at, value, fast, cached }).toEqual({ at, value, fast: plain, cached: plain });
        }
        if ((plain as { error?: string }).error) errors++;
      }
    }
    // The changes reach both outcomes: readings that fail and readings that differ from the original.
    expect(errors).toBeGreaterThan(0);
  });

  it.each([93, 94, 95, 96, 97])('a signed attribute nesting %i SEQUENCEs, about asn1js’s depth limit', (levels) => {
    const der = withSignerFields(kysoCms, (fields) => fields.map((f) => {
      if (f[0] !== 0xa0) return f;
      const span = readTlv(f, 0)!;
      return derTlv(0xa0, f.subarray(span.contentStart), attribute(nested(levels)));
    }));
    expectSame(der);
  });

  it.each([92, 93, 94, 95])('an unsigned attribute whose OCTET STRING embeds %i nested SEQUENCEs (asn1js decodes it inside)', (levels) => {
    expectSame(withUnsigned(kysoTimestamped, attribute(derTlv(0x04, nested(levels)))));
  });

  it.each([96, 97, 98, 99])('a sid nesting %i SEQUENCEs', (levels) => {
    expectSame(withSignerFields(kysoCms, (fields) => [fields[0]!, nested(levels), ...fields.slice(2)]));
  });

  it('SignerInfos about 10,000 bytes, and past them with 12,000 elements in one attribute (a part too large for the part cache)', () => {
    const { infos } = outline(opensslCms);
    const size = infos.end - infos.start;
    // NULLs (two bytes, one element each) in one unsigned attribute: SignerInfos of 9,990 to 10,010 bytes.
    for (const target of [9_990, 10_000, 10_001, 10_010]) {
      const nulls = Math.floor((target - size - 20) / 2);
      expectSame(withUnsigned(opensslCms, attribute(derTlv(0x31, ...Array.from({ length: nulls }, () => Uint8Array.of(0x05, 0x00))))));
    }
    // More elements than asn1js's default node limit: decodeExact's limits follow the input's length, so the
    // value is read either way (in one attribute, or in two of 6,000 that would each fit the default limit).
    const tooMany = withUnsigned(opensslCms, attribute(derTlv(0x31, ...Array.from({ length: 12_000 }, () => Uint8Array.of(0x05, 0x00)))));
    expect(expectSame(tooMany).fast).toHaveProperty('parsed.signer.unsignedAttributes.0.oid', '1.2.3.4');
    const halves = attribute(derTlv(0x31, ...Array.from({ length: 6_000 }, () => Uint8Array.of(0x05, 0x00))));
    expect(expectSame(withUnsigned(withUnsigned(opensslCms, halves), halves)).fast).toHaveProperty('parsed.signer.unsignedAttributes.1.oid', '1.2.3.4');
  });

  it('parts asn1js cannot decode, in each constructed field and in an attribute, give the whole decode’s reason', () => {
    // A definite length past the end of its parent, inside the part: the outline reads, the part does not decode.
    const broken = Uint8Array.of(0x04, 0x05, 0x00);
    const { signerFields } = outline(kysoCms);
    let constructed = 0;
    for (let i = 0; i < signerFields.length; i++) {
      const tag = kysoCms[signerFields[i]!.start]!;
      if (!(tag & 0x20)) continue;
      constructed++;
      const der = withSignerFields(kysoCms, (fields) => fields.map((f, k) => (k === i ? derTlv(tag, broken) : f)));
      expect(expectSame(der).fast).toHaveProperty('error');
    }
    expect(constructed).toBe(4); // sid, digestAlgorithm, signedAttrs, signatureAlgorithm
    const badAttribute = withSignerFields(kysoCms, (fields) => fields.map((f) => {
      if (f[0] !== 0xa0) return f;
      return derTlv(0xa0, f.subarray(readTlv(f, 0)!.contentStart), attribute(derTlv(0x30, broken)));
    }));
    expect(expectSame(badAttribute).fast).toHaveProperty('error');
  });
});
