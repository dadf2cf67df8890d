/**
 * Decision 0038, addendum: a CMS carrying a CA's CRL of tens of thousands of entries — in the SignedData
 * `crls` field (RFC 5652 §10.2.1) or in Adobe's adbe-revocationInfoArchival signed attribute (ISO 32000-2
 * §12.8.3.3.2), as Acrobat embeds it — is read without decoding the CRL: it verifies, the revocation stage
 * takes its status from that CRL, and a BER (indefinite-length) variant is not refused for its size.
 */
import { createHash, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, opensslLargeCrl, type TestPki } from '@kyso/testkit';
import { derSetOfBytes, derTlv, encode, readChildren, readTlv, type TlvSpan } from '../../../src/crypto/raw-der.js';
import { digestBytes, examineCms } from '../../../src/verify/cms/index.js';
import { archivedRevocation, parseSignedData, parseSignedDataPlain, parseWhole } from '../../../src/verify/cms/signed-data.js';
import { checkRevocation, revocationDataFromCms } from '../../../src/verify/revocation/index.js';
import { cmsBothWays, parseTree } from './cms-both-ways.js';

const AT = new Date('2026-03-01T08:00:00Z');
const NOW = new Date('2026-03-02T08:00:00Z');
const REVOKED_AT = new Date('2025-06-01T00:00:00Z');
const CONTENT = new TextEncoder().encode('kyso: a signature with its CA’s CRL embedded');

let pki: TestPki;
let crl5k: Uint8Array;
let crl50k: Uint8Array;
/** A CRL of 300 entries, for comparing whole element trees. */
let crlSmall: Uint8Array;

/** A list of encodings as their SHA-256 digests: comparing megabytes element by element is slow in expect(). */
const digests = (list: readonly Uint8Array[]) => list.map((b) => createHash('sha256').update(b).digest('hex'));
const oid = (dotted: string) => encode(new asn1js.ObjectIdentifier({ value: dotted }));
const ARCHIVAL = '1.2.840.113583.1.1.8';

/** RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CertificateList, … } holding `crls`. */
function archivalValue(crls: readonly Uint8Array[]): Uint8Array {
  return derTlv(0x30, derTlv(0xa0, derTlv(0x30, ...crls)));
}

/**
 * A SignedData signed by the test PKI's leader over CONTENT (detached), with signed attributes content-type,
 * message-digest and, when given, an adbe-revocationInfoArchival holding `archived` (or of value `archivalValue`); `crlField` goes into
 * the SignedData `crls` field (unsigned). Built here so that the signer can embed what openssl's cannot.
 */
function signedCms(options: { archived?: readonly Uint8Array[]; archivalValue?: Uint8Array; crlField?: readonly Uint8Array[] }): Uint8Array {
  const leader = pki.entity('leader');
  const cert = leader.certDer;
  const tbs = readChildren(cert, readChildren(cert, readTlv(cert, 0)!)![0]!)!;
  const [serial, , issuer] = cert[tbs[0]!.start] === 0xa0 ? tbs.slice(1) : tbs; // [0] version is explicit
  const part = (s: { start: number; end: number }) => cert.slice(s.start, s.end);
  const sha256 = derTlv(0x30, oid('2.16.840.1.101.3.4.2.1'));
  const attribute = (type: string, value: Uint8Array) => derTlv(0x30, oid(type), derTlv(0x31, value));
  const attributes = [
    attribute('1.2.840.113549.1.9.3', oid('1.2.840.113549.1.7.1')),
    attribute('1.2.840.113549.1.9.4', derTlv(0x04, createHash('sha256').update(CONTENT).digest())),
    ...(options.archived ? [attribute(ARCHIVAL, archivalValue(options.archived))] : []),
    ...(options.archivalValue ? [attribute(ARCHIVAL, options.archivalValue)] : []),
  ];
  // RFC 5652 §5.4: the signature covers the DER SET OF the attributes; the SignerInfo carries them as [0].
  const signedSet = derSetOfBytes(attributes);
  const signature = sign('sha256', signedSet, leader.keyPem);
  const signedAttrs = signedSet.slice();
  signedAttrs[0] = 0xa0;
  const signerInfo = derTlv(0x30, Uint8Array.of(0x02, 0x01, 0x01), derTlv(0x30, part(issuer!), part(serial!)), sha256,
    signedAttrs, derTlv(0x30, oid('1.2.840.113549.1.1.11'), Uint8Array.of(0x05, 0x00)),
    derTlv(0x04, signature));
  const signedData = derTlv(0x30, Uint8Array.of(0x02, 0x01, 0x01), derTlv(0x31, sha256), derTlv(0x30, oid('1.2.840.113549.1.7.1')),
    derTlv(0xa0, cert, ...leader.chainDer.filter((c) => !Buffer.from(c).equals(cert))),
    ...(options.crlField ? [derTlv(0xa1, ...options.crlField)] : []), derTlv(0x31, signerInfo));
  return derTlv(0x30, oid('1.2.840.113549.1.7.2'), derTlv(0xa0, signedData));
}

/** A constructed element of indefinite length (X.690 §8.1.3.6) holding `inner`. */
const open = (tag: number, ...inner: Uint8Array[]) => new Uint8Array(Buffer.concat([Uint8Array.of(tag, 0x80), ...inner, Uint8Array.of(0x00, 0x00)]));

/** A DER element re-encoded with an indefinite length, its contents unchanged. */
const reopened = (der: Uint8Array) => {
  const t = readTlv(der, 0)!;
  return open(t.tag, der.subarray(t.contentStart, t.end));
};

/**
 * The same CMS with ContentInfo, its [0] and the SignedData in the indefinite-length form (X.690 §8.1.3.6):
 * BER, as openssl -stream or Bouncy Castle write it; with `deep`, the crls field and the SignerInfos too.
 */
function indefinite(der: Uint8Array, deep = false): Uint8Array {
  const ci = readTlv(der, 0)!;
  const [type, content] = readChildren(der, ci)!;
  const sd = readChildren(der, content!)![0]!;
  const fields = readChildren(der, sd)!.map((f) => der.slice(f.start, f.end)).map((f) => (deep && (f[0] === 0xa1 || f[0] === 0x31) ? reopened(f) : f));
  return open(0x30, der.slice(type!.start, type!.end), open(0xa0, open(0x30, ...fields)));
}

/** An OtherRevocationInfoFormat [1] { id-ri-ocsp-response, OCSPResponse } (RFC 5940 §2.1), the response a stub. */
function ocspChoice(): Uint8Array {
  return derTlv(0xa1, oid('1.3.6.1.5.5.7.16.2'), derTlv(0x30, Uint8Array.of(0x0a, 0x01, 0x00)));
}

/** Whether `der` is one element and every constructed element in it is exactly filled by its children's headers. */
function wellFormed(der: Uint8Array): boolean {
  const filled = (span: TlvSpan): boolean => !(der[span.start]! & 0x20) || (readChildren(der, span)?.every(filled) ?? false);
  const root = readTlv(der, 0);
  return !!root && root.end === der.length && filled(root);
}

async function examine(cms: Uint8Array) {
  return examineCms(cms, (h) => digestBytes(h, CONTENT), { documentTimestamp: false });
}

/** The revocation status of the test PKI's `revoked` and `leader` certificates from the CRLs a CMS carries. */
async function statuses(crls: Uint8Array[]) {
  const issuer = pki.entity('intermediate').certDer;
  const of = async (name: 'revoked' | 'leader') =>
    (await checkRevocation([pki.entity(name).certDer, issuer], AT, { ocsps: [], crls }, { mode: 'embedded', now: NOW })).entries[0];
  return { revoked: await of('revoked'), leader: await of('leader') };
}

beforeAll(async () => {
  pki = await ensurePki();
  // The `revoked` certificate is listed after the fillers (OpenSSL sorts by serial): the last entry.
  const listed = [{ serialHex: pki.entity('revoked').serialHex, revoked: REVOKED_AT, reason: 'keyCompromise' }];
  crl5k = await opensslLargeCrl({ pki, entries: 5_000, listed });
  crl50k = await opensslLargeCrl({ pki, entries: 50_000, listed });
  crlSmall = await opensslLargeCrl({ pki, entries: 300, listed });
}, 120_000);

describe('a CRL of 50,000 entries embedded in a CMS', () => {
  it.each([
    ['in an adbe-revocationInfoArchival signed attribute', () => signedCms({ archived: [crl50k] })],
    ['in the SignedData crls field', () => signedCms({ crlField: [crl50k] })],
  ])('%s: the signature verifies and the CRL decides revocation', async (_, cmsOf) => {
    const exam = await examine(cmsOf());
    expect(exam.cms).toMatchObject({ parsed: true, error: null, digestMatches: true, signatureValid: true, signerIndex: 0 });
    expect(digests(exam.revocationInfo.crls)).toEqual(digests([crl50k]));
    const { revoked, leader } = await statuses(exam.revocationInfo.crls);
    expect(revoked).toMatchObject({ status: 'revoked', source: 'crl-embedded', revokedAt: REVOKED_AT.toISOString(), reason: 'keyCompromise' });
    expect(leader).toMatchObject({ status: 'good', source: 'crl-embedded' });
  });

  it('the signed attribute is hashed as received: one changed octet of the embedded CRL breaks the signature', async () => {
    const cms = signedCms({ archived: [crl50k] });
    const at = Buffer.from(cms).indexOf(Buffer.from(crl50k.subarray(0, 64))) + crl50k.length - 300; // inside the last entries
    const changed = cms.slice();
    changed[at]! ^= 0x01;
    expect((await examine(changed)).cms).toMatchObject({ parsed: true, digestMatches: true, signatureValid: false });
  });

  it('revocationDataFromCms collects the same CRL, from either place', () => {
    const archived = revocationDataFromCms(signedCms({ archived: [crl50k] }));
    expect([digests(archived.crls), archived.origins]).toEqual([digests([crl50k]), ['adbe-revocationInfoArchival']]);
    const field = revocationDataFromCms(signedCms({ crlField: [crl50k] }));
    expect([digests(field.crls), field.origins]).toEqual([digests([crl50k]), ['signed-data-crls']]);
  });
});

describe('BER (indefinite lengths): decoded whole by asn1js, within limits that follow the input', () => {
  it('a CMS carrying a 5,000-entry CRL (past asn1js’s default 10,000 nodes) is read, verified, and its CRL used', async () => {
    for (const der of [signedCms({ crlField: [crl5k] }), signedCms({ archived: [crl5k] })]) {
      const ber = indefinite(der);
      expect([ber[0], ber[1]]).toEqual([0x30, 0x80]);
      const exam = await examine(ber);
      expect(exam.cms).toMatchObject({ parsed: true, error: null, signatureValid: true });
      expect(digests(exam.revocationInfo.crls)).toEqual(digests([crl5k]));
      expect((await statuses(exam.revocationInfo.crls)).revoked).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      expect(digests(revocationDataFromCms(ber).crls)).toEqual(digests([crl5k]));
    }
  });
});

describe('the CRLs kept as bytes: the same reading as decoding them with asn1js', () => {
  it('the parse equals the plain one (SignerInfos and crls decoded whole), the archival attribute’s values included', () => {
    for (const der of [
      signedCms({ archived: [crlSmall] }),
      signedCms({ crlField: [crlSmall, ocspChoice()] }),
      signedCms({ archived: [crlSmall, crlSmall], crlField: [crlSmall] }),
    ]) {
      const { fast, cached, plain } = cmsBothWays(der);
      expect(fast).toEqual(plain);
      expect(cached).toEqual(plain);
      expect(archivedRevocation(parseSignedData(der).signer)).toEqual(archivedRevocation(parseSignedDataPlain(der).signer));
    }
  });

  it('an archival attribute in another shape (its value not a SEQUENCE, an OCSP slot, other slots) reads as asn1js reads it', () => {
    const ocspLike = derTlv(0x30, Uint8Array.of(0x0a, 0x01, 0x00));
    for (const value of [
      derTlv(0x30, derTlv(0xa1, derTlv(0x30, ocspLike)), derTlv(0xa2, derTlv(0x30)), derTlv(0xa0, derTlv(0x30, crlSmall))),
      derTlv(0x31, derTlv(0xa0, derTlv(0x30, crlSmall))),
      derTlv(0x30, derTlv(0xa0, derTlv(0x31, crlSmall)), Uint8Array.of(0x80, 0x00)),
      derTlv(0x30),
    ]) {
      const der = signedCms({ archivalValue: value });
      const { fast, cached, plain } = cmsBothWays(der);
      expect(fast).toEqual(plain);
      expect(cached).toEqual(plain);
      expect(archivedRevocation(parseSignedData(der).signer)).toEqual(archivedRevocation(parseSignedDataPlain(der).signer));
    }
  });

  it('a BER CMS (indefinite lengths around the structure, the crls field, the SignerInfos, a CRL) reads as asn1js reads it whole', async () => {
    for (const der of [
      signedCms({ archived: [crlSmall], crlField: [crlSmall, ocspChoice()] }),
      signedCms({ archived: [crlSmall], crlField: [reopened(crlSmall), reopened(ocspChoice())] }),
    ]) {
      for (const ber of [indefinite(der), indefinite(der, true)]) {
        expect(parseTree(parseSignedData(ber))).toEqual(parseTree(parseWhole(ber)));
        const { fast, plain } = cmsBothWays(ber);
        expect(fast).toEqual(plain);
        expect((await examine(ber)).cms).toMatchObject({ parsed: true, error: null, signatureValid: true });
      }
    }
  });

  it('every single-byte change of a small archival attribute: where asn1js reads the SignerInfos, the same reading', () => {
    const small = new Uint8Array(readFileSync(pki.crlPath));
    const der = signedCms({ archived: [small] });
    const attribute = Buffer.from(der).indexOf(Buffer.from(oid(ARCHIVAL))) - 2;
    const tree = (parse: typeof parseSignedData, bytes: Uint8Array) => {
      let parsed: ReturnType<typeof parseSignedData>;
      try {
        parsed = parse(bytes);
      } catch (e) {
        return { error: (e as Error).message };
      }
      try {
        return { parsed: parseTree(parsed), archived: archivedRevocation(parsed.signer) };
      } catch (e) {
        return { values: (e as Error).message }; // the archival attribute's values, decoded when asked for
      }
    };
    let lazy = 0;
    let overrun = 0;
    for (let at = attribute; at < attribute + 40 + small.length; at++) {
      for (const value of new Set([der[at]! ^ 0x01, der[at]! ^ 0x80, 0x00, 0xff])) {
        const changed = der.slice();
        changed[at] = value;
        const plain = tree(parseSignedDataPlain, changed);
        const fast = tree(parseSignedData, changed);
        if ('error' in plain && !('error' in fast)) {
          // asn1js refused something inside a CRL that is kept as bytes: the parse stands (the revocation stage
          // judges that CRL); asking for the attribute's decoded values gives an asn1js refusal.
          lazy++;
          continue;
        }
        if (!wellFormed(changed)) {
          // A length that makes an element run past its parent: asn1js tolerates it and reads the elements
          // differently from their headers. Either reading gives CRLs that are judged by their signature.
          overrun++;
          continue;
        }
        if (JSON.stringify(fast) !== JSON.stringify(plain)) expect({ at, value, fast }).toEqual({ at, value, fast: plain });
      }
    }
    expect([lazy, overrun].every((n) => n > 0)).toBe(true);
  });

  it('hostile BER outlines (nesting past the limit, no end-of-contents) give asn1js’s reason, as before', () => {
    const deep = new Uint8Array(2 * 300 + 2 * 300);
    for (let i = 0; i < 300; i++) deep.set([0x30, 0x80], 2 * i);
    const unterminated = signedCms({}).slice();
    unterminated[1] = 0x80; // the ContentInfo's length made indefinite, with no end-of-contents
    const unterminatedBer = indefinite(signedCms({})).subarray(0, -2);
    for (const bytes of [deep, unterminated, unterminatedBer]) {
      let whole = '';
      try {
        parseWhole(bytes);
      } catch (e) {
        whole = (e as Error).message;
      }
      expect(whole).not.toBe('');
      expect(() => parseSignedData(bytes)).toThrow(whole);
    }
  });

  it('revocationDataFromCms reads from the headers what it reads from asn1js’s decoding of the BER form', () => {
    for (const der of [
      signedCms({ archived: [crlSmall, crlSmall], crlField: [crlSmall, ocspChoice()] }),
      signedCms({ archivalValue: derTlv(0x30, derTlv(0xa1, derTlv(0x30, derTlv(0x30))), derTlv(0xa0, derTlv(0x30, crlSmall))) }),
      signedCms({ archivalValue: derTlv(0x30, derTlv(0xa0, Uint8Array.of(0x05, 0x00))) }),
      signedCms({}),
    ]) {
      const found = revocationDataFromCms(der);
      expect(found).toEqual(revocationDataFromCms(indefinite(der)));
      expect(found.certs.length).toBeGreaterThan(0);
    }
  });
});
