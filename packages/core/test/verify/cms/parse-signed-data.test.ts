import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, type TestPki } from '@kyso/testkit';
import { parseSignedData, parseWhole, type ParsedSignedData } from '../../../src/verify/cms/signed-data.js';
import { tempDir } from '../../helpers/signed-pdf.js';

let pki: TestPki;
let dir: string;

/** A CMS from openssl's own encoder: DER by default, BER with indefinite lengths when streamed. */
function opensslCms(name: string, extra: string[]): Uint8Array {
  const e = pki.entity('leader');
  const content = join(dir, 'content.bin');
  writeFileSync(content, 'kyso CMS parsing');
  const out = join(dir, `${name}.der`);
  execFileSync('openssl', ['cms', '-sign', '-binary', '-in', content, '-signer', e.certPath, '-inkey', e.keyPath,
    '-certfile', pki.intermediatePath, '-outform', 'DER', '-out', out, ...extra]);
  return new Uint8Array(readFileSync(out));
}

/** The parts of a parse that later stages use, as comparable data. */
function outline(p: ParsedSignedData): unknown {
  const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : null);
  return {
    eContentType: p.eContentType, eContent: hex(p.eContent), certificates: p.certificates.map(hex), crls: p.crls.map(hex), ocsps: p.ocsps.map(hex),
    signerCount: p.signerCount, digest: p.signer.digestAlgorithmOid, signatureAlgorithm: p.signer.signatureAlgorithm.algorithmId,
    signedAttributes: hex(p.signer.signedAttributesDer), attributes: p.signer.signedAttributes?.map((a) => a.oid),
    unsigned: p.signer.unsignedAttributes.map((a) => a.oid), signature: hex(p.signer.signature), sid: hex(p.signer.sid.valueBeforeDecodeView),
  };
}

beforeAll(async () => {
  pki = await ensurePki();
  dir = tempDir('cms-parse');
});

describe('parseSignedData: reading the outline from element headers gives what asn1js reads from the whole', () => {
  it.each([
    ['detached, certificates embedded', [], 0],
    ['content encapsulated', ['-nodetach'], 0],
    ['no signed attributes', ['-noattr'], 0],
  ] as const)('%s', (name, extra) => {
    const der = opensslCms(name.replace(/\W+/g, '-'), [...extra]);
    expect([der[0], der[1]! & 0x80]).toEqual([0x30, 0x80]); // DER: a definite long-form length
    expect(outline(parseSignedData(der))).toEqual(outline(parseWhole(der)));
    expect(parseSignedData(der).certificates).toHaveLength(2);
  });

  it('reads RevocationInfoChoices, and refuses a SignedData without signers for the same reason either way', () => {
    // openssl crl2pkcs7: a degenerate SignedData carrying a CRL and certificates, no SignerInfo (RFC 5652 §5.1).
    const out = join(dir, 'degenerate.der');
    execFileSync('openssl', ['crl2pkcs7', '-in', pki.crlPath.replace(/\.der$/, '.pem'), '-certfile', pki.intermediatePath, '-outform', 'DER', '-out', out]);
    const der = new Uint8Array(readFileSync(out));
    expect(() => parseWhole(der)).toThrow('SignedData has no SignerInfo');
    expect(() => parseSignedData(der)).toThrow('SignedData has no SignerInfo');
  });

  it('takes BER with indefinite lengths (openssl -stream) through asn1js, with the same result as DER of the same signature would give', () => {
    const ber = opensslCms('streamed', ['-stream', '-nodetach']);
    // The outer ContentInfo uses the indefinite form (X.690 §8.1.3.6): 30 80.
    expect([ber[0], ber[1]]).toEqual([0x30, 0x80]);
    const parsed = parseSignedData(ber);
    // The outline is read from the headers, indefinite lengths included: the same reading as asn1js's of the whole.
    expect(outline(parsed)).toEqual(outline(parseWhole(ber)));
    const detached = opensslCms('streamed-detached', ['-stream']);
    expect(outline(parseSignedData(detached))).toEqual(outline(parseWhole(detached)));
    expect(parsed.certificates).toHaveLength(2);
    expect(parsed.eContent && Buffer.from(parsed.eContent).toString()).toBe('kyso CMS parsing');
  });

  it('ignores what follows the ContentInfo (the zero padding of /Contents) and keeps its reasons for malformed input', () => {
    const der = opensslCms('padded', []);
    const padded = new Uint8Array(der.length + 100);
    padded.set(der);
    expect(outline(parseSignedData(padded))).toEqual(outline(parseWhole(der)));
    expect(() => parseSignedData(der.subarray(0, der.length - 10))).toThrow();
    const notSignedData = der.slice();
    notSignedData[der.indexOf(0x02, 4)] = 0x03; // id-signedData (…07 02) becomes …07 03, id-envelopedData
    expect(() => parseSignedData(notSignedData)).toThrow(/is not signedData/);
    expect(() => parseSignedData(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow();
  });
});
