import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KysoError, kysoError, type AdapterCapabilities, type HashAlgorithm, type SignatureAlgorithm } from '@kyso/core';
import { raceAbort, throwIfAborted } from './abort.js';
import { copyBytes, subtle } from './bytes.js';
import { publicKeyProfile, spkiOf, type ParsedCertificate } from './certificate.js';
import {
  algorithmKey, algorithmsOf, capabilitiesOf, importParams, profileFromAlgorithm, signParams,
  type KeyProfile,
} from './key-profile.js';
import type { WebCryptoKey } from './web-crypto.js';

/**
 * A private key held as non-extractable WebCrypto keys, one per algorithm it
 * may sign with. WebCrypto binds the scheme (and for RSA the hash) to a
 * CryptoKey at import, so a key read from PKCS#8 is imported once per
 * supported scheme/hash right away; the PKCS#8 bytes are then no longer needed.
 */
export class SoftKey {
  private constructor(
    readonly profile: KeyProfile,
    private readonly caps: AdapterCapabilities,
    private readonly keys: ReadonlyMap<string, WebCryptoKey>,
  ) {}

  /**
   * Imports an unencrypted PKCS#8 PrivateKeyInfo (RFC 5958 §2). The caller
   * still owns `pkcs8` and should wipe it afterwards.
   */
  static async fromPkcs8(pkcs8: Uint8Array): Promise<SoftKey> {
    const own = copyBytes(pkcs8);
    try {
      const profile = pkcs8Profile(own);
      const caps = capabilitiesOf(profile);
      const keys = new Map<string, WebCryptoKey>();
      for (const algorithm of algorithmsOf(caps)) {
        const params = importParams(profile, algorithm);
        // ECDSA keys do not depend on the hash: reuse the one import.
        const reuse = profile.kind === 'EC' ? keys.values().next().value : undefined;
        const key = reuse ?? await subtle().importKey('pkcs8', own, params, false, ['sign']);
        keys.set(algorithmKey(algorithm), key);
      }
      return new SoftKey(profile, caps, keys);
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
    return new SoftKey(profile, caps, keys);
  }

  capabilities(): AdapterCapabilities {
    return this.caps;
  }

  /**
   * Signs `data` (WebCrypto hashes it). ECDSA gives raw r‖s (IEEE P1363),
   * which is what `SigningAdapter.sign` may return.
   */
  async sign(algorithm: SignatureAlgorithm, data: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const key = this.keys.get(algorithmKey(algorithm));
    if (!key) {
      throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `this key cannot sign with ${algorithmKey(algorithm)}; it supports ${this.caps.schemes.join(', ')} with ${this.caps.hashes.join(', ')}`);
    }
    throwIfAborted(signal);
    const signature = await raceAbort(subtle().sign(signParams(algorithm), key, copyBytes(data)), signal);
    return new Uint8Array(signature);
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
      const publicKey = await subtle().importKey('spki', spkiOf(pc), importParams(this.profile, algorithm), false, ['verify']);
      return await subtle().verify(signParams(algorithm), publicKey, copyBytes(signature), probe);
    } catch {
      return false;
    }
  }
}

/** The key profile of a PrivateKeyInfo (RFC 5958 §2); `ERR_KEY_FORMAT` if it is not one. */
function pkcs8Profile(pkcs8: Uint8Array<ArrayBuffer>): KeyProfile {
  let info: pkijs.PrivateKeyInfo;
  try {
    const asn1 = asn1js.fromBER(pkcs8);
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
