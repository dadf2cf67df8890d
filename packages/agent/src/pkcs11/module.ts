/**
 * A small typed layer over pkcs11js: list tokens and certificates, sign a
 * digest with a token key. Every call opens its own session, logs in, signs,
 * logs out and closes (PKCS#11 v2.40 §5.6–5.7), so no login state outlives a
 * request. PKCS#11 return values become typed kyso errors; PINs never appear
 * in an error detail.
 */
import { createRequire } from 'node:module';
import {
  HASH_LENGTH, kysoError, parseCertificate, type HashAlgorithm, type KeyAlgorithm, type KysoError,
  type NamedCurve, type SignatureScheme,
} from '@kyso/core';
import type * as Pkcs11Types from 'pkcs11js';

type Pkcs11Lib = typeof Pkcs11Types;
type Handle = Buffer;

// pkcs11js is CommonJS with a native addon; load it lazily so that importing
// '@kyso/agent' for its types never needs the addon.
let lib: Pkcs11Lib | undefined;
function pkcs11js(): Pkcs11Lib {
  if (!lib) lib = createRequire(import.meta.url)('pkcs11js') as Pkcs11Lib;
  return lib;
}

/** One token (a slot with a token present), as PKCS#11 describes it (CK_TOKEN_INFO, v2.40 §3.2). */
export interface Pkcs11Token {
  /** The slot id, hex; SoftHSM and real readers may renumber slots, so prefer `serial`. */
  readonly slot: string;
  readonly label: string;
  readonly serial: string;
  readonly manufacturer: string;
  readonly model: string;
  /** CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last good login. */
  readonly pinCountLow: boolean;
  /** CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token. */
  readonly pinFinalTry: boolean;
  /** CKF_USER_PIN_LOCKED. */
  readonly pinLocked: boolean;
  /** CKF_PROTECTED_AUTHENTICATION_PATH: the PIN is entered on the device (PIN pad), not through C_Login. */
  readonly protectedAuthPath: boolean;
}

/** A certificate on a token, with what is known about its key. */
export interface Pkcs11Certificate {
  readonly slot: string;
  readonly tokenLabel: string;
  readonly tokenSerial: string;
  /** CKA_ID, lower-case hex: links the certificate to its private key (PKCS#11 v2.40 §4.6.3). */
  readonly id: string;
  readonly label: string;
  /** CKA_VALUE, DER. */
  readonly der: Uint8Array;
  readonly keyType: KeyAlgorithm;
  readonly keyBits: number;
  readonly curve?: NamedCurve;
  /** A CA certificate (key usage keyCertSign, RFC 5280 §4.2.1.3): stored for the chain, never a signing key. */
  readonly isCa: boolean;
  /** Whether a private key with the same CKA_ID exists; null when private keys are hidden until login (CKA_PRIVATE). */
  readonly hasPrivateKey: boolean | null;
}

/** Which token: by serial (preferred) or label. */
export interface TokenSelector {
  readonly tokenSerial?: string;
  readonly tokenLabel?: string;
}

/** What {@link Pkcs11Module.signDigest} signs. */
export interface SignDigestRequest extends TokenSelector {
  /** CKA_ID of the private key, hex. */
  readonly keyId: string;
  /** The user PIN. Used for C_Login only; never logged or echoed in errors. */
  readonly pin: string;
  readonly scheme: SignatureScheme;
  readonly hash: HashAlgorithm;
  /** The digest to sign (the hash of the CMS signed attributes). */
  readonly digest: Uint8Array;
}

/** What {@link Pkcs11Module.signDigests} signs: several digests, one login. */
export interface SignDigestsRequest extends Omit<SignDigestRequest, 'digest'> {
  readonly digests: readonly Uint8Array[];
}

/** Options of {@link Pkcs11Module.open}. */
export interface Pkcs11OpenOptions {
  /**
   * Extra environment needed by the module must be set before opening
   * (e.g. SOFTHSM2_CONF); this option only documents the intent.
   */
  readonly label?: string;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const trimmed = (s: string): string => s.replace(/[\s\0]+$/, '');

/** DigestInfo prefixes (RFC 8017 §9.2 note 1) for CKM_RSA_PKCS. */
const DIGEST_INFO_PREFIX: Record<HashAlgorithm, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

/** Names of the PKCS#11 return values this layer reports, by value (PKCS#11 v2.40 §3.6 / pkcs11t.h). */
function ckrName(code: number): string {
  const p = pkcs11js() as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(p)) if (k.startsWith('CKR_') && v === code) return k;
  return `0x${code.toString(16)}`;
}

/** Whether an error is a pkcs11js error with a CKR code. */
function ckrOf(err: unknown): number | undefined {
  if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'number') return (err as { code: number }).code;
  return undefined;
}

/**
 * A loaded PKCS#11 module (a vendor's token library, or SoftHSM2 in tests).
 * One instance per process and module: C_Initialize is process-wide.
 */
export class Pkcs11Module {
  readonly path: string;
  readonly #p: Pkcs11Types.PKCS11;
  #closed = false;

  private constructor(path: string, p: Pkcs11Types.PKCS11) {
    this.path = path;
    this.#p = p;
  }

  /** Loads the module and calls C_Initialize (PKCS#11 v2.40 §5.4). */
  static open(modulePath: string, _options: Pkcs11OpenOptions = {}): Pkcs11Module {
    if (typeof modulePath !== 'string' || modulePath === '') throw kysoError('ERR_INVALID_ARGUMENT', 'modulePath: a PKCS#11 library path');
    const P = pkcs11js();
    const p = new P.PKCS11();
    try {
      p.load(modulePath);
    } catch (err) {
      throw kysoError('ERR_TOKEN_FAILURE', `cannot load PKCS#11 module ${modulePath}`, err);
    }
    try {
      p.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
    } catch (err) {
      if (ckrOf(err) !== P.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw kysoError('ERR_TOKEN_FAILURE', `C_Initialize: ${ckrName(ckrOf(err) ?? -1)}`, err);
      }
    }
    return new Pkcs11Module(modulePath, p);
  }

  /** Tokens in slots that report one present (C_GetSlotList(TRUE), C_GetTokenInfo). */
  tokens(): Pkcs11Token[] {
    this.#live();
    const P = pkcs11js();
    const out: Pkcs11Token[] = [];
    let slots: Handle[];
    try {
      slots = this.#p.C_GetSlotList(true);
    } catch (err) {
      throw this.#map(err, 'C_GetSlotList');
    }
    for (const slot of slots) {
      let info: Pkcs11Types.TokenInfo;
      try {
        info = this.#p.C_GetTokenInfo(slot);
      } catch {
        continue; // removed between the two calls
      }
      // An uninitialised token (CKF_TOKEN_INITIALIZED clear) cannot hold keys: skip it.
      if (!(info.flags & P.CKF_TOKEN_INITIALIZED)) continue;
      out.push({
        slot: hex(slot),
        label: trimmed(info.label),
        serial: trimmed(info.serialNumber),
        manufacturer: trimmed(info.manufacturerID),
        model: trimmed(info.model),
        pinCountLow: Boolean(info.flags & P.CKF_USER_PIN_COUNT_LOW),
        pinFinalTry: Boolean(info.flags & P.CKF_USER_PIN_FINAL_TRY),
        pinLocked: Boolean(info.flags & P.CKF_USER_PIN_LOCKED),
        protectedAuthPath: Boolean(info.flags & P.CKF_PROTECTED_AUTHENTICATION_PATH),
      });
    }
    return out;
  }

  /** The token a selector names, or ERR_TOKEN_REMOVED when it is not (any longer) present. */
  token(selector: TokenSelector): Pkcs11Token {
    const all = this.tokens();
    const t = selector.tokenSerial !== undefined
      ? all.find((x) => x.serial === selector.tokenSerial)
      : all.find((x) => x.label === selector.tokenLabel);
    if (!t) throw kysoError('ERR_TOKEN_REMOVED', `no token ${selector.tokenSerial !== undefined ? 'with serial ' + selector.tokenSerial : 'labelled ' + String(selector.tokenLabel)}`);
    return t;
  }

  /**
   * Every X.509 certificate (CKO_CERTIFICATE, CKC_X_509) on every token,
   * readable without login. Certificates whose key type kyso cannot sign
   * with are skipped.
   */
  certificates(): Pkcs11Certificate[] {
    const P = pkcs11js();
    const out: Pkcs11Certificate[] = [];
    for (const t of this.tokens()) {
      this.#withSession(t, null, (session) => {
        const certs = this.#find(session, [
          { type: P.CKA_CLASS, value: P.CKO_CERTIFICATE },
          { type: P.CKA_CERTIFICATE_TYPE, value: P.CKC_X_509 },
        ]);
        const keyIds = new Set(
          this.#find(session, [{ type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY }]).map((k) => hex(this.#attr(session, k, P.CKA_ID))),
        );
        const publicView = keyIds.size > 0;
        for (const c of certs) {
          const [value, id, label] = this.#attrs(session, c, [P.CKA_VALUE, P.CKA_ID, P.CKA_LABEL]);
          let info;
          try {
            info = parseCertificate(new Uint8Array(value!));
          } catch {
            continue;
          }
          const idHex = hex(id!);
          out.push({
            slot: t.slot,
            tokenLabel: t.label,
            tokenSerial: t.serial,
            id: idHex,
            label: label!.toString('utf8'),
            der: new Uint8Array(value!),
            keyType: info.keyAlgorithm,
            keyBits: info.keyBits,
            ...(info.namedCurve ? { curve: info.namedCurve } : {}),
            isCa: (info.keyUsage ?? []).includes('keyCertSign'),
            hasPrivateKey: publicView ? keyIds.has(idHex) : null,
          });
        }
      });
    }
    return out;
  }

  /**
   * Signs a digest with the private key whose CKA_ID is `keyId`:
   * - RSASSA-PKCS1-v1_5: CKM_RSA_PKCS over DER DigestInfo (PKCS#11 v2.40 curr. mech. §2.1.6; RFC 8017 §9.2);
   * - RSA-PSS: CKM_RSA_PKCS_PSS with CK_RSA_PKCS_PSS_PARAMS {hash, MGF1(hash), sLen = hLen} (§2.1.14; RFC 8017 §9.1);
   * - ECDSA: CKM_ECDSA over the digest, returning raw r‖s (§2.3.6).
   * Logs in with `pin` (CKU_USER) and logs out afterwards.
   */
  signDigest(req: SignDigestRequest): Uint8Array {
    const { digest, ...rest } = req;
    return this.signDigests({ ...rest, digests: [digest] })[0]!;
  }

  /** Signs several digests with one key after one C_Login (a batch: one PIN entry). */
  signDigests(req: SignDigestsRequest): Uint8Array[] {
    const P = pkcs11js();
    if (!Array.isArray(req.digests) || req.digests.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'digests: at least one');
    for (const d of req.digests) {
      if (!(d instanceof Uint8Array) || d.length !== HASH_LENGTH[req.hash]) {
        throw kysoError('ERR_INVALID_ARGUMENT', `digest: ${HASH_LENGTH[req.hash] ?? '?'} bytes of ${String(req.hash)} expected`);
      }
    }
    if (typeof req.keyId !== 'string' || !/^(?:[0-9a-f]{2})+$/i.test(req.keyId)) throw kysoError('ERR_INVALID_ARGUMENT', 'keyId: hex CKA_ID');
    if (typeof req.pin !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', 'pin: string');
    const t = this.token(req);
    if (t.pinLocked) throw kysoError('ERR_TOKEN_PIN_LOCKED', `token ${t.label}`);
    return this.#withSession(t, req.pin, (session) => {
      const keys = this.#find(session, [
        { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
        { type: P.CKA_ID, value: Buffer.from(req.keyId, 'hex') },
      ]);
      if (keys.length === 0) throw kysoError('ERR_KEY_NOT_FOUND', `no private key with CKA_ID ${req.keyId} on token ${t.label}`);
      const key = keys[0]!;
      const keyType = this.#attr(session, key, P.CKA_KEY_TYPE).readUIntLE(0, 4);
      let mechanism: Pkcs11Types.Mechanism;
      let input: (digest: Uint8Array) => Buffer = (d) => Buffer.from(d);
      let size: number;
      if (req.scheme === 'ECDSA') {
        if (keyType !== P.CKK_EC) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', 'ECDSA asked of a non-EC key');
        mechanism = { mechanism: P.CKM_ECDSA };
        size = 132; // up to P-521 r‖s; C_Sign returns the used length
      } else {
        if (keyType !== P.CKK_RSA) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${req.scheme} asked of a non-RSA key`);
        const modulus = this.#attr(session, key, P.CKA_MODULUS);
        size = modulus.length;
        if (req.scheme === 'RSASSA-PKCS1-v1_5') {
          mechanism = { mechanism: P.CKM_RSA_PKCS };
          const prefix = Buffer.from(DIGEST_INFO_PREFIX[req.hash], 'hex');
          input = (d) => Buffer.concat([prefix, d]);
        } else if (req.scheme === 'RSA-PSS') {
          const hashMech = { 'SHA-256': P.CKM_SHA256, 'SHA-384': P.CKM_SHA384, 'SHA-512': P.CKM_SHA512 }[req.hash];
          const mgf = { 'SHA-256': P.CKG_MGF1_SHA256, 'SHA-384': P.CKG_MGF1_SHA384, 'SHA-512': P.CKG_MGF1_SHA512 }[req.hash];
          const params: Pkcs11Types.RsaPSS = { type: P.CK_PARAMS_RSA_PSS, hashAlg: hashMech, mgf, saltLen: HASH_LENGTH[req.hash] };
          mechanism = { mechanism: P.CKM_RSA_PKCS_PSS, parameter: params };
        } else {
          throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `scheme ${String(req.scheme)}`);
        }
      }
      return req.digests.map((d) => {
        try {
          // One C_SignInit per signature: single-part C_Sign ends the operation (PKCS#11 v2.40 §5.11).
          this.#p.C_SignInit(session, mechanism, key);
          return new Uint8Array(this.#p.C_Sign(session, input(d), Buffer.alloc(size)));
        } catch (err) {
          throw this.#map(err, 'C_Sign');
        }
      });
    });
  }

  /** C_Finalize; the module cannot be used afterwards. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#p.C_Finalize();
    } catch {
      /* already finalised */
    }
    try {
      this.#p.close();
    } catch {
      /* ignore */
    }
  }

  #live(): void {
    if (this.#closed) throw kysoError('ERR_TOKEN_FAILURE', 'the PKCS#11 module is closed');
  }

  #withSession<T>(t: Pkcs11Token, pin: string | null, body: (session: Handle) => T): T {
    this.#live();
    const P = pkcs11js();
    let session: Handle;
    try {
      session = this.#p.C_OpenSession(Buffer.from(t.slot, 'hex'), P.CKF_SERIAL_SESSION);
    } catch (err) {
      throw this.#map(err, 'C_OpenSession');
    }
    let loggedIn = false;
    try {
      if (pin !== null) {
        try {
          this.#p.C_Login(session, P.CKU_USER, pin);
          loggedIn = true;
        } catch (err) {
          if (ckrOf(err) !== P.CKR_USER_ALREADY_LOGGED_IN) throw this.#map(err, 'C_Login', t);
        }
      }
      return body(session);
    } finally {
      if (loggedIn) {
        try {
          this.#p.C_Logout(session);
        } catch {
          /* the token may be gone */
        }
      }
      try {
        this.#p.C_CloseSession(session);
      } catch {
        /* the token may be gone */
      }
    }
  }

  #find(session: Handle, template: Pkcs11Types.Template): Handle[] {
    try {
      this.#p.C_FindObjectsInit(session, template);
      try {
        const all: Handle[] = [];
        for (;;) {
          const batch = this.#p.C_FindObjects(session, 64);
          all.push(...batch);
          if (batch.length < 64) return all;
        }
      } finally {
        this.#p.C_FindObjectsFinal(session);
      }
    } catch (err) {
      throw this.#map(err, 'C_FindObjects');
    }
  }

  #attrs(session: Handle, object: Handle, types: number[]): (Buffer | undefined)[] {
    try {
      const got = this.#p.C_GetAttributeValue(session, object, types.map((type) => ({ type })));
      return got.map((a) => (a.value instanceof Buffer ? a.value : undefined));
    } catch (err) {
      throw this.#map(err, 'C_GetAttributeValue');
    }
  }

  #attr(session: Handle, object: Handle, type: number): Buffer {
    const [v] = this.#attrs(session, object, [type]);
    if (!v) throw kysoError('ERR_TOKEN_FAILURE', `attribute 0x${type.toString(16)} missing`);
    return v;
  }

  /** PKCS#11 return value → kyso error (PKCS#11 v2.40 §5.1 return values). */
  #map(err: unknown, fn: string, t?: Pkcs11Token): KysoError {
    const P = pkcs11js();
    const code = ckrOf(err);
    if (code === undefined) return kysoError('ERR_TOKEN_FAILURE', `${fn}: ${err instanceof Error ? err.message : String(err)}`, err);
    switch (code) {
      case P.CKR_PIN_INCORRECT:
      case P.CKR_PIN_INVALID:
      case P.CKR_PIN_LEN_RANGE: {
        // The token's flags after the failure tell how close it is to locking (CK_TOKEN_INFO.flags).
        let state = '';
        try {
          if (t) {
            const now = this.token({ tokenSerial: t.serial });
            if (now.pinLocked) return kysoError('ERR_TOKEN_PIN_LOCKED', `token ${t.label}`);
            state = now.pinFinalTry ? 'final try' : now.pinCountLow ? 'few tries left' : '';
          }
        } catch {
          /* token gone meanwhile */
        }
        return kysoError('ERR_TOKEN_PIN_INCORRECT', state ? `${ckrName(code)}; ${state}` : ckrName(code));
      }
      case P.CKR_PIN_LOCKED:
        return kysoError('ERR_TOKEN_PIN_LOCKED', t ? `token ${t.label}` : ckrName(code));
      case P.CKR_TOKEN_NOT_PRESENT:
      case P.CKR_DEVICE_REMOVED:
      case P.CKR_SLOT_ID_INVALID:
      case P.CKR_TOKEN_NOT_RECOGNIZED:
      case P.CKR_SESSION_HANDLE_INVALID:
      case P.CKR_SESSION_CLOSED:
        return kysoError('ERR_TOKEN_REMOVED', `${fn}: ${ckrName(code)}`);
      case P.CKR_MECHANISM_INVALID:
      case P.CKR_MECHANISM_PARAM_INVALID:
      case P.CKR_KEY_TYPE_INCONSISTENT:
      case P.CKR_KEY_FUNCTION_NOT_PERMITTED:
        return kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${fn}: ${ckrName(code)}`);
      default:
        return kysoError('ERR_TOKEN_FAILURE', `${fn}: ${ckrName(code)}`);
    }
  }
}
