/**
 * Fuzz targets: every parser that hostile bytes reach, each with the contract
 * its callers rely on. A target throws only what its contract allows (a typed
 * `KysoError`, or nothing at all for the "never throws" readers); anything else
 * escaping it is a crash. Shared by the fixed-seed slice (`*.test.ts` here) and
 * the coverage-guided campaign (`npm run fuzz`, scripts/fuzz.mjs).
 */
import { KysoError } from '../../src/errors/index.js';
import { memorySource } from '../../src/pdf/byte-source.js';
import { Cursor } from '../../src/pdf/cursor.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { listFields, docMdpPermission } from '../../src/pdf/fields.js';
import { decodeStream } from '../../src/pdf/filters.js';
import { PdfStream } from '../../src/pdf/objects.js';
import { ObjectParser } from '../../src/pdf/parser.js';
import { ContentLexer, findText, pageTextLines, parseCMap } from '../../src/pdf/text/index.js';
import { certificateExtensions, parseCertificate, publicKeyOf } from '../../src/crypto/certificate-info.js';
import { parseTimestampToken, verifyTimestampToken } from '../../src/crypto/timestamp-token.js';
import { digestBytes, examineCms, examineTimestamp } from '../../src/verify/cms/index.js';
import { checkCrl, checkOcspResponse, crlUrls, ocspUrls, revocationDataFromCms } from '../../src/verify/revocation/index.js';
import { readBasicResponse } from '../../src/verify/revocation/ocsp.js';
import { findSignatures, readRevisions } from '../../src/verify/structure/index.js';
import { verify } from '../../src/entries/_validation.js';
import type { PdfValue } from '../../src/pdf/objects.js';
import { parseRequest, ProtocolViolation } from '../../../agent/src/protocol.js';
import { parseAgentReply } from '../../../adapters/src/token-agent/protocol.js';
import { TokenAgentAdapter, type WebSocketLike } from '../../../adapters/src/token-agent/token-agent-adapter.js';
import { latin1, minimalPdf } from '../pdf/minimal-pdf.js';

/** How a target's input is best mutated. */
export type InputKind = 'pdf' | 'der' | 'content' | 'json';

/** What a target needs besides its input: a small genuine PKI. */
export interface TargetContext {
  /** A leaf certificate, its issuer and the trust anchor (DER). */
  readonly leaf: Uint8Array;
  readonly issuer: Uint8Array;
  readonly root: Uint8Array;
  /** The validation time. */
  readonly at: Date;
}

export interface FuzzTarget {
  readonly name: string;
  readonly kind: InputKind;
  /** Source paths (under packages/) the target exercises, for the coverage report. */
  readonly covers: readonly string[];
  /** Runs one input. Throws only what {@link allowed} accepts. */
  run(data: Uint8Array, ctx: TargetContext): Promise<void>;
  /** Whether an error escaping {@link run} is within the contract (else: a crash). */
  allowed(error: unknown): boolean;
}

/** A crash: an error escaping a target against its contract. */
export class FuzzCrash extends Error {
  constructor(readonly target: string, readonly error: unknown) {
    super(`${target}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
  }
}

const typed = (e: unknown): boolean => e instanceof KysoError;
const never = (): boolean => false;

/** Runs `fn`; a KysoError ends only this step (so later steps still run), anything else escapes. */
function step<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KysoError) return undefined;
    throw e;
  }
}

async function stepAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof KysoError) return undefined;
    throw e;
  }
}

/** At most this many objects are loaded per document: the fuzz inputs are small, the bound keeps a run short. */
const MAX_OBJECTS = 400;

/** Opens the document and reads everything a verifier or signer reads from it. */
async function walkDocument(data: Uint8Array): Promise<void> {
  const doc = openWithPassword(data);
  let n = 0;
  for (const num of doc.xref.entries.keys()) {
    if (n++ >= MAX_OBJECTS) break;
    step(() => {
      const v = doc.get(num);
      if (v instanceof PdfStream) doc.streamData(v);
      doc.resolve(v);
    });
  }
  const pages = step(() => doc.pages()) ?? [];
  const first = pages[0];
  if (first) {
    // The appearance text reader (pdf/text) never throws on odd content.
    pageTextLines(doc, first);
    findText(doc, first, 'Kyso');
  }
  step(() => listFields(doc));
  step(() => docMdpPermission(doc));
}

/** The seeds' encrypted samples have the user password `user`: with it, the security handler and decryption are reached too. */
const PASSWORD = 'user';

function openWithPassword(data: Uint8Array): PdfDocument {
  try {
    return PdfDocument.open(memorySource(data));
  } catch (e) {
    if (e instanceof KysoError && e.code === 'ERR_PDF_ENCRYPTED') return PdfDocument.open(memorySource(data), { password: PASSWORD });
    throw e;
  }
}

/** Every object, stream and keyword of a raw object sequence, as the object parser reads them. */
function parseObjects(data: Uint8Array): void {
  const cur = new Cursor(memorySource(data));
  const p = new ObjectParser(cur, (v: PdfValue) => (typeof v === 'number' ? v : null));
  for (let guard = 0; guard < 10_000 && cur.pos < data.length; guard++) {
    const at = cur.pos;
    const parsed = step(() => {
      p.skipWhite();
      if (cur.pos >= data.length) return null;
      // "N G obj" starts an indirect object (with a stream body maybe); anything else is a value or keyword.
      if (/^\d+\s+\d+\s+obj/.test(new TextDecoder('latin1').decode(data.subarray(cur.pos, cur.pos + 32)))) {
        const o = p.parseIndirect();
        if (o.value instanceof PdfStream) {
          const s = o.value;
          step(() => decodeStream(s.dict, s.data ?? data.subarray(s.dataOffset, s.dataOffset + s.dataLength)));
        }
        return o.value;
      }
      return p.parseValueOrKeyword();
    });
    if (parsed === undefined || cur.pos === at) {
      // Resynchronise at the next line, as a reader recovering from damage would.
      let next = at + 1;
      while (next < data.length && data[next] !== 0x0a && data[next] !== 0x0d) next++;
      cur.pos = next;
    }
  }
}

/** Fonts whose text the reader decodes: a simple font and a composite one whose /ToUnicode is the same input. */
function textPage(content: Uint8Array): Uint8Array {
  const c = new TextDecoder('latin1').decode(content);
  return minimalPdf({
    objects: [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /X1 8 0 R >> >> >>',
      `<< /Length ${content.length} >>\nstream\n${c}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      '<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 4 0 R >>',
      '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>',
      `<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 5 0 R >> /XObject << /X1 8 0 R >> >> /Length ${content.length} >>\nstream\n${c}\nendstream`,
    ],
  });
}

type Listener = (event: { data?: unknown; code?: number }) => void;

/**
 * A token agent that answers `kyso.hello` properly and every other request
 * with the fuzz input: its text with `"$ID"` replaced by the request's id,
 * or, when the input is a JSON array, each of its elements as one frame.
 */
function agentAnswering(input: string): new (url: string) => WebSocketLike {
  return class FakeAgentSocket implements WebSocketLike {
    readyState = 0;
    readonly #listeners = new Map<string, Listener[]>();
    constructor(_url: string) {
      queueMicrotask(() => {
        this.readyState = 1;
        this.#emit('open', {});
      });
    }
    addEventListener(type: string, listener: Listener): void {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }
    send(data: string): void {
      const req = JSON.parse(data) as { action: string; id: string };
      if (req.action === 'kyso.cancel') return;
      const id = JSON.stringify(req.id);
      let frames: string[];
      if (req.action === 'kyso.hello') frames = [JSON.stringify({ action: 'kyso.result', id: req.id, result: { version: 1 } })];
      else {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(input);
        } catch {
          // sent as it is
        }
        frames = Array.isArray(parsed) ? parsed.map((f) => JSON.stringify(f).replaceAll('"$ID"', id)) : [input.replaceAll('"$ID"', id)];
      }
      for (const f of frames) queueMicrotask(() => this.#emit('message', { data: f }));
    }
    close(): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.#emit('close', { code: 1000 }));
    }
    #emit(type: string, event: { data?: unknown; code?: number }): void {
      for (const l of this.#listeners.get(type) ?? []) l(event);
    }
  };
}

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'pdf-document',
    kind: 'pdf',
    covers: ['core/src/pdf/'],
    allowed: typed,
    run: async (data) => {
      await walkDocument(data);
      const revisions = readRevisions(memorySource(data));
      findSignatures(memorySource(data), revisions);
    },
  },
  {
    name: 'pdf-objects',
    kind: 'pdf',
    covers: ['core/src/pdf/parser.ts', 'core/src/pdf/filters.ts', 'core/src/pdf/cursor.ts'],
    allowed: never,
    run: async (data) => parseObjects(data),
  },
  {
    name: 'pdf-text',
    kind: 'content',
    covers: ['core/src/pdf/text/'],
    // The content lexer, the CMap reader and the text walk never throw on odd content.
    allowed: never,
    run: async (data) => {
      const lx = new ContentLexer(data);
      const ops: PdfValue[] = [];
      for (let i = 0; i < 100_000 && lx.nextOperator(ops) !== null; i++);
      parseCMap(data);
      const doc = PdfDocument.open(memorySource(textPage(data)));
      const page = doc.page(1)!;
      pageTextLines(doc, page);
      findText(doc, page, 'so 12');
    },
  },
  {
    name: 'cms',
    kind: 'der',
    covers: ['core/src/verify/cms/', 'core/src/crypto/', 'core/src/verify/revocation/archival.ts'],
    allowed: typed,
    run: async (data) => {
      const covered = latin1('the covered bytes');
      await examineCms(data, (alg) => digestBytes(alg, covered), { documentTimestamp: false, content: () => covered });
      await examineCms(data, (alg) => digestBytes(alg, covered), { documentTimestamp: true });
      await examineTimestamp(data, (alg) => digestBytes(alg, covered));
      revocationDataFromCms(data);
      step(() => parseTimestampToken(data));
      await stepAsync(() => verifyTimestampToken(data));
    },
  },
  {
    name: 'certificate',
    kind: 'der',
    covers: ['core/src/crypto/certificate-info.ts', 'core/src/crypto/raw-der.ts', 'core/src/verify/revocation/online.ts'],
    allowed: typed,
    run: async (data) => {
      step(() => parseCertificate(data));
      step(() => publicKeyOf(data));
      step(() => certificateExtensions(data));
      step(() => ocspUrls(data));
      step(() => crlUrls(data));
    },
  },
  {
    name: 'revocation',
    kind: 'der',
    covers: ['core/src/verify/revocation/'],
    // Both judges and the OCSP reader are documented never to throw.
    allowed: never,
    run: async (data, ctx) => {
      readBasicResponse(data);
      const when = { at: ctx.at, now: ctx.at };
      await checkOcspResponse(data, ctx.leaf, ctx.issuer, when);
      await checkCrl(data, ctx.leaf, ctx.issuer, when);
    },
  },
  {
    name: 'agent-protocol',
    kind: 'json',
    covers: ['agent/src/protocol.ts', 'adapters/src/token-agent/protocol.ts'],
    // The agent's decoder throws ProtocolViolation only; the page's decoder returns a reason, never throws.
    allowed: (e) => e instanceof ProtocolViolation,
    run: async (data) => {
      const text = new TextDecoder().decode(data);
      parseAgentReply(text);
      parseRequest(text);
    },
  },
  {
    name: 'token-agent-adapter',
    kind: 'json',
    covers: ['adapters/src/token-agent/'],
    // What the page's adapter makes of an agent's answers: certificates and signatures, or a typed error.
    allowed: typed,
    run: async (data) => {
      const input = new TextDecoder().decode(data);
      const options = { WebSocket: agentAnswering(input), connectTimeoutMs: 50, answerTimeoutMs: 20, userTimeoutMs: 20 };
      const algorithm = { scheme: 'ECDSA', hash: 'SHA-256' } as const;
      const calls: ((a: TokenAgentAdapter) => Promise<unknown>)[] = [
        (a) => a.listCertificates(),
        (a) => a.signDigests({ certificateId: 'c1', algorithm, digests: [new Uint8Array(32).fill(1)] }),
        (a) => a.signDigests({ certificateId: 'c1', algorithm, digests: [new Uint8Array(32), new Uint8Array(32)] }),
      ];
      for (const call of calls) {
        const adapter = new TokenAgentAdapter(options);
        try {
          await stepAsync(() => call(adapter));
        } finally {
          adapter.close();
        }
      }
    },
  },
  {
    name: 'verify',
    kind: 'pdf',
    covers: ['core/src/'],
    allowed: typed,
    run: async (data, ctx) => {
      await verify(data, { trust: [ctx.root], revocation: 'embedded', at: ctx.at, password: PASSWORD });
    },
  },
];

/** Runs one input through a target; resolves to the crash, or null when the target kept its contract. */
export async function runOne(target: FuzzTarget, data: Uint8Array, ctx: TargetContext): Promise<FuzzCrash | null> {
  try {
    await target.run(data, ctx);
    return null;
  } catch (e) {
    return target.allowed(e) ? null : new FuzzCrash(target.name, e);
  }
}

export function targetNamed(name: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target ${name}; targets: ${TARGETS.map((x) => x.name).join(', ')}`);
  return t;
}
