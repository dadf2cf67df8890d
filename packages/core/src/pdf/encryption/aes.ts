/**
 * AES-CBC for the AESV2 and AESV3 crypt methods of ISO 32000-2 §7.6.3 (FIPS 197
 * chained per NIST SP 800-38A §6.2), over @noble/ciphers: an audited library,
 * synchronous, so objects can be decrypted while the document is read
 * (WebCrypto is async only).
 *
 * The library builds its S-box and round tables when its module loads
 * (13–22 ms of a one-file `kyso verify`), and only encrypted documents need
 * them, so it is loaded on first need, by a dynamic import
 * (docs/decisions/0036-lazy-aes-library.md): the asynchronous entries (verify,
 * prepare) run their synchronous opening of the document through
 * {@link withAesCipher}, which loads the library and opens again when the
 * document turned out to need it. Until then, everything that needs AES
 * (the security handler's opening, the ciphers below) refuses with a typed
 * error instead of reading the document wrongly.
 */
import type { cbc as NobleCbc } from '@noble/ciphers/aes.js';
import { kysoError, type KysoError } from '../../errors/index.js';

let cbc: typeof NobleCbc | undefined;
let loading: Promise<void> | undefined;
/** How many times AES was asked for before it was loaded: {@link withAesCipher} opens again when this moved. */
let misses = 0;

/** Whether the AES library is loaded (after {@link loadAesCipher} resolved). */
export function aesCipherLoaded(): boolean {
  return cbc !== undefined;
}

/**
 * Loads the AES library once; later calls return the same promise.
 * @throws ERR_INTERNAL when the module cannot be loaded (a broken install); a later call tries again.
 */
export function loadAesCipher(): Promise<void> {
  loading ??= import('./aes-library.js').then(
    (m) => {
      cbc = m.cbc;
    },
    (cause: unknown) => {
      loading = undefined;
      throw kysoError('ERR_INTERNAL', 'the AES library (@noble/ciphers) could not be loaded', cause);
    },
  );
  return loading;
}

/**
 * The loaded library, or a refusal that {@link withAesCipher} notices (even
 * when a lenient reader catches it).
 * @param what - what needed AES, for the message.
 * @throws ERR_INTERNAL when it is not loaded: a synchronous caller opened an
 *   AES-encrypted document without going through {@link withAesCipher} or
 *   awaiting {@link loadAesCipher} first.
 */
export function requireAesCipher(what: string): void {
  if (cbc) return;
  misses++;
  throw aesNotLoaded(what);
}

function aesNotLoaded(what: string): KysoError {
  return kysoError('ERR_INTERNAL', `${what} needs AES, which is loaded on first need: open the document with withAesCipher() or await loadAesCipher() first`);
}

/**
 * Runs a synchronous opening of a document (`PdfDocument.open`, or steps
 * that open it several times) with AES available when the document needs it:
 * when the run asked for AES before it was loaded, the library is loaded and
 * the run repeated, whatever the first run returned or threw (a reader that
 * catches errors may have turned the refusal into "does not open"). Documents
 * that need no AES run once, and never load the library.
 */
export async function withAesCipher<T>(run: () => T): Promise<T> {
  if (cbc) return run();
  const before = misses;
  try {
    const result = run();
    if (misses === before) return result;
  } catch (e) {
    if (misses === before) throw e;
  }
  await loadAesCipher();
  return run();
}

function checkKeyAndIv(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError('AES key must be 128, 192 or 256 bits');
  if (iv.length !== 16) throw new RangeError('AES-CBC IV must be 16 bytes');
}

/** The loaded `cbc`, or the typed refusal. */
function cipher(): typeof NobleCbc {
  requireAesCipher('AES-CBC');
  return cbc!;
}

/**
 * AES-CBC encryption. With `pad`, PKCS #7 padding is added (RFC 8018 §6.1.1,
 * as ISO 32000-2 §7.6.3.2 requires for strings and streams); without it the
 * data must be a whole number of blocks (the R6 hash of §7.6.4.3.4).
 * @throws RangeError for a key, IV or unpadded length AES-CBC cannot take; ERR_INTERNAL before {@link loadAesCipher}.
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  const aes = cipher();
  checkKeyAndIv(key, iv);
  if (!pad && data.length % 16 !== 0) throw new RangeError('AES-CBC data without padding must be whole blocks');
  return aes(key, iv, { disablePadding: !pad }).encrypt(data);
}

/**
 * AES-CBC decryption. With `pad`, PKCS #7 padding is removed when it is well
 * formed; bad padding is left in place rather than refused, as readers do
 * with damaged files (the library's own unpadding refuses it, so it is done
 * here). A trailing partial block is ignored.
 * @throws RangeError for a key or IV AES-CBC cannot take; ERR_INTERNAL before {@link loadAesCipher}.
 */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  const aes = cipher();
  checkKeyAndIv(key, iv);
  const len = data.length - (data.length % 16);
  if (len === 0) return new Uint8Array(0);
  const out = aes(key, iv, { disablePadding: true }).decrypt(data.subarray(0, len));
  if (!pad) return out;
  const n = out[len - 1]!;
  if (n < 1 || n > 16 || n > len) return out;
  for (let i = len - n; i < len; i++) if (out[i] !== n) return out;
  return out.subarray(0, len - n);
}
