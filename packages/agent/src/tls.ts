/**
 * A locally generated TLS certificate for wss://127.0.0.1 (issue 6 §1,
 * optional TLS), made with the openssl command line and kept beside the
 * configuration; the user trusts it once in the browser or the OS store.
 *
 * It is a self-signed *end-entity* certificate (issue 12 §4): basicConstraints
 * CA:FALSE (RFC 5280 §4.2.1.9) and keyUsage digitalSignature only, so that a
 * user who trusts it trusts one server identity, never an issuer: whoever
 * reads its key can impersonate the agent, not every web site. SAN
 * IP:127.0.0.1 and DNS:localhost (§4.2.1.6), extendedKeyUsage serverAuth
 * (§4.2.1.12), P-256, 90 days by default, renewed when fewer than 30 days
 * remain, when the key does not match, when the old CA-style certificate is
 * found, or on request (`kyso-agent --renew-tls`). The key file is mode 0600.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** PEM certificate and key. */
export interface LocalCertificate {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** Why a new certificate was made this time (`undefined`: the existing one was kept). */
  readonly renewed?: 'absent' | 'ca-certificate' | 'expiring' | 'key-mismatch' | 'unreadable' | 'requested';
  /** When the certificate stops being valid. */
  readonly notAfter: Date;
}

/** Options of {@link generateLocalCertificate}. */
export interface LocalCertificateOptions {
  /** Validity of a new certificate (default 90, at most 397 days: the CA/Browser Forum ceiling for server certificates). */
  readonly validityDays?: number;
  /** Renew when fewer days than this remain (default 30). */
  readonly renewBeforeDays?: number;
  /** Make a new certificate whatever the state of the old one. */
  readonly force?: boolean;
}

const DAY = 86_400_000;

/** Returns the certificate in `dir`, creating or renewing it as described above. */
export async function generateLocalCertificate(dir: string, options: LocalCertificateOptions = {}): Promise<LocalCertificate> {
  const validityDays = Math.min(397, Math.max(1, Math.floor(options.validityDays ?? 90)));
  const renewBefore = Math.max(0, options.renewBeforeDays ?? 30);
  const certPath = join(dir, 'agent-tls.cert.pem');
  const keyPath = join(dir, 'agent-tls.key.pem');
  let reason: LocalCertificate['renewed'] = options.force ? 'requested' : undefined;
  if (!reason) reason = !existsSync(certPath) || !existsSync(keyPath) ? 'absent' : await problemOf(certPath, keyPath, renewBefore);
  if (reason) await make(dir, certPath, keyPath, validityDays);
  // An older agent left the key with the user's umask: readable by the agent's user only.
  if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
  const cert = await readFile(certPath, 'utf8');
  return {
    cert, key: await readFile(keyPath, 'utf8'), certPath, keyPath, notAfter: new Date(Date.parse(new X509Certificate(cert).validTo)),
    ...(reason ? { renewed: reason } : {}),
  };
}

async function problemOf(certPath: string, keyPath: string, renewBeforeDays: number): Promise<LocalCertificate['renewed']> {
  let x: X509Certificate;
  try {
    x = new X509Certificate(await readFile(certPath));
    if (!x.checkPrivateKey(createPrivateKey(await readFile(keyPath)))) return 'key-mismatch';
  } catch {
    return 'unreadable';
  }
  if (x.ca) return 'ca-certificate';
  if (Date.parse(x.validTo) - Date.now() < renewBeforeDays * DAY) return 'expiring';
  return undefined;
}

/** Makes key and certificate in a private temporary folder, then renames them into place (same file system). */
async function make(dir: string, certPath: string, keyPath: string, days: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = await mkdtemp(join(dir, '.agent-tls-')); // mode 0700
  try {
    // Our own openssl config: the default one's x509_extensions (v3_ca) would make a CA certificate.
    const conf = join(tmp, 'req.cnf');
    await writeFile(conf, [
      '[req]', 'distinguished_name = dn', 'x509_extensions = leaf', 'prompt = no',
      '[dn]', 'CN = kyso-agent 127.0.0.1',
      '[leaf]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth', 'subjectAltName = IP:127.0.0.1, DNS:localhost', 'subjectKeyIdentifier = hash', '',
    ].join('\n'), { mode: 0o600 });
    const k = join(tmp, 'key.pem');
    const c = join(tmp, 'cert.pem');
    await new Promise<void>((resolve, reject) => {
      execFile('openssl', [
        'req', '-x509', '-config', conf, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-days', String(days), '-keyout', k, '-out', c,
      ], (err, _o, stderr) => (err ? reject(new Error(`openssl req failed: ${String(stderr)}`)) : resolve()));
    });
    chmodSync(k, 0o600);
    await rename(k, keyPath);
    await rename(c, certPath);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
