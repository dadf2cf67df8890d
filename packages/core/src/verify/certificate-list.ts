import { OID } from '../crypto/algorithms.js';
import { certificateExtensions, parseCertificate } from '../crypto/certificate-info.js';
import { toBase64 } from '../util/base64.js';
import { toHex } from '../util/bytes.js';
import { RecentBytesMap } from '../util/recent-map.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CertificateFacts } from './facts.js';

/**
 * The facts of the certificates met lately, by their DER (compared in full):
 * an audit meets the same signer, CA and TSA certificates in every file, and
 * their facts depend on the bytes alone. An entry holds only strings (no view
 * into a caller's bytes; the map keeps its own copy of the key), and every
 * report gets its own copy of the facts.
 */
const recentFacts = new RecentBytesMap<CertificateFacts>(64);

/**
 * The certificates of one signature's facts, each once (by DER), so that the
 * signer's chain, the TSA's chain and the revocation entries can point into one
 * list by index.
 */
export class CertificateList {
  readonly facts: CertificateFacts[] = [];
  readonly der: Uint8Array[] = [];
  private readonly index = new Map<string, number>();

  add(der: Uint8Array): number {
    const facts = recentFacts.getOrCreate(der, () => describe(der, toBase64(der)));
    // Keyed by the DER's base64 text, as before; the cached facts' string is reused, so it is not built again.
    const key = facts.der;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const i = this.facts.length;
    this.index.set(key, i);
    this.der.push(der);
    this.facts.push(copyOf(facts));
    return i;
  }

  /** Adds a list and returns a function that maps its indexes to this list's. */
  addAll(ders: readonly Uint8Array[]): (i: number) => number {
    const map = ders.map((d) => this.add(d));
    return (i) => map[i]!;
  }
}

function describe(der: Uint8Array, base64: string): CertificateFacts {
  try {
    const info = parseCertificate(der);
    return {
      der: base64,
      subject: info.subjectDN,
      issuer: info.issuerDN,
      commonName: info.subjectCN,
      organization: info.organization ?? null,
      uids: info.uids,
      serialNumber: info.serialHex,
      notBefore: info.notBefore.toISOString(),
      notAfter: info.notAfter.toISOString(),
      keyAlgorithm: info.namedCurve ? `EC ${info.namedCurve}` : info.keyAlgorithm,
      keyBits: info.keyBits,
      keyUsage: info.keyUsage,
      extKeyUsage: info.extKeyUsage,
      isCa: isCa(der),
      sha256: toHex(sha256(der)),
    };
  } catch {
    return {
      der: base64, subject: '?', issuer: '?', commonName: null, organization: null, uids: [], serialNumber: '?',
      notBefore: new Date(0).toISOString(), notAfter: new Date(0).toISOString(), keyAlgorithm: '?', keyBits: 0,
      keyUsage: null, extKeyUsage: null, isCa: false, sha256: toHex(sha256(der)),
    };
  }
}

/** A report's own copy of cached facts (its lists are arrays a caller may change). */
function copyOf(f: CertificateFacts): CertificateFacts {
  return {
    ...f,
    uids: [...f.uids],
    keyUsage: f.keyUsage ? [...f.keyUsage] : null,
    extKeyUsage: f.extKeyUsage ? [...f.extKeyUsage] : null,
  };
}

/** basicConstraints cA (RFC 5280 §4.2.1.9): SEQUENCE { BOOLEAN TRUE … }. */
function isCa(der: Uint8Array): boolean {
  const bc = certificateExtensions(der).find((e) => e.oid === OID.basicConstraints);
  const v = bc?.value;
  return !!v && v.length >= 5 && v[0] === 0x30 && v[2] === 0x01 && v[3] === 0x01 && v[4] !== 0x00;
}
