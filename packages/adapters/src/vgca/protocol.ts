/**
 * The VGCA Sign Service wire contract, as far as public client code shows it
 * (no vendor specification was found; field names are observed, not
 * guaranteed; see ../shared/domain/agents.md §1 and
 * docs/decisions/0010-vgca-sign-service.md):
 *
 * - the page opens `wss://127.0.0.1:8987/<Endpoint>` and sends one text frame,
 *   a JSON object (the "base request" plus per-endpoint fields);
 * - the service downloads `FileName`, signs, POSTs the result as the
 *   `multipart/form-data` part `uploadfile` to `FileUploadHandler`, and
 *   answers the page with one text frame, a JSON object whose `Status` is 0
 *   on success.
 *
 * Pure functions only: used by {@link VgcaAdapter} in the page, by the
 * emulator and by the tests.
 *
 * @module
 */
import { kysoError, type FullDocumentRequest, type FullDocumentResult, type FullDocumentRole } from '@kyso/core';

/** The signing endpoints kyso drives, with the Decree 30 role each stands for (BCY signing categories 1–6). */
export const VGCA_ENDPOINTS = {
  approve: 'SignApproved',
  issue: 'SignIssued',
  income: 'SignIncome',
  comment: 'Comment',
  appendix: 'SignAppendix',
  copy: 'SignCopy',
} as const satisfies Record<FullDocumentRole, string>;

/** One of the signing endpoints in {@link VGCA_ENDPOINTS}. */
export type VgcaSignEndpoint = (typeof VGCA_ENDPOINTS)[FullDocumentRole];

/** The role an endpoint stands for, or null for an endpoint kyso does not drive. */
export function roleOfEndpoint(endpoint: string): FullDocumentRole | null {
  for (const [role, name] of Object.entries(VGCA_ENDPOINTS)) if (name === endpoint) return role as FullDocumentRole;
  return null;
}

/** The JSON object sent in the one request frame. */
export interface VgcaRequest {
  readonly FileUploadHandler: string;
  readonly SessionId: string;
  readonly JWTToken: string;
  readonly FileName: string;
  readonly DocNumber?: string;
  readonly IssuedDate?: string;
  readonly MetaData?: readonly { readonly Key: string; readonly Value: string }[];
}

/** The JSON object of the one reply frame. */
export interface VgcaReply {
  /** 0 means signed (and uploaded, when `FileServer` is not empty). */
  readonly Status: number;
  readonly Message: string | null;
  readonly FileName: string | null;
  readonly FileServer: string;
  readonly DocumentNumber: string | null;
  readonly DocumentDate: string | null;
}

/** Which extra fields each endpoint needs (agents.md §1 table). */
const NEEDS: Record<FullDocumentRole, { docNumber: boolean; issuedDate: boolean; metadata: boolean }> = {
  approve: { docNumber: false, issuedDate: false, metadata: false },
  issue: { docNumber: true, issuedDate: true, metadata: false },
  income: { docNumber: false, issuedDate: false, metadata: true },
  comment: { docNumber: false, issuedDate: false, metadata: true },
  appendix: { docNumber: true, issuedDate: false, metadata: true },
  copy: { docNumber: true, issuedDate: false, metadata: true },
};

/** Longest URL or field kyso sends; the service has no documented limit, this only stops accidents. */
const MAX_FIELD = 4096;

/**
 * Builds the request frame for a role. Checks every field and names the bad
 * one (`ERR_INVALID_ARGUMENT`). `FileName: ""` (the service's own file picker)
 * is deliberately not offered: the document must come from the integrator.
 */
export function buildVgcaRequest(request: FullDocumentRequest): { endpoint: VgcaSignEndpoint; body: VgcaRequest } {
  if (!request || typeof request !== 'object') throw kysoError('ERR_INVALID_ARGUMENT', 'request must be an object');
  const role = request.role;
  if (!Object.hasOwn(VGCA_ENDPOINTS, role)) throw kysoError('ERR_INVALID_ARGUMENT', `role: unknown role ${JSON.stringify(role)}`);
  const needs = NEEDS[role];
  const body: Record<string, unknown> = {
    FileUploadHandler: checkUrl(request.uploadUrl, 'uploadUrl'),
    SessionId: checkText(request.sessionId ?? '', 'sessionId', true),
    JWTToken: checkText(request.jwtToken ?? '', 'jwtToken', true),
    FileName: checkUrl(request.documentUrl, 'documentUrl'),
  };
  if (needs.docNumber || request.docNumber !== undefined) {
    body.DocNumber = checkText(request.docNumber, 'docNumber', !needs.docNumber);
  }
  if (needs.issuedDate || request.issuedDate !== undefined) {
    if (!(request.issuedDate instanceof Date) || Number.isNaN(request.issuedDate.getTime())) {
      throw kysoError('ERR_INVALID_ARGUMENT', `issuedDate: a valid Date is required for role ${role}`);
    }
    body.IssuedDate = formatVietnamIso(request.issuedDate);
  }
  if (needs.metadata || request.metadata !== undefined) {
    const list = request.metadata ?? [];
    if (!Array.isArray(list)) throw kysoError('ERR_INVALID_ARGUMENT', 'metadata must be an array of {key, value}');
    body.MetaData = list.map((m, i) => {
      if (!m || typeof m !== 'object') throw kysoError('ERR_INVALID_ARGUMENT', `metadata[${i}] must be {key, value}`);
      return { Key: checkText(m.key, `metadata[${i}].key`, false), Value: checkText(m.value, `metadata[${i}].value`, true) };
    });
  }
  return { endpoint: VGCA_ENDPOINTS[role], body: body as unknown as VgcaRequest };
}

/**
 * Reads the reply frame. `Status` may come as a number or a numeric string
 * (integrations compare with `Number(rv.Status)`); anything else is
 * `ERR_VGCA_BAD_REPLY`. Unknown fields are ignored.
 */
export function parseVgcaReply(text: unknown): VgcaReply {
  if (typeof text !== 'string') throw kysoError('ERR_VGCA_BAD_REPLY', 'the reply is not a text frame');
  if (text.length > 1_000_000) throw kysoError('ERR_VGCA_BAD_REPLY', `the reply is ${text.length} characters long`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw kysoError('ERR_VGCA_BAD_REPLY', 'the reply is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw kysoError('ERR_VGCA_BAD_REPLY', 'the reply is not a JSON object');
  const o = value as Record<string, unknown>;
  const status = typeof o.Status === 'number' ? o.Status
    : typeof o.Status === 'string' && /^-?\d{1,9}$/.test(o.Status.trim()) ? Number(o.Status.trim()) : NaN;
  if (!Number.isInteger(status)) throw kysoError('ERR_VGCA_BAD_REPLY', 'the reply has no integer Status');
  return {
    Status: status,
    Message: optionalText(o.Message ?? o.Error),
    FileName: optionalText(o.FileName),
    FileServer: fileServerText(o.FileServer),
    DocumentNumber: optionalText(o.DocumentNumber),
    DocumentDate: optionalText(o.DocumentDate),
  };
}

/** Options that steer how a reply becomes a result or an error. */
export interface ReplyInterpretation {
  /** `Status` values that mean "the user cancelled". See docs/decisions/0010: not confirmed on the real service. */
  readonly cancelledStatuses: readonly number[];
}

/**
 * Turns a parsed reply into the result, or the typed error it stands for:
 * `Status` ≠ 0 → `ERR_VGCA_CANCELLED` or `ERR_VGCA_REFUSED`; `Status` 0 with
 * an empty `FileServer` → `ERR_VGCA_NOT_STORED` (signed locally, but the
 * handler did not store it: agents.md §1).
 */
export function interpretVgcaReply(reply: VgcaReply, how: ReplyInterpretation): FullDocumentResult {
  const said = reply.Message ? `service said: ${reply.Message.slice(0, 300)}` : 'no message';
  if (reply.Status !== 0) {
    if (how.cancelledStatuses.includes(reply.Status)) throw kysoError('ERR_VGCA_CANCELLED', `Status ${reply.Status}; ${said}`);
    throw kysoError('ERR_VGCA_REFUSED', `Status ${reply.Status}; ${said}`);
  }
  if (!reply.FileServer) throw kysoError('ERR_VGCA_NOT_STORED', said);
  return {
    fileName: reply.FileName,
    fileServer: reply.FileServer,
    documentNumber: reply.DocumentNumber,
    documentDate: reply.DocumentDate,
    message: reply.Message,
  };
}

/**
 * `yyyy-MM-ddTHH:mm:ss+07:00`: ISO 8601 in Vietnam time (UTC+7, no daylight
 * saving), the form of `IssuedDate` in BCY's sample request; computed by
 * arithmetic, never from the machine's zone.
 */
export function formatVietnamIso(date: Date): string {
  const t = new Date(date.getTime() + 7 * 3600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}+07:00`;
}

function checkUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: an http(s) URL is required`);
  if (value.length > MAX_FIELD) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: longer than ${MAX_FIELD} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw kysoError('ERR_INVALID_ARGUMENT', `${name}: not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw kysoError('ERR_INVALID_ARGUMENT', `${name}: only http and https URLs`);
  if (url.username || url.password) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: credentials in the URL are not allowed`);
  return value;
}

function checkText(value: unknown, name: string, emptyAllowed: boolean): string {
  if (typeof value !== 'string') throw kysoError('ERR_INVALID_ARGUMENT', `${name}: a string is required`);
  if (!emptyAllowed && !value.trim()) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: must not be empty`);
  if (value.length > MAX_FIELD) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: longer than ${MAX_FIELD} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw kysoError('ERR_INVALID_ARGUMENT', `${name}: control characters are not allowed`);
  return value;
}

function optionalText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** `FileServer` is whatever the handler returned: text, or JSON the service passed through as an object. */
function fileServerText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
