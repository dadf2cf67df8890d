/**
 * The parts of an X.509 certificate that path validation reads
 * (RFC 5280 §4.1, §4.2), decoded once per certificate.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeCertificate } from '../../crypto/certificate-info.js';
import { KysoError, kysoError } from '../../errors/index.js';
import { decodeExact, elements, isContextTag, octets, originalBytes } from '../../crypto/raw-der.js';
import { equalBytes, toHex, bytesToLatin1 } from '../../util/bytes.js';
import { RecentBytesMap } from '../../util/recent-map.js';
import { canonicalName } from './names.js';

/** Extension and purpose OIDs (RFC 5280 §4.2, RFC 6960 §4.2.2.2.1). */
export const X509_OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  qcStatements: '1.3.6.1.5.5.7.1.3',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/**
 * Critical extensions this validator understands (RFC 5280 §6.1.4(o): a
 * certificate with any other critical extension is rejected). Policy and name
 * constraints are recognised but not enforced; buildChain notes them.
 */
const UNDERSTOOD_CRITICAL = new Set<string>([
  X509_OID.subjectKeyIdentifier, X509_OID.keyUsage, X509_OID.subjectAltName, X509_OID.issuerAltName,
  X509_OID.basicConstraints, X509_OID.crlDistributionPoints, X509_OID.certificatePolicies, X509_OID.authorityKeyIdentifier,
  X509_OID.extKeyUsage, X509_OID.authorityInfoAccess, X509_OID.nameConstraints, X509_OID.policyConstraints,
  X509_OID.policyMappings, X509_OID.inhibitAnyPolicy, X509_OID.ocspNoCheck, X509_OID.freshestCrl,
]);

/** Constraints that are recognised but not enforced by this path validation. */
export const UNENFORCED_CONSTRAINTS = new Set<string>([
  X509_OID.nameConstraints, X509_OID.policyConstraints, X509_OID.policyMappings, X509_OID.inhibitAnyPolicy,
]);

/** KeyUsage bit names in bit order (RFC 5280 §4.2.1.3). */
const KEY_USAGE_BITS = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
] as const;

/** A decoded certificate as path validation sees it. */
export interface CertificateView {
  readonly der: Uint8Array;
  /** Identity of the bytes (latin1 of the DER), for de-duplication. */
  readonly id: string;
  /** Canonical subject and issuer keys (see canonicalName). */
  readonly subject: string;
  readonly issuer: string;
  /** Subject and issuer equal (RFC 5280 §6.1 "self-issued"). */
  readonly selfIssued: boolean;
  /** SubjectPublicKeyInfo as encoded. */
  readonly spki: Uint8Array;
  readonly spkiId: string;
  readonly subjectKeyId: string | null;
  readonly authorityKeyId: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** null when the extension is absent. */
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | null } | null;
  readonly keyUsage: readonly string[] | null;
  readonly extKeyUsage: { readonly purposes: readonly string[]; readonly critical: boolean } | null;
  /** OIDs of critical extensions not understood, plus `malformed:<oid>` for unreadable known ones. */
  readonly badExtensions: readonly string[];
  /** Critical constraints present but not enforced (name/policy constraints). */
  readonly unenforced: readonly string[];
  /** id-ad-caIssuers URIs of the AIA extension (RFC 5280 §4.2.2.1). */
  readonly caIssuers: readonly string[];
  /** The TBSCertificate as encoded, the signed bytes. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: pkijs.AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  /** The TBSCertificate's signature field differs from the outer signatureAlgorithm (RFC 5280 §4.1.1.2). */
  readonly algorithmMismatch: boolean;
}

/**
 * Views by the certificate's bytes. Looked up by content (a hash and a comparison) rather than by the
 * latin1 text `id`, which is made once per certificate: every file of an audit brings the same certificates
 * in new arrays, and making that text on each lookup cost more than the comparison.
 */
const cache = new RecentBytesMap<CertificateView>(64);

/**
 * Decodes a certificate for path validation.
 * @throws ERR_CERT_MALFORMED
 */
export function viewCertificate(der: Uint8Array): CertificateView {
  return cache.getOrCreate(der, () => {
    // The view keeps a copy of its own: `der` is often a view into the caller's document (an unfiltered
    // stream), which the cache would otherwise keep alive, and which the caller may detach or reuse.
    const own = der.slice();
    try {
      return decodeView(own, bytesToLatin1(own));
    } catch (e) {
      if (e instanceof KysoError) throw e;
      throw kysoError('ERR_CERT_MALFORMED', e instanceof Error ? e.message : String(e), e);
    }
  });
}

function decodeView(der: Uint8Array, id: string): CertificateView {
  const decoded = decodeCertificate(der);
  const { cert } = decoded;
  const subject = canonicalName(decoded.subjectName);
  const issuer = canonicalName(decoded.issuerName);
  const root = decodeExact(der);
  const [tbsElement, outerAlgorithm] = elements(root);
  const tbs = originalBytes(tbsElement!);
  const tbsFields = elements(tbsElement!);
  const innerAlgorithm = tbsFields[isContextTag(tbsFields[0]!, 0) ? 2 : 1]!;
  const algorithmMismatch = !equalBytes(originalBytes(innerAlgorithm), originalBytes(outerAlgorithm!));
  let subjectKeyId: string | null = null;
  let authorityKeyId: string | null = null;
  let basicConstraints: CertificateView['basicConstraints'] = null;
  let keyUsage: string[] | null = null;
  let extKeyUsage: CertificateView['extKeyUsage'] = null;
  const badExtensions: string[] = [];
  const unenforced: string[] = [];
  const caIssuers: string[] = [];
  const seen = new Set<string>();
  for (const ext of cert.extensions ?? []) {
    const oid = ext.extnID;
    // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
    if (seen.has(oid)) badExtensions.push(`duplicate:${oid}`);
    seen.add(oid);
    if (ext.critical && !UNDERSTOOD_CRITICAL.has(oid)) badExtensions.push(oid);
    if (ext.critical && UNENFORCED_CONSTRAINTS.has(oid)) unenforced.push(oid);
    try {
      const value = (): asn1js.AsnType => decodeExact(octets(ext.extnValue));
      switch (oid) {
        case X509_OID.subjectKeyIdentifier: {
          const v = value();
          if (!(v instanceof asn1js.OctetString)) throw new Error('SKI');
          subjectKeyId = toHex(octets(v));
          break;
        }
        case X509_OID.authorityKeyIdentifier: {
          const aki = new pkijs.AuthorityKeyIdentifier({ schema: value() });
          if (aki.keyIdentifier) authorityKeyId = toHex(aki.keyIdentifier.valueBlock.valueHexView);
          break;
        }
        case X509_OID.basicConstraints: {
          const bc = new pkijs.BasicConstraints({ schema: value() });
          const p = bc.pathLenConstraint;
          const pathLen = p === undefined ? null : typeof p === 'number' ? p : p.valueBlock.valueDec;
          basicConstraints = { ca: bc.cA === true, pathLen };
          break;
        }
        case X509_OID.keyUsage: {
          const v = value();
          if (!(v instanceof asn1js.BitString)) throw new Error('keyUsage');
          const bits = v.valueBlock.valueHexView;
          keyUsage = KEY_USAGE_BITS.filter((_, i) => {
            const byte = bits[i >> 3];
            return byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0;
          });
          break;
        }
        case X509_OID.extKeyUsage: {
          const eku = new pkijs.ExtKeyUsage({ schema: value() });
          extKeyUsage = { purposes: [...eku.keyPurposes], critical: ext.critical };
          break;
        }
        case X509_OID.authorityInfoAccess: {
          const aia = new pkijs.InfoAccess({ schema: value() });
          for (const d of aia.accessDescriptions) {
            // uniformResourceIdentifier [6] IA5String (RFC 5280 §4.2.1.6)
            if (d.accessMethod === X509_OID.caIssuers && d.accessLocation.type === 6 && typeof d.accessLocation.value === 'string') {
              caIssuers.push(d.accessLocation.value);
            }
          }
          break;
        }
      }
    } catch {
      badExtensions.push(`malformed:${oid}`);
    }
  }
  const spki = decoded.spki;
  return {
    der,
    id,
    subject,
    issuer,
    selfIssued: subject === issuer,
    spki,
    spkiId: bytesToLatin1(spki),
    subjectKeyId,
    authorityKeyId,
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    basicConstraints,
    keyUsage,
    extKeyUsage,
    badExtensions,
    unenforced,
    caIssuers,
    tbs,
    signatureAlgorithm: cert.signatureAlgorithm,
    signatureValue: cert.signatureValue.valueBlock.valueHexView.slice(),
    algorithmMismatch,
  };
}
