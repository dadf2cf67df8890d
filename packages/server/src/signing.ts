import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { kysoError, prepare, type FetchLike, type PreparedSignature } from '@kyso/core';
import { finishIncrement } from '@kyso/core/sign';
import { openFileSource } from '@kyso/core/node';
import { sendAppended } from './appended-response.js';
import { saveBody } from './body.js';

/** What the staged signing endpoints need: Redis for the prepared states, and the TSA for B-T. */
export interface SigningConfig {
  readonly redis: Redis;
  /** RFC 3161 TSA for level B-T; without it only B-B is offered. */
  readonly tsaUrl?: string;
  readonly fetch?: FetchLike;
  /** How long a prepared signature waits for its value, ms; default 10 minutes (a phone confirmation). */
  readonly ttlMs?: number;
  /** Redis key prefix; default `kyso:prepared`. */
  readonly prefix?: string;
}

/** What one request brings: the limits, and who is asking (the API key's id, or null). */
export interface SigningRequest {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly keyId: string | null;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function base64Header(req: IncomingMessage, name: string): Uint8Array[] {
  const raw = req.headers[name];
  if (typeof raw !== 'string' || raw.length === 0) return [];
  return raw.split(',').map((part) => {
    const v = part.trim();
    if (!BASE64.test(v)) throw kysoError('ERR_INVALID_ARGUMENT', `${name} must be base64 (comma-separated for several)`);
    return new Uint8Array(Buffer.from(v, 'base64'));
  });
}

/** A prepared state's id: 128 random bits, so ids cannot be guessed. */
const ID = /^[0-9a-f]{32}$/;

/**
 * `POST /v1/sign/prepare`: the PDF is the body, the signer certificate (and chain) base64 DER in the
 * `Kyso-Certificate` (`Kyso-Chain`, comma-separated) headers; `level` (B-B, or B-T when the service
 * has a TSA), `reason`, `location`, `fieldName` as query parameters. Answers what the key must sign
 * and an id under which the prepared state waits in Redis (bound to the API key that asked, for
 * `ttlMs`). No key material ever reaches the service.
 */
export async function handlePrepare(req: IncomingMessage, res: ServerResponse, url: URL, config: SigningConfig, r: SigningRequest): Promise<void> {
  for (const key of url.searchParams.keys()) {
    if (!['level', 'reason', 'location', 'fieldName'].includes(key)) throw kysoError('ERR_INVALID_ARGUMENT', `unknown query parameter ${key}`);
  }
  const level = url.searchParams.get('level') ?? 'B-B';
  if (level !== 'B-B' && level !== 'B-T') throw kysoError('ERR_INVALID_ARGUMENT', 'level must be B-B or B-T');
  if (level === 'B-T' && !config.tsaUrl) throw kysoError('ERR_INVALID_ARGUMENT', 'level B-T needs a TSA configured on the service (--tsa)');
  const [certificate, ...extra] = base64Header(req, 'kyso-certificate');
  if (!certificate || extra.length) throw kysoError('ERR_INVALID_ARGUMENT', 'Kyso-Certificate must hold the signer certificate, base64 DER');
  const chain = base64Header(req, 'kyso-chain');
  const body = await saveBody(req, r.maxBodyBytes, r.bodyTimeoutMs);
  let prepared: PreparedSignature;
  try {
    const source = openFileSource(body.path);
    try {
      prepared = await prepare(source, {
        certificate, chain, level,
        reason: url.searchParams.get('reason') ?? undefined,
        location: url.searchParams.get('location') ?? undefined,
        fieldName: url.searchParams.get('fieldName') ?? undefined,
        timestamp: level === 'B-T' ? { url: config.tsaUrl!, fetch: config.fetch } : undefined,
      });
    } finally {
      source.close();
    }
  } finally {
    await body.remove();
  }
  const id = randomBytes(16).toString('hex');
  const ttl = config.ttlMs ?? 10 * 60_000;
  await config.redis.set(`${config.prefix ?? 'kyso:prepared'}:${id}`, JSON.stringify({ keyId: r.keyId, prepared }), 'PX', ttl);
  const answer = JSON.stringify({
    id,
    expiresAt: new Date(Date.now() + ttl).toISOString(),
    hash: prepared.hash,
    scheme: prepared.scheme,
    toBeSigned: prepared.toBeSigned,
    toBeSignedDigest: prepared.toBeSignedDigest,
  });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
  res.end(answer);
}

/**
 * `POST /v1/sign/finish?id=…`: the same PDF again as the body, the signature value base64 in
 * `Kyso-Signature-Value`. Answers the signed PDF (the input streamed back, then the completed update).
 * The state is used once: taken from Redis atomically, so two finishes of one id cannot both succeed.
 * An unknown, expired or another key's id is `ERR_SERVICE_NOT_FOUND` (404), the same for all three,
 * so ids of other clients cannot be probed.
 */
export async function handleFinish(req: IncomingMessage, res: ServerResponse, url: URL, config: SigningConfig, r: SigningRequest): Promise<void> {
  for (const key of url.searchParams.keys()) if (key !== 'id') throw kysoError('ERR_INVALID_ARGUMENT', `unknown query parameter ${key}`);
  const id = url.searchParams.get('id') ?? '';
  if (!ID.test(id)) throw kysoError('ERR_INVALID_ARGUMENT', 'id must be the id prepare answered');
  const [signatureValue, ...extra] = base64Header(req, 'kyso-signature-value');
  if (!signatureValue || extra.length) throw kysoError('ERR_INVALID_ARGUMENT', 'Kyso-Signature-Value must hold the signature value, base64');
  const stored = await config.redis.getdel(`${config.prefix ?? 'kyso:prepared'}:${id}`);
  const state = stored ? (JSON.parse(stored) as { keyId: string | null; prepared: PreparedSignature }) : null;
  if (!state || state.keyId !== r.keyId) throw kysoError('ERR_SERVICE_NOT_FOUND', 'no prepared signature with this id (unknown, expired, used, or another client\'s)');
  const body = await saveBody(req, r.maxBodyBytes, r.bodyTimeoutMs);
  try {
    const source = openFileSource(body.path);
    let increment: Uint8Array;
    try {
      increment = await finishIncrement(state.prepared, signatureValue, {
        pdf: source,
        timestamp: state.prepared.level === 'B-T' ? { fetch: config.fetch } : undefined,
      });
    } finally {
      source.close();
    }
    await sendAppended(res, body, increment);
  } finally {
    await body.remove();
  }
}
