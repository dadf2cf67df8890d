import { createHash, createPublicKey, verify as nodeVerify, constants } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pkcs11Module } from '@kyso/agent';
import { ensurePki, ensureSoftHsm, copySoftHsm, type SoftHsm } from '@kyso/testkit';
import { KysoError } from '@kyso/core';

let hsm: SoftHsm;
let mod: Pkcs11Module;
let work: string | undefined;

beforeAll(async () => {
  // A private copy: this file logs in with wrong PINs.
  work = mkdtempSync(join(tmpdir(), 'kyso-p11-'));
  hsm = await copySoftHsm(work, await ensureSoftHsm());
  process.env.SOFTHSM2_CONF = hsm.conf;
  mod = Pkcs11Module.open(hsm.module);
});
afterAll(() => {
  mod?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const pubOf = (der: Uint8Array) => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' } as never);

describe('Pkcs11Module over SoftHSM2', () => {
  it('lists the fixture tokens and their certificates with key facts', async () => {
    const labels = mod.tokens().map((t) => t.label).sort();
    expect(labels).toEqual(['kyso-leader', 'kyso-seal']);
    const certs = mod.certificates();
    const pki = await ensurePki();
    const leader = certs.find((c) => c.tokenLabel === 'kyso-leader' && c.label === 'leader')!;
    expect(Buffer.from(leader.der).equals(Buffer.from(pki.entity('leader').certDer))).toBe(true);
    expect(leader).toMatchObject({ keyType: 'RSA', keyBits: 2048 });
    const p256 = certs.find((c) => c.label === 'p256')!;
    expect(p256).toMatchObject({ keyType: 'EC', curve: 'P-256' });
    expect(certs.find((c) => c.label === 'rsa3072')).toMatchObject({ keyBits: 3072, tokenLabel: 'kyso-seal' });
  });

  const digest = createHash('sha256').update('kyso pkcs11 layer').digest();
  const cases = [
    { token: 'kyso-leader', label: 'leader', scheme: 'RSASSA-PKCS1-v1_5' as const },
    { token: 'kyso-seal', label: 'rsa3072', scheme: 'RSA-PSS' as const },
    { token: 'kyso-leader', label: 'p256', scheme: 'ECDSA' as const },
  ];
  for (const c of cases) {
    it(`signs a SHA-256 digest with ${c.label} (${c.scheme}); node:crypto verifies it`, async () => {
      const pki = await ensurePki();
      const cert = mod.certificates().find((x) => x.label === c.label && x.tokenLabel === c.token)!;
      const sig = mod.signDigest({ tokenLabel: c.token, keyId: cert.id, pin: '123456', scheme: c.scheme, hash: 'SHA-256', digest });
      const spki = createPublicKey({ key: pki.entity(c.label as 'leader').certPem, format: 'pem' });
      const opts =
        c.scheme === 'RSA-PSS' ? { key: spki, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : c.scheme === 'ECDSA' ? { key: spki, dsaEncoding: 'ieee-p1363' as const }
        : { key: spki };
      expect(sig.length).toBe(c.scheme === 'ECDSA' ? 64 : cert.keyBits / 8);
      // Verify over the message whose SHA-256 is `digest`.
      expect(nodeVerify('sha256', Buffer.from('kyso pkcs11 layer'), opts, sig)).toBe(true);
      void pubOf;
    });
  }

  it('maps a wrong PIN to ERR_TOKEN_PIN_INCORRECT and still signs with the right one', () => {
    const cert = mod.certificates().find((x) => x.label === 'leader')!;
    const req = { tokenLabel: 'kyso-leader', keyId: cert.id, scheme: 'RSASSA-PKCS1-v1_5' as const, hash: 'SHA-256' as const, digest };
    let err: unknown;
    try {
      mod.signDigest({ ...req, pin: '000000' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('ERR_TOKEN_PIN_INCORRECT');
    expect(String((err as KysoError).message)).not.toContain('000000');
    const t = mod.tokens().find((x) => x.label === 'kyso-leader')!;
    // SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failed C_Login and never locks.
    expect(t).toMatchObject({ pinCountLow: true, pinLocked: false });
    expect(mod.signDigest({ ...req, pin: '123456' }).length).toBe(256);
  });

  it('rejects an unknown token, key id and bad digest length with typed errors', () => {
    const base = { keyId: '01', pin: '123456', scheme: 'ECDSA' as const, hash: 'SHA-256' as const, digest };
    expect(() => mod.signDigest({ ...base, tokenLabel: 'nope' })).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_REMOVED' }));
    expect(() => mod.signDigest({ ...base, tokenLabel: 'kyso-leader', keyId: '77' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_NOT_FOUND' }));
    expect(() => mod.signDigest({ ...base, tokenLabel: 'kyso-leader', digest: digest.subarray(1) })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => mod.signDigest({ ...base, tokenLabel: 'kyso-leader', scheme: 'RSA-PSS', keyId: '02' })).toThrow(expect.objectContaining({ code: 'ERR_SIG_ALGORITHM_UNSUPPORTED' }));
  });
});
