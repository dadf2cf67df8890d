/** The demo server's JSON API, typed. All requests are same-origin (CSP connect-src 'self'). */
export type Stage = 'draft' | 'approved' | 'numbered' | 'issued' | 'published';

export interface DocumentRecord {
  readonly id: string;
  readonly title: string;
  readonly state: Stage;
  readonly number: string | null;
  readonly date: string | null;
  readonly history: readonly { readonly at: string; readonly action: Stage; readonly who: 'drafter' | 'leader' | 'clerk' }[];
}

export interface InboxRecord {
  readonly id: string;
  readonly name: string;
  readonly receivedAt: string;
  readonly size: number;
  readonly verdict: 'valid' | 'invalid' | 'indeterminate' | 'unsigned' | 'error';
}

export interface PublishedEntry {
  readonly id: string;
  readonly title: string;
  readonly number: string | null;
  readonly date: string | null;
  readonly url: string;
}

export interface DemoConfig {
  readonly demoKeyPassword: string;
  readonly keys: { readonly leader: string; readonly seal: string };
  readonly images: { readonly signature: string; readonly seal: string };
  readonly trustRoot: string;
  readonly tsaPath: string;
  readonly pkiPrefix: string;
  readonly pkiPaths: readonly string[];
}

/** An error the server explained, in both languages. */
export class ServerError extends Error {
  constructor(readonly status: number, readonly code: string, readonly text: { readonly vi: string; readonly en: string }) {
    super(text.en);
  }
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  let body: { error?: { code?: string; vi?: string; en?: string } } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: fall through with the status only
  }
  const e = body.error ?? {};
  throw new ServerError(res.status, e.code ?? `HTTP_${res.status}`, { vi: e.vi ?? `HTTP ${res.status}`, en: e.en ?? `HTTP ${res.status}` });
}

async function getJson<T>(path: string): Promise<T> {
  return (await check(await fetch(path))).json() as Promise<T>;
}

async function postPdf<T>(path: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/pdf', ...headers }, body: bytes as Uint8Array<ArrayBuffer> });
  return (await check(res)).json() as Promise<T>;
}

async function postJson<T>(path: string, value: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
  return (await check(res)).json() as Promise<T>;
}

export async function bytesOf(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await check(await fetch(url))).arrayBuffer());
}

export const api = {
  config: () => getJson<DemoConfig>('/api/config'),
  documents: () => getJson<DocumentRecord[]>('/api/documents'),
  document: (id: string) => getJson<DocumentRecord>(`/api/documents/${id}`),
  pdfUrl: (id: string) => `/api/documents/${id}/pdf`,
  newDraft: () => postJson<DocumentRecord>('/api/documents', {}),
  approve: (id: string, signed: Uint8Array) => postPdf<DocumentRecord>(`/api/documents/${id}/approve`, signed),
  number: (id: string, number: string, date: string) => postJson<DocumentRecord>(`/api/documents/${id}/number`, { number, date }),
  issue: (id: string, signed: Uint8Array) => postPdf<DocumentRecord>(`/api/documents/${id}/issue`, signed),
  publish: (id: string) => postJson<DocumentRecord>(`/api/documents/${id}/publish`, {}),
  published: () => getJson<PublishedEntry[]>('/api/published'),
  inbox: () => getJson<InboxRecord[]>('/api/inbox'),
  receive: (name: string, bytes: Uint8Array) => postPdf<InboxRecord>('/api/inbox', bytes, { 'x-file-name': encodeURIComponent(name) }),
};
