/**
 * SoftHSM2 tokens holding the test PKI's own keys and certificates, so that a
 * PDF signed through PKCS#11 chains to the test root and verifies with kyso
 * `verify` and poppler's `pdfsig`. Keys are imported (never generated on the
 * token): the same key pairs the PKCS#12 files hold.
 *
 * Everything lives under `.fixtures/softhsm/` (or the folder given), with its
 * own `softhsm2.conf`: the system configuration is never touched. SoftHSM
 * reassigns slot ids when a token is initialised, so callers find tokens by
 * label (PKCS#11 v2.40 §5.4 `CK_TOKEN_INFO.label`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fixturesDir } from '../paths.js';
import { ensurePki } from '../pki/generate.js';
import { PKI_GENERATOR_VERSION, type EntityName } from '../pki/profile.js';

/** The SoftHSM2 PKCS#11 module from Debian's `softhsm2` package. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** Bump when the token layout changes: cached token folders are then rebuilt. */
export const SOFTHSM_FIXTURE_VERSION = 1;

/** Test user PIN of every fixture token (a fixed test value, never a real secret). */
export const SOFTHSM_USER_PIN = '123456';
/** Test security-officer PIN of every fixture token. */
export const SOFTHSM_SO_PIN = '12345678';

/** One private key + certificate pair on a token. */
export interface SoftHsmKey {
  /** CKA_ID of the key and its certificate, lower-case hex. */
  readonly id: string;
  /** CKA_LABEL of the key and its certificate. */
  readonly label: string;
  /** The test PKI entity whose key and certificate these are. */
  readonly entity: EntityName;
}

/** One initialised SoftHSM2 token. */
export interface SoftHsmToken {
  readonly label: string;
  readonly userPin: string;
  readonly soPin: string;
  readonly keys: readonly SoftHsmKey[];
}

/** What {@link ensureSoftHsm} set up. */
export interface SoftHsm {
  /** Path for the `SOFTHSM2_CONF` environment variable. */
  readonly conf: string;
  /** The PKCS#11 module path. */
  readonly module: string;
  /** The folder holding `softhsm2.conf` and `tokens/`. */
  readonly dir: string;
  readonly tokens: readonly SoftHsmToken[];
}

/** A token to create: label and the PKI entities whose keys go on it. */
export interface SoftHsmTokenSpec {
  readonly label: string;
  readonly entities: readonly EntityName[];
}

/** The default tokens: a leader's token (RSA-2048 + P-256), an agency seal token (RSA-2048 + RSA-3072 for PSS). */
export const DEFAULT_SOFTHSM_TOKENS: readonly SoftHsmTokenSpec[] = [
  { label: 'kyso-leader', entities: ['leader', 'p256'] },
  { label: 'kyso-seal', entities: ['seal', 'rsa3072'] },
];

export interface EnsureSoftHsmOptions {
  /** Folder for config and tokens; default `<repo root>/.fixtures/softhsm`. */
  readonly dir?: string;
  /** Rebuild even if a current one exists. */
  readonly force?: boolean;
  /** Tokens to create; default {@link DEFAULT_SOFTHSM_TOKENS}. */
  readonly tokens?: readonly SoftHsmTokenSpec[];
}

/** Runs a tool without a shell, with SOFTHSM2_CONF set; rejects with its stderr. */
function tool(cmd: string, args: readonly string[], conf: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, SOFTHSM2_CONF: conf } }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args[0] ?? ''} failed: ${String(stderr) || err.message}`, { cause: err }));
      else resolve();
    });
  });
}

interface Manifest {
  readonly version: number;
  readonly pkiVersion: number;
  readonly tokens: SoftHsmToken[];
}

const CA_CERT_ID = 'ca01';

function confText(tokenDir: string): string {
  // SoftHSM2 softhsm2.conf(5): tokendir, file object store, quiet log.
  return `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`;
}

async function isCurrent(dir: string, specs: readonly SoftHsmTokenSpec[]): Promise<Manifest | undefined> {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file) || !existsSync(join(dir, 'softhsm2.conf'))) return undefined;
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    if (m.version !== SOFTHSM_FIXTURE_VERSION || m.pkiVersion !== PKI_GENERATOR_VERSION) return undefined;
    const want = specs.map((s) => `${s.label}:${s.entities.join(',')}`).join(';');
    const have = m.tokens.map((t) => `${t.label}:${t.keys.map((k) => k.entity).join(',')}`).join(';');
    return want === have ? m : undefined;
  } catch {
    return undefined;
  }
}

function result(dir: string, tokens: readonly SoftHsmToken[]): SoftHsm {
  return { conf: join(dir, 'softhsm2.conf'), module: SOFTHSM_MODULE, dir, tokens };
}

/**
 * Creates (once, then reuses) SoftHSM2 tokens holding the test PKI's keys and
 * certificates plus the intermediate CA certificate (CKA_ID `ca01`, no key),
 * so an agent can offer the chain. Safe to call from parallel test workers:
 * the folder is built aside and renamed into place.
 */
export async function ensureSoftHsm(options: EnsureSoftHsmOptions = {}): Promise<SoftHsm> {
  const dir = options.dir ?? join(fixturesDir(), 'softhsm');
  const specs = options.tokens ?? DEFAULT_SOFTHSM_TOKENS;
  if (!options.force) {
    const m = await isCurrent(dir, specs);
    if (m) return result(dir, m.tokens);
  }
  const pki = await ensurePki();
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(join(tmp, 'tokens'), { recursive: true });
  try {
    const conf = join(tmp, 'softhsm2.conf');
    await writeFile(conf, confText(join(tmp, 'tokens')));
    const tokens: SoftHsmToken[] = [];
    for (const spec of specs) {
      await tool('softhsm2-util', ['--init-token', '--free', '--label', spec.label, '--pin', SOFTHSM_USER_PIN, '--so-pin', SOFTHSM_SO_PIN], conf);
      const p11 = (args: string[]) =>
        tool('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', spec.label, '--login', '--pin', SOFTHSM_USER_PIN, ...args], conf);
      const keys: SoftHsmKey[] = [];
      for (const [i, name] of spec.entities.entries()) {
        const e = pki.entity(name);
        const id = (i + 1).toString(16).padStart(2, '0');
        const keyFile = join(tmp, `${name}.key.der`);
        await writeFile(keyFile, e.keyDer);
        // pkcs11-tool --write-object: C_CreateObject with CKO_PRIVATE_KEY (sensitive, sign) and CKO_CERTIFICATE.
        await p11(['--write-object', keyFile, '--type', 'privkey', '--id', id, '--label', name, '--usage-sign']);
        await rm(keyFile);
        const certFile = join(tmp, `${name}.cert.der`);
        await writeFile(certFile, e.certDer);
        await p11(['--write-object', certFile, '--type', 'cert', '--id', id, '--label', name]);
        await rm(certFile);
        keys.push({ id, label: name, entity: name });
      }
      const caFile = join(tmp, 'intermediate.cert.der');
      await writeFile(caFile, pki.entity('intermediate').certDer);
      await p11(['--write-object', caFile, '--type', 'cert', '--id', CA_CERT_ID, '--label', 'intermediate']);
      await rm(caFile);
      tokens.push({ label: spec.label, userPin: SOFTHSM_USER_PIN, soPin: SOFTHSM_SO_PIN, keys });
    }
    // Point the configuration at the final place, then move the folder there.
    await writeFile(conf, confText(join(dir, 'tokens')));
    const manifest: Manifest = { version: SOFTHSM_FIXTURE_VERSION, pkiVersion: PKI_GENERATOR_VERSION, tokens };
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const done = await isCurrent(dir, specs);
    if (done && !options.force) {
      await rm(tmp, { recursive: true, force: true });
      return result(dir, done.tokens);
    }
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (err) {
      const other = await isCurrent(dir, specs); // a parallel worker won the race
      if (!other) throw err;
      await rm(tmp, { recursive: true, force: true });
      return result(dir, other.tokens);
    }
    return result(dir, tokens);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A private, writable copy of the fixture tokens in `dir` (for tests that
 * lock, delete or re-initialise a token without disturbing others).
 */
export async function copySoftHsm(dir: string, from?: SoftHsm): Promise<SoftHsm> {
  const src = from ?? (await ensureSoftHsm());
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(join(src.dir, 'tokens'), join(dir, 'tokens'), { recursive: true });
  await writeFile(join(dir, 'softhsm2.conf'), confText(join(dir, 'tokens')));
  return result(dir, src.tokens);
}
