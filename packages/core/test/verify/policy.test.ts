import { describe, expect, it } from 'vitest';
import type { ByteRangeFacts, CertificateFacts, RevocationFacts, SignatureFacts, VerificationFacts } from '../../src/verify/facts.js';
import { LABELS } from '../../src/verify/modifications/labels.js';
import { DEFAULT_POLICY, judge, LEGACY_POLICY, usableProofs } from '../../src/verify/policy.js';

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
  return { version: 2, fileSize: 250, revisions: [{ index: 0, end: 80, startxref: 40, xrefKind: 'table' }, { index: 1, end: 250, startxref: 220, xrefKind: 'table' }],
    signatures: [sig], unsignedTrailing: 0, validationTime: '2026-11-01T00:00:00Z', notes: [], ...top };
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
    ['an unknown digest algorithm', { cms: { ...base.cms, digestMatches: null } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['a bad signature value', { cms: { ...base.cms, signatureValid: false } }, 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE'],
    ['an unsupported signature algorithm', { cms: { ...base.cms, signatureValid: null } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['disallowed changes after signing (the signed bytes intact)', { modifications: { verdict: 'disallowed', changes: [] } }, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['disallowed changes and a digest mismatch', { cms: { ...base.cms, digestMatches: false }, modifications: { verdict: 'disallowed', changes: [] } }, 'TOTAL_FAILED', 'HASH_FAILURE'],
    ['partial coverage', { byteRange: { ...base.byteRange, problems: ['not-revision-end'], coverage: 'partial' } }, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['no signer certificate', { cms: { ...base.cms, signerIndex: null } }, 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND'],
    ['a signing-certificate mismatch', { cms: { ...base.cms, signingCertificateBinding: 'mismatch' } }, 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND'],
    ['SHA-1 in the signature', { cms: { ...base.cms, weakAlgorithms: [{ kind: 'digest', algorithm: 'SHA-1' }] } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['RSA-1024', { cms: { ...base.cms, weakAlgorithms: [{ kind: 'key', algorithm: 'RSA', bits: 1024 }] } }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'],
    ['no chain', { chain: { ...base.chain, status: 'unknown', path: [0], anchor: null } }, 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'],
    ['an untrusted root', { chain: { ...base.chain, status: 'untrusted' } }, 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'],
    ['a key-usage violation', { chain: { ...base.chain, problems: [{ kind: 'key-usage', cert: 0 }] } }, 'INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE'],
    ['revoked before the timestamp', { revocation: { status: 'revoked', entries: [{ ...base.revocation.entries[0]!, status: 'revoked', revokedAt: '2026-01-01T00:00:00Z' }] } }, 'TOTAL_FAILED', 'REVOKED'],
    ['revoked, no timestamp (nothing proves the signature came after the revocation)', { timestamp: null, revocation: { status: 'revoked', entries: [{ ...base.revocation.entries[0]!, status: 'revoked', revokedAt: '2026-01-01T00:00:00Z' }] } }, 'INDETERMINATE', 'REVOKED_NO_POE'],
    ['revoked at an unknown time', { revocation: { status: 'revoked', entries: [{ ...base.revocation.entries[0]!, status: 'revoked', revokedAt: null }] } }, 'INDETERMINATE', 'REVOKED_NO_POE'],
    ['good at a timestamp whose TSA is not trusted, revoked since (the data gives the later date)', { timestamp: { ...base.timestamp!, chain: null }, revocation: { status: 'good', entries: [{ ...base.revocation.entries[0]!, revokedAt: '2026-09-01T00:00:00Z' }] } }, 'INDETERMINATE', 'REVOKED_NO_POE'],
    ['a revoked CA', { revocation: { status: 'revoked', entries: [base.revocation.entries[0]!, { ...base.revocation.entries[0]!, certIndex: 1, status: 'revoked', revokedAt: '2026-01-01T00:00:00Z' }] } }, 'INDETERMINATE', 'REVOKED_CA_NO_POE'],
    ['a CA expired before the timestamp', { certificates: [base.certificates[0]!, cert({ isCa: true, notAfter: '2026-01-01T00:00:00Z' })] }, 'INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE'],
    ['a CA expired, no timestamp', { timestamp: null, certificates: [base.certificates[0]!, cert({ isCa: true, notAfter: '2026-06-01T00:00:00Z' })] }, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'],
    ['a CA not yet valid at the timestamp', { certificates: [base.certificates[0]!, cert({ isCa: true, notBefore: '2027-01-01T00:00:00Z' })] }, 'INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE'],
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
      // Revoked now, and no trusted timestamp shows the signature was made before: EN 319 102-1 REVOKED_NO_POE.
      const revoked = judge(facts({ ...revokedLater, timestamp })).signatures[0]!;
      expect([revoked.indication, revoked.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
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

  it('a SHA-1 CA link the trust store accepts is noted under the default policy and refused under a strict one', () => {
    // What buildChain gives for a VGCA G1 sub-CA bundled by vn-gov: a note, no problem.
    const f = facts({ chain: { ...base.chain, notes: [{ kind: 'sha1-ca-link-accepted', cert: 1, store: 'vn-gov' }] } });
    const passed = judge(f).signatures[0]!;
    expect(passed.indication).toBe('TOTAL_PASSED');
    expect(passed.messages.map((m) => m.en)).toContain('The SHA-1 signed CA link of VGCA generation 1 is accepted by the trust profile.');
    const strict = judge(f, { ...DEFAULT_POLICY, sha1: 'never' }).signatures[0]!;
    expect([strict.indication, strict.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
    expect(strict.messages[0]).toEqual({ vi: 'Thuật toán yếu theo chính sách: SHA-1 (CA)', en: 'Weak algorithm under the policy: SHA-1 (CA)' });
    expect(judge(f, LEGACY_POLICY).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('a SHA-1 signed certificate the trust store does not accept is refused unless the policy accepts all SHA-1', () => {
    const f = facts({ chain: { ...base.chain, problems: [{ kind: 'sha1-link', cert: 0 }] } });
    for (const policy of [DEFAULT_POLICY, { ...DEFAULT_POLICY, sha1: 'never' as const }]) {
      const s = judge(f, policy).signatures[0]!;
      expect([s.indication, s.subIndication, s.messages[0]!.en]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'Weak algorithm under the policy: SHA-1 (CA)']);
      expect(s.messages.map((m) => m.en)).not.toContain('The SHA-1 signed CA link of VGCA generation 1 is accepted by the trust profile.');
    }
    expect(judge(f, LEGACY_POLICY).signatures[0]!.indication).toBe('TOTAL_PASSED');
    // A path that reaches no anchor says so first under the default policy (corpus dss-04, dss-08).
    const untrusted = judge(facts({ chain: { ...f.signatures[0]!.chain, status: 'untrusted' } })).signatures[0]!;
    expect([untrusted.indication, untrusted.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('names the chain problems it fails on by kind and certificate, in both languages, and leaves validity to the signing time', () => {
    const f = facts({ chain: { ...base.chain, problems: [
      { kind: 'expired', cert: 1, at: '2026-11-01T00:00:00.000Z' },
      { kind: 'ca-constraint', cert: 1, reason: 'path-length' },
      { kind: 'critical-extension', cert: 1 },
    ] } });
    const s = judge(f).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE']);
    expect(s.messages[0]).toEqual({
      vi: 'Chuỗi chứng thư vi phạm ràng buộc: ca-constraint:1, critical-extension:1',
      en: 'The certificate chain breaks a constraint: ca-constraint:1, critical-extension:1',
    });
    // An expiry at the validation time alone is no constraint failure: the timestamp proves the signing time.
    const expiredOnly = facts({
      certificates: [cert({ notAfter: '2026-06-01T00:00:00Z' }), base.certificates[1]!],
      chain: { ...base.chain, problems: [{ kind: 'expired', cert: 0, at: '2026-11-01T00:00:00.000Z' }] },
    });
    expect(judge(expiredOnly).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('reads weak algorithms by field: names them in both languages, accepts an RSA key as large as the policy asks', () => {
    const f = facts({ cms: { ...base.cms, weakAlgorithms: [{ kind: 'digest', algorithm: 'SHA-1' }, { kind: 'key', algorithm: 'RSA', bits: 1024 }] } });
    expect(judge(f).signatures[0]!.messages[0]).toEqual({ vi: 'Thuật toán yếu theo chính sách: SHA-1, RSA-1024', en: 'Weak algorithm under the policy: SHA-1, RSA-1024' });
    expect(judge(f, { ...DEFAULT_POLICY, minRsaBits: 1024 }).signatures[0]!.messages[0]!.en).toBe('Weak algorithm under the policy: SHA-1');
    expect(judge(f, { ...DEFAULT_POLICY, sha1: 'always', minRsaBits: 1024 }).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('refuses facts of another version instead of misreading them', () => {
    const old = { ...facts(), version: 1 } as unknown as VerificationFacts;
    expect(() => judge(old)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('policy: a disallowed change is named, never called a hash failure', () => {
  const annotation = { revision: 2, kind: 'annotation-added' as const, allowed: false, label: LABELS.annotationAdded(2), objects: [12] };
  const dss = { revision: 2, kind: 'dss-added' as const, allowed: true, label: LABELS.dss(), objects: [13] };

  it('an annotation added on page 2 after an approval signature: TOTAL_FAILED/FORMAT_FAILURE, the message names it (vi, en)', () => {
    const s = judge(facts({ modifications: { verdict: 'disallowed', changes: [dss, annotation] } })).signatures[0]!;
    expect([s.indication, s.subIndication, s.integrity]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE', 'intact']);
    expect(s.messages[0]!.en).toBe('Changed after signing (not allowed): annotation added on page 2.');
    expect(s.messages[0]!.vi).toBe('Tài liệu bị thay đổi sau khi ký (không được phép): thêm chú thích trên trang 2.');
    expect(s.messages.map((m) => m.en).join(' ')).not.toMatch(/digest|hash/i);
  });

  it('the same change over bytes that no longer match their digest: still HASH_FAILURE', () => {
    const s = judge(facts({ cms: { ...base.cms, digestMatches: false }, modifications: { verdict: 'disallowed', changes: [annotation] } })).signatures[0]!;
    expect([s.indication, s.subIndication, s.integrity]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE', 'broken']);
    expect(s.messages[0]!.en).toMatch(/digest mismatch/);
  });
});

describe('policy: proofs of an archive timestamp count only while it validates (EN 319 102-1 §5.6.3)', () => {
  const tsaCert = cert({ subject: 'CN=TEST TSA', commonName: 'TEST TSA', extKeyUsage: ['timeStamping'], notAfter: '2030-01-01T00:00:00Z' });
  const ca = base.certificates[1]!;
  const good = { status: 'good' as const, entries: [{ certIndex: 0, status: 'good' as const, source: 'crl-embedded' as const, revokedAt: null, producedAt: null, reason: null }] };
  const stale = { status: 'unknown' as const, entries: [{ ...good.entries[0]!, status: 'unknown' as const, source: 'none' as const, reason: 'crl-embedded: stale' }] };
  /** The archive timestamp (index 1): its TSA's status now as given. */
  const archive = (revocation: RevocationFacts): SignatureFacts => ({
    ...base, index: 1, kind: 'document-timestamp', field: null, subFilter: 'ETSI.RFC3161', object: 20, revision: 2,
    byteRange: { ...base.byteRange, coveredRevision: 2 }, certificates: [tsaCert, ca],
    cms: { ...base.cms, signerIndex: 0 }, chain: { ...base.chain, path: [0, 1] }, revocation,
    timestamp: { genTime: '2026-05-01T00:00:00Z', imprintMatches: true, signatureValid: true, tsaIndex: null, tsaEkuOk: null, error: null, chain: null },
  });
  /** A signature whose signer expired (2026-06) before the validation time (2026-11); its TSA's status was checked at the archive time. */
  const signature = (over: Partial<SignatureFacts> = {}): SignatureFacts => ({
    ...base, certificates: [cert({ notAfter: '2026-06-01T00:00:00Z' }), ca, tsaCert],
    timestamp: { ...base.timestamp!, tsaIndex: 2, revocation: { ...good, entries: [{ ...good.entries[0]!, certIndex: 2 }] } },
    proofOfExistence: '2026-05-01T00:00:00Z', proofOfExistenceFrom: 1, modifications: { verdict: 'allowed', changes: [] }, ...over,
  });
  const both = (s: SignatureFacts, a: SignatureFacts) => {
    const f = facts({}, { signatures: [s, a], revisions: [...facts().revisions, { index: 2, end: 400, startxref: 380, xrefKind: 'table' }], fileSize: 400 });
    return judge(f).signatures.map((r) => [r.indication, r.subIndication]);
  };

  it('an archive timestamp whose TSA is shown good now lends its time: the expired signer passes', () => {
    expect(both(signature(), archive(good))).toEqual([['TOTAL_PASSED', null], ['TOTAL_PASSED', null]]);
  });

  it('an archive timestamp whose TSA status is unknown now (stale data) is INDETERMINATE, and nothing passes on its proof', () => {
    const f = facts({}, { signatures: [signature(), archive(stale)], revisions: [...facts().revisions, { index: 2, end: 400, startxref: 380, xrefKind: 'table' }], fileSize: 400 });
    const [s, a] = judge(f).signatures;
    expect([a!.indication, a!.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect([s!.indication, s!.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    expect(s!.messages.map((m) => m.en).join(' ')).toMatch(/not used as proof of existence/);
    expect(usableProofs(f)).toEqual(new Set());
  });

  it('a signature timestamp whose TSA status is unknown proves no signing time (pyhanko-08, second signature)', () => {
    const unknownTsa = signature({ proofOfExistence: undefined, proofOfExistenceFrom: undefined, timestamp: { ...base.timestamp!, tsaIndex: 2, revocation: { ...stale, entries: [{ ...stale.entries[0]!, certIndex: 2 }] } } });
    const s = judge(facts(unknownTsa)).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    expect(s.messages.map((m) => m.en).join(' ')).toMatch(/timestamp authority is unknown/);
    expect(s.messages.map((m) => m.en)).not.toContain('The signing time is only claimed by the signer (no timestamp).');
    expect(judge(facts({ timestamp: null })).signatures[0]!.messages.map((m) => m.en)).toContain('The signing time is only claimed by the signer (no timestamp).');
    // The same signature with its signer still valid does not need the proof, and passes.
    expect(verdict(facts({ ...unknownTsa, certificates: [base.certificates[0]!, ca, tsaCert] }))).toEqual(['TOTAL_PASSED', null]);
  });

  it('a proof of existence whose source is not recorded (facts of an older kyso) is not taken on trust', () => {
    expect(both(signature({ proofOfExistenceFrom: undefined }), archive(good))[0]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
  });
});

describe('policy: Vietnamese texts stay Vietnamese', () => {
  it('an English technical reason goes to the English text only; algorithm names go to both', () => {
    const unknown = judge(facts({ revocation: { status: 'unknown', entries: [{ ...base.revocation.entries[0]!, status: 'unknown', reason: 'no revocation data for this certificate' }] } })).signatures[0]!;
    expect(unknown.messages[0]!.en).toMatch(/no revocation data for this certificate/);
    expect(unknown.messages[0]!.vi).toBe('Không xác định được trạng thái thu hồi của chứng thư.');
    const weak = judge(facts({ cms: { ...base.cms, weakAlgorithms: [{ kind: 'digest', algorithm: 'SHA-1' }] } })).signatures[0]!;
    expect(weak.messages[0]!.vi).toBe('Thuật toán yếu theo chính sách: SHA-1');
  });
});

describe('policy: a broken structure is named by what is broken', () => {
  const broken = (problems: ByteRangeFacts['problems']) => judge(facts({ byteRange: { ...base.byteRange, problems, coverage: 'broken' } })).signatures[0]!;
  it.each([
    [['gap-not-contents'], /byte range is invalid or forged\. \(gap-not-contents\)/],
    [['gap-not-contents', 'contents-trailing'], /byte range is invalid or forged/],
    [['contents-trailing'], /signature value \(\/Contents\) is missing or has foreign data/],
    [['indirect-entry'], /signature dictionary is malformed \(an indirect or mistyped entry\)\. \(indirect-entry\)/],
    [['malformed-entry'], /signature dictionary is malformed/],
  ] as [ByteRangeFacts['problems'], RegExp][])('%o: TOTAL_FAILED/FORMAT_FAILURE, %s', (problems, text) => {
    const s = broken(problems);
    expect([s.indication, s.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
    expect(s.messages[0]!.en).toMatch(text);
  });
});
