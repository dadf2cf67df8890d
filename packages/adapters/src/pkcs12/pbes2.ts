import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { kysoError } from '@kyso/core';
import { copyBytes, subtle, wipe } from '../internal/bytes.js';
import { nodeCrypto, nodeHashName, type NodeCrypto } from '../internal/node-crypto.js';

/** Re-export advice for files WebCrypto cannot open. */
export const REEXPORT_ADVICE =
  're-export it with AES: `openssl pkcs12 -legacy -in old.p12 -nodes -out tmp.pem`, then '
  + '`openssl pkcs12 -export -in tmp.pem -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg SHA256 -out new.p12` '
  + '(and delete tmp.pem)';

/** PBES2 and PBKDF2 (RFC 8018 App. A.2, A.4). */
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';

/** PBKDF2 PRFs (RFC 8018 App. B.1); hmacWithSHA1 is the default when absent. */
const PRF: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
};

/** AES-CBC with a 16-byte IV (NIST CSOR; RFC 8018 App. B.2.5). AES-192 is missing from Chromium's WebCrypto. */
const AES_CBC: Readonly<Record<string, number>> = {
  '2.16.840.1.101.3.4.1.2': 128,
  '2.16.840.1.101.3.4.1.22': 192,
  '2.16.840.1.101.3.4.1.42': 256,
};

/**
 * Password-based schemes WebCrypto has no cipher for: the PKCS#12 PBEs
 * (RFC 7292 App. C: RC4, 3DES, RC2 — what `openssl pkcs12 -legacy` and older
 * Windows/Java exports use), PKCS#5 PBES1 (RFC 8018 §6.1, DES/RC2), and DES
 * variants inside PBES2.
 */
const LEGACY: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.3': 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbewithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.4': 'pbeWithMD2AndRC2-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.3.7': 'des-EDE3-CBC',
  '1.3.14.3.2.7': 'desCBC',
  '1.2.840.113549.3.2': 'rc2CBC',
};

/**
 * Upper bound on PBKDF2 rounds. Real files use 2 048 (OpenSSL) to a few
 * hundred thousand; a hostile file with 2^31 must not hang the caller.
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/**
 * Decrypts data protected with PBES2 = PBKDF2 + AES-CBC (RFC 8018 §6.2.2),
 * the OpenSSL 3 default for PKCS#12 keys and certificates. The password goes
 * to PBKDF2 as UTF-8, as OpenSSL does (unlike the MAC's BMPString). A cipher
 * WebCrypto lacks → `ERR_KEY_FORMAT` with re-export advice; a padding or
 * cipher failure → `ERR_KEY_PASSWORD`, since that is what a wrong password
 * gives when no MAC caught it first.
 */
export async function pbes2Decrypt(
  scheme: pkijs.AlgorithmIdentifier, ciphertext: Uint8Array, password: string, what: string,
): Promise<Uint8Array> {
  const legacy = LEGACY[scheme.algorithmId];
  if (legacy) throw legacyError(legacy, what);
  if (scheme.algorithmId !== PBES2) {
    throw kysoError('ERR_KEY_FORMAT', `${what} uses unknown protection ${scheme.algorithmId}; ${REEXPORT_ADVICE}`);
  }
  let params: pkijs.PBES2Params;
  let kdf: pkijs.PBKDF2Params;
  try {
    params = new pkijs.PBES2Params({ schema: scheme.algorithmParams });
    if (params.keyDerivationFunc.algorithmId !== PBKDF2) {
      throw new Error(`key derivation ${params.keyDerivationFunc.algorithmId} is not PBKDF2`);
    }
    kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
  } catch (cause) {
    throw kysoError('ERR_KEY_FORMAT', `${what}: bad PBES2 parameters (${cause instanceof Error ? cause.message : String(cause)})`, cause);
  }
  const cipherOid = params.encryptionScheme.algorithmId;
  const cipherLegacy = LEGACY[cipherOid];
  if (cipherLegacy) throw legacyError(`PBES2 with ${cipherLegacy}`, what);
  const keyBits = AES_CBC[cipherOid];
  if (!keyBits) throw kysoError('ERR_KEY_FORMAT', `${what}: cipher ${cipherOid} is not supported; ${REEXPORT_ADVICE}`);
  const ivParam: unknown = params.encryptionScheme.algorithmParams;
  if (!(ivParam instanceof asn1js.OctetString) || ivParam.valueBlock.valueHexView.byteLength !== 16) {
    throw kysoError('ERR_KEY_FORMAT', `${what}: AES-CBC needs a 16-byte IV (RFC 8018 App. B.2.5)`);
  }
  const salt: unknown = kdf.salt;
  if (!(salt instanceof asn1js.OctetString)) {
    throw kysoError('ERR_KEY_FORMAT', `${what}: PBKDF2 salt must be "specified" (RFC 8018 App. A.2)`);
  }
  const hash = kdf.prf ? PRF[kdf.prf.algorithmId] : 'SHA-1';
  if (!hash) throw kysoError('ERR_KEY_FORMAT', `${what}: PBKDF2 PRF ${kdf.prf?.algorithmId} is not supported; ${REEXPORT_ADVICE}`);
  const iterations = kdf.iterationCount;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw kysoError('ERR_KEY_FORMAT', `${what}: PBKDF2 iteration count ${iterations} is out of range 1…${MAX_PBKDF2_ITERATIONS}`);
  }
  if (kdf.keyLength !== undefined && kdf.keyLength * 8 !== keyBits) {
    throw kysoError('ERR_KEY_FORMAT', `${what}: PBKDF2 keyLength ${kdf.keyLength} does not fit AES-${keyBits}`);
  }

  const passwordBytes = new TextEncoder().encode(password);
  const saltBytes = copyBytes(salt.valueBlock.valueHexView);
  const iv = copyBytes(ivParam.valueBlock.valueHexView);
  const node = nodeCrypto();
  let plain: Uint8Array;
  try {
    if (node) {
      plain = await nodeDecrypt(node, { hash, password: passwordBytes, salt: saltBytes, iterations, keyBits, iv, ciphertext });
    } else {
      const base = await subtle().importKey('raw', passwordBytes, 'PBKDF2', false, ['deriveKey']);
      const aes = await subtle().deriveKey(
        { name: 'PBKDF2', hash, salt: saltBytes, iterations },
        base, { name: 'AES-CBC', length: keyBits }, false, ['decrypt'],
      );
      plain = new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv }, aes, copyBytes(ciphertext)));
    }
  } catch (cause) {
    if (keyBits === 192 && cause instanceof Error && /not supported|192/i.test(cause.message)) {
      throw kysoError('ERR_KEY_FORMAT', `${what}: this browser has no AES-192; ${REEXPORT_ADVICE}`, cause);
    }
    throw kysoError('ERR_KEY_PASSWORD', `${what} could not be decrypted with this password`, cause);
  } finally {
    wipe(passwordBytes);
  }
  return plain;
}

/**
 * PBKDF2 and AES-CBC with node:crypto: the same computation as the WebCrypto
 * branch without Node's cold WebCrypto set-up (docs/decisions/0037-software-key-start-up.md).
 * PBKDF2 runs on the thread pool, as WebCrypto's does, so a file with many
 * rounds does not block the event loop. A bad padding (the usual sign of a
 * wrong password) throws, as WebCrypto's decrypt does.
 */
async function nodeDecrypt(node: NodeCrypto, input: {
  hash: string; password: Uint8Array; salt: Uint8Array; iterations: number; keyBits: number; iv: Uint8Array; ciphertext: Uint8Array;
}): Promise<Uint8Array> {
  const key = await new Promise<Uint8Array>((resolve, reject) => {
    node.pbkdf2(input.password, input.salt, input.iterations, input.keyBits / 8, nodeHashName(input.hash), (error, derived) => (error ? reject(error) : resolve(derived)));
  });
  let head: Uint8Array | undefined;
  try {
    const decipher = node.createDecipheriv(`aes-${input.keyBits}-cbc`, key, input.iv);
    head = decipher.update(input.ciphertext);
    const tail = decipher.final();
    const plain = new Uint8Array(head.byteLength + tail.byteLength);
    plain.set(head);
    plain.set(tail, head.byteLength);
    wipe(tail);
    return plain;
  } finally {
    // The blocks before a failed padding check may hold key material too.
    wipe(key, head);
  }
}

function legacyError(name: string, what: string) {
  return kysoError(
    'ERR_KEY_FORMAT',
    `${what} is protected with legacy ${name}, which WebCrypto cannot decrypt; ${REEXPORT_ADVICE}`,
  );
}
