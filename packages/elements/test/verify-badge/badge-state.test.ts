import { describe, expect, it } from 'vitest';
import type { ModificationChange, SignatureReport, VerificationReport } from '@kyso/core';
import { displayTime, documentState, signatureState } from '../../src/verify-badge/badge-state.js';

type Overrides = { -readonly [K in keyof SignatureReport]?: SignatureReport[K] };

/** A signature whose every fact is proven: the only shape that may read as valid. */
function sig(over: Overrides = {}): SignatureReport {
  return {
    kind: 'signature', field: 'Sig1', subFilter: 'ETSI.CAdES.detached', level: 'PAdES-B-T',
    signer: { commonName: 'Nguyễn Văn A', organization: null, uid: [], serialNumber: null, issuer: null },
    signingTime: { claimed: '2026-03-05T07:30:12Z', timestamp: '2026-03-05T07:30:15Z' },
    coverage: 'whole-revision', coversWholeFile: true, integrity: 'intact', cryptoValid: true,
    chain: { status: 'trusted', path: ['leaf', 'ca', 'root'], anchor: 'root' },
    revocation: { status: 'good', source: ['crl-online'] },
    modifications: { verdict: 'none', changes: [] },
    indication: 'TOTAL_PASSED', subIndication: null, messages: [],
    ...over,
  };
}

function report(signatures: SignatureReport[], over: Partial<VerificationReport> = {}): VerificationReport {
  return {
    file: null, revisions: signatures.length + 1, signatures, unsignedTrailing: 0, lastRevisionSigned: true,
    validationTime: '2026-06-01T00:00:00Z', policy: 'kyso-default', ...over,
  };
}

const change = (kind: ModificationChange['kind'], allowed: boolean): ModificationChange =>
  ({ revision: 2, kind, allowed, label: { vi: kind, en: kind }, objects: [] });

describe('signatureState: one signature', () => {
  it('is valid only when TOTAL_PASSED and every fact is proven', () => {
    expect(signatureState(sig())).toBe('valid');
  });

  it.each([
    ['integrity unknown', { integrity: 'unknown' }],
    ['signature value not checked', { cryptoValid: null }],
    ['chain untrusted', { chain: { status: 'untrusted', path: [], anchor: null } }],
    ['revocation not checked', { revocation: { status: 'not-checked', source: [] } }],
    ['revocation unknown', { revocation: { status: 'unknown', source: [] } }],
    ['partial coverage', { coverage: 'partial' }],
  ] as [string, Overrides][])('a TOTAL_PASSED with %s stays unknown (never a guess)', (_why, over) => {
    expect(signatureState(sig(over))).toBe('unknown');
  });

  it.each([
    ['TRY_LATER', 'unknown'],
    ['NO_CERTIFICATE_CHAIN_FOUND', 'unknown'],
    ['CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'unknown'],
    ['OUT_OF_BOUNDS_NO_POE', 'expired'],
    ['REVOKED_NO_POE', 'revoked'],
  ] as const)('INDETERMINATE/%s is %s', (sub, state) => {
    expect(signatureState(sig({ indication: 'INDETERMINATE', subIndication: sub }))).toBe(state);
  });

  it.each([
    ['HASH_FAILURE', { integrity: 'broken' }, 'invalid'],
    ['SIG_CRYPTO_FAILURE', { cryptoValid: false }, 'invalid'],
    ['FORMAT_FAILURE', { coverage: 'broken', integrity: 'broken' }, 'invalid'],
    ['FORMAT_FAILURE', { integrity: 'unknown', cryptoValid: null }, 'invalid'],
    ['REVOKED', { revocation: { status: 'revoked', source: ['crl-online'] } }, 'revoked'],
    ['EXPIRED', {}, 'expired'],
    ['NOT_YET_VALID', {}, 'expired'],
  ] as [string, Overrides, string][])('TOTAL_FAILED/%s with %o is %s', (sub, over, state) => {
    expect(signatureState(sig({ indication: 'TOTAL_FAILED', subIndication: sub as SignatureReport['subIndication'], ...over }))).toBe(state);
  });

  it('a disallowed change after signing is "modified", whatever the chain says', () => {
    const modified = { verdict: 'disallowed', changes: [change('annotation-added', false)] } as const;
    expect(signatureState(sig({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', modifications: modified }))).toBe('modified');
    expect(signatureState(sig({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', modifications: modified }))).toBe('modified');
  });

  it('tampered bytes outrank a disallowed change (the signature itself no longer holds)', () => {
    const s = sig({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', integrity: 'broken', modifications: { verdict: 'disallowed', changes: [] } });
    expect(signatureState(s)).toBe('invalid');
  });

  it('allowed changes: later signatures, timestamps and DSS keep "valid"; an allowed annotation gives "valid-changes"', () => {
    expect(signatureState(sig({ modifications: { verdict: 'allowed', changes: [change('signature-added', true), change('dss-added', true)] } }))).toBe('valid');
    expect(signatureState(sig({ modifications: { verdict: 'allowed', changes: [change('annotation-added', true)] } }))).toBe('valid-changes');
  });

  it('revoked after a proven signing time (TOTAL_PASSED by the policy) is still valid', () => {
    expect(signatureState(sig({ revocation: { status: 'revoked', source: ['crl-online'] } }))).toBe('valid');
  });
});

describe('documentState: the worst signature decides', () => {
  it('no signature: unsigned', () => {
    expect(documentState(report([]))).toEqual({ state: 'unsigned', decisive: null });
  });

  it('all valid and the last revision signed: valid, named by the last signer (not a document timestamp)', () => {
    const ts = sig({ kind: 'document-timestamp', level: 'RFC3161' });
    expect(documentState(report([sig(), sig({ field: 'Sig2' }), ts]))).toEqual({ state: 'valid', decisive: 1 });
  });

  it('all valid but bytes appended after the last signature: valid-changes', () => {
    const r = report([sig({ coversWholeFile: false, modifications: { verdict: 'allowed', changes: [change('form-filled', true)] } })], { lastRevisionSigned: false, unsignedTrailing: 900 });
    expect(documentState(r).state).toBe('valid-changes');
    expect(documentState(report([sig()], { lastRevisionSigned: false, unsignedTrailing: 12 })).state).toBe('valid-changes');
  });

  it('validation data or a document timestamp appended after the last signature (B-LT, B-LTA) keeps "valid"', () => {
    const lt = sig({ coversWholeFile: false, modifications: { verdict: 'allowed', changes: [change('dss-added', true)] } });
    expect(documentState(report([lt], { lastRevisionSigned: false, unsignedTrailing: 5000 })).state).toBe('valid');
    const mixed = sig({ coversWholeFile: false, modifications: { verdict: 'allowed', changes: [change('dss-added', true), change('form-filled', true)] } });
    expect(documentState(report([mixed], { lastRevisionSigned: false, unsignedTrailing: 5000 })).state).toBe('valid-changes');
  });

  it('one unknown signature among valid ones makes the document unknown, decided by that one', () => {
    const r = report([sig(), sig({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' })]);
    expect(documentState(r)).toEqual({ state: 'unknown', decisive: 1 });
  });

  it('severity: invalid > modified > revoked > expired > unknown', () => {
    const invalid = sig({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', integrity: 'broken' });
    const modified = sig({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', modifications: { verdict: 'disallowed', changes: [] } });
    const revoked = sig({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED', revocation: { status: 'revoked', source: [] } });
    const expired = sig({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
    const unknown = sig({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(documentState(report([unknown, expired, revoked, modified, invalid]))).toEqual({ state: 'invalid', decisive: 4 });
    expect(documentState(report([unknown, expired, revoked, modified])).state).toBe('modified');
    expect(documentState(report([unknown, expired, revoked])).state).toBe('revoked');
    expect(documentState(report([unknown, expired])).state).toBe('expired');
    expect(documentState(report([sig(), unknown])).state).toBe('unknown');
  });
});

describe('displayTime', () => {
  it('prefers the timestamp (proven) to the claimed time, and says which', () => {
    expect(displayTime(sig())).toEqual({ at: new Date('2026-03-05T07:30:15Z'), proven: true });
    expect(displayTime(sig({ signingTime: { claimed: '2026-03-05T07:30:12Z', timestamp: null } }))).toEqual({ at: new Date('2026-03-05T07:30:12Z'), proven: false });
    expect(displayTime(sig({ signingTime: { claimed: null, timestamp: null } }))).toBeNull();
  });
});
