import { sign as nodeSign, constants, createPrivateKey, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TestEntity } from '@kyso/testkit';

/** How the test issuer signs: node:crypto does the signing, a second implementation next to WebCrypto verifying. */
export type TestSignature = 'rsa-sha1' | 'rsa-sha256' | 'rsa-pss-sha256' | 'ecdsa-sha256';

export interface TestCertificate {
  readonly issuer: TestEntity;
  /** The certificate whose subject public key the new certificate certifies. */
  readonly keyOf: TestEntity;
  readonly cn: string;
  /** Copy the subject name of this certificate instead of using `cn`. */
  readonly subjectOf?: Uint8Array;
  readonly ca: boolean;
  readonly pathLen?: number;
  /** KeyUsage bits by name; absent extension when undefined. */
  readonly keyUsage?: readonly ('digitalSignature' | 'nonRepudiation' | 'keyCertSign' | 'cRLSign')[];
  readonly signature?: TestSignature;
  /** Write this algorithm in the TBSCertificate's signature field instead (a malformed certificate). */
  readonly innerSignature?: TestSignature;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serial?: number;
  /** An extra critical extension with this OID. */
  readonly unknownCritical?: string;
}

const KU_BITS = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;
const ab = (u: Uint8Array): ArrayBuffer => new Uint8Array(u).buffer as ArrayBuffer;

/** A certificate issued by a test-PKI entity with fixed dates (2025-01-01 → 2030-01-01 unless given). */
export function issueTestCertificate(req: TestCertificate): Uint8Array {
  const issuerCert = pkijs.Certificate.fromBER(ab(req.issuer.certDer));
  const subjectCert = pkijs.Certificate.fromBER(ab(req.keyOf.certDer));
  const alg = algorithm(req.signature ?? 'rsa-sha256');
  const extensions: pkijs.Extension[] = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: req.ca, ...(req.pathLen !== undefined ? { pathLenConstraint: req.pathLen } : {}) }).toSchema().toBER(false),
    }),
  ];
  if (req.keyUsage) {
    let bits = 0;
    for (const u of req.keyUsage) bits |= 0x8000 >> KU_BITS[u];
    extensions.push(new pkijs.Extension({
      extnID: '2.5.29.15',
      critical: true,
      extnValue: new asn1js.BitString({ valueHex: ab(new Uint8Array([bits >> 8, bits & 0xff])), unusedBits: 0 }).toBER(false),
    }));
  }
  if (req.unknownCritical) {
    extensions.push(new pkijs.Extension({ extnID: req.unknownCritical, critical: true, extnValue: new asn1js.Null().toBER(false) }));
  }
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ value: req.serial ?? 0x4b5901 }),
    signature: req.innerSignature ? algorithm(req.innerSignature).id : alg.id,
    issuer: issuerCert.subject,
    subject: req.subjectOf ? pkijs.Certificate.fromBER(ab(req.subjectOf)).subject : new pkijs.RelativeDistinguishedNames({
      typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: req.cn }) })],
    }),
    notBefore: new pkijs.Time({ type: 0, value: req.notBefore ?? new Date('2025-01-01T00:00:00Z') }),
    notAfter: new pkijs.Time({ type: 0, value: req.notAfter ?? new Date('2030-01-01T00:00:00Z') }),
    subjectPublicKeyInfo: subjectCert.subjectPublicKeyInfo,
    extensions,
  });
  cert.signatureAlgorithm = alg.id;
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER(false));
  const key = createPrivateKey({ key: Buffer.from(req.issuer.keyDer), format: 'der', type: 'pkcs8' });
  cert.signatureValue = new asn1js.BitString({ valueHex: ab(alg.sign(cert.tbsView, key)) });
  return new Uint8Array(cert.toSchema().toBER(false));
}

function algorithm(kind: TestSignature): { id: pkijs.AlgorithmIdentifier; sign: (tbs: Uint8Array, key: KeyObject) => Uint8Array } {
  const sha256 = () => new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' });
  switch (kind) {
    case 'rsa-sha1':
      return {
        id: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.5', algorithmParams: new asn1js.Null() }),
        sign: (tbs, key) => nodeSign('sha1', tbs, key),
      };
    case 'rsa-sha256':
      return {
        id: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() }),
        sign: (tbs, key) => nodeSign('sha256', tbs, key),
      };
    case 'rsa-pss-sha256':
      return {
        id: new pkijs.AlgorithmIdentifier({
          algorithmId: '1.2.840.113549.1.1.10',
          algorithmParams: new pkijs.RSASSAPSSParams({
            hashAlgorithm: sha256(),
            maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.8', algorithmParams: sha256().toSchema() }),
            saltLength: 32,
          }).toSchema(),
        }),
        sign: (tbs, key) => nodeSign('sha256', tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
      };
    case 'ecdsa-sha256':
      return {
        id: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' }),
        sign: (tbs, key) => nodeSign('sha256', tbs, key),
      };
  }
}
