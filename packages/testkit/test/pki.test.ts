import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, OIDS, opensslSignedPdf, PROFILES, run, type EntityName, type TestPki } from '../src/index.js';

// 2026-06-01T00:00:00Z: openssl checks validity at this instant, not at the real clock.
const AT = String(Date.UTC(2026, 5, 1) / 1000);

let pki: TestPki;
beforeAll(async () => {
  pki = await ensurePki();
});

async function verify(name: EntityName, extra: string[] = [], caFile?: string): Promise<boolean> {
  try {
    const when = extra.includes('-no_check_time') ? [] : ['-attime', AT];
    await run('openssl', ['verify', ...when, '-CAfile', caFile ?? pki.rootPath, '-untrusted', pki.intermediatePath, ...extra, pki.entity(name).certPath]);
    return true;
  } catch {
    return false;
  }
}

const cert = (name: EntityName) => pkijs.Certificate.fromBER(pki.entity(name).certDer);
const extension = (name: EntityName, oid: string) => cert(name).extensions?.find((e) => e.extnID === oid);
const attribute = (name: EntityName, oid: string) =>
  cert(name).subject.typesAndValues.filter((tv) => tv.type === oid).map((tv) => tv.value as asn1js.BaseStringBlock);

describe('test PKI', () => {
  it('chains every valid leaf to the test root through the intermediate', async () => {
    for (const n of ['leader', 'seal', 'rsa3072', 'p256', 'p384', 'revoked', 'nokeyusage', 'tsa', 'ocsp', 'offline'] as const) {
      expect(await verify(n), n).toBe(true);
    }
  });

  it('makes expired and notyet fail on validity alone', async () => {
    expect(await verify('expired')).toBe(false);
    expect(await verify('notyet')).toBe(false);
    expect(await verify('expired', ['-no_check_time'])).toBe(true);
    expect(await verify('notyet', ['-no_check_time'])).toBe(true);
  });

  it('revokes exactly the revoked leaf in the intermediate CRL', async () => {
    const crlPem = `${pki.dir}/intermediate.crl.pem`;
    expect(await verify('revoked', ['-crl_check', '-CRLfile', crlPem])).toBe(false);
    expect(await verify('leader', ['-crl_check', '-CRLfile', crlPem])).toBe(true);
    const crl = pkijs.CertificateRevocationList.fromBER(pki.crlDer);
    const serials = (crl.revokedCertificates ?? []).map((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase());
    expect(serials).toEqual([pki.entity('revoked').serialHex]);
    expect(crl.thisUpdate.value.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(crl.nextUpdate?.value.toISOString()).toBe('2036-01-01T00:00:00.000Z');
  });

  it('keeps the untrusted leaf outside the test root', async () => {
    expect(await verify('untrusted')).toBe(false);
    expect(await verify('untrusted', [], pki.untrustedRootPath)).toBe(true);
  });

  it('gives the TSA a critical timeStamping EKU and digitalSignature', () => {
    const eku = extension('tsa', OIDS.extKeyUsage);
    expect(eku?.critical).toBe(true);
    expect((eku?.parsedValue as pkijs.ExtKeyUsage).keyPurposes).toEqual([OIDS.ekuTimeStamping]);
    const ku = extension('tsa', OIDS.keyUsage)?.parsedValue as asn1js.BitString;
    expect(ku.valueBlock.valueHexView[0]).toBe(0x80);
  });

  it('gives the OCSP responder OCSPSigning and id-pkix-ocsp-nocheck', () => {
    expect((extension('ocsp', OIDS.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage).keyPurposes).toEqual([OIDS.ekuOcspSigning]);
    expect(extension('ocsp', OIDS.ocspNoCheck)).toBeDefined();
  });

  it('names the leader and the seal in UTF8String with Vietnamese diacritics and typed UIDs', async () => {
    const [cn] = attribute('leader', '2.5.4.3');
    expect(cn?.idBlock.tagNumber).toBe(12); // UTF8String
    expect(cn?.valueBlock.value).toBe('Nguyễn Văn Đức');
    expect(attribute('leader', '0.9.2342.19200300.100.1.1').map((v) => v.valueBlock.value)).toEqual(['CCCD:001085012345']);
    expect(attribute('leader', '2.5.4.7').map((v) => v.valueBlock.value)).toEqual(['Đà Nẵng']);
    expect(attribute('seal', '2.5.4.3').map((v) => v.valueBlock.value)).toEqual(['Ủy ban nhân dân thành phố Đà Nẵng']);
    expect(attribute('seal', '0.9.2342.19200300.100.1.1').map((v) => v.valueBlock.value)).toEqual(['MST:0400101556']);
    const text = (await run('openssl', ['x509', '-in', pki.entity('leader').certPath, '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'])).stdout.toString('utf8');
    expect(text).toContain('CN=Nguyễn Văn Đức');
  });

  it('marks leader keys for signing only: digitalSignature + nonRepudiation, critical', () => {
    const ku = extension('leader', OIDS.keyUsage);
    expect(ku?.critical).toBe(true);
    expect((ku?.parsedValue as asn1js.BitString).valueBlock.valueHexView[0]).toBe(0xc0);
    expect((extension('nokeyusage', OIDS.keyUsage)?.parsedValue as asn1js.BitString).valueBlock.valueHexView[0]).toBe(0x20);
  });

  it('points leaves at the test CRL, OCSP and caIssuers URLs', async () => {
    const text = (await run('openssl', ['x509', '-in', pki.entity('leader').certPath, '-noout', '-text'])).stdout.toString();
    expect(text).toContain('URI:http://pki.kyso.test/crl/intermediate.crl');
    expect(text).toContain('OCSP - URI:http://pki.kyso.test/ocsp');
    expect(text).toContain('CA Issuers - URI:http://pki.kyso.test/ca/intermediate.cer');
    expect(text).toContain('Not Before: Jan  1 00:00:00 2025 GMT');
    const inter = (await run('openssl', ['x509', '-in', pki.intermediatePath, '-noout', '-text'])).stdout.toString();
    expect(inter).toMatch(/CA:TRUE, pathlen:0/);
    expect(inter).toContain('2.16.704.1.1.1.1.1');
  });

  it('pairs every key with its certificate and gives leaves their chain', () => {
    for (const p of PROFILES) {
      const e = pki.entity(p.name);
      const fromKey = createPublicKey(e.keyPem).export({ type: 'spki', format: 'der' });
      const fromCert = cert(p.name).subjectPublicKeyInfo.toSchema().toBER(false);
      expect(Buffer.from(fromKey).equals(Buffer.from(fromCert)), p.name).toBe(true);
    }
    expect(pki.entity('leader').chainDer).toEqual([pki.entity('intermediate').certDer, pki.rootDer]);
    expect(pki.entity('untrusted').chainDer).toEqual([pki.entity('untrusted-root').certDer]);
    expect(pki.entity('root').chainDer).toEqual([]);
  });

  it('opens every leaf .p12 with the test password', async () => {
    for (const p of PROFILES.filter((x) => x.role === 'leaf')) {
      const out = await run('openssl', ['pkcs12', '-in', pki.entity(p.name).p12Path!, '-passin', `pass:${pki.p12Password}`, '-nokeys', '-clcerts']);
      expect(out.stdout.toString()).toContain('BEGIN CERTIFICATE');
    }
  });

  it('trusts the test root in the NSS database', async () => {
    const out = (await run('certutil', ['-L', '-d', `sql:${pki.nssDir}`])).stdout.toString();
    expect(out).toMatch(/kyso TEST root\s+CT,C,C/);
  });
});

describe('NSS database with pdfsig', () => {
  async function pdfsig(signer: 'leader' | 'offline' | 'untrusted'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kyso-pdfsig-'));
    try {
      const file = join(dir, 'signed.pdf');
      await writeFile(file, await opensslSignedPdf({ pki, signer }));
      return (await run('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, file])).stdout.toString('utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('lets pdfsig trust a signer under the test root that has no revocation pointers', async () => {
    const out = await pdfsig('offline');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
  });

  it('lets pdfsig check the leader signature itself (its OCSP URL is offline, so not its trust)', async () => {
    const out = await pdfsig('leader');
    expect(out).toContain('Signer Certificate Common Name: Nguyễn Văn Đức');
    expect(out).toContain('Signature Validation: Signature is Valid.');
  });

  it('makes pdfsig distrust a signer under the untrusted root', async () => {
    const out = await pdfsig('untrusted');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toMatch(/Certificate Validation: Certificate issuer (isn't Trusted|is unknown)\./);
  });
});
