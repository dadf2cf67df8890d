import { kysoError } from '@kyso/core';
import { wipe } from './internal/bytes.js';
import { certificateId, orderChain, parseCertificate } from './internal/certificate.js';
import { pemOrDer } from './internal/pem.js';
import { SoftKey } from './internal/soft-key.js';
import { SoftwareAdapter, type SoftwareIdentity } from './internal/software-adapter.js';
import type { WebCryptoKey } from './internal/web-crypto.js';

/** What a {@link CryptoKeyAdapter} is made from. */
export interface CryptoKeyAdapterOptions {
  /**
   * A private WebCrypto key with the `sign` usage: RSASSA-PKCS1-v1_5 or
   * RSA-PSS (which sign only with the hash they were imported for), or ECDSA
   * on P-256, P-384 or P-521 (any hash). Best kept non-extractable.
   */
  readonly privateKey: WebCryptoKey;
  /** The signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuer certificates, DER; they are ordered from the signer upwards. */
  readonly chain?: readonly Uint8Array[];
  /** A label for pickers; default the certificate's common name. */
  readonly label?: string;
}

/**
 * Signs with a WebCrypto `CryptoKey` the application already holds, e.g.
 * one generated in the browser and kept in IndexedDB, or one read from a PEM
 * file in a Node script ({@link fromPkcs8Pem}).
 *
 * @example
 * ```ts
 * const adapter = await CryptoKeyAdapter.create({ privateKey, certificate, chain });
 * const [entry] = await adapter.listCertificates();
 * ```
 */
export class CryptoKeyAdapter extends SoftwareAdapter {
  readonly name = 'crypto-key';

  private constructor(identity: SoftwareIdentity) {
    super(identity);
  }

  /**
   * Wraps `options.privateKey`. Checks that the key belongs to the
   * certificate by signing a random probe and verifying it with the
   * certificate's public key.
   *
   * @throws `ERR_KEY_CERT_MISMATCH` the key does not match the certificate;
   *   `ERR_CERT_MALFORMED` a certificate cannot be parsed;
   *   `ERR_SIG_ALGORITHM_UNSUPPORTED` the key's algorithm cannot make PDF signatures;
   *   `ERR_INVALID_ARGUMENT` not a private signing key, or certificate not bytes.
   */
  static async create(options: CryptoKeyAdapterOptions): Promise<CryptoKeyAdapter> {
    if (typeof options !== 'object' || options === null) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'CryptoKeyAdapter.create() needs an options object');
    }
    if (typeof CryptoKey === 'undefined' || !(options.privateKey instanceof CryptoKey)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'privateKey must be a CryptoKey');
    }
    return CryptoKeyAdapter.build(SoftKey.fromCryptoKey(options.privateKey), options.certificate, options.chain ?? [], options.label);
  }

  /**
   * Makes an adapter from an unencrypted PKCS#8 private key
   * (`-----BEGIN PRIVATE KEY-----`, RFC 7468 §10, or its DER) and a
   * certificate (PEM or DER), for Node scripts and tests. The key is imported
   * as non-extractable keys for every scheme and hash its type allows, so
   * unlike {@link CryptoKeyAdapter.create} an RSA key signs with PKCS#1 v1.5
   * and PSS and any hash. Encrypted PEM (`ENCRYPTED PRIVATE KEY`) is not read.
   *
   * @throws `ERR_INVALID_ARGUMENT` no PEM block of the right kind;
   *   `ERR_KEY_FORMAT` not a PKCS#8 key; `ERR_KEY_CERT_MISMATCH` key and
   *   certificate do not belong together; `ERR_CERT_MALFORMED` bad certificate.
   */
  static async fromPkcs8Pem(
    pem: string | Uint8Array, certificate: string | Uint8Array, chain: readonly (string | Uint8Array)[] = [],
  ): Promise<CryptoKeyAdapter> {
    if (typeof pem === 'string' && pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
      throw kysoError('ERR_KEY_FORMAT', 'encrypted PKCS#8 PEM is not read here; decrypt it first or use a PKCS#12 file');
    }
    if (typeof pem === 'string' && /-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(pem)) {
      throw kysoError('ERR_KEY_FORMAT', 'this is a traditional (PKCS#1 / SEC 1) key; convert it with `openssl pkcs8 -topk8 -nocrypt`');
    }
    const der = pemOrDer(pem, 'PRIVATE KEY');
    let key: SoftKey;
    try {
      key = await SoftKey.fromPkcs8(der);
    } finally {
      // Only the decoded copy is ours to wipe; caller-owned DER is left alone.
      if (der !== pem) wipe(der);
    }
    const chainDer = chain.map((c) => pemOrDer(c, 'CERTIFICATE'));
    return CryptoKeyAdapter.build(key, pemOrDer(certificate, 'CERTIFICATE'), chainDer, undefined);
  }

  private static async build(
    key: SoftKey, certificate: Uint8Array, chain: readonly Uint8Array[], label: string | undefined,
  ): Promise<CryptoKeyAdapter> {
    if (!(certificate instanceof Uint8Array)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'certificate must be DER bytes (Uint8Array)');
    }
    const signer = parseCertificate(certificate, 'the signer certificate');
    const others = chain.map((c, i) => parseCertificate(c, `chain certificate ${i + 1}`));
    if (!(await key.matches(signer))) {
      throw kysoError('ERR_KEY_CERT_MISMATCH', 'a probe signed with the private key does not verify with the certificate\'s public key');
    }
    return new CryptoKeyAdapter({
      id: await certificateId(signer.der),
      key,
      certificate: signer,
      chain: orderChain(signer, others),
      ...(label !== undefined ? { label } : {}),
    });
  }
}

/**
 * Makes a {@link CryptoKeyAdapter} from a PKCS#8 PEM key and a certificate;
 * see {@link CryptoKeyAdapter.fromPkcs8Pem}.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const adapter = await fromPkcs8Pem(readFileSync('key.pem', 'utf8'), readFileSync('cert.pem', 'utf8'));
 * ```
 */
export function fromPkcs8Pem(
  pem: string | Uint8Array, certificate: string | Uint8Array, chain?: readonly (string | Uint8Array)[],
): Promise<CryptoKeyAdapter> {
  return CryptoKeyAdapter.fromPkcs8Pem(pem, certificate, chain);
}
