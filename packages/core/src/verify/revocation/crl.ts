/**
 * CRLs (RFC 5280 §5, §6.3): whether a CRL speaks for a certificate and what
 * it says about it at a given time.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeCertificate } from '../../crypto/certificate-info.js';
import { decodeExact } from '../../crypto/raw-der.js';
import { readCrl, type CrlView } from './crl-reader.js';
import { extensionOf, sameName, verifySignedBytes } from './signature.js';
import { CLOCK_SKEW_MS, CRL_REASONS, decide, notApplicable, unusable, type RevocationVerdict } from './verdict.js';

/** CRL and CRL entry extensions kyso understands (RFC 5280 §5.2, §5.3). */
const CRL_EXT = {
  authorityKeyIdentifier: '2.5.29.35',
  issuerAltName: '2.5.29.18',
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCRL: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  expiredCertsOnCRL: '2.5.29.60',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
} as const;

const KNOWN_CRL_EXTENSIONS = new Set<string>([
  CRL_EXT.authorityKeyIdentifier, CRL_EXT.issuerAltName, CRL_EXT.cRLNumber, CRL_EXT.deltaCRLIndicator,
  CRL_EXT.issuingDistributionPoint, CRL_EXT.freshestCRL, CRL_EXT.authorityInfoAccess, CRL_EXT.expiredCertsOnCRL,
]);
const KNOWN_ENTRY_EXTENSIONS = new Set<string>([CRL_EXT.reasonCode, CRL_EXT.invalidityDate, CRL_EXT.certificateIssuer]);

/** When a CRL is judged. */
export interface CrlCheckContext {
  readonly at: Date;
  /** The validation clock: a CRL issued after it is refused. */
  readonly now: Date;
}

/**
 * Judges a CRL about `cert` (issued by `issuer`) at `ctx.at`:
 *
 * - issued by the certificate's issuer (names match, RFC 5280 §6.3.3 (b)), a
 *   complete CRL for its scope (no delta, no indirect or reason-partitioned
 *   issuing distribution point, §5.2.5) that covers this kind of certificate;
 * - the issuer may sign CRLs (keyUsage cRLSign when present, §4.2.1.3) and
 *   the signature verifies (§6.3.3 (f), (g));
 * - every critical extension is understood (§5.2);
 * - thisUpdate not after `now`; to say "good", nextUpdate not before `at`
 *   (a stale CRL decides nothing) and, unless expiredCertsOnCRL says
 *   otherwise, issued before the certificate expired (entries of expired
 *   certificates may be dropped, §3.3);
 * - the serial listed → revoked at its revocationDate with its reasonCode.
 *
 * Never throws.
 */
export async function checkCrl(der: Uint8Array, cert: Uint8Array, issuer: Uint8Array, ctx: CrlCheckContext): Promise<RevocationVerdict> {
  try {
    let crl: CrlView;
    try {
      crl = readCrl(der);
    } catch (e) {
      return unusable(`not a CRL: ${(e as Error).message}`);
    }
    const c = decodeCertificate(cert).cert;
    const i = decodeCertificate(issuer).cert;
    if (!sameName(crl.issuer, i.subject) || !sameName(c.issuer, i.subject)) return notApplicable('the CRL is from another issuer');
    // The view is shared by every check of the same CRL: the verdict gets its own Date objects.
    const thisUpdate = new Date(crl.thisUpdate.getTime());
    const nextUpdate = crl.nextUpdate ? new Date(crl.nextUpdate.getTime()) : null;
    const exts = crl.extensions;

    const unknownCritical = exts.find((e) => e.critical && !KNOWN_CRL_EXTENSIONS.has(e.extnID));
    if (unknownCritical) return unusable(`the CRL has an unknown critical extension ${unknownCritical.extnID}`, thisUpdate);
    if (exts.some((e) => e.extnID === CRL_EXT.deltaCRLIndicator)) return notApplicable('a delta CRL needs its base CRL');
    const idp = exts.find((e) => e.extnID === CRL_EXT.issuingDistributionPoint)?.parsedValue as unknown;
    if (idp instanceof pkijs.IssuingDistributionPoint) {
      // pkijs returns an empty value with `parsingError` set for a malformed extension: its scope is unknown.
      if ((idp as { parsingError?: string }).parsingError) return unusable('the CRL issuing distribution point cannot be read', thisUpdate);
      const isCa = isCaCertificate(cert);
      if (idp.indirectCRL) return notApplicable('indirect CRLs are not supported');
      if (idp.onlySomeReasons !== undefined) return notApplicable('the CRL covers only some reasons');
      if (idp.onlyContainsAttributeCerts) return notApplicable('the CRL covers attribute certificates only');
      if (idp.onlyContainsUserCerts && isCa) return notApplicable('the CRL covers end-entity certificates only');
      if (idp.onlyContainsCACerts && !isCa) return notApplicable('the CRL covers CA certificates only');
    }

    const ku = extensionOf(issuer, CRL_EXT.keyUsage)?.parsedValue as unknown;
    if (ku instanceof asn1js.BitString && !bitSet(ku, 6)) return unusable('the issuer certificate may not sign CRLs (no cRLSign)', thisUpdate);
    const signed = await verifySignedBytes(issuer, crl.signatureAlgorithm, crl.tbs, crl.signature);
    if (!signed) return unusable('the CRL signature does not verify with the issuer key', thisUpdate);
    if (thisUpdate.getTime() > ctx.now.getTime() + CLOCK_SKEW_MS) return unusable('the CRL claims to come from the future', thisUpdate);
    if (nextUpdate && nextUpdate.getTime() < thisUpdate.getTime()) return unusable('the CRL has nextUpdate before thisUpdate', thisUpdate);

    let listed: pkijs.RevokedCertificate[];
    try {
      listed = crl.entriesFor(c.serialNumber.valueBlock.valueHexView);
    } catch (e) {
      return unusable(`not a CRL: ${(e as Error).message}`);
    }
    let revocation: { time: Date; reason: string | null } | null = null;
    for (const entry of listed) {
      const entryExts = entry.crlEntryExtensions?.extensions ?? [];
      // certificateIssuer only appears in indirect CRLs, refused above; a critical unknown entry extension makes the entry unreadable.
      const bad = entryExts.find((e) => e.critical && !KNOWN_ENTRY_EXTENSIONS.has(e.extnID));
      if (bad) return unusable(`the CRL entry has an unknown critical extension ${bad.extnID}`, thisUpdate);
      const reasonExt = entryExts.find((e) => e.extnID === CRL_EXT.reasonCode);
      const code = reasonCode(reasonExt);
      if (code === 8) continue; // removeFromCRL only occurs in delta CRLs (§5.3.1)
      revocation = { time: entry.revocationDate.value, reason: code === null ? null : (CRL_REASONS[code] ?? `reason-${code}`) };
      break;
    }

    if (!revocation || revocation.time.getTime() > ctx.at.getTime()) {
      const expiredKept = exts.find((e) => e.extnID === CRL_EXT.expiredCertsOnCRL);
      const keptSince = expiredKept ? generalizedTime(expiredKept) : null;
      const notAfter = c.notAfter.value.getTime();
      const mayHaveDropped = thisUpdate.getTime() > notAfter && !(keptSince && keptSince.getTime() <= notAfter);
      if (mayHaveDropped) return unusable('the CRL was issued after the certificate expired and may omit it', thisUpdate);
    }
    return decide(revocation, { thisUpdate, nextUpdate, producedAt: thisUpdate }, ctx.at);
  } catch (e) {
    return unusable(`the CRL cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function isCaCertificate(cert: Uint8Array): boolean {
  const bc = extensionOf(cert, CRL_EXT.basicConstraints)?.parsedValue as unknown;
  return bc instanceof pkijs.BasicConstraints && bc.cA === true;
}

/** Bit `n` of a named-bit BIT STRING (X.690 §8.6.2). */
function bitSet(bits: asn1js.BitString, n: number): boolean {
  const bytes = bits.valueBlock.valueHexView;
  const byte = bytes[n >> 3];
  return byte !== undefined && (byte & (0x80 >> (n & 7))) !== 0;
}

function reasonCode(ext: pkijs.Extension | undefined): number | null {
  if (!ext) return null;
  const v: unknown = ext.parsedValue;
  if (v instanceof asn1js.Enumerated) return v.valueBlock.valueDec;
  try {
    const parsed = decodeExact(new Uint8Array(ext.extnValue.valueBlock.valueHexView));
    return parsed instanceof asn1js.Enumerated ? parsed.valueBlock.valueDec : null;
  } catch {
    return null;
  }
}

function generalizedTime(ext: pkijs.Extension): Date | null {
  try {
    const parsed = decodeExact(new Uint8Array(ext.extnValue.valueBlock.valueHexView));
    return parsed instanceof asn1js.GeneralizedTime ? parsed.toDate() : null;
  } catch {
    return null;
  }
}
