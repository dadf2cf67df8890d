import { describe, expect, it } from 'vitest';
import type { CertificateFacts, SignatureFacts, VerificationFacts } from '../../src/verify/facts.js';
import { DEFAULT_POLICY, judge } from '../../src/verify/policy.js';

const cert = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  der: '', subject: 'CN=Nguyễn Văn Đức', issuer: 'CN=TEST CA', commonName: 'Nguyễn Văn Đức', organization: 'UBND', uids: ['CCCD:001085012345'],
  serialNumber: '01', notBefore: '2025-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z', keyAlgorithm: 'RSA', keyBits: 2048,
  keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: null, isCa: false, sha256: '00', ...over,
});

/** The facts of one good B-T signature over the whole file, trusted, revocation good. */
function facts(over: Partial<SignatureFacts> = {}, top: Partial<VerificationFacts> = {}): VerificationFacts {
  const sig: SignatureFacts = {
    index: 0, kind: 'signature', field: 'Signature1', filter: 'Adobe.PPKLite', subFilter: 'ETSI.CAdES.detached', object: 7, revision: 1,
    claimed: { time: '2026-03-05T07:30:12Z', name: null, reason: null, location: null },
    byteRange: { byteRange: [0, 100, 200, 50], problems: [], coveredRevision: 1, coverage: 'whole-revision' },
    certificates: [cert(), cert({ subject: 'CN=TEST CA', commonName: 'TEST CA', isCa: true, notAfter: '2049-01-01T00:00:00Z' })],
    cms: { parsed: true, error: null, digestAlgorithm: 'SHA-256', signatureAlgorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      signedAttributesPresent: true, digestMatches: true, signatureValid: true, signerIndex: 0, signingCertificateBinding: 'v2-match',
      signingTimeAttribute: null, weakAlgorithms: [] },
    timestamp: { genTime: '2026-03-05T07:30:13Z', imprintMatches: true, signatureValid: true, tsaIndex: null, tsaEkuOk: true, error: null,
      chain: { status: 'trusted', path: [], anchor: { subject: 'CN=TEST CA', source: 'test' }, problems: [], notes: [] } },
    chain: { status: 'trusted', path: [0, 1], anchor: { subject: 'CN=TEST CA', source: 'test' }, problems: [], notes: [] },
    revocation: { status: 'good', entries: [{ certIndex: 0, status: 'good', source: 'ocsp-online', revokedAt: null, producedAt: null, reason: null }] },
    modifications: { verdict: 'none', changes: [] },
    docMdp: null, fieldMdp: null,
    ...over,
  };
  return { version: 1, fileSize: 250, revisions: [{ index: 0, end: 80, startxref: 40, xrefKind: 'table' }, { index: 1, end: 250, startxref: 220, xrefKind: 'table' }],
    signatures: [sig], unsignedTrailing: 0, reconstructed: false, validationTime: '2026-11-01T00:00:00Z', notes: [], ...top };
}

const verdict = (f: VerificationFacts) => {
  const s = judge(f).signatures[0]!;
  return [s.indication, s.subIndication];
};
const base = facts().signatures[0]!;

describe('policy: facts → ETSI EN 319 102-1 indications', () => {
  it('a good, timestamped, trusted, unrevoked, unmodified signature is TOTAL_PASSED', () => {
    const r = judge(facts());
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', subIndication: null, level: 'PAdES-B-T', integrity: 'intact', coversWholeFile: true });
    expect(r.lastRevisionSigned).toBe(true);
    expect(Object.isFrozen(r.signatures[0]!.signer)).toBe(true);
  });

  const table: [string, Partial<SignatureFacts>, string, string | null][] = [
    ['a forged byte range', { byteRange: { ...base.byteRange, problems: ['gap-not-contents'], coverage: 'broken' } }, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['an unparsable CMS', { cms: { ...base.cms, parsed: false, error: 'not DER' } }, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['a digest mismatch', { cms: { ...base.cms, digestMatches: false } }, 'TOTAL_FAILED', 'HASH_FAILURE'],
    ['an unknown digest', { cms: { ...base.cms, digestMatches: null } }, 'INDETERMINATE', 'FORMAT_FAILURE'],
    ['a bad signature value', { cms: { ...base.cms, signatureValid: false } }, 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE'],
    ['an unsupported signature algorithm', { cms: { ...base.cms, signatureValid: null } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['disallowed changes after signing', { modifications: { verdict: 'disallowed', changes: [] } }, 'TOTAL_FAILED', 'HASH_FAILURE'],
    ['partial coverage', { byteRange: { ...base.byteRange, problems: ['not-revision-end'], coverage: 'partial' } }, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['no signer certificate', { cms: { ...base.cms, signerIndex: null } }, 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND'],
    ['a signing-certificate mismatch', { cms: { ...base.cms, signingCertificateBinding: 'mismatch' } }, 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND'],
    ['SHA-1 in the signature', { cms: { ...base.cms, weakAlgorithms: ['SHA-1'] } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['RSA-1024', { cms: { ...base.cms, weakAlgorithms: ['RSA-1024'] } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['no chain', { chain: { ...base.chain, status: 'unknown', path: [0], anchor: null } }, 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'],
    ['an untrusted root', { chain: { ...base.chain, status: 'untrusted' } }, 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'],
    ['a key-usage violation', { chain: { ...base.chain, problems: ['key-usage:0'] } }, 'INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE'],
    ['revoked before the timestamp', { revocation: { status: 'revoked', entries: [{ ...base.revocation.entries[0]!, status: 'revoked', revokedAt: '2026-01-01T00:00:00Z' }] } }, 'TOTAL_FAILED', 'REVOKED'],
    ['unknown revocation', { revocation: { status: 'unknown', entries: [{ ...base.revocation.entries[0]!, status: 'unknown' }] } }, 'INDETERMINATE', 'TRY_LATER'],
    ['revocation not checked (never valid because a check was skipped)', { revocation: { status: 'not-checked', entries: [] } }, 'INDETERMINATE', 'TRY_LATER'],
    ['an expired signer without a timestamp', { timestamp: null, certificates: [cert({ notAfter: '2026-06-01T00:00:00Z' }), base.certificates[1]!] }, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'],
    ['a signer expired before the timestamp', { certificates: [cert({ notAfter: '2026-01-01T00:00:00Z' }), base.certificates[1]!] }, 'TOTAL_FAILED', 'EXPIRED'],
    ['a signer not yet valid at the timestamp', { certificates: [cert({ notBefore: '2027-01-01T00:00:00Z' }), base.certificates[1]!] }, 'TOTAL_FAILED', 'NOT_YET_VALID'],
  ];
  it.each(table)('%s', (_name, over, indication, sub) => {
    expect(verdict(facts(over))).toEqual([indication, sub]);
  });

  it('past signature validation: revoked or expired after the timestamp still passes on the proof of existence', () => {
    const revokedLater = { revocation: { status: 'revoked' as const, entries: [{ ...base.revocation.entries[0]!, status: 'revoked' as const, revokedAt: '2026-09-01T00:00:00Z' }] } };
    expect(verdict(facts(revokedLater))).toEqual(['TOTAL_PASSED', null]);
    expect(verdict(facts({ certificates: [cert({ notAfter: '2026-06-01T00:00:00Z' }), base.certificates[1]!] }))).toEqual(['TOTAL_PASSED', null]);
  });

  it('a timestamp from an untrusted, revoked or non-TSA key proves nothing: it rescues neither a revoked nor an expired signer', () => {
    const revokedLater = { revocation: { status: 'revoked' as const, entries: [{ ...base.revocation.entries[0]!, status: 'revoked' as const, revokedAt: '2026-09-01T00:00:00Z' }] } };
    const expiredLater = { certificates: [cert({ notAfter: '2026-06-01T00:00:00Z' }), base.certificates[1]!] };
    const ts = base.timestamp!;
    const forged = [
      { ...ts, chain: { ...ts.chain!, status: 'untrusted' as const } },
      { ...ts, chain: null },
      { ...ts, tsaEkuOk: false },
      { ...ts, revocation: { status: 'revoked' as const, entries: [] } },
    ];
    for (const timestamp of forged) {
      const revoked = judge(facts({ ...revokedLater, timestamp })).signatures[0]!;
      expect([revoked.indication, revoked.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
      expect(revoked.signingTime.timestamp).toBeNull();
      expect(revoked.messages.map((m) => m.en).join(' ')).toMatch(/not trusted/);
      expect(verdict(facts({ ...expiredLater, timestamp }))).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    }
  });

  it('allowed later changes pass with their own message; an invalid timestamp is not a signing time', () => {
    const allowed = judge(facts({ modifications: { verdict: 'allowed', changes: [] } })).signatures[0]!;
    expect(allowed.indication).toBe('TOTAL_PASSED');
    expect(allowed.messages.map((m) => m.en).join(' ')).toMatch(/allowed changes/);
    const badTs = judge(facts({ timestamp: { ...base.timestamp!, imprintMatches: false } })).signatures[0]!;
    expect(badTs.signingTime.timestamp).toBeNull();
    expect(badTs.messages.map((m) => m.en).join(' ')).toMatch(/timestamp is invalid/);
  });

  it('detects local Vietnam time written as UTC (7 h off the timestamp), and only reports it', () => {
    const r = judge(facts({ claimed: { ...base.claimed, time: '2026-03-05T14:30:12Z' } })).signatures[0]!;
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.messages.map((m) => m.vi).join(' ')).toMatch(/lệch 7 giờ/);
  });

  it('re-judges the same facts at another time without parsing again', () => {
    const f = facts({ timestamp: null });
    expect(judge(f).signatures[0]!.indication).toBe('TOTAL_PASSED');
    expect(judge(f, { ...DEFAULT_POLICY, at: '2036-01-01T00:00:00Z' }).signatures[0]!.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });

  it('SHA-1 CA links are refused under a strict policy and noted under the default one', () => {
    const f = facts({ chain: { ...base.chain, problems: ['sha1-link:1'], notes: ['vgca-g1-sha1-link'] } });
    expect(judge(f).signatures[0]!.indication).toBe('TOTAL_PASSED');
    expect(judge(f).signatures[0]!.messages.map((m) => m.en).join(' ')).toMatch(/SHA-1/);
    expect(judge(f, { ...DEFAULT_POLICY, sha1: 'never' }).signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
  });
});
