import { kysoError } from '../../errors/index.js';
import { PdfDict, PdfName, PdfString, type PdfValue } from '../objects.js';

/** How one crypt filter transforms data (ISO 32000-2 §7.6.5, Table 25 /CFM). */
export type CryptMethod = 'identity' | 'rc4' | 'aes128' | 'aes256';

/** The Standard security handler's parameters (ISO 32000-2 §7.6.4, Tables 20 and 21). */
export interface EncryptParams {
  /** /V: the algorithm family. */
  readonly v: 1 | 2 | 4 | 5;
  /** /R: the revision of the Standard security handler. */
  readonly r: 2 | 3 | 4 | 5 | 6;
  /** File key length in bytes (5 to 16 for RC4 and AESV2, 32 for AESV3). */
  readonly keyLength: number;
  readonly o: Uint8Array;
  readonly u: Uint8Array;
  /** R5/R6 only. */
  readonly oe?: Uint8Array;
  readonly ue?: Uint8Array;
  readonly perms?: Uint8Array;
  /** /P as a signed 32-bit integer. */
  readonly p: number;
  readonly encryptMetadata: boolean;
  /** Method for streams without their own /Crypt filter (/StmF). */
  readonly stmMethod: CryptMethod;
  /** Method for strings (/StrF). */
  readonly strMethod: CryptMethod;
  /** Method for embedded file streams (/EFF, default /StmF). */
  readonly effMethod: CryptMethod;
  /** Named crypt filters (/CF) by name, with the built-in Identity. */
  readonly filters: ReadonlyMap<string, CryptMethod>;
}

const unsupported = (what: string) => kysoError('ERR_PDF_UNSUPPORTED', what);
const malformed = (what: string) => kysoError('ERR_PDF_MALFORMED', `/Encrypt: ${what}`);

/**
 * Reads an /Encrypt dictionary (direct values only: writers never use
 * references inside it, and resolving them would need decryption). Anything
 * but the Standard security handler with V 1, 2, 4 or 5 is `ERR_PDF_UNSUPPORTED`.
 */
export function parseEncryptDict(d: PdfDict): EncryptParams {
  const filter = d.name('Filter');
  if (filter !== 'Standard') throw unsupported(`security handler /${filter ?? '?'} (only /Standard passwords are supported)`);
  const v = d.get('V') ?? 0;
  const r = d.get('R');
  if (v !== 1 && v !== 2 && v !== 4 && v !== 5) throw unsupported(`/Encrypt /V ${String(v)}`);
  if (r !== 2 && r !== 3 && r !== 4 && r !== 5 && r !== 6) throw unsupported(`/Encrypt /R ${String(r)}`);
  if ((v === 5) !== (r >= 5)) throw malformed(`/V ${v} with /R ${r}`);
  const o = bytes(d.get('O'), 'O');
  const u = bytes(d.get('U'), 'U');
  const p = d.get('P');
  if (typeof p !== 'number' || !Number.isInteger(p)) throw malformed('/P missing');
  const encryptMetadata = d.get('EncryptMetadata') !== false;
  const need = r >= 5 ? 48 : 32;
  if (o.length < need || u.length < need) throw malformed(`/O or /U shorter than ${need} bytes`);

  if (v === 1 || v === 2) {
    const bits = v === 1 ? 40 : lengthBits(d.get('Length'), 40);
    const method: CryptMethod = 'rc4';
    return {
      v, r, keyLength: bits / 8, o, u, p: p | 0, encryptMetadata,
      stmMethod: method, strMethod: method, effMethod: method, filters: new Map([['Identity', 'identity']]),
    };
  }

  // V4 and V5: named crypt filters (§7.6.5).
  const filters = new Map<string, CryptMethod>([['Identity', 'identity']]);
  const cf = d.get('CF');
  if (cf instanceof PdfDict) {
    for (const [name, f] of cf.map) {
      if (!(f instanceof PdfDict)) continue;
      const cfm = f.name('CFM') ?? 'None';
      const m: CryptMethod | undefined =
        cfm === 'None' ? 'identity' : cfm === 'V2' ? 'rc4' : cfm === 'AESV2' ? 'aes128' : cfm === 'AESV3' ? 'aes256' : undefined;
      if (!m) throw unsupported(`crypt filter method /${cfm}`);
      if (name !== 'Identity') filters.set(name, m);
    }
  }
  const pick = (key: string, fallback: CryptMethod): CryptMethod => {
    const n = d.get(key);
    if (n === undefined) return fallback;
    if (!(n instanceof PdfName)) throw malformed(`/${key} is not a name`);
    const m = filters.get(n.name);
    if (!m) throw malformed(`/${key} names an unknown crypt filter /${n.name}`);
    return m;
  };
  const stmMethod = pick('StmF', 'identity');
  const strMethod = pick('StrF', 'identity');
  const effMethod = pick('EFF', stmMethod);
  if (v === 5) {
    for (const m of [stmMethod, strMethod, effMethod]) {
      if (m !== 'aes256' && m !== 'identity') throw unsupported(`crypt method ${m} with /V 5`);
    }
    const oe = bytes(d.get('OE'), 'OE');
    const ue = bytes(d.get('UE'), 'UE');
    if (oe.length < 32 || ue.length < 32) throw malformed('/OE or /UE shorter than 32 bytes');
    const perms = d.get('Perms');
    return {
      v, r, keyLength: 32, o, u, oe, ue, perms: perms instanceof PdfString ? perms.bytes : undefined, p: p | 0, encryptMetadata,
      stmMethod, strMethod, effMethod, filters,
    };
  }
  for (const m of [stmMethod, strMethod, effMethod]) {
    if (m === 'aes256') throw unsupported('AESV3 crypt filter with /V 4');
  }
  // §7.6.4.3.2 Algorithm 2 uses /Length; AESV2 always means a 128-bit key.
  const bits = lengthBits(d.get('Length'), 128);
  return { v, r, keyLength: bits / 8, o, u, p: p | 0, encryptMetadata, stmMethod, strMethod, effMethod, filters };
}

function bytes(v: PdfValue | undefined, key: string): Uint8Array {
  if (!(v instanceof PdfString)) throw malformed(`/${key} missing`);
  return v.bytes;
}

/** /Length in bits: 40 to 128 in steps of 8 (Table 20); some writers give bytes, which is tolerated. */
function lengthBits(v: PdfValue | undefined, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw malformed('/Length is not an integer');
  const bits = v >= 5 && v <= 16 ? v * 8 : v;
  if (bits < 40 || bits > 128 || bits % 8 !== 0) throw unsupported(`file key length of ${v} bits`);
  return bits;
}
