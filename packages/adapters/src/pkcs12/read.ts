import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KysoError, kysoError } from '@kyso/core';
import { decodeBer } from '../internal/ber.js';
import { copyBytes, wipe } from '../internal/bytes.js';
import { verifyMac } from './mac.js';
import { REEXPORT_ADVICE, pbes2Decrypt } from './pbes2.js';

/** Bag types (RFC 7292 §4.2) and attributes (PKCS #9, RFC 2985 §5.5.1–2). */
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  safeContents: '1.2.840.113549.1.12.10.1.6',
} as const;
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const CONTENT = { data: '1.2.840.113549.1.7.1', signedData: '1.2.840.113549.1.7.2', envelopedData: '1.2.840.113549.1.7.3', encryptedData: '1.2.840.113549.1.7.6' } as const;

/** Nested safeContentsBag depth we follow; real files use none. */
const MAX_NESTING = 4;

/** Attributes a bag may carry to tie a key to its certificate. */
export interface BagAttributes {
  readonly localKeyId?: Uint8Array;
  readonly friendlyName?: string;
}

/** A decrypted private key. `pkcs8` is secret: wipe it once imported. */
export interface KeyBagEntry extends BagAttributes {
  readonly pkcs8: Uint8Array;
}

/** A certificate, as the DER found in the file. */
export interface CertBagEntry extends BagAttributes {
  readonly der: Uint8Array;
}

/** The keys and certificates of a PKCS#12 file. */
export interface Pkcs12Contents {
  readonly keys: KeyBagEntry[];
  readonly certificates: CertBagEntry[];
}

/**
 * Reads a PKCS#12 PFX (RFC 7292 §4) in password-integrity mode: checks the
 * MAC first (§5; wrong password → `ERR_KEY_PASSWORD`), then decrypts the
 * encrypted SafeContents and shrouded key bags (PBES2/AES only). Anything
 * that is not a well-formed PFX → `ERR_KEY_FORMAT`. On failure, key
 * material decrypted so far is wiped.
 */
export async function readPkcs12(bytes: Uint8Array, password: string): Promise<Pkcs12Contents> {
  const pfx = parsePfx(bytes);
  const authSafeBytes = authSafeContent(pfx);
  if (pfx.macData) {
    if (!(await verifyMac(pfx.macData, authSafeBytes, password))) {
      throw kysoError('ERR_KEY_PASSWORD', 'the PKCS#12 integrity check (MAC) failed: wrong password or altered file');
    }
  }
  const contents: Walk = { keys: [], certificates: [], shrouded: [] };
  try {
    let authSafe: pkijs.AuthenticatedSafe;
    try {
      authSafe = new pkijs.AuthenticatedSafe({ schema: parseDer(authSafeBytes, 'AuthenticatedSafe') });
    } catch (cause) {
      throw formatError('AuthenticatedSafe', cause);
    }
    for (const ci of authSafe.safeContents) {
      await readContentInfo(ci, password, contents);
    }
    // Keys are decrypted last, so that a file the walk rejects never has its key decrypted.
    for (const item of contents.shrouded) {
      const pkcs8 = await pbes2Decrypt(item.algorithm, item.ciphertext, password, 'the private key');
      contents.keys.push({ ...item.attributes, pkcs8 });
    }
    return { keys: contents.keys, certificates: contents.certificates };
  } catch (error) {
    for (const key of contents.keys) wipe(key.pkcs8);
    throw error;
  }
}

function parsePfx(bytes: Uint8Array): pkijs.PFX {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) {
    throw kysoError('ERR_KEY_FORMAT', 'the PKCS#12 file is empty');
  }
  const own = copyBytes(bytes);
  const asn1 = decodeBer(own);
  if (asn1.offset === -1) throw kysoError('ERR_KEY_FORMAT', `not a PKCS#12 file (${asn1.result.error || 'bad DER'}), or it is truncated`);
  if (asn1.offset !== own.byteLength) throw kysoError('ERR_KEY_FORMAT', 'unexpected bytes after the PKCS#12 structure');
  let pfx: pkijs.PFX;
  try {
    pfx = new pkijs.PFX({ schema: asn1.result });
  } catch (cause) {
    throw formatError('PFX', cause);
  }
  if (pfx.version !== 3) throw kysoError('ERR_KEY_FORMAT', `PKCS#12 version ${pfx.version} is not 3 (RFC 7292 §4)`);
  return pfx;
}

function authSafeContent(pfx: pkijs.PFX): Uint8Array<ArrayBuffer> {
  const { contentType, content } = pfx.authSafe;
  if (contentType === CONTENT.signedData) {
    throw kysoError('ERR_KEY_FORMAT', `PKCS#12 public-key integrity mode is not supported; ${REEXPORT_ADVICE}`);
  }
  if (contentType !== CONTENT.data || !(content instanceof asn1js.OctetString)) {
    throw kysoError('ERR_KEY_FORMAT', `PKCS#12 authSafe has content type ${contentType}, expected data (RFC 7292 §4)`);
  }
  return octets(content);
}

async function readContentInfo(ci: pkijs.ContentInfo, password: string, out: Walk): Promise<void> {
  if (ci.contentType === CONTENT.data) {
    if (!(ci.content instanceof asn1js.OctetString)) throw kysoError('ERR_KEY_FORMAT', 'SafeContents data is not an OCTET STRING');
    readSafeContents(octets(ci.content), out, 0);
    return;
  }
  if (ci.contentType === CONTENT.encryptedData) {
    let encrypted: pkijs.EncryptedData;
    try {
      encrypted = new pkijs.EncryptedData({ schema: ci.content });
    } catch (cause) {
      throw formatError('EncryptedData', cause);
    }
    const eci = encrypted.encryptedContentInfo;
    const ciphertext = new Uint8Array(eci.getEncryptedContent());
    const plain = await pbes2Decrypt(eci.contentEncryptionAlgorithm, ciphertext, password, 'the certificate store');
    try {
      readSafeContents(plain, out, 0);
    } catch (error) {
      // Without a MAC, a wrong password can decrypt to well-padded garbage.
      if (error instanceof KysoError && error.code === 'ERR_KEY_FORMAT') {
        throw kysoError('ERR_KEY_PASSWORD', 'the certificate store decrypted to garbage: wrong password?', error);
      }
      throw error;
    } finally {
      // It may hold an unencrypted key bag (`-keypbe NONE` inside encrypted contents).
      wipe(plain);
    }
    return;
  }
  if (ci.contentType === CONTENT.envelopedData) {
    throw kysoError('ERR_KEY_FORMAT', `PKCS#12 public-key privacy mode (enveloped data) is not supported; ${REEXPORT_ADVICE}`);
  }
  throw kysoError('ERR_KEY_FORMAT', `unknown PKCS#12 content type ${ci.contentType}`);
}

/** What the walk over the bags collects; shrouded keys are decrypted after it. */
interface Walk extends Pkcs12Contents {
  readonly shrouded: { readonly algorithm: pkijs.AlgorithmIdentifier; readonly ciphertext: Uint8Array; readonly attributes: BagAttributes }[];
}

function readSafeContents(der: Uint8Array, out: Walk, depth: number): void {
  const seq = parseDer(der, 'SafeContents');
  if (!(seq instanceof asn1js.Sequence)) throw kysoError('ERR_KEY_FORMAT', 'SafeContents is not a SEQUENCE (RFC 7292 §4.2)');
  for (const bag of seq.valueBlock.value) readSafeBag(bag, out, depth);
}

function readSafeBag(bag: asn1js.AsnType, out: Walk, depth: number): void {
  if (!(bag instanceof asn1js.Sequence) || bag.valueBlock.value.length < 2) {
    throw kysoError('ERR_KEY_FORMAT', 'a SafeBag is not a SEQUENCE of bagId and bagValue (RFC 7292 §4.2)');
  }
  const [idNode, valueNode, attrsNode] = bag.valueBlock.value;
  if (!(idNode instanceof asn1js.ObjectIdentifier)) throw kysoError('ERR_KEY_FORMAT', 'a SafeBag has no bagId');
  const value = explicit0(valueNode, 'bagValue');
  const attributes = readAttributes(attrsNode);
  switch (idNode.valueBlock.toString()) {
    case BAG.key:
      // An unencrypted PrivateKeyInfo (`openssl pkcs12 -keypbe NONE`).
      out.keys.push({ ...attributes, pkcs8: copyBytes(new Uint8Array(value.toBER(false))) });
      break;
    case BAG.shroudedKey: {
      // EncryptedPrivateKeyInfo (RFC 5958 §3).
      if (!(value instanceof asn1js.Sequence) || value.valueBlock.value.length !== 2) {
        throw kysoError('ERR_KEY_FORMAT', 'a shrouded key bag is not an EncryptedPrivateKeyInfo (RFC 5958 §3)');
      }
      const [algNode, dataNode] = value.valueBlock.value;
      if (!(dataNode instanceof asn1js.OctetString)) throw kysoError('ERR_KEY_FORMAT', 'a shrouded key bag has no encryptedData');
      let algorithm: pkijs.AlgorithmIdentifier;
      try {
        algorithm = new pkijs.AlgorithmIdentifier({ schema: algNode });
      } catch (cause) {
        throw formatError('EncryptedPrivateKeyInfo', cause);
      }
      out.shrouded.push({ algorithm, ciphertext: octets(dataNode), attributes });
      break;
    }
    case BAG.cert: {
      if (!(value instanceof asn1js.Sequence) || value.valueBlock.value.length !== 2) {
        throw kysoError('ERR_KEY_FORMAT', 'a certificate bag is not a CertBag (RFC 7292 §4.2.3)');
      }
      const [certId, certValue] = value.valueBlock.value;
      // Only X.509 certificates matter for signing; SDSI ones are skipped.
      if (!(certId instanceof asn1js.ObjectIdentifier) || certId.valueBlock.toString() !== X509_CERTIFICATE) break;
      const inner = explicit0(certValue, 'certValue');
      if (!(inner instanceof asn1js.OctetString)) throw kysoError('ERR_KEY_FORMAT', 'a certificate bag does not hold an OCTET STRING');
      out.certificates.push({ ...attributes, der: octets(inner) });
      break;
    }
    case BAG.safeContents:
      if (depth >= MAX_NESTING) throw kysoError('ERR_KEY_FORMAT', 'PKCS#12 bags nested too deeply');
      readSafeContents(new Uint8Array(value.toBER(false)), out, depth + 1);
      break;
    default:
      // CRL and secret bags (and unknown ones) carry nothing to sign with.
      break;
  }
}

function readAttributes(node: asn1js.AsnType | undefined): BagAttributes {
  if (!(node instanceof asn1js.Set)) return {};
  let localKeyId: Uint8Array | undefined;
  let friendlyName: string | undefined;
  for (const attr of node.valueBlock.value) {
    if (!(attr instanceof asn1js.Sequence) || attr.valueBlock.value.length !== 2) continue;
    const [type, values] = attr.valueBlock.value;
    if (!(type instanceof asn1js.ObjectIdentifier) || !(values instanceof asn1js.Set)) continue;
    const first = values.valueBlock.value[0];
    const oid = type.valueBlock.toString();
    if (oid === LOCAL_KEY_ID && first instanceof asn1js.OctetString) localKeyId = octets(first);
    if (oid === FRIENDLY_NAME && first instanceof asn1js.BmpString) friendlyName = first.valueBlock.value;
  }
  return {
    ...(localKeyId ? { localKeyId } : {}),
    ...(friendlyName !== undefined ? { friendlyName } : {}),
  };
}

/** The content of a `[0] EXPLICIT` wrapper. */
function explicit0(node: asn1js.AsnType | undefined, what: string): asn1js.AsnType {
  if (
    node instanceof asn1js.Constructed && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === 0
    && node.valueBlock.value.length === 1
  ) {
    return node.valueBlock.value[0];
  }
  throw kysoError('ERR_KEY_FORMAT', `${what} is not a [0] EXPLICIT value`);
}

/** OCTET STRING content, joining the segments of a BER constructed encoding. */
function octets(node: asn1js.OctetString): Uint8Array<ArrayBuffer> {
  return copyBytes(new Uint8Array(node.getValue()));
}

function parseDer(der: Uint8Array, what: string): asn1js.AsnType {
  const own = copyBytes(der);
  const asn1 = decodeBer(own);
  if (asn1.offset === -1) throw kysoError('ERR_KEY_FORMAT', `${what} is not valid DER: ${asn1.result.error}`);
  return asn1.result;
}

function formatError(what: string, cause: unknown) {
  return kysoError('ERR_KEY_FORMAT', `bad PKCS#12 ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
}
