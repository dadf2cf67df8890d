import { createHash, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Attribute OIDs used in names (RFC 5280 §4.1.2.4, RFC 4519 for UID). */
export const NAME_OIDS = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  UID: '0.9.2342.19200300.100.1.1',
} as const;

/** One name attribute; the order of a {@link NameSpec} is the order in the DN. */
export type NameSpec = ReadonlyArray<readonly [keyof typeof NAME_OIDS, string]>;

export const OIDS = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  cRLNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  adOcsp: '1.3.6.1.5.5.7.48.1',
  adCaIssuers: '1.3.6.1.5.5.7.48.2',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  ekuOcspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** KeyUsage bit positions (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE_BITS;

/** A fresh ArrayBuffer holding exactly `u` (a Buffer's .buffer is a shared pool). */
const ab = (u: Uint8Array): ArrayBuffer => new Uint8Array(u).buffer as ArrayBuffer;

/**
 * A Name with one attribute per RDN (pkijs would put them all in one
 * multi-valued RDN), UTF8String values except C, which X.520 fixes as
 * PrintableString (RFC 5280 §4.1.2.4).
 */
export function buildName(spec: NameSpec): pkijs.RelativeDistinguishedNames {
  const seq = new asn1js.Sequence({
    value: spec.map(
      ([k, v]) =>
        new asn1js.Set({
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: NAME_OIDS[k] }),
                k === 'C' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v.normalize('NFC') }),
              ],
            }),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER(false));
}

/** DER NamedBitList: trailing zero bits dropped (X.690 §11.2.2). */
export function keyUsageValue(usages: readonly KeyUsageName[]): asn1js.BitString {
  let bits = 0;
  let highest = 0;
  for (const u of usages) {
    const b = KEY_USAGE_BITS[u];
    bits |= 1 << (15 - b);
    highest = Math.max(highest, b);
  }
  const nBytes = highest < 8 ? 1 : 2;
  const bytes = nBytes === 1 ? [bits >> 8] : [bits >> 8, bits & 0xff];
  return new asn1js.BitString({ valueHex: new Uint8Array(bytes).buffer, unusedBits: nBytes * 8 - 1 - highest });
}

const ctx = (tag: number, bytes: Uint8Array) =>
  new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag }, valueHex: ab(bytes) });
const uriName = (uri: string) => ctx(6, new TextEncoder().encode(uri));

export function ext(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** RFC 5280 §4.2.1.9. */
export function basicConstraints(ca: boolean, pathLen?: number): pkijs.Extension {
  const v: asn1js.BaseBlock[] = [];
  if (ca) v.push(new asn1js.Boolean({ value: true }));
  if (ca && pathLen !== undefined) v.push(new asn1js.Integer({ value: pathLen }));
  return ext(OIDS.basicConstraints, true, new asn1js.Sequence({ value: v }));
}

export function keyUsage(usages: readonly KeyUsageName[]): pkijs.Extension {
  return ext(OIDS.keyUsage, true, keyUsageValue(usages));
}

export function extKeyUsage(oids: readonly string[], critical: boolean): pkijs.Extension {
  return ext(OIDS.extKeyUsage, critical, new asn1js.Sequence({ value: oids.map((o) => new asn1js.ObjectIdentifier({ value: o })) }));
}

/** Key identifier method 1 of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  const spki = pkijs.PublicKeyInfo.fromBER(ab(spkiDer));
  return createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest();
}

export function subjectKeyIdentifier(spkiDer: Uint8Array): pkijs.Extension {
  return ext(OIDS.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: ab(keyIdentifier(spkiDer)) }));
}

export function authorityKeyIdentifier(issuerSpkiDer: Uint8Array): pkijs.Extension {
  return ext(OIDS.authorityKeyIdentifier, false, new asn1js.Sequence({ value: [ctx(0, keyIdentifier(issuerSpkiDer))] }));
}

/** RFC 5280 §4.2.1.13: one DistributionPoint with a fullName URI. */
export function crlDistributionPoints(uri: string): pkijs.Extension {
  const fullName = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [uriName(uri)] });
  const dpName = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [fullName] });
  return ext(OIDS.crlDistributionPoints, false, new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [dpName] })] }));
}

/** RFC 5280 §4.2.2.1. */
export function authorityInfoAccess(entries: { ocsp?: string; caIssuers?: string }): pkijs.Extension {
  const v: asn1js.BaseBlock[] = [];
  if (entries.ocsp) v.push(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OIDS.adOcsp }), uriName(entries.ocsp)] }));
  if (entries.caIssuers)
    v.push(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OIDS.adCaIssuers }), uriName(entries.caIssuers)] }));
  return ext(OIDS.authorityInfoAccess, false, new asn1js.Sequence({ value: v }));
}

export function certificatePolicies(oids: readonly string[]): pkijs.Extension {
  return ext(
    OIDS.certificatePolicies,
    false,
    new asn1js.Sequence({
      value: oids.map((o) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: o })] })),
    }),
  );
}

/** RFC 6960 §4.2.2.2.1: the responder's own status is not checked. */
export function ocspNoCheck(): pkijs.Extension {
  return ext(OIDS.ocspNoCheck, false, new asn1js.Null());
}

function serialInteger(serialHex: string): asn1js.Integer {
  const bytes = Buffer.from(serialHex.length % 2 ? '0' + serialHex : serialHex, 'hex');
  if (bytes[0]! & 0x80) throw new Error('testkit: serial must be positive: ' + serialHex);
  return new asn1js.Integer({ valueHex: ab(bytes) });
}

const rsaSha256 = () =>
  new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.sha256WithRSA, algorithmParams: new asn1js.Null() });

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: d });

/** What one certificate should say. */
export interface CertRequest {
  readonly serialHex: string;
  readonly subject: NameSpec;
  readonly issuer: NameSpec;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Uint8Array;
  readonly extensions: readonly pkijs.Extension[];
  /** RSA issuer key: sha256WithRSAEncryption, PKCS#1 v1.5, deterministic. */
  readonly issuerKey: KeyObject;
}

/** A signed X.509 v3 certificate, DER. */
export function issueCertificate(req: CertRequest): Uint8Array {
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: serialInteger(req.serialHex),
    signature: rsaSha256(),
    issuer: buildName(req.issuer),
    subject: buildName(req.subject),
    notBefore: time(req.notBefore),
    notAfter: time(req.notAfter),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(ab(req.spkiDer)),
    extensions: [...req.extensions],
  });
  cert.signatureAlgorithm = rsaSha256();
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.signatureValue = new asn1js.BitString({ valueHex: ab(sign('sha256', cert.tbsView, req.issuerKey)) });
  return new Uint8Array(cert.toSchema().toBER(false));
}

/** What one CRL should say. */
export interface CrlRequest {
  readonly issuer: NameSpec;
  readonly issuerSpkiDer: Uint8Array;
  readonly issuerKey: KeyObject;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crlNumber: number;
  readonly revoked: ReadonlyArray<{ serialHex: string; date: Date; reason: number }>;
}

/** A signed v2 CRL (RFC 5280 §5), DER. */
export function issueCrl(req: CrlRequest): Uint8Array {
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: rsaSha256(),
    issuer: buildName(req.issuer),
    thisUpdate: time(req.thisUpdate),
    nextUpdate: time(req.nextUpdate),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        authorityKeyIdentifier(req.issuerSpkiDer),
        ext(OIDS.cRLNumber, false, new asn1js.Integer({ value: req.crlNumber })),
      ],
    }),
  });
  if (req.revoked.length > 0) {
    crl.revokedCertificates = req.revoked.map(
      (r) =>
        new pkijs.RevokedCertificate({
          userCertificate: serialInteger(r.serialHex),
          revocationDate: time(r.date),
          crlEntryExtensions: new pkijs.Extensions({
            extensions: [ext(OIDS.reasonCode, false, new asn1js.Enumerated({ value: r.reason }))],
          }),
        }),
    );
  }
  crl.signatureAlgorithm = rsaSha256();
  // pkijs marks the CRL's encodeTBS protected; we sign with node:crypto, not its WebCrypto engine.
  const tbs = (crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS();
  crl.tbsView = new Uint8Array(tbs.toBER(false));
  crl.signatureValue = new asn1js.BitString({ valueHex: ab(sign('sha256', crl.tbsView, req.issuerKey)) });
  return new Uint8Array(crl.toSchema().toBER(false));
}

/** PEM armour (RFC 7468). */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with `label`. */
export function fromPem(pem: string, label: string): Uint8Array {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!m) throw new Error(`testkit: no ${label} PEM block`);
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}
