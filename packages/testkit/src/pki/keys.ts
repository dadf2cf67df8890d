import { createECDH, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { HashDrbg } from '../drbg.js';

/** How an entity's key is made. */
export type KeySpec =
  | { readonly type: 'rsa'; readonly bits: 2048 | 3072 | 4096 }
  | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384' };

/** A private key in the forms the generator needs. */
export interface KeyMaterial {
  readonly privateKey: KeyObject;
  /** PKCS#8 PrivateKeyInfo (RFC 5208), DER. */
  readonly pkcs8Der: Buffer;
  /** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), DER. */
  readonly spkiDer: Buffer;
}

const CURVES = {
  'P-256': {
    openssl: 'prime256v1',
    size: 32,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  'P-384': {
    openssl: 'secp384r1',
    size: 48,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
} as const;

function fromPkcs8(pkcs8Der: Buffer): KeyMaterial {
  const privateKey = createPrivateKey({ key: pkcs8Der, format: 'der', type: 'pkcs8' });
  const spkiDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, pkcs8Der, spkiDer };
}

/**
 * RSA keys come from node-forge's prime search fed by a seeded DRBG, so the
 * same seed gives the same key on every machine (forge skips the native,
 * random generator whenever `prng` is given).
 */
function rsaKey(bits: number, seed: string): KeyMaterial {
  const kp = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001, prng: new HashDrbg(seed) } as forge.pki.rsa.GenerateKeyPairOptions);
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(kp.privateKey));
  return fromPkcs8(Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'));
}

/** EC scalar d = SHA-512(seed) mod n (never 0 for any seed we use), public point from node:crypto. */
function ecKey(curve: 'P-256' | 'P-384', seed: string): KeyMaterial {
  const c = CURVES[curve];
  const h = BigInt('0x' + createHash('sha512').update(seed, 'utf8').digest('hex'));
  const d = h % c.n;
  if (d === 0n) throw new Error('testkit: degenerate EC seed ' + seed);
  const dBytes = Buffer.from(d.toString(16).padStart(c.size * 2, '0'), 'hex');
  const ecdh = createECDH(c.openssl);
  ecdh.setPrivateKey(dBytes);
  const pub = ecdh.getPublicKey(); // 04 ‖ X ‖ Y
  const b64u = (b: Buffer) => b.toString('base64url');
  const privateKey = createPrivateKey({
    key: {
      kty: 'EC',
      crv: curve,
      d: b64u(dBytes),
      x: b64u(pub.subarray(1, 1 + c.size)),
      y: b64u(pub.subarray(1 + c.size)),
    },
    format: 'jwk',
  });
  return fromPkcs8(privateKey.export({ type: 'pkcs8', format: 'der' }));
}

/** A deterministic key for `spec`, derived from `seed`. */
export function deriveKey(spec: KeySpec, seed: string): KeyMaterial {
  return spec.type === 'rsa' ? rsaKey(spec.bits, seed) : ecKey(spec.curve, seed);
}
