import {
  HASH_ALGORITHMS, kysoError,
  type AdapterCapabilities, type CertificateEntry, type SignRequest, type SigningAdapter,
} from '@kyso/core';
import { throwIfAborted } from './abort.js';
import { commonName, type ParsedCertificate } from './certificate.js';
import type { SoftKey } from './soft-key.js';

/** What a software adapter is built from: one key, its certificate, the issuers. */
export interface SoftwareIdentity {
  /** The id `listCertificates` gives (hex SHA-256 of the certificate, see `certificateId`). */
  readonly id: string;
  readonly key: SoftKey;
  readonly certificate: ParsedCertificate;
  readonly chain: readonly ParsedCertificate[];
  readonly label?: string;
}

/**
 * The shared body of the software adapters: one key, one certificate entry,
 * signing done by WebCrypto in this realm.
 */
export abstract class SoftwareAdapter implements SigningAdapter {
  abstract readonly name: string;
  readonly #key: SoftKey;
  readonly #id: string;
  readonly #certificate: Uint8Array;
  readonly #chain: readonly Uint8Array[];
  readonly #label: string | undefined;

  protected constructor(identity: SoftwareIdentity) {
    this.#key = identity.key;
    this.#id = identity.id;
    this.#certificate = identity.certificate.der;
    this.#chain = identity.chain.map((c) => c.der);
    this.#label = identity.label ?? commonName(identity.certificate);
  }

  /** The one certificate this adapter signs with; fresh copies on every call. */
  async listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    throwIfAborted(signal);
    const entry: CertificateEntry = {
      id: this.#id,
      certificate: this.#certificate.slice(),
      chain: this.#chain.map((c) => c.slice()),
      ...(this.#label === undefined ? {} : { label: this.#label }),
    };
    return [Object.freeze(entry)];
  }

  capabilities(): AdapterCapabilities {
    return this.#key.capabilities();
  }

  /**
   * Signs `request.data` with the key (WebCrypto hashes it; `request.digest`
   * is not needed). RSA gives the PKCS#1 v1.5 or PSS signature (RFC 8017
   * §8.1, §8.2), ECDSA raw r‖s, which core turns into DER.
   */
  async sign(request: SignRequest): Promise<Uint8Array> {
    if (typeof request !== 'object' || request === null) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'sign() needs a request object');
    }
    throwIfAborted(request.signal);
    if (request.certificateId !== this.#id) {
      throw kysoError('ERR_KEY_NOT_FOUND', `certificateId ${String(request.certificateId)} is not held by this ${this.name} adapter`);
    }
    const algorithm = request.algorithm;
    const caps = this.#key.capabilities();
    if (
      typeof algorithm !== 'object' || algorithm === null
      || !caps.schemes.includes(algorithm.scheme) || !caps.hashes.includes(algorithm.hash)
      || !HASH_ALGORITHMS.includes(algorithm.hash)
    ) {
      const asked = algorithm ? `${String(algorithm.scheme)}/${String(algorithm.hash)}` : String(algorithm);
      throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${asked} requested; this key supports ${caps.schemes.join(', ')} with ${caps.hashes.join(', ')}`);
    }
    if (!(request.data instanceof Uint8Array)) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'request.data must be a Uint8Array');
    }
    return this.#key.sign(algorithm, request.data, request.signal);
  }
}
