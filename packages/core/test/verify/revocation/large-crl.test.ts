import { sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, opensslLargeCrl, type TestPki } from '@kyso/testkit';
import { KysoError } from '../../../src/errors/index.js';
import { derTlv, encode, readChildren, readTlv, type TlvSpan } from '../../../src/crypto/raw-der.js';
import { checkCrl, checkRevocation, readRevocationData, revocationDataFromCms } from '../../../src/verify/revocation/index.js';
import { readCrl, readCrlWhole, type CrlView } from '../../../src/verify/revocation/crl-reader.js';

// Real CAs publish CRLs of tens of thousands of entries (VGCA's, the public CAs'). These are written by
// `openssl ca -gencrl` (an independent encoder) for the test intermediate: `entries` fillers
// (serials 0x10000000…, superseded), then the certificates named, last since OpenSSL sorts by serial.
const AT = new Date('2026-03-01T08:00:00Z');
const NOW = new Date('2026-03-02T08:00:00Z');
const REVOKED_AT = new Date('2025-06-01T00:00:00Z');
const COMPROMISED_AT = new Date('2025-05-20T00:00:00Z');

let pki: TestPki;
let crl5k: Uint8Array;
let crl50k: Uint8Array;
const cert = (name: 'leader' | 'revoked') => pki.entity(name).certDer;
const issuer = () => pki.entity('intermediate').certDer;
const ctx = { at: AT, now: NOW };

beforeAll(async () => {
  pki = await ensurePki();
  const revoked = { serialHex: pki.entity('revoked').serialHex, revoked: REVOKED_AT, compromised: COMPROMISED_AT };
  crl5k = await opensslLargeCrl({ pki, entries: 5_000, listed: [revoked] });
  crl50k = await opensslLargeCrl({ pki, entries: 50_000, listed: [revoked] });
}, 120_000);

describe('CRLs of tens of thousands of entries', () => {
  it.each([
    ['5,000', () => crl5k, 5_001],
    ['50,000', () => crl50k, 50_001],
  ])('finds the serial at the end of a %s-entry CRL revoked, with its date and reason', async (_, crl, size) => {
    expect(readCrl(crl()).size).toBe(size);
    const verdict = await checkCrl(crl(), cert('revoked'), issuer(), ctx);
    // The entry also carries invalidityDate (RFC 5280 §5.3.2): the reason is still read, the date stays revocationDate.
    expect(verdict).toMatchObject({ applicable: true, status: 'revoked', revokedAt: REVOKED_AT, reason: 'keyCompromise' });
  });

  it.each([
    ['5,000', () => crl5k],
    ['50,000', () => crl50k],
  ])('finds a serial absent from a %s-entry CRL good', async (_, crl) => {
    const verdict = await checkCrl(crl(), cert('leader'), issuer(), ctx);
    expect(verdict).toMatchObject({ applicable: true, status: 'good', revokedAt: null });
  });

  it('decides a path from a large CRL embedded, and accepts it as supplied data', async () => {
    const path = [cert('revoked'), issuer()];
    const embedded = await checkRevocation(path, AT, { ocsps: [], crls: [crl50k] }, { mode: 'embedded', now: NOW });
    expect(embedded.entries[0]).toMatchObject({ status: 'revoked', source: 'crl-embedded', revokedAt: REVOKED_AT.toISOString() });
    const supplied = readRevocationData({ crls: [crl50k] });
    const facts = await checkRevocation(path, AT, { ocsps: [], crls: [], supplied }, { mode: 'embedded', now: NOW });
    expect(facts.entries[0]).toMatchObject({ status: 'revoked', source: 'crl-supplied', reason: 'keyCompromise' });
  });

  it('collects a CRL past asn1js default node limit carried in a CMS SignedData crls field (RFC 5652 §10.2.1)', () => {
    const oid = (dotted: string) => encode(new asn1js.ObjectIdentifier({ value: dotted }));
    const signedData = derTlv(0x30, Uint8Array.of(0x02, 0x01, 0x01), Uint8Array.of(0x31, 0x00), derTlv(0x30, oid('1.2.840.113549.1.7.1')),
      derTlv(0xa1, crl5k), Uint8Array.of(0x31, 0x00));
    const cms = derTlv(0x30, oid('1.2.840.113549.1.7.2'), derTlv(0xa0, signedData));
    const found = revocationDataFromCms(cms);
    expect(found.crls).toEqual([crl5k]);
    expect(found.origins).toEqual(['signed-data-crls']);
  });

  it('reads the entry extensions of the serial found: removeFromCRL lifts a listing, an unknown critical one makes the entry unusable', async () => {
    const removed = await opensslLargeCrl({ pki, entries: 5_000, listed: [
      { serialHex: pki.entity('leader').serialHex, revoked: REVOKED_AT, reason: 'removeFromCRL' },
    ] });
    // removeFromCRL belongs to delta CRLs (RFC 5280 §5.3.1): the entry does not say the certificate is revoked.
    expect(await checkCrl(removed, cert('leader'), issuer(), ctx)).toMatchObject({ status: 'good' });

    const critical = resign(await opensslLargeCrl({ pki, entries: 5_000 }), encode(new asn1js.Sequence({ value: [
      new asn1js.Integer({ valueHex: new Uint8Array(Buffer.from(pki.entity('revoked').serialHex, 'hex')).buffer }),
      new asn1js.UTCTime({ valueDate: REVOKED_AT }),
      new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [
        new asn1js.ObjectIdentifier({ value: '1.3.6.1.4.1.55555.1' }), new asn1js.Boolean({ value: true }), new asn1js.OctetString({ valueHex: new Uint8Array([5, 0]).buffer }),
      ] })] }),
    ] })));
    expect(await checkCrl(critical, cert('revoked'), issuer(), ctx)).toMatchObject({
      status: 'unknown', reason: 'the CRL entry has an unknown critical extension 1.3.6.1.4.1.55555.1',
    });
    // The other serials of that CRL are read as before.
    expect(await checkCrl(critical, cert('leader'), issuer(), ctx)).toMatchObject({ status: 'good' });
  });

  it('refuses a list entry that is not SEQUENCE { serial, date, extensions }, wherever it is, before anything else', async () => {
    const broken = crl5k.slice();
    const entry = entriesOf(broken)[2_500]!;
    broken[readTlv(broken, entry.contentStart)!.start] = 0x04; // the serial INTEGER made an OCTET STRING
    for (const name of ['leader', 'revoked'] as const) {
      expect(await checkCrl(broken, cert(name), issuer(), ctx)).toMatchObject({
        status: 'unknown', reason: expect.stringMatching(/^not a CRL: revokedCertificates entry 2501 /),
      });
    }
  });

  it('finds a changed list out through the signature, as before', async () => {
    const changed = crl5k.slice();
    const entry = entriesOf(changed).at(-1)!;
    changed[readTlv(changed, entry.contentStart)!.end - 1]! ^= 1; // another serial for the last entry
    expect(await checkCrl(changed, cert('revoked'), issuer(), ctx)).toMatchObject({
      status: 'unknown', reason: 'the CRL signature does not verify with the issuer key',
    });
  });
});

describe('the TLV walk and the whole pkijs reading agree', () => {
  const serialsOf = (view: CrlView, der: Uint8Array) => [
    ...pki.names.map((n) => Buffer.from(pki.entity(n).serialHex, 'hex')),
    // Every entry of a short list; on a long one a sample, the last entries included.
    ...entriesOf(der).filter((_, i, all) => all.length < 100 || i % 97 === 0 || i >= all.length - 3)
      .map((e) => { const s = readTlv(der, e.contentStart)!; return der.subarray(s.contentStart, s.end); }),
    Buffer.from('00' + pki.entity('revoked').serialHex, 'hex'), // a sign octet does not change the serial
  ].map((s) => view.entriesFor(new Uint8Array(s)).map((e) => Buffer.from(e.toSchema().toBER(false)).toString('hex')));

  it.each([
    ["the test PKI's intermediate CRL", () => pki.crlDer],
    ["the test PKI's root CRL (no list)", () => pki.rootCrlDer],
    ['an OpenSSL CRL with reasons, invalidityDate and removeFromCRL', () => opensslLargeCrl({ pki, entries: 3, listed: [
      { serialHex: pki.entity('revoked').serialHex, revoked: REVOKED_AT, compromised: COMPROMISED_AT },
      { serialHex: pki.entity('leader').serialHex, revoked: REVOKED_AT, reason: 'removeFromCRL' },
      { serialHex: pki.entity('seal').serialHex, revoked: REVOKED_AT, reason: 'certificateHold' },
    ] })],
    ['the 5,000-entry OpenSSL CRL', () => crl5k],
  ])('%s: same header, signed bytes and entries for every serial', async (_, make) => {
    const der = await make();
    const fast = readCrl(der);
    const whole = readCrlWhole(der);
    const header = (v: CrlView) => ({
      issuer: Buffer.from(v.issuer.valueBeforeDecode).toString('hex'),
      thisUpdate: v.thisUpdate, nextUpdate: v.nextUpdate, size: v.size,
      extensions: v.extensions.map((e) => [e.extnID, e.critical, Buffer.from(e.extnValue.valueBlock.valueHexView).toString('hex')]),
      algorithm: Buffer.from(v.signatureAlgorithm.toSchema().toBER(false)).toString('hex'),
      tbs: Buffer.from(v.tbs).toString('hex'), signature: Buffer.from(v.signature).toString('hex'),
    });
    expect(header(fast)).toEqual(header(whole));
    expect(serialsOf(fast, der)).toEqual(serialsOf(whole, der));
    for (const name of ['leader', 'revoked', 'seal', 'intermediate'] as const) {
      const certDer = pki.entity(name).certDer;
      const issuerDer = name === 'intermediate' ? pki.rootDer : issuer();
      expect(await checkCrl(der, certDer, issuerDer, ctx)).toEqual(await checkCrlWhole(der, certDer, issuerDer));
    }
  });
});

describe('hostile CRLs stay bounded and typed', () => {
  const nested = (depth: number): Uint8Array => {
    let v = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < depth; i++) v = derTlv(0x30, v);
    return v;
  };

  it('refuses a CRL nested deeper than the decoder goes: unusable for the check, ERR_REVOCATION_DATA_MALFORMED when supplied', async () => {
    const deep = nested(500);
    expect(await checkCrl(deep, cert('leader'), issuer(), ctx)).toMatchObject({
      status: 'unknown', reason: 'not a CRL: Maximum ASN.1 nesting depth exceeded',
    });
    let error: unknown;
    try {
      readRevocationData({ crls: [deep] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KysoError);
    expect((error as KysoError).code).toBe('ERR_REVOCATION_DATA_MALFORMED');
  });

  it('refuses a signed list of 200,000 empty entries at its first one', async () => {
    const empties = new Uint8Array(400_000).map((_, i) => (i % 2 ? 0 : 0x30));
    const fake = resign(await opensslLargeCrl({ pki, entries: 0 }), new Uint8Array(0), empties);
    expect(await checkCrl(fake, cert('leader'), issuer(), ctx)).toMatchObject({
      status: 'unknown', reason: 'not a CRL: revokedCertificates entry 1 is not SEQUENCE { serial, revocationDate, extensions }',
    });
  });
});

/** The verdict the way checkCrl reached it before 0038, by giving it the whole pkijs reading. */
async function checkCrlWhole(der: Uint8Array, certDer: Uint8Array, issuerDer: Uint8Array) {
  // A copy whose TLV walk fails (a BER indefinite-length outer SEQUENCE) goes through readCrlWhole inside checkCrl.
  const ber = indefinite(der);
  expect(readCrl(ber).tbs).toEqual(readCrlWhole(der).tbs);
  return checkCrl(ber, certDer, issuerDer, ctx);
}

/** The same CertificateList with its outer SEQUENCE in BER's indefinite-length form (X.690 §8.1.3.6). */
function indefinite(der: Uint8Array): Uint8Array {
  const root = readTlv(der, 0)!;
  return Uint8Array.from([0x30, 0x80, ...der.subarray(root.contentStart, root.end), 0x00, 0x00]);
}

/** The revokedCertificates entries of a DER CRL, by their TLV spans. */
function entriesOf(der: Uint8Array): TlvSpan[] {
  const [tbs] = readChildren(der, readTlv(der, 0)!)!;
  const list = readChildren(der, tbs!)!.find((f, i, all) => f.tag === 0x30 && i >= 3 && all[i - 1]!.tag !== 0x30);
  return list ? readChildren(der, list)! : [];
}

/**
 * An OpenSSL CRL with `entry` appended to its list (or `listContents` as the whole list when given), signed
 * again with the intermediate's key: CRLs OpenSSL cannot write.
 */
function resign(der: Uint8Array, entry: Uint8Array, listContents?: Uint8Array): Uint8Array {
  const [tbs, algorithm] = readChildren(der, readTlv(der, 0)!)! as [TlvSpan, TlvSpan];
  const fields = readChildren(der, tbs)!;
  const at = fields.findIndex((f, i) => f.tag === 0x30 && i >= 3 && fields[i - 1]!.tag !== 0x30);
  const bytesOf = (s: TlvSpan) => der.subarray(s.start, s.end);
  const old = at >= 0 ? der.subarray(fields[at]!.contentStart, fields[at]!.end) : new Uint8Array(0);
  const list = derTlv(0x30, listContents ?? old, entry);
  const parts = fields.map(bytesOf);
  if (at >= 0) parts[at] = list;
  else parts.splice(fields.findIndex((f) => f.tag === 0xa0), 0, list);
  const newTbs = derTlv(0x30, ...parts);
  const signature = sign('sha256', newTbs, pki.entity('intermediate').keyPem);
  return derTlv(0x30, newTbs, bytesOf(algorithm), derTlv(0x03, new Uint8Array([0]), signature));
}
