import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, LEGACY_POLICY, judge } from '@kyso/core';
import type { CertificateFacts, SignatureFacts, VerificationFacts } from '../../src/verify/facts.js';

// The legacy policy (docs/decisions/0022): old signatures of licensed CAs with SHA-1 digests or without signed
// attributes are reported valid with a warning naming what was accepted; the default policy refuses them.

const cert = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  der: '', subject: 'CN=BỘ KHOA HỌC VÀ CÔNG NGHỆ', issuer: 'CN=TEST CA', commonName: 'BỘ KHOA HỌC VÀ CÔNG NGHỆ', organization: null, uids: [],
  serialNumber: '01', notBefore: '2018-01-01T00:00:00Z', notAfter: '2035-01-01T00:00:00Z', keyAlgorithm: 'RSA', keyBits: 2048,
  keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: null, isCa: false, sha256: '00', ...over,
});

/** One timestamped, trusted, unrevoked, unmodified signature, changed by `cms`. */
function facts(cms: Partial<SignatureFacts['cms']>): VerificationFacts {
  const sig: SignatureFacts = {
    index: 0, kind: 'signature', field: 'Sig1', filter: 'Adobe.PPKLite', subFilter: 'ETSI.CAdES.detached', object: 7, revision: 1,
    claimed: { time: '2019-03-05T07:30:12Z', name: null, reason: null, location: null },
    byteRange: { byteRange: [0, 100, 200, 50], problems: [], coveredRevision: 1, coverage: 'whole-revision' },
    certificates: [cert(), cert({ subject: 'CN=TEST CA', commonName: 'TEST CA', isCa: true, notAfter: '2049-01-01T00:00:00Z' })],
    cms: {
      parsed: true, error: null, digestAlgorithm: 'SHA-256', signatureAlgorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      signedAttributesPresent: true, digestMatches: true, signatureValid: true, signerIndex: 0, signingCertificateBinding: 'v2-match',
      signingTimeAttribute: null, weakAlgorithms: [], ...cms,
    },
    timestamp: { genTime: '2019-03-05T07:30:13Z', imprintMatches: true, signatureValid: true, tsaIndex: null, tsaEkuOk: true, error: null,
      chain: { status: 'trusted', path: [], anchor: { subject: 'CN=TEST CA', source: 'test' }, problems: [], notes: [] } },
    chain: { status: 'trusted', path: [0, 1], anchor: { subject: 'CN=TEST CA', source: 'test' }, problems: [], notes: [] },
    revocation: { status: 'good', entries: [{ certIndex: 0, status: 'good', source: 'crl-supplied', revokedAt: null, producedAt: null, reason: null }] },
    modifications: { verdict: 'none', changes: [] },
    docMdp: null, fieldMdp: null,
  };
  return { version: 2, fileSize: 250, revisions: [{ index: 0, end: 80, startxref: 40, xrefKind: 'table' }, { index: 1, end: 250, startxref: 220, xrefKind: 'table' }],
    signatures: [sig], unsignedTrailing: 0, validationTime: '2026-11-01T00:00:00Z', notes: [] };
}

const sha1 = { digestAlgorithm: 'SHA-1', signatureAlgorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, weakAlgorithms: [{ kind: 'digest', algorithm: 'SHA-1' }] } as const;
const noAttributes = { signedAttributesPresent: false, signingCertificateBinding: 'absent' } as const;
const judged = (f: VerificationFacts, policy = DEFAULT_POLICY) => {
  const s = judge(f, policy).signatures[0]!;
  return { verdict: [s.indication, s.subIndication], en: s.messages.map((m) => m.en), vi: s.messages.map((m) => m.vi) };
};

describe('the default policy stays strict', () => {
  it('refuses SHA-1 in the signature (CRYPTO_CONSTRAINTS_FAILURE_NO_POE)', () => {
    expect(judged(facts(sha1)).verdict).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
  });

  it('refuses a signature without signed attributes that would otherwise pass (SIG_CONSTRAINTS_FAILURE), saying which policy accepts it', () => {
    const r = judged(facts(noAttributes));
    expect(r.verdict).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
    expect(r.en.join(' ')).toMatch(/no signed attributes.*--policy legacy/);
  });

  it('still passes the same signature with SHA-256 and signed attributes, with no legacy warning', () => {
    const r = judged(facts({}));
    expect(r.verdict).toEqual(['TOTAL_PASSED', null]);
    expect(r.en.join(' ')).not.toMatch(/[Ll]egacy/);
  });
});

describe('LEGACY_POLICY', () => {
  it('reports a SHA-1 signature valid, with a warning naming SHA-1 (vi and en)', () => {
    const r = judged(facts(sha1), LEGACY_POLICY);
    expect(r.verdict).toEqual(['TOTAL_PASSED', null]);
    expect(r.en).toContain('Legacy policy: a SHA-1 signature is accepted; SHA-1 is no longer safe for new signatures.');
    expect(r.vi.some((m) => m.startsWith('Chính sách cũ (legacy): chấp nhận chữ ký dùng SHA-1'))).toBe(true);
  });

  it('reports a signature without signed attributes valid, with its own warning', () => {
    const r = judged(facts({ ...sha1, ...noAttributes }), LEGACY_POLICY);
    expect(r.verdict).toEqual(['TOTAL_PASSED', null]);
    expect(r.en).toContain('Legacy policy: a signature without signed attributes is accepted.');
    expect(r.en).toContain('Legacy policy: a SHA-1 signature is accepted; SHA-1 is no longer safe for new signatures.');
  });

  it('is otherwise as strict: weak keys, broken integrity, unknown revocation and untrusted chains still fail', () => {
    expect(judged(facts({ ...sha1, weakAlgorithms: [{ kind: 'digest', algorithm: 'SHA-1' }, { kind: 'key', algorithm: 'RSA', bits: 1024 }] }), LEGACY_POLICY).verdict).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
    expect(judged(facts({ ...sha1, digestMatches: false }), LEGACY_POLICY).verdict).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
    const unknown = facts(sha1);
    const s = unknown.signatures[0]!;
    const noData: VerificationFacts = { ...unknown, signatures: [{ ...s, revocation: { status: 'unknown', entries: [{ ...s.revocation.entries[0]!, status: 'unknown', source: 'none' }] } }] };
    expect(judged(noData, LEGACY_POLICY).verdict).toEqual(['INDETERMINATE', 'TRY_LATER']);
    const untrusted: VerificationFacts = { ...unknown, signatures: [{ ...s, chain: { ...s.chain, status: 'untrusted' } }] };
    expect(judged(untrusted, LEGACY_POLICY).verdict).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('names itself in the report', () => {
    expect(judge(facts(sha1), LEGACY_POLICY).policy).toBe('kyso-legacy');
  });
});
