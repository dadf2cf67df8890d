/**
 * An RFC 3161 client: asks a timestamp authority to stamp the signature value
 * (the B-T level's signature-time-stamp, ETSI EN 319 142-1 §6.3) and checks
 * the answer before it goes into a signature.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { kysoError, KysoError } from '../errors/index.js';
import type { FetchLike } from '../options.js';
import { equalBytes } from '../util/bytes.js';
import { HASH_LENGTH, HASH_OID, type HashAlgorithm } from './algorithms.js';
import { digest } from './digest.js';
import { decodeExact, encode, originalBytes } from './raw-der.js';
import { verifyTimestampToken } from './timestamp-token.js';

/** What {@link requestTimestamp} needs. */
export interface TimestampRequest {
  /** The TSA endpoint (HTTP POST, RFC 3161 §3.4). */
  readonly url: string;
  /** A `fetch`-compatible function; core never reaches the network by itself. */
  readonly fetch: FetchLike;
  /** The bytes to stamp: for PAdES B-T, the SignerInfo signature value. */
  readonly data?: Uint8Array;
  /**
   * The message imprint already computed with `hash`, instead of `data`: a
   * document timestamp stamps the ByteRange digest, hashed while streaming
   * (ETSI EN 319 142-1 §5.4.3).
   */
  readonly imprint?: Uint8Array;
  /** Hash for the message imprint. */
  readonly hash: HashAlgorithm;
  /** Milliseconds for the whole exchange (connect, answer and body). */
  readonly timeoutMs: number;
  /** TSA policy OID to ask for (`reqPolicy`). */
  readonly policy?: string;
  /** Extra HTTP headers, e.g. authorisation for a commercial TSA. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** Larger answers are refused: a token with a few certificates is well under this. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const PKI_STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'] as const;

/** PKIFailureInfo bit names (RFC 3161 §2.4.2). */
const FAILURE_BITS: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

/**
 * Gets an RFC 3161 TimeStampToken for `data` and checks it:
 *
 * - sends `TimeStampReq { version 1, messageImprint, [reqPolicy], nonce (random
 *   64-bit), certReq TRUE }` as `application/timestamp-query` (RFC 3161 §2.4.1, §3.4);
 * - the HTTP status must be 2xx and the body a TimeStampResp whose PKIStatus is
 *   granted or grantedWithMods (§2.4.2);
 * - the token's TSTInfo must carry our message imprint (hash and value), our
 *   nonce, and the policy asked for; its signature must verify with the TSA
 *   certificate included in it, whose extended key usage must be critical and
 *   only id-kp-timeStamping (§2.3).
 *
 * @returns the TimeStampToken (DER ContentInfo), ready for
 *   `assembleSignedData({ unsignedAttributes: { timestampToken } })`.
 * @throws ERR_TSA_UNREACHABLE on a network failure, ERR_TSA_TIMEOUT after
 *   `timeoutMs`, ERR_ABORTED when `signal` aborts, ERR_TSA_BAD_RESPONSE for a
 *   bad HTTP status, body or token, ERR_TSA_REJECTED when the TSA refuses,
 *   ERR_INVALID_ARGUMENT for bad parameters.
 */
export async function requestTimestamp(request: TimestampRequest): Promise<Uint8Array> {
  const { url, fetch, data, imprint: given, hash, timeoutMs, policy, headers, signal } = request;
  if (typeof url !== 'string' || url.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'url must be a TSA URL');
  if (typeof fetch !== 'function') throw kysoError('ERR_INVALID_ARGUMENT', 'fetch must be a function');
  if (!(hash in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(hash)}`);
  if (given !== undefined) {
    if (!(given instanceof Uint8Array) || given.length !== HASH_LENGTH[hash]) throw kysoError('ERR_INVALID_ARGUMENT', `imprint must be a ${hash} digest`);
  } else if (!(data instanceof Uint8Array) || data.length === 0) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'data must be non-empty bytes');
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw kysoError('ERR_INVALID_ARGUMENT', 'timeoutMs must be a positive number');
  // asn1js encodes any text it is given, so check the dotted form first (X.660).
  if (policy !== undefined && (typeof policy !== 'string' || !/^\d+(\.\d+)+$/.test(policy))) {
    throw kysoError('ERR_INVALID_ARGUMENT', `policy is not an OID: ${String(policy)}`);
  }
  if (signal?.aborted) throw kysoError('ERR_ABORTED');

  const imprint = given ?? (await digest(hash, data!));
  const nonce = randomNonce();
  const body = encode(
    new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        // NULL parameters: what OpenSSL and most clients send; some older TSAs
        // refuse the absent form that RFC 5754 §2 prefers.
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash], algorithmParams: new asn1js.Null() }),
        hashedMessage: new asn1js.OctetString({ valueHex: imprint.slice() }),
      }),
      ...(policy !== undefined ? { reqPolicy: policy } : {}),
      nonce: asn1js.Integer.fromBigInt(bytesToBigInt(nonce)),
      certReq: true,
    }).toSchema(),
  );

  const responseBytes = await exchange(url, fetch, body, timeoutMs, headers, signal);
  const token = readTimeStampResp(responseBytes);

  const check = await verifyTimestampToken(token);
  if (!check.ok) throw kysoError('ERR_TSA_BAD_RESPONSE', check.reason);
  const { info } = check;
  if (info.imprintAlgOid !== HASH_OID[hash] || !equalBytes(info.imprint, imprint)) {
    throw kysoError('ERR_TSA_BAD_RESPONSE', 'the token stamps another message imprint');
  }
  if (info.nonce === undefined || BigInt(`0x${info.nonce}`) !== bytesToBigInt(nonce)) {
    throw kysoError('ERR_TSA_BAD_RESPONSE', 'the token nonce is not the one sent');
  }
  if (policy !== undefined && info.policy !== policy) {
    throw kysoError('ERR_TSA_BAD_RESPONSE', `the token policy ${info.policy} is not the one asked for`);
  }
  return token;
}

/** POSTs the query under one time-out covering the answer and its body. */
async function exchange(
  url: string,
  fetch: FetchLike,
  body: Uint8Array,
  timeoutMs: number,
  headers: Readonly<Record<string, string>> | undefined,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  // A fetch that ignores its signal must still not outlive the time-out.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  aborted.catch(() => undefined);
  const failure = (e: unknown): KysoError => {
    if (timedOut) return kysoError('ERR_TSA_TIMEOUT', `no answer from ${url} within ${timeoutMs} ms`, e);
    if (signal?.aborted) return kysoError('ERR_ABORTED', undefined, e);
    return kysoError('ERR_TSA_UNREACHABLE', `${url}: ${e instanceof Error ? e.message : String(e)}`, e);
  };
  try {
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await Promise.race([
        fetch(url, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
          body,
          signal: controller.signal,
        }),
        aborted,
      ]);
    } catch (e) {
      throw failure(e);
    }
    if (response.status < 200 || response.status > 299) {
      throw kysoError('ERR_TSA_BAD_RESPONSE', `HTTP status ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_RESPONSE_BYTES) throw kysoError('ERR_TSA_BAD_RESPONSE', `answer of ${length} bytes is too large`);
    let buffer: ArrayBuffer;
    try {
      buffer = await Promise.race([response.arrayBuffer(), aborted]);
    } catch (e) {
      throw failure(e);
    }
    if (buffer.byteLength > MAX_RESPONSE_BYTES) throw kysoError('ERR_TSA_BAD_RESPONSE', `answer of ${buffer.byteLength} bytes is too large`);
    return new Uint8Array(buffer);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * `TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken
 * TimeStampToken OPTIONAL }` (RFC 3161 §2.4.2), read by pkijs. Returns the
 * token as the TSA encoded it.
 */
function readTimeStampResp(bytes: Uint8Array): Uint8Array {
  let resp: pkijs.TimeStampResp;
  let root: asn1js.AsnType;
  try {
    root = decodeExact(bytes);
    resp = new pkijs.TimeStampResp({ schema: root });
  } catch (e) {
    throw kysoError('ERR_TSA_BAD_RESPONSE', `not a TimeStampResp: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const code = resp.status.status;
  if (code !== 0 && code !== 1) throw kysoError('ERR_TSA_REJECTED', describeStatus(resp.status));
  const token = root instanceof asn1js.Sequence ? root.valueBlock.value[1] : undefined;
  if (!resp.timeStampToken || !token) throw kysoError('ERR_TSA_BAD_RESPONSE', 'status granted but no token');
  return originalBytes(token);
}

/** "rejection: text; failInfo: badAlg" from PKIStatusInfo (RFC 3161 §2.4.2). */
function describeStatus(status: pkijs.PKIStatusInfo): string {
  const parts: string[] = [PKI_STATUS[status.status] ?? `status ${status.status}`];
  const texts = (status.statusStrings ?? []).filter((s) => s instanceof asn1js.Utf8String).map((s) => s.valueBlock.value);
  if (texts.length) parts.push(texts.join(' / '));
  if (status.failInfo) {
    const bits = status.failInfo.valueBlock.valueHexView;
    const names: string[] = [];
    for (let bit = 0; bit < bits.length * 8; bit++) {
      if (bits[bit >> 3]! & (0x80 >> (bit & 7))) names.push(FAILURE_BITS[bit] ?? `bit ${bit}`);
    }
    if (names.length) parts.push(`failInfo: ${names.join(', ')}`);
  }
  return parts.join('; ');
}

/** 64 random bits, never zero (RFC 3161 §2.4.1: a large random number). */
function randomNonce(): Uint8Array {
  const nonce = new Uint8Array(8);
  do globalThis.crypto.getRandomValues(nonce);
  while (nonce.every((b) => b === 0));
  return nonce;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}
