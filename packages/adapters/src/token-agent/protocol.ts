/**
 * The kyso token agent protocol, version 1 (docs/agent-protocol.md): the one definition both sides use. The agent
 * (`@kyso/agent`) validates page requests with {@link parseRequest}; the page (`TokenAgentAdapter`) validates agent
 * replies with {@link parseAgentReply}. JSON text frames over a WebSocket (RFC 6455); every message is an object with
 * a namespaced `action`. Requests carry an `id` chosen by the page; every answer repeats it. Binary values are base64
 * (RFC 4648 §4).
 *
 * No Node or DOM dependency: it is published as `@kyso/adapters/token-agent-protocol` so that the agent can import it
 * without pulling in the page's adapters, and page bundles can import it without the agent (Node, PKCS#11).
 */
import type { HashAlgorithm, SerializedError, SignatureScheme } from '@kyso/core';

/** Protocol versions this build speaks, newest first. */
export const PROTOCOL_VERSIONS = [1] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

/** The largest text frame either side accepts (a batch of 64 SHA-512 digests fits easily). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** The most digests one `kyso.sign-batch` may carry. */
export const MAX_BATCH = 64;

/** Page → agent: agree on a version. Must be the first request. */
export interface HelloRequest {
  readonly action: 'kyso.hello';
  readonly id: string;
  /** Versions the page speaks. */
  readonly versions: readonly number[];
  /**
   * The local client credential of an unattended client (a server-side process, never a web page): the secret
   * `unattended.clientToken` of `agent.json`. Required from origins enabled for unattended signing; ignored otherwise.
   */
  readonly clientToken?: string;
}

/**
 * What the page declares about the document a digest belongs to, shown to the user in the PIN prompt
 * (issue 12 §5). The agent cannot check it against the digest (it only sees the hash of the CMS signed
 * attributes), so the prompt labels it "declared by the page".
 */
export interface DocumentInfo {
  /** A file name or title, 1–200 characters; control and bidirectional-override characters are removed before display. */
  readonly name?: string;
  /** The first hex digits (8–64) of the document's digest, e.g. the CMS messageDigest (RFC 5652 §11.2). */
  readonly digestPrefix?: string;
}

/** Page → agent: certificates on every present token. */
export interface ListCertificatesRequest {
  readonly action: 'kyso.list-certificates';
  readonly id: string;
}

/** Page → agent: sign one digest. The PIN is never part of it. */
export interface SignRequestMessage {
  readonly action: 'kyso.sign';
  readonly id: string;
  /** An id from `kyso.list-certificates`. */
  readonly certificateId: string;
  readonly scheme: SignatureScheme;
  readonly hash: HashAlgorithm;
  /** base64 of the digest (hash of the CMS signed attributes, RFC 5652 §5.4). */
  readonly digest: string;
  /** Optional: the document, for the PIN prompt. */
  readonly document?: DocumentInfo;
}

/** Page → agent: sign several digests with one key after one PIN entry. */
export interface SignBatchRequest {
  readonly action: 'kyso.sign-batch';
  readonly id: string;
  readonly certificateId: string;
  readonly scheme: SignatureScheme;
  readonly hash: HashAlgorithm;
  readonly digests: readonly string[];
  /** Optional: one entry per digest, same order, for the PIN prompt. */
  readonly documents?: readonly DocumentInfo[];
}

/** Page → agent: give up the request `target` (a pending PIN prompt ends; a started C_Sign finishes but its result is dropped). */
export interface CancelRequest {
  readonly action: 'kyso.cancel';
  readonly id: string;
  readonly target: string;
}

export type AgentRequest = HelloRequest | ListCertificatesRequest | SignRequestMessage | SignBatchRequest | CancelRequest;

/** A certificate as the agent lists it. */
export interface AgentCertificate {
  /** `<token serial>:<CKA_ID hex>`. */
  readonly id: string;
  /** base64 DER. */
  readonly certificate: string;
  /** base64 DER issuers found on the same token, nearest first. */
  readonly chain: readonly string[];
  readonly label: string;
  readonly token: { readonly label: string; readonly serial: string };
  readonly keyType: 'RSA' | 'EC';
  readonly keyBits: number;
  readonly curve?: string;
  /** Schemes the key can sign with through this agent. */
  readonly schemes: readonly SignatureScheme[];
}

/** Agent → page: the agent received a request and now waits for the user (PIN or consent). */
export interface WaitingForUserMessage {
  readonly action: 'kyso.waiting-for-user';
  readonly id: string;
  /** What the user is asked for. */
  readonly reason: 'pin' | 'consent';
}

export interface HelloResult {
  readonly version: ProtocolVersion;
  readonly agent: 'kyso-agent';
  readonly agentVersion: string;
}

/** Agent → page: the request succeeded. */
export interface ResultMessage<R = unknown> {
  readonly action: 'kyso.result';
  readonly id: string;
  readonly result: R;
}

/** Agent → page: the request failed. `id` is null when the failure concerns the connection (origin refused, unparseable frame). */
export interface ErrorMessage {
  readonly action: 'kyso.error';
  readonly id: string | null;
  readonly error: SerializedError;
}

export type AgentMessage = WaitingForUserMessage | ResultMessage | ErrorMessage;

/** Result shapes per request. */
export interface ResultOf {
  'kyso.hello': HelloResult;
  'kyso.list-certificates': { readonly certificates: readonly AgentCertificate[] };
  'kyso.sign': { readonly signature: string };
  'kyso.sign-batch': { readonly signatures: readonly string[] };
  'kyso.cancel': { readonly cancelled: boolean };
}

const SCHEMES: readonly string[] = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA'];
const HASHES: readonly string[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why a frame is not a valid request; `id` when one could be read, so the error can be matched. */
export class ProtocolViolation extends Error {
  constructor(message: string, readonly id: string | null) {
    super(message);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;
const HEX = /^[0-9a-fA-F]{8,64}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Validates one declared document; names lose control and bidi-override characters (they reach a terminal). */
function parseDocument(v: unknown, bad: (what: string) => ProtocolViolation): DocumentInfo {
  if (!isObj(v)) throw bad('document: an object');
  const out: { name?: string; digestPrefix?: string } = {};
  if (v.name !== undefined) {
    if (typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 200) throw bad('document.name: 1–200 characters');
    out.name = v.name.replace(CONTROL, '');
  }
  if (v.digestPrefix !== undefined) {
    if (typeof v.digestPrefix !== 'string' || !HEX.test(v.digestPrefix)) throw bad('document.digestPrefix: 8–64 hex digits');
    out.digestPrefix = v.digestPrefix.toLowerCase();
  }
  return out;
}

const isB64 = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && v.length % 4 === 0 && B64.test(v);

/**
 * Parses and validates one page → agent frame. Throws {@link ProtocolViolation}
 * naming the bad field; never evaluates anything.
 */
export function parseRequest(text: string): AgentRequest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ProtocolViolation('not JSON', null);
  }
  if (!isObj(v)) throw new ProtocolViolation('not a JSON object', null);
  const id = isId(v.id) ? v.id : null;
  const bad = (what: string) => new ProtocolViolation(what, id);
  if (id === null) throw bad('id: a string of 1–64 characters');
  switch (v.action) {
    case 'kyso.hello':
      if (!Array.isArray(v.versions) || v.versions.length > 16 || !v.versions.every((x) => Number.isInteger(x))) throw bad('versions: integers');
      if (v.clientToken !== undefined && (typeof v.clientToken !== 'string' || v.clientToken.length === 0 || v.clientToken.length > 256)) {
        throw bad('clientToken: 1–256 characters');
      }
      return { action: v.action, id, versions: v.versions as number[], ...(typeof v.clientToken === 'string' ? { clientToken: v.clientToken } : {}) };
    case 'kyso.list-certificates':
      return { action: v.action, id };
    case 'kyso.cancel':
      if (!isId(v.target)) throw bad('target: a request id');
      return { action: v.action, id, target: v.target };
    case 'kyso.sign':
    case 'kyso.sign-batch': {
      if (!isId(v.certificateId) && !(typeof v.certificateId === 'string' && v.certificateId.length <= 200 && v.certificateId.length > 0)) throw bad('certificateId');
      if (typeof v.scheme !== 'string' || !SCHEMES.includes(v.scheme)) throw bad('scheme');
      if (typeof v.hash !== 'string' || !HASHES.includes(v.hash)) throw bad('hash');
      const common = { id, certificateId: v.certificateId as string, scheme: v.scheme as SignatureScheme, hash: v.hash as HashAlgorithm };
      if (v.action === 'kyso.sign') {
        if (!isB64(v.digest, 128)) throw bad('digest: base64');
        return { action: v.action, ...common, digest: v.digest, ...(v.document !== undefined ? { document: parseDocument(v.document, bad) } : {}) };
      }
      if (!Array.isArray(v.digests) || v.digests.length === 0 || v.digests.length > MAX_BATCH || !v.digests.every((d) => isB64(d, 128))) {
        throw bad(`digests: 1–${MAX_BATCH} base64 digests`);
      }
      if (v.documents !== undefined && (!Array.isArray(v.documents) || v.documents.length !== v.digests.length)) {
        throw bad('documents: one entry per digest');
      }
      const documents = Array.isArray(v.documents) ? v.documents.map((d) => parseDocument(d, bad)) : undefined;
      return { action: v.action, ...common, digests: v.digests as string[], ...(documents ? { documents } : {}) };
    }
    default:
      throw bad('action: unknown');
  }
}

/** @deprecated Use {@link PROTOCOL_VERSIONS}; kept for one release. */
export const TOKEN_AGENT_PROTOCOL_VERSIONS: readonly number[] = PROTOCOL_VERSIONS;
/** @deprecated Use {@link AgentCertificate}; kept for one release. */
export type AgentCertificateInfo = AgentCertificate;
/** @deprecated Use {@link DocumentInfo}; kept for one release. */
export type AgentDocumentInfo = DocumentInfo;
/** @deprecated Use {@link AgentRequest}; kept for one release. */
export type PageRequest = AgentRequest;

/** Agent → page, as the page reads it: a result's shape is checked per request by the caller. */
export type AgentReply = WaitingForUserMessage | ResultMessage<Record<string, unknown>> | ErrorMessage;

/**
 * Parses one agent → page frame; returns the reason as a string when it is not a valid message (the adapter turns it
 * into a typed error).
 */
export function parseAgentReply(text: unknown): AgentReply | string {
  if (typeof text !== 'string') return 'binary frame';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObj(v)) return 'not a JSON object';
  const id = typeof v.id === 'string' && v.id.length > 0 && v.id.length <= 64 ? v.id : null;
  switch (v.action) {
    case 'kyso.result':
      if (id === null || !isObj(v.result)) return 'result without id or object';
      return { action: v.action, id, result: v.result };
    case 'kyso.waiting-for-user':
      if (id === null) return 'waiting-for-user without id';
      return { action: v.action, id, reason: v.reason === 'consent' ? 'consent' : 'pin' };
    case 'kyso.error': {
      const e = v.error;
      if (!isObj(e) || e.kyso !== 1 || typeof e.code !== 'string') return 'error without a kyso error';
      return {
        action: v.action,
        id,
        error: { kyso: 1, code: e.code, message: typeof e.message === 'string' ? e.message : '', ...(typeof e.detail === 'string' ? { detail: e.detail } : {}) },
      };
    }
    default:
      return 'unknown action';
  }
}
