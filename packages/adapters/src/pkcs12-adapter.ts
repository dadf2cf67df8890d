import { KysoError, kysoError } from '@kyso/core';
import { bytesEqual, wipe } from './internal/bytes.js';
import { certificateId, orderChain, parseCertificate, type ParsedCertificate } from './internal/certificate.js';
import { SoftKey } from './internal/soft-key.js';
import { SoftwareAdapter, type SoftwareIdentity } from './internal/software-adapter.js';
import { readPkcs12, type CertBagEntry, type KeyBagEntry } from './pkcs12/read.js';

/**
 * Signs with the key of a PKCS#12 file (`.p12` / `.pfx`), in the browser or in
 * Node: with WebCrypto in a browser, with node:crypto in Node (the same
 * OpenSSL operations Node's WebCrypto makes, without its cold set-up;
 * docs/decisions/0037-software-key-start-up.md). Both read the same files and
 * refuse the same ones with the same errors.
 *
 * Reads what OpenSSL 3 writes by default: PBES2 (PBKDF2 + AES-CBC) for key
 * and certificates, HMAC-SHA-256 (or SHA-1/384/512) MAC. Files protected with
 * the legacy RC2/3DES schemes (`openssl pkcs12 -legacy`, older Windows and
 * Java exports) are refused with `ERR_KEY_FORMAT` and advice to re-export them
 * with AES, since WebCrypto has no such ciphers.
 *
 * The private key is held where the caller cannot reach it: non-extractable
 * CryptoKeys in a browser, a node:crypto KeyObject in a private field in Node;
 * the password is not kept; the decrypted PKCS#8 bytes are overwritten after
 * import. A JavaScript engine may still hold copies the program cannot reach,
 * so this limits exposure but cannot guarantee erasure.
 *
 * @example
 * ```ts
 * const adapter = await Pkcs12Adapter.open(p12Bytes, password);
 * const [entry] = await adapter.listCertificates();
 * ```
 */
export class Pkcs12Adapter extends SoftwareAdapter {
  readonly name = 'pkcs12';

  private constructor(identity: SoftwareIdentity) {
    super(identity);
  }

  /**
   * Opens a PKCS#12 file.
   *
   * The file's MAC is checked first (RFC 7292 §5), so a wrong password gives
   * `ERR_KEY_PASSWORD` rather than a garbage key. The first private key that
   * has a certificate in the file is used: the certificate is found by
   * `localKeyId` (PKCS #9) or else by trying each certificate's public key.
   * The other certificates become the chain, ordered from the signer upwards.
   *
   * @param bytes - the DER bytes of the file.
   * @param password - the file's password (`''` if it has none).
   * @throws `ERR_KEY_FORMAT` not a PKCS#12 file, truncated, or a protection WebCrypto lacks;
   *   `ERR_KEY_PASSWORD` wrong password; `ERR_KEY_NOT_FOUND` no private key in the file;
   *   `ERR_KEY_CERT_MISMATCH` no certificate in the file matches the key;
   *   `ERR_SIG_ALGORITHM_UNSUPPORTED` a key type other than RSA or ECDSA P-256/384/521;
   *   `ERR_CERT_MALFORMED` a certificate in the file cannot be parsed.
   */
  static async open(bytes: Uint8Array, password: string): Promise<Pkcs12Adapter> {
    if (!(bytes instanceof Uint8Array)) throw kysoError('ERR_INVALID_ARGUMENT', 'bytes must be a Uint8Array');
    if (typeof password !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', 'password must be a string (use "" for none)');
    const contents = await readPkcs12(bytes, password);
    try {
      if (contents.keys.length === 0) throw kysoError('ERR_KEY_NOT_FOUND', 'the PKCS#12 file holds no private key');
      const certificates = contents.certificates.map((c, i) => ({ bag: c, parsed: parseCertificate(c.der, `certificate ${i + 1} in the PKCS#12 file`) }));
      for (const keyBag of contents.keys) {
        const key = await SoftKey.fromPkcs8(keyBag.pkcs8);
        wipe(keyBag.pkcs8);
        const signer = await findCertificate(key, keyBag, certificates);
        if (!signer) continue;
        const others = certificates.filter((c) => c !== signer).map((c) => c.parsed);
        const label = keyBag.friendlyName ?? signer.bag.friendlyName;
        const identity: SoftwareIdentity = {
          id: await certificateId(signer.parsed.der),
          key,
          certificate: signer.parsed,
          chain: orderChain(signer.parsed, others),
          ...(label !== undefined ? { label } : {}),
        };
        return new Pkcs12Adapter(identity);
      }
      throw kysoError(
        'ERR_KEY_CERT_MISMATCH',
        contents.certificates.length === 0
          ? 'the PKCS#12 file holds a private key but no certificate'
          : 'no certificate in the PKCS#12 file carries the public key of its private key',
      );
    } catch (error) {
      if (error instanceof KysoError) throw error;
      throw kysoError('ERR_KEY_FORMAT', `the PKCS#12 file could not be read: ${error instanceof Error ? error.message : String(error)}`, error);
    } finally {
      for (const keyBag of contents.keys) wipe(keyBag.pkcs8);
    }
  }
}

interface CertCandidate {
  readonly bag: CertBagEntry;
  readonly parsed: ParsedCertificate;
}

/**
 * The certificate of `key`: those with the same `localKeyId` are tried first,
 * then the rest. A certificate is only accepted if it verifies a probe the key
 * signed, so a wrong `localKeyId` cannot pair a key with a foreign certificate.
 */
async function findCertificate(key: SoftKey, keyBag: KeyBagEntry, certs: readonly CertCandidate[]): Promise<CertCandidate | undefined> {
  const id = keyBag.localKeyId;
  const byId = id ? certs.filter((c) => c.bag.localKeyId && bytesEqual(c.bag.localKeyId, id)) : [];
  const ordered = [...byId, ...certs.filter((c) => !byId.includes(c))];
  for (const candidate of ordered) {
    if (await key.matches(candidate.parsed)) return candidate;
  }
  return undefined;
}
