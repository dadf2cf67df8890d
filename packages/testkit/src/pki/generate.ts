import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.js';
import { fixturesDir } from '../paths.js';
import { deriveKey, type KeyMaterial } from './keys.js';
import {
  ENTITY_NAMES, INTERMEDIATE_NAME, P12_PASSWORD, PKI_GENERATOR_VERSION, PKI_URLS, POLICY_OID, PROFILES,
  REVOCATION_REASON, ROOT_NAME, VALIDITY, profileOf, type EntityName, type EntityProfile,
} from './profile.js';
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoints,
  extKeyUsage, fromPem, issueCertificate, issueCrl, keyUsage, ocspNoCheck, subjectKeyIdentifier, toPem,
} from './x509.js';
import type * as pkijs from 'pkijs';

/** One certificate of the test PKI with its key and files. */
export interface TestEntity {
  readonly name: EntityName;
  readonly role: 'root' | 'ca' | 'leaf';
  /** Certificate serial number, upper-case hex. */
  readonly serialHex: string;
  readonly certDer: Uint8Array;
  readonly certPem: string;
  /** PKCS#8 private key, PEM. */
  readonly keyPem: string;
  /** PKCS#8 private key, DER. */
  readonly keyDer: Uint8Array;
  readonly certPath: string;
  readonly keyPath: string;
  /** `<name>.p12` (password {@link TestPki.p12Password}); leaves only. */
  readonly p12Path: string | undefined;
  /** The issuers above this certificate, nearest first, root last; empty for roots. */
  readonly chainDer: Uint8Array[];
}

/** The generated test PKI, as read back from its folder. */
export interface TestPki {
  readonly dir: string;
  readonly rootPem: string;
  readonly rootDer: Uint8Array;
  readonly rootPath: string;
  readonly intermediatePath: string;
  /** intermediate + root, PEM. */
  readonly chainPath: string;
  /** The intermediate's CRL (lists `revoked`). */
  readonly crlDer: Uint8Array;
  readonly crlPath: string;
  /** The root's CRL (empty). */
  readonly rootCrlDer: Uint8Array;
  readonly untrustedRootPem: string;
  readonly untrustedRootPath: string;
  /** NSS database trusting the test root (`pdfsig -nssdir sql:<nssDir>`). */
  readonly nssDir: string;
  readonly p12Password: string;
  readonly names: readonly EntityName[];
  /** One entity by name; throws on an unknown name. */
  entity(name: EntityName): TestEntity;
}

interface Manifest {
  readonly version: number;
  readonly entities: Record<string, { serialHex: string; role: string }>;
}

/** Seeds are independent of the generator version so keys stay put when only certificates change. */
const keySeed = (name: string) => `kyso-test-pki/key/${name}`;

function extensionsFor(p: EntityProfile, key: KeyMaterial, issuerKey: KeyMaterial): pkijs.Extension[] {
  const exts: pkijs.Extension[] = [];
  exts.push(p.role === 'leaf' ? basicConstraints(false) : basicConstraints(true, p.role === 'ca' ? 0 : undefined));
  exts.push(keyUsage(p.keyUsage));
  if (p.eku) exts.push(extKeyUsage(p.eku.oids, p.eku.critical));
  exts.push(subjectKeyIdentifier(key.spkiDer));
  if (p.role !== 'root') exts.push(authorityKeyIdentifier(issuerKey.spkiDer));
  const underGovRoot = p.name !== 'untrusted' && p.name !== 'untrusted-root' && p.role !== 'root';
  if (underGovRoot) exts.push(certificatePolicies([POLICY_OID]));
  if (p.role === 'ca') {
    exts.push(crlDistributionPoints(PKI_URLS.rootCrl));
    exts.push(authorityInfoAccess({ caIssuers: PKI_URLS.rootCert }));
  } else if (p.revocationPointers) {
    exts.push(crlDistributionPoints(PKI_URLS.intermediateCrl));
    exts.push(authorityInfoAccess({ ocsp: PKI_URLS.ocsp, caIssuers: PKI_URLS.intermediateCert }));
  } else if (p.name === 'ocsp') {
    exts.push(authorityInfoAccess({ caIssuers: PKI_URLS.intermediateCert }));
  }
  if (p.ocspNoCheck) exts.push(ocspNoCheck());
  return exts;
}

function chainOf(name: EntityName): EntityName[] {
  const out: EntityName[] = [];
  let p = profileOf(name);
  while (p.role !== 'root') {
    p = profileOf(p.issuer);
    out.push(p.name);
  }
  return out;
}

/**
 * Generates the whole test PKI into `dir` (replacing it). Certificates, keys
 * and CRLs are byte-deterministic; `.p12` files and the NSS database are not.
 */
export async function generatePki(dir: string): Promise<TestPki> {
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    const keys = new Map<EntityName, KeyMaterial>();
    const certs = new Map<EntityName, Uint8Array>();
    for (const p of PROFILES) {
      const key = deriveKey(p.key, keySeed(p.name));
      keys.set(p.name, key);
      const issuer = profileOf(p.issuer);
      const issuerKey = keys.get(p.issuer)!;
      const der = issueCertificate({
        serialHex: p.serialHex,
        subject: p.subject,
        issuer: issuer.subject,
        notBefore: p.validity[0],
        notAfter: p.validity[1],
        spkiDer: key.spkiDer,
        extensions: extensionsFor(p, key, issuerKey),
        issuerKey: issuerKey.privateKey,
      });
      certs.set(p.name, der);
      await writeFile(join(tmp, `${p.name}.cert.der`), der);
      await writeFile(join(tmp, `${p.name}.cert.pem`), toPem('CERTIFICATE', der));
      await writeFile(join(tmp, `${p.name}.key.pem`), toPem('PRIVATE KEY', key.pkcs8Der));
    }
    const pem = (n: EntityName) => toPem('CERTIFICATE', certs.get(n)!);
    await writeFile(join(tmp, 'root.pem'), pem('root'));
    await writeFile(join(tmp, 'intermediate.pem'), pem('intermediate'));
    await writeFile(join(tmp, 'chain.pem'), pem('intermediate') + pem('root'));
    await writeFile(join(tmp, 'untrusted-root.pem'), pem('untrusted-root'));

    const crl = issueCrl({
      issuer: INTERMEDIATE_NAME,
      issuerSpkiDer: keys.get('intermediate')!.spkiDer,
      issuerKey: keys.get('intermediate')!.privateKey,
      thisUpdate: VALIDITY.crlThisUpdate,
      nextUpdate: VALIDITY.crlNextUpdate,
      crlNumber: 1,
      revoked: [{ serialHex: profileOf('revoked').serialHex, date: VALIDITY.revocationDate, reason: REVOCATION_REASON }],
    });
    await writeFile(join(tmp, 'intermediate.crl.der'), crl);
    await writeFile(join(tmp, 'intermediate.crl.pem'), toPem('X509 CRL', crl));
    const rootCrl = issueCrl({
      issuer: ROOT_NAME,
      issuerSpkiDer: keys.get('root')!.spkiDer,
      issuerKey: keys.get('root')!.privateKey,
      thisUpdate: VALIDITY.crlThisUpdate,
      nextUpdate: VALIDITY.crlNextUpdate,
      crlNumber: 1,
      revoked: [],
    });
    await writeFile(join(tmp, 'root.crl.der'), rootCrl);
    await writeFile(join(tmp, 'root.crl.pem'), toPem('X509 CRL', rootCrl));

    await Promise.all(
      PROFILES.filter((p) => p.role === 'leaf').map(async (p) => {
        const chain = chainOf(p.name).map(pem).join('');
        const chainFile = join(tmp, `${p.name}.p12-chain.pem`);
        await writeFile(chainFile, chain);
        // openssl 3 defaults: PBES2/AES-256-CBC, PBKDF2, SHA-256 MAC.
        await run('openssl', [
          'pkcs12', '-export', '-in', `${p.name}.cert.pem`, '-inkey', `${p.name}.key.pem`, '-certfile', chainFile,
          '-name', p.name, '-passout', `pass:${P12_PASSWORD}`, '-out', `${p.name}.p12`,
        ], { cwd: tmp });
        await rm(chainFile);
      }),
    );

    await makeNssDb(join(tmp, 'nssdb'), tmp);

    const manifest: Manifest = {
      version: PKI_GENERATOR_VERSION,
      entities: Object.fromEntries(PROFILES.map((p) => [p.name, { serialHex: p.serialHex, role: p.role }])),
    };
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (e) {
      // Another process finished the same (deterministic) PKI first: keep theirs.
      if (!(await isCurrent(dir))) throw e;
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return loadPki(dir);
}

/** An NSS database (for poppler's pdfsig) that trusts the test root for signing. */
async function makeNssDb(nssDir: string, pkiDir: string): Promise<void> {
  await mkdir(nssDir, { recursive: true });
  await run('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  await run('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'kyso TEST root', '-t', 'CT,C,C', '-i', join(pkiDir, 'root.cert.der')]);
  await run('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'kyso TEST intermediate', '-t', ',,', '-i', join(pkiDir, 'intermediate.cert.der')]);
}

/** Reads a generated PKI folder back. */
export async function loadPki(dir: string): Promise<TestPki> {
  const read = (f: string) => readFile(join(dir, f));
  const entities = new Map<EntityName, TestEntity>();
  const certDers = new Map<EntityName, Uint8Array>();
  for (const p of PROFILES) certDers.set(p.name, new Uint8Array(await read(`${p.name}.cert.der`)));
  for (const p of PROFILES) {
    const keyPem = (await read(`${p.name}.key.pem`)).toString('utf8');
    entities.set(p.name, Object.freeze({
      name: p.name,
      role: p.role,
      serialHex: p.serialHex,
      certDer: certDers.get(p.name)!,
      certPem: (await read(`${p.name}.cert.pem`)).toString('utf8'),
      keyPem,
      keyDer: fromPem(keyPem, 'PRIVATE KEY'),
      certPath: join(dir, `${p.name}.cert.pem`),
      keyPath: join(dir, `${p.name}.key.pem`),
      p12Path: p.role === 'leaf' ? join(dir, `${p.name}.p12`) : undefined,
      chainDer: chainOf(p.name).map((n) => certDers.get(n)!),
    }));
  }
  const pki: TestPki = {
    dir,
    rootPem: (await read('root.pem')).toString('utf8'),
    rootDer: certDers.get('root')!,
    rootPath: join(dir, 'root.pem'),
    intermediatePath: join(dir, 'intermediate.pem'),
    chainPath: join(dir, 'chain.pem'),
    crlDer: new Uint8Array(await read('intermediate.crl.der')),
    crlPath: join(dir, 'intermediate.crl.der'),
    rootCrlDer: new Uint8Array(await read('root.crl.der')),
    untrustedRootPem: (await read('untrusted-root.pem')).toString('utf8'),
    untrustedRootPath: join(dir, 'untrusted-root.pem'),
    nssDir: join(dir, 'nssdb'),
    p12Password: P12_PASSWORD,
    names: ENTITY_NAMES,
    entity(name: EntityName): TestEntity {
      const e = entities.get(name);
      if (!e) throw new Error('testkit: unknown PKI entity ' + String(name));
      return e;
    },
  };
  return Object.freeze(pki);
}

/** Options for {@link ensurePki}. */
export interface EnsurePkiOptions {
  /** Output folder; default `<repo root>/.fixtures/pki`. */
  readonly dir?: string;
  /** Regenerate even if a current cache exists. */
  readonly force?: boolean;
}

/**
 * The test PKI, generated on first use and cached in `.fixtures/pki/`
 * (reused while its manifest carries the current generator version).
 */
export async function ensurePki(options: EnsurePkiOptions = {}): Promise<TestPki> {
  const dir = options.dir ?? join(fixturesDir(), 'pki');
  if (!options.force && (await isCurrent(dir))) return loadPki(dir);
  return generatePki(dir);
}

async function isCurrent(dir: string): Promise<boolean> {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return false;
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as Partial<Manifest>;
    return m.version === PKI_GENERATOR_VERSION;
  } catch {
    return false;
  }
}
