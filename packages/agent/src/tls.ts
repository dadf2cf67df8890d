/**
 * A locally generated TLS certificate for wss://127.0.0.1 (issue 6 §1,
 * optional TLS). Made once with the openssl command line (P-256, SAN
 * IP:127.0.0.1 and DNS:localhost, RFC 5280 §4.2.1.6) and kept beside the
 * configuration; the user trusts it once in the browser or the OS store.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** PEM certificate and key. */
export interface LocalCertificate {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** Returns the certificate in `dir`, creating it (valid 825 days) when absent. */
export async function generateLocalCertificate(dir: string): Promise<LocalCertificate> {
  const certPath = join(dir, 'agent-tls.cert.pem');
  const keyPath = join(dir, 'agent-tls.key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    await mkdir(dir, { recursive: true });
    await new Promise<void>((resolve, reject) => {
      execFile('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '825',
        '-subj', '/CN=kyso-agent 127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext', 'extendedKeyUsage=serverAuth', '-keyout', keyPath, '-out', certPath,
      ], (err, _o, stderr) => (err ? reject(new Error(`openssl req failed: ${String(stderr)}`)) : resolve()));
    });
  }
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), certPath, keyPath };
}
