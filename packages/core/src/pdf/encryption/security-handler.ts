import { KysoError, kysoError } from '../../errors/index.js';
import { PdfDict, PdfName, PdfStream, PdfString, type PdfValue } from '../objects.js';
import { aesCbcDecrypt, aesCbcEncrypt, requireAesCipher } from './aes.js';
import { parseEncryptDict, type CryptMethod, type EncryptParams } from './encrypt-dict.js';
import { authenticate, objectKey, type PasswordKind } from './key-derivation.js';
import { rc4 } from './rc4.js';

/** Source of random bytes for AES initialisation vectors; injectable for reproducible tests. */
export type RandomBytes = (length: number) => Uint8Array;

/** Options of {@link openSecurityHandler}. */
export interface SecurityHandlerOptions {
  /** Random IVs for AES (ISO 32000-2 §7.6.3.2); default `crypto.getRandomValues`. */
  readonly randomBytes?: RandomBytes;
}

const defaultRandom: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/**
 * The Standard security handler (ISO 32000-2 §7.6.4) of one open document,
 * after a password was accepted: it decrypts the strings and streams of
 * objects read from the file and encrypts those of objects written to an
 * incremental update, each with its own object key (§7.6.3.1).
 *
 * Objects handled by the caller, not here (§7.6.2): the /Encrypt dictionary
 * itself, cross-reference streams, objects inside object streams (the object
 * stream as a whole is encrypted), and the trailer with its /ID.
 */
export class SecurityHandler {
  private readonly keys = new Map<string, Uint8Array>();
  private readonly random: RandomBytes;

  constructor(
    readonly params: EncryptParams,
    /** The file encryption key. */
    readonly fileKey: Uint8Array,
    /** Which password was accepted; the owner password grants every permission (§7.6.4.2). */
    readonly authenticatedAs: PasswordKind,
    options: SecurityHandlerOptions = {},
  ) {
    this.random = options.randomBytes ?? defaultRandom;
  }

  /** /P: the user access permissions (Table 22); meaningful only when opened with the user password. */
  get permissions(): number {
    return this.params.p;
  }

  private key(num: number, gen: number, method: CryptMethod): Uint8Array {
    const id = `${num} ${gen} ${method}`;
    let k = this.keys.get(id);
    if (!k) {
      k = objectKey(this.fileKey, num, gen, method);
      if (this.keys.size > 10_000) this.keys.clear();
      this.keys.set(id, k);
    }
    return k;
  }

  private decrypt(method: CryptMethod, num: number, gen: number, data: Uint8Array): Uint8Array {
    switch (method) {
      case 'identity': return data;
      case 'rc4': return rc4(this.key(num, gen, method), data);
      case 'aes128':
      case 'aes256':
        // The IV is the first block (§7.6.3.2); shorter data cannot be valid ciphertext.
        if (data.length < 16) return new Uint8Array(0);
        return aesCbcDecrypt(this.key(num, gen, method), data.subarray(0, 16), data.subarray(16));
    }
  }

  private encrypt(method: CryptMethod, num: number, gen: number, data: Uint8Array): Uint8Array {
    switch (method) {
      case 'identity': return data;
      case 'rc4': return rc4(this.key(num, gen, method), data);
      case 'aes128':
      case 'aes256': {
        const iv = this.random(16);
        if (!(iv instanceof Uint8Array) || iv.length !== 16) throw kysoError('ERR_INVALID_ARGUMENT', 'randomBytes must return 16 bytes');
        const body = aesCbcEncrypt(this.key(num, gen, method), iv, data);
        const out = new Uint8Array(16 + body.length);
        out.set(iv);
        out.set(body, 16);
        return out;
      }
    }
  }

  /** The crypt method for a stream: its own /Crypt filter (§7.4.10), else by type, else /StmF. */
  streamMethod(d: PdfDict): CryptMethod {
    const type = d.name('Type');
    if (type === 'XRef') return 'identity';
    const filters = d.get('Filter');
    const list = Array.isArray(filters) ? filters : filters instanceof PdfName ? [filters] : [];
    if (list[0] instanceof PdfName && list[0].name === 'Crypt') {
      const parms = d.get('DecodeParms');
      const p = Array.isArray(parms) ? parms[0] : parms;
      const n = p instanceof PdfDict ? p.name('Name') : undefined;
      const m = this.params.filters.get(n ?? 'Identity');
      if (!m) throw kysoError('ERR_PDF_MALFORMED', `stream names an unknown crypt filter /${n}`);
      return m;
    }
    if (type === 'Metadata' && !this.params.encryptMetadata) return 'identity';
    if (type === 'EmbeddedFile') return this.params.effMethod;
    return this.params.stmMethod;
  }

  /** Decrypts one string of object `num gen`. */
  decryptString(num: number, gen: number, s: PdfString): PdfString {
    const m = this.params.strMethod;
    return m === 'identity' ? s : new PdfString(this.decrypt(m, num, gen, s.bytes), s.hex);
  }

  /** Encrypts one string of object `num gen`; the result is written as hex. */
  encryptString(num: number, gen: number, s: PdfString): PdfString {
    const m = this.params.strMethod;
    return m === 'identity' ? s : new PdfString(this.encrypt(m, num, gen, s.bytes), true);
  }

  /**
   * Returns the value of object `num gen` as read from the file with its
   * strings decrypted and, for a stream, its data decrypted into memory
   * (`data`; the file offsets are kept for reference). Never mutates `value`.
   * `rawData` reads a stream's encrypted bytes from the file.
   */
  decryptObject(num: number, gen: number, value: PdfValue, rawData?: (s: PdfStream) => Uint8Array): PdfValue {
    return this.walk(value, (s) => this.decryptString(num, gen, s), (st) => {
      const raw = st.data ?? rawData?.(st);
      if (!raw) throw kysoError('ERR_PDF_MALFORMED', `stream ${num} has no data to decrypt`);
      return this.decrypt(this.streamMethod(st.dict), num, gen, raw);
    });
  }

  /**
   * Returns `value` ready to be written as object `num gen`: strings and
   * stream data encrypted (§7.6.2). The /Contents of a signature dictionary
   * is left in the clear, as §7.6.2 requires. Never mutates `value`.
   */
  encryptObject(num: number, gen: number, value: PdfValue): PdfValue {
    return this.walk(value, (s) => this.encryptString(num, gen, s), (st) => {
      if (!st.data) throw kysoError('ERR_INVALID_ARGUMENT', `stream ${num} to encrypt has no data in memory`);
      return this.encrypt(this.streamMethod(st.dict), num, gen, st.data);
    });
  }

  private walk(value: PdfValue, str: (s: PdfString) => PdfString, stream: (s: PdfStream) => Uint8Array): PdfValue {
    const go = (v: PdfValue, depth: number): PdfValue => {
      if (depth > 100) throw kysoError('ERR_PDF_LIMIT', 'object nesting too deep to encrypt or decrypt');
      if (v instanceof PdfString) return str(v);
      if (Array.isArray(v)) return v.map((x) => go(x, depth + 1));
      if (v instanceof PdfDict) {
        const out = new PdfDict();
        const sig = isSignatureDict(v);
        for (const [k, x] of v.map) out.set(k, sig && k === 'Contents' ? x : go(x, depth + 1));
        return out;
      }
      if (v instanceof PdfStream) {
        const d = go(v.dict, depth + 1) as PdfDict;
        const data = stream(v);
        return new PdfStream(d, v.dataOffset, v.dataLength, data);
      }
      return v;
    };
    return go(value, 0);
  }
}

/** A signature dictionary (§12.8.1): its /Contents is never encrypted (§7.6.2). */
function isSignatureDict(d: PdfDict): boolean {
  const t = d.name('Type');
  return t === 'Sig' || t === 'DocTimeStamp' || (d.has('ByteRange') && d.get('Contents') instanceof PdfString);
}

/**
 * Opens the Standard security handler of a document: reads its /Encrypt
 * dictionary and checks the password (owner first, then user).
 *
 * @param encrypt - the /Encrypt dictionary, as read (never decrypted).
 * @param id0 - the first element of the trailer's /ID (empty if absent).
 * @param password - undefined tries the empty user password, as viewers do.
 * @throws `ERR_PDF_UNSUPPORTED` for other handlers or methods; `ERR_PDF_PASSWORD`
 *   for a wrong password; `ERR_PDF_ENCRYPTED` when none was given and one is needed.
 */
export function openSecurityHandler(
  encrypt: PdfDict,
  id0: Uint8Array,
  password: string | undefined,
  options: SecurityHandlerOptions = {},
): SecurityHandler {
  let params: EncryptParams;
  try {
    params = parseEncryptDict(encrypt);
  } catch (e) {
    // Without a password the caller's first need is to know the file is encrypted;
    // only an unsupported handler is worth reporting before that.
    if (password === undefined && e instanceof KysoError && e.code === 'ERR_PDF_MALFORMED') {
      throw kysoError('ERR_PDF_ENCRYPTED', `the trailer has /Encrypt (${e.detail ?? 'malformed'})`, e);
    }
    throw e;
  }
  // Refused before the password check, which itself needs AES for R5/R6 (§7.6.4.3.4): a document read
  // without its cipher would show undecrypted strings and streams (see withAesCipher in aes.js).
  if (usesAes(params)) requireAesCipher('an AES-encrypted document (ISO 32000-2 §7.6.3)');
  const auth = authenticate(params, password ?? '', id0);
  if (!auth) {
    if (password === undefined) throw kysoError('ERR_PDF_ENCRYPTED', 'the document needs a password to open');
    throw kysoError('ERR_PDF_PASSWORD', `neither the user nor the owner password (/R ${params.r})`);
  }
  return new SecurityHandler(params, auth.fileKey, auth.as, options);
}

/** Whether opening or reading the document needs AES: R5/R6 passwords (§7.6.4.3.4), or an AESV2/AESV3 crypt filter anywhere. */
function usesAes(params: EncryptParams): boolean {
  const aes = (m: CryptMethod): boolean => m === 'aes128' || m === 'aes256';
  return params.r >= 5 || aes(params.strMethod) || aes(params.stmMethod) || aes(params.effMethod) || [...params.filters.values()].some(aes);
}
