import { execFileSync } from 'node:child_process';
import { X509Certificate, constants, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HashAlgorithm, SignatureAlgorithm } from '@kyso/core';

/** Key types the fixtures make with `openssl req -newkey`. */
export type KeySpec = 'rsa:2048' | 'P-256' | 'P-384' | 'P-521';

/** A scratch directory where openssl writes keys, certificates and PKCS#12 files. */
export class OpenSslWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'kyso-adapters-'));

  run(args: readonly string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): Uint8Array {
    return new Uint8Array(readFileSync(this.path(name)));
  }

  text(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  write(name: string, data: Uint8Array | string): void {
    writeFileSync(this.path(name), data);
  }

  /**
   * `<name>.key` (PKCS#8 PEM) and `<name>.pem`: a self-signed certificate,
   * or one issued by `issuer` (whose `.key`/`.pem` exist) when given.
   */
  certificate(name: string, spec: KeySpec, options: { issuer?: string; ca?: boolean } = {}): void {
    const newkey = spec === 'rsa:2048' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${spec}`];
    const ext = options.ca
      ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
      : ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation'];
    const subj = ['-subj', `/C=VN/O=kyso test/CN=${name}`];
    if (!options.issuer) {
      this.run(['req', '-x509', ...newkey, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', ...subj, ...ext]);
      return;
    }
    this.run(['req', '-new', ...newkey, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, ...subj]);
    const extFile = `${name}.ext`;
    this.write(extFile, options.ca
      ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
      : 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
    this.run([
      'x509', '-req', '-in', `${name}.csr`, '-CA', `${options.issuer}.pem`, '-CAkey', `${options.issuer}.key`,
      '-CAcreateserial', '-days', '3650', '-extfile', extFile, '-out', `${name}.pem`,
    ]);
  }

  /** `openssl pkcs12 -export` of `<name>.key` + `<name>.pem` into `out`, with extra arguments. */
  pkcs12(name: string, out: string, password: string, extra: readonly string[] = []): Uint8Array {
    this.run(['pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-passout', `pass:${password}`, '-out', out, ...extra]);
    return this.read(out);
  }

  /** The DER of `<name>.pem`. */
  der(name: string): Uint8Array {
    return new Uint8Array(new X509Certificate(readFileSync(this.path(`${name}.pem`))).raw);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const NODE_HASH: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const HASH_BYTES: Record<HashAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/**
 * Verifies `signature` over `data` with the certificate's public key using
 * node:crypto (OpenSSL), a second implementation next to WebCrypto: PSS with
 * salt = hash length, ECDSA as raw r‖s (IEEE P1363).
 */
export function verifiesWithNode(certificateDer: Uint8Array, algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: new X509Certificate(certificateDer).publicKey.export({ format: 'pem', type: 'spki' }) });
  const hash = NODE_HASH[algorithm.hash];
  switch (algorithm.scheme) {
    case 'RSA-PSS':
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[algorithm.hash] }, signature);
    case 'ECDSA':
      return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    default:
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  }
}
