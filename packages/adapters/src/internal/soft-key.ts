import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  HASH_LENGTH, KysoError, kysoError,
  type AdapterCapabilities, type HashAlgorithm, type SignatureAlgorithm,
} from '@kyso/core';
import { raceAbort, throwIfAborted } from './abort.js';
import { decodeBer } from './ber.js';
import { copyBytes, subtle } from './bytes.js';
import { publicKeyProfile, spkiOf, type ParsedCertificate } from './certificate.js';
import {
  algorithmKey, algorithmsOf, capabilitiesOf, importParams, profileFromAlgorithm, signParams,
  type KeyProfile, type NamedCurve,
} from './key-profile.js';
import { nodeCrypto, nodeHashName, type NodeCrypto, type NodeKeyObject, type NodeSignKey } from './node-crypto.js';
import type { WebCryptoKey } from './web-crypto.js';

/** What signs and checks for a {@link SoftKey}: WebCrypto keys, or a node:crypto key in Node. */
interface KeyOperations {
  sign(algorithm: SignatureAlgorithm, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array>;
  /** Whether `signature` over `data` verifies with the SubjectPublicKeyInfo `spki`. */
  verifies(spki: Uint8Array<ArrayBuffer>, algorithm: SignatureAlgorithm, data: Uint8Array<ArrayBuffer>, signature: Uint8Array): Promise<boolean>;
}

/**
 * A private key held out of reach of the caller, signing with the schemes and
 * hashes its type allows.
 *
 * In Node it is one node:crypto KeyObject kept in a private field: the key is
 * read from PKCS#8 by OpenSSL and checked as Node's own WebCrypto does under
 * `importKey`, without WebCrypto's cold set-up and without one import per
 * scheme and hash (docs/decisions/0037-software-key-start-up.md).
 * Elsewhere it is non-extractable WebCrypto keys, one per algorithm it may
 * sign with: WebCrypto binds the scheme (and for RSA the hash) to a CryptoKey
 * at import, so a key read from PKCS#8 is imported once per supported
 * scheme/hash right away. Either way the PKCS#8 bytes are no longer needed
 * once the key is made.
 */
export class SoftKey {
  readonly #operations: KeyOperations;

  private constructor(
    readonly profile: KeyProfile,
    private readonly caps: AdapterCapabilities,
    operations: KeyOperations,
  ) {
    this.#operations = operations;
  }

  /**
   * Imports an unencrypted PKCS#8 PrivateKeyInfo (RFC 5958 §2). The caller
   * still owns `pkcs8` and should wipe it afterwards.
   */
  static async fromPkcs8(pkcs8: Uint8Array): Promise<SoftKey> {
    const own = copyBytes(pkcs8);
    try {
      // Read the same way on every platform, so that both paths accept and refuse the same keys
      // with the same errors (OpenSSL alone would also take, say, explicit P-256 parameters).
      const profile = pkcs8Profile(own);
      const caps = capabilitiesOf(profile);
      const node = nodeCrypto();
      if (node) return new SoftKey(profile, caps, nodeOperations(node, nodePrivateKey(node, own, profile)));
      const keys = new Map<string, WebCryptoKey>();
      for (const algorithm of algorithmsOf(caps)) {
        const params = importParams(profile, algorithm);
        // ECDSA keys do not depend on the hash: reuse the one import.
        const reuse = profile.kind === 'EC' ? keys.values().next().value : undefined;
        const key = reuse ?? await subtle().importKey('pkcs8', own, params, false, ['sign']);
        keys.set(algorithmKey(algorithm), key);
      }
      return new SoftKey(profile, caps, webCryptoOperations(profile, keys));
    } catch (cause) {
      if (cause instanceof KysoError) throw cause;
      throw kysoError('ERR_KEY_FORMAT', `the private key could not be imported: ${messageOf(cause)}`, cause);
    } finally {
      own.fill(0);
    }
  }

  /**
   * Wraps a CryptoKey the application already holds (for instance one kept in
   * IndexedDB). Its algorithm decides what it can sign: an RSA key only with
   * the scheme and hash it was imported for, an ECDSA key with every hash.
   */
  static fromCryptoKey(key: WebCryptoKey): SoftKey {
    if (key.type !== 'private' || !key.usages.includes('sign')) {
      throw kysoError('ERR_INVALID_ARGUMENT', 'privateKey must be a private CryptoKey with the "sign" usage');
    }
    const alg = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
    let profile: KeyProfile;
    let caps: AdapterCapabilities;
    if (alg.name === 'RSASSA-PKCS1-v1_5' || alg.name === 'RSA-PSS') {
      const hash = alg.hash?.name;
      if (hash !== 'SHA-256' && hash !== 'SHA-384' && hash !== 'SHA-512') {
        throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `the RSA key is bound to hash ${String(hash)}; use SHA-256, SHA-384 or SHA-512`);
      }
      profile = { kind: 'RSA' };
      caps = { schemes: [alg.name], hashes: [hash as HashAlgorithm] };
    } else if (alg.name === 'ECDSA') {
      const namedCurve = alg.namedCurve;
      if (namedCurve !== 'P-256' && namedCurve !== 'P-384' && namedCurve !== 'P-521') {
        throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `elliptic curve ${String(namedCurve)} is not supported`);
      }
      profile = { kind: 'EC', curve: namedCurve };
      caps = capabilitiesOf(profile);
    } else {
      throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `CryptoKey algorithm ${String(alg.name)} cannot sign PDF signatures; use RSASSA-PKCS1-v1_5, RSA-PSS or ECDSA`);
    }
    const keys = new Map(algorithmsOf(caps).map((a) => [algorithmKey(a), key] as const));
    return new SoftKey(profile, caps, webCryptoOperations(profile, keys));
  }

  capabilities(): AdapterCapabilities {
    return this.caps;
  }

  /**
   * Signs `data` (the key's library hashes it). ECDSA gives raw r‖s (IEEE
   * P1363), which is what `SigningAdapter.sign` may return.
   */
  async sign(algorithm: SignatureAlgorithm, data: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (!this.caps.schemes.includes(algorithm.scheme) || !this.caps.hashes.includes(algorithm.hash)) {
      throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `this key cannot sign with ${algorithmKey(algorithm)}; it supports ${this.caps.schemes.join(', ')} with ${this.caps.hashes.join(', ')}`);
    }
    throwIfAborted(signal);
    return raceAbort(this.#operations.sign(algorithm, copyBytes(data)), signal);
  }

  /**
   * Whether the certificate carries this key's public half: signs a random
   * probe and verifies it with the certificate's SubjectPublicKeyInfo. This
   * works for every key type without reading the private key's fields.
   */
  async matches(pc: ParsedCertificate): Promise<boolean> {
    let certProfile: KeyProfile;
    try {
      certProfile = publicKeyProfile(pc);
    } catch {
      return false;
    }
    if (certProfile.kind !== this.profile.kind) return false;
    if (certProfile.kind === 'EC' && this.profile.kind === 'EC' && certProfile.curve !== this.profile.curve) return false;
    const algorithm: SignatureAlgorithm = { scheme: this.caps.schemes[0], hash: this.caps.hashes[0] };
    const probe = globalThis.crypto.getRandomValues(new Uint8Array(32));
    try {
      const signature = await this.sign(algorithm, probe);
      return await this.#operations.verifies(spkiOf(pc), algorithm, probe, signature);
    } catch {
      return false;
    }
  }
}

/** WebCrypto keys by algorithm (`algorithmKey`), for browsers and keys the application gives. */
function webCryptoOperations(profile: KeyProfile, keys: ReadonlyMap<string, WebCryptoKey>): KeyOperations {
  return {
    async sign(algorithm, data) {
      const key = keys.get(algorithmKey(algorithm));
      // capabilities() lists exactly the algorithms imported.
      if (!key) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `this key cannot sign with ${algorithmKey(algorithm)}`);
      return new Uint8Array(await subtle().sign(signParams(algorithm), key, data));
    },
    async verifies(spki, algorithm, data, signature) {
      const publicKey = await subtle().importKey('spki', spki, importParams(profile, algorithm), false, ['verify']);
      return subtle().verify(signParams(algorithm), publicKey, copyBytes(signature), data);
    },
  };
}

/**
 * A node:crypto KeyObject. The parameters are WebCrypto's (`signParams`):
 * PKCS#1 v1.5, PSS with MGF1 over the same hash and a salt as long as the
 * hash (RFC 8017 §9.1 note 4; ETSI TS 119 312 §6.2.2), ECDSA as raw r‖s.
 * Signing runs on Node's thread pool, as WebCrypto's does.
 */
function nodeOperations(node: NodeCrypto, key: NodeKeyObject): KeyOperations {
  const options = (algorithm: SignatureAlgorithm, k: NodeKeyObject): NodeSignKey => {
    switch (algorithm.scheme) {
      case 'RSA-PSS':
        return { key: k, padding: node.constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[algorithm.hash] };
      case 'ECDSA':
        return { key: k, dsaEncoding: 'ieee-p1363' };
      default:
        return { key: k, padding: node.constants.RSA_PKCS1_PADDING };
    }
  };
  return {
    sign: (algorithm, data) => new Promise((resolve, reject) => {
      node.sign(nodeHashName(algorithm.hash), data, options(algorithm, key), (error, signature) => {
        if (error) reject(error);
        else resolve(new Uint8Array(signature));
      });
    }),
    async verifies(spki, algorithm, data, signature) {
      const publicKey = node.createPublicKey({ key: spki, format: 'der', type: 'spki' });
      return node.verify(nodeHashName(algorithm.hash), data, options(algorithm, publicKey), signature);
    },
  };
}

/** OpenSSL's names of the curves kyso signs with (RFC 5480 §2.1.1.1). */
const NODE_CURVES: Readonly<Record<string, NamedCurve>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/**
 * The PKCS#8 key as OpenSSL reads it, checked against the profile its
 * AlgorithmIdentifier gave, as Node's WebCrypto `importKey` checks it: an
 * rsaEncryption key must be RSA, an EC key must be on the named curve.
 * A key OpenSSL refuses, or reads otherwise, throws (→ `ERR_KEY_FORMAT`).
 */
function nodePrivateKey(node: NodeCrypto, pkcs8: Uint8Array<ArrayBuffer>, profile: KeyProfile): NodeKeyObject {
  const key = node.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const fits = profile.kind === 'RSA'
    ? key.asymmetricKeyType === 'rsa'
    : key.asymmetricKeyType === 'ec' && NODE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] === profile.curve;
  if (key.type !== 'private' || !fits) {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    throw new Error(`OpenSSL reads a ${String(key.asymmetricKeyType)}${curve ? ` ${curve}` : ''} key, not what its algorithm identifier says`);
  }
  return key;
}

/** The key profile of a PrivateKeyInfo (RFC 5958 §2); `ERR_KEY_FORMAT` if it is not one. */
function pkcs8Profile(pkcs8: Uint8Array<ArrayBuffer>): KeyProfile {
  let info: pkijs.PrivateKeyInfo;
  try {
    const asn1 = decodeBer(pkcs8);
    if (asn1.offset === -1) throw new Error(asn1.result.error);
    info = new pkijs.PrivateKeyInfo({ schema: asn1.result });
  } catch (cause) {
    throw kysoError('ERR_KEY_FORMAT', `not a PKCS#8 private key: ${messageOf(cause)}`, cause);
  }
  const params: unknown = info.privateKeyAlgorithm.algorithmParams;
  const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : undefined;
  return profileFromAlgorithm(info.privateKeyAlgorithm.algorithmId, curve);
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
