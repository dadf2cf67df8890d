/**
 * A signing key on a PKCS#11 token or HSM (SoftHSM2 in the tests) for `kyso worker --sign`: the
 * agency seal's key never leaves the device. The PKCS#11 layer is the token agent's (`@kyso/agent`,
 * over pkcs11js), loaded only when a worker is started with `--pkcs11`.
 */
import { kysoError, type AdapterCapabilities, type CertificateEntry, type SigningAdapter } from '@kyso/core';

/** Which key: the module, the token, the key on it, and its PIN. */
export interface Pkcs11KeyOptions {
  /** Path of the PKCS#11 library (e.g. `/usr/lib/softhsm/libsofthsm2.so`). */
  readonly module: string;
  /** Token label (CKA_LABEL of the token); default the only token holding a signing certificate. */
  readonly tokenLabel?: string;
  /** Certificate and key label (CKA_LABEL), or their CKA_ID in hex; default the token's only signing certificate. */
  readonly key?: string;
  /** The user PIN (C_Login); read from the environment by the CLI, never from the command line. */
  readonly pin: string;
}

/** A PKCS#11 key as a signing adapter, with `close` (C_Finalize). */
export interface Pkcs11Key extends SigningAdapter {
  close(): void;
}

/**
 * Opens the key: finds its certificate (not a CA certificate) on the token, with the token's CA
 * certificates as its chain (nearest first as stored), and signs digests with it after a C_Login per
 * signature (PKCS#11 v2.40 §5.6: RSA PKCS#1 v1.5 through a DigestInfo, RSA-PSS, ECDSA).
 */
export async function openPkcs11Key(options: Pkcs11KeyOptions): Promise<Pkcs11Key> {
  const { Pkcs11Module } = await import('@kyso/agent');
  const module = Pkcs11Module.open(options.module);
  try {
    const all = module.certificates().filter((c) => options.tokenLabel === undefined || c.tokenLabel === options.tokenLabel);
    const signers = all.filter((c) => !c.isCa && (options.key === undefined || c.label === options.key || c.id === options.key?.toLowerCase()));
    if (signers.length !== 1) {
      throw kysoError('ERR_KEY_NOT_FOUND', signers.length === 0
        ? 'no signing certificate matches on the token(s)'
        : `${signers.length} signing certificates match: name the token (--token) and the key (--key)`);
    }
    const signer = signers[0]!;
    const chain = all.filter((c) => c.isCa && c.tokenSerial === signer.tokenSerial).map((c) => c.der);
    const entry: CertificateEntry = { id: signer.id, certificate: signer.der, chain, label: signer.label };
    const capabilities: AdapterCapabilities = {
      schemes: signer.keyType === 'EC' ? ['ECDSA'] : ['RSASSA-PKCS1-v1_5', 'RSA-PSS'],
      hashes: ['SHA-256', 'SHA-384', 'SHA-512'],
    };
    return {
      name: 'pkcs11',
      capabilities: () => capabilities,
      listCertificates: async () => [entry],
      sign: async (request) => {
        if (request.certificateId !== signer.id) throw kysoError('ERR_KEY_NOT_FOUND', `no key ${request.certificateId} in this worker`);
        return module.signDigest({
          tokenSerial: signer.tokenSerial, keyId: signer.id, pin: options.pin,
          scheme: request.algorithm.scheme, hash: request.algorithm.hash, digest: request.digest,
        });
      },
      close: () => module.close(),
    };
  } catch (error) {
    module.close();
    throw error;
  }
}
