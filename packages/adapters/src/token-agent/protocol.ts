/**
 * The page side of the kyso token agent protocol, version 1
 * (docs/agent-protocol.md). The agent (packages/agent/src/protocol.ts) owns
 * the protocol; this file mirrors its message shapes so that page code never
 * imports the agent package (Node, PKCS#11). The tests run one against the
 * other, so they cannot drift silently.
 */
import type { HashAlgorithm, SerializedError, SignatureScheme } from '@kyso/core';

/** Protocol versions this page side speaks. */
export const TOKEN_AGENT_PROTOCOL_VERSIONS: readonly number[] = [1];

/** A certificate as the agent lists it (base64 DER). */
export interface AgentCertificateInfo {
  readonly id: string;
  readonly certificate: string;
  readonly chain: readonly string[];
  readonly label: string;
  readonly token: { readonly label: string; readonly serial: string };
  readonly keyType: 'RSA' | 'EC';
  readonly keyBits: number;
  readonly curve?: string;
  readonly schemes: readonly SignatureScheme[];
}

/** What the page declares about a document, shown in the agent's PIN prompt (optional; the agent cannot check it). */
export interface AgentDocumentInfo {
  /** 1–200 characters. */
  readonly name?: string;
  /** 8–64 hex digits of the document's digest. */
  readonly digestPrefix?: string;
}

/** Page → agent requests. */
export type PageRequest =
  | { readonly action: 'kyso.hello'; readonly id: string; readonly versions: readonly number[]; readonly clientToken?: string }
  | { readonly action: 'kyso.list-certificates'; readonly id: string }
  | {
    readonly action: 'kyso.sign'; readonly id: string; readonly certificateId: string; readonly scheme: SignatureScheme; readonly hash: HashAlgorithm;
    readonly digest: string; readonly document?: AgentDocumentInfo;
  }
  | {
    readonly action: 'kyso.sign-batch'; readonly id: string; readonly certificateId: string; readonly scheme: SignatureScheme; readonly hash: HashAlgorithm;
    readonly digests: readonly string[]; readonly documents?: readonly AgentDocumentInfo[];
  }
  | { readonly action: 'kyso.cancel'; readonly id: string; readonly target: string };

/** Agent → page messages. */
export type AgentReply =
  | { readonly action: 'kyso.result'; readonly id: string; readonly result: Record<string, unknown> }
  | { readonly action: 'kyso.waiting-for-user'; readonly id: string; readonly reason: 'pin' | 'consent' }
  | { readonly action: 'kyso.error'; readonly id: string | null; readonly error: SerializedError };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one agent frame; returns a reason string when it is not a valid message. */
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
