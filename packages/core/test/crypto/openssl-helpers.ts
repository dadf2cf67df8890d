/**
 * Throwaway PKI for the crypto tests, made with the openssl CLI in a temp
 * dir. Kept local to these tests on purpose (no dependency on testkit).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

export type KeyKind = 'rsa2048' | 'rsa3072' | 'p256' | 'p384' | 'rsapss2048';

export interface TestCert {
  readonly keyPath: string;
  readonly certPath: string;
  readonly keyPem: string;
  readonly certDer: Uint8Array;
}

export function tempDir(prefix = 'kyso-crypto-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs openssl synchronously; throws with stderr on failure. */
export function openssl(args: readonly string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

const NEWKEY: Record<KeyKind, string[]> = {
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa3072: ['-newkey', 'rsa:3072'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsapss2048: ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'],
};

/** A self-signed certificate with a fresh key; `addext` lines go to `-addext`. */
export function makeCert(
  dir: string,
  name: string,
  kind: KeyKind,
  options: { subject?: string; addext?: readonly string[]; signWith?: TestCert } = {},
): TestCert {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.pem`);
  const subject = options.subject ?? `/CN=kyso test ${name}/O=kyso`;
  const ext = (options.addext ?? []).flatMap((e) => ['-addext', e]);
  if (options.signWith) {
    const csr = join(dir, `${name}.csr`);
    openssl(['req', '-new', ...NEWKEY[kind], '-nodes', '-keyout', keyPath, '-out', csr, '-subj', subject, '-utf8']);
    const extFile = join(dir, `${name}.ext`);
    writeFileSync(extFile, (options.addext ?? []).join('\n') + '\n');
    openssl(['x509', '-req', '-in', csr, '-CA', options.signWith.certPath, '-CAkey', options.signWith.keyPath,
      '-set_serial', '0x' + Math.floor(Math.random() * 2 ** 48).toString(16), '-days', '30', '-sha256', '-extfile', extFile, '-out', certPath]);
  } else {
    openssl(['req', '-x509', ...NEWKEY[kind], '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '30', '-sha256',
      '-subj', subject, '-utf8', ...ext]);
  }
  const certDer = new Uint8Array(openssl(['x509', '-in', certPath, '-outform', 'DER']));
  return { keyPath, certPath, keyPem: readFileSync(keyPath, 'utf8'), certDer };
}
