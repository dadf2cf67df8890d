// @ts-check
// The server's key source, behind a small interface: list keys with their certificates, sign digests.
// The only implementation signs on a PKCS#11 token (SoftHSM2 in the tests and the demo, an HSM's
// PKCS#11 library in production) through @kyso/agent's Pkcs11Module: keys never leave the token.
import { parseCertificate } from '@kyso/core';
import { Pkcs11Module } from '@kyso/agent';

/**
 * @typedef {object} KeyEntry
 * @property {string} keyId            stable name of the key in the store, e.g. `kyso-leader/leader`
 * @property {Uint8Array} certificate  signer certificate, DER
 * @property {Uint8Array[]} chain      issuers, DER, nearest first
 * @property {'RSA' | 'EC'} keyType
 * @property {number} keyBits
 * @property {string} [curve]          `P-256`, `P-384`, `P-521` for EC keys
 */

/**
 * @typedef {object} KeyStore
 * @property {() => Promise<KeyEntry[]>} keys
 * @property {(keyId: string, request: { scheme: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA', hash: 'SHA-256' | 'SHA-384' | 'SHA-512', digests: Uint8Array[] }) => Promise<Uint8Array[]>} signDigests
 *   RSA: the signature; ECDSA: raw r‖s (the caller converts to DER).
 * @property {() => void} close
 */

/**
 * @typedef {object} Pkcs11KeyStoreOptions
 * @property {string} [module]       PKCS#11 library path (opened here; closed by `close()`)
 * @property {Pkcs11Module} [pkcs11]  an already opened module (left open by `close()`)
 * @property {{ label: string, pin: string }[]} tokens  tokens to use, by CKA label, with the partition PIN the
 *   server holds (as an HSM's application credential; never logged)
 * @property {Uint8Array[]} [caCertificates]  issuers not stored on the tokens (e.g. the root), DER
 */

/**
 * Keys on PKCS#11 tokens: every certificate on the configured tokens that a private key with the same
 * CKA_ID accompanies (PKCS#11 v2.40 §4.6: key and certificate share CKA_ID). Chains are built from the
 * other certificates on the tokens plus `caCertificates`, by issuer name.
 *
 * @param {Pkcs11KeyStoreOptions} options
 * @returns {KeyStore}
 */
export function pkcs11KeyStore(options) {
  const own = !options.pkcs11;
  const p11 = options.pkcs11 ?? Pkcs11Module.open(/** @type {string} */ (options.module));
  const pins = new Map(options.tokens.map((t) => [t.label, t.pin]));
  /** @type {Map<string, { tokenLabel: string, id: string }>} */
  const where = new Map();

  return {
    async keys() {
      const all = p11.certificates().filter((c) => pins.has(c.tokenLabel));
      const pool = [...all.map((c) => c.der), ...(options.caCertificates ?? [])];
      /** @type {KeyEntry[]} */
      const out = [];
      for (const c of all) {
        // Certificates without a key of their own (the intermediate CA) are chain material only.
        if (c.hasPrivateKey === false || c.label === 'intermediate' || isCa(c.der)) continue;
        const keyId = `${c.tokenLabel}/${c.label}`;
        where.set(keyId, { tokenLabel: c.tokenLabel, id: c.id });
        out.push({
          keyId, certificate: c.der, chain: chainOf(c.der, pool), keyType: c.keyType, keyBits: c.keyBits,
          ...(c.curve ? { curve: c.curve } : {}),
        });
      }
      return out;
    },
    async signDigests(keyId, request) {
      const at = where.get(keyId);
      if (!at) throw new Error(`unknown key ${keyId}`);
      return p11.signDigests({
        tokenLabel: at.tokenLabel, keyId: at.id, pin: /** @type {string} */ (pins.get(at.tokenLabel)),
        scheme: request.scheme, hash: request.hash, digests: request.digests,
      });
    },
    close() {
      if (own) p11.close();
    },
  };
}

/** @param {Uint8Array} der */
function isCa(der) {
  const info = parseCertificate(der);
  return info.subjectDN === info.issuerDN || (info.keyUsage ?? []).includes('keyCertSign');
}

/**
 * Issuers of `leaf` found in `pool` by name, nearest first (RFC 5280 §6.1: subject of the issuer = issuer of the
 * subject); stops at a self-signed certificate or after 8 steps.
 * @param {Uint8Array} leaf
 * @param {Uint8Array[]} pool
 */
function chainOf(leaf, pool) {
  const parsed = pool.map((der) => ({ der, info: parseCertificate(der) }));
  /** @type {Uint8Array[]} */
  const chain = [];
  let current = parseCertificate(leaf);
  for (let i = 0; i < 8 && current.subjectDN !== current.issuerDN; i++) {
    const issuer = parsed.find((p) => p.info.subjectDN === current.issuerDN && !chain.includes(p.der));
    if (!issuer) break;
    chain.push(issuer.der);
    current = issuer.info;
  }
  return chain;
}
