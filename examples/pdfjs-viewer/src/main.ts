/**
 * A generic pdf.js viewer (pdfjs-dist's `web/pdf_viewer.mjs` components:
 * EventBus, PDFLinkService, PDFViewer) that shows kyso's verdict on every
 * signature of the open PDF. pdf.js renders; kyso verifies the bytes pdf.js
 * loaded (`pdfDocument.getData()`), through `@kyso/elements/pdfjs-verifier`:
 * with pdf.js ≥ 6.2 the signatures pdf.js lists (`getSignatures()`, with the
 * spans from `getSignatureData()`) go to kyso's verifier the way pdf.js's own
 * signature panel sends them to its verifier; with older pdf.js, kyso lists them.
 *
 * Built by Vite into same-origin files, it runs under
 * `default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'`.
 * The document comes from `?file=<same-origin path>` or the file picker; trust
 * settings from `kyso-viewer.json` beside the page (see README.md).
 */
import * as pdfjsLib from 'pdfjs-dist';
import type { VerifyOptions } from '@kyso/core';
import {
  createKysoSignatureVerifier, describeVerdict, renderSignatureList, verifyPdfjsDocument, type PdfjsSignatureVerdict,
} from '@kyso/elements/pdfjs-verifier';

type Lang = 'vi' | 'en';

/** Settings a deployment puts in `kyso-viewer.json` (all optional). */
interface ViewerConfig {
  /** Same-origin URLs of trust anchor certificates (DER), added to `trustProfile`. */
  readonly trust?: readonly string[];
  /** `vn-gov` (default), `vn-public`, or `none` (only `trust`). */
  readonly trustProfile?: 'vn-gov' | 'vn-public' | 'none';
  /** `embedded` (default: no network) or `online` (OCSP/CRL fetched from the page, if the CSP's connect-src allows). */
  readonly revocation?: 'embedded' | 'online';
}

/** What the page shows, also written as JSON into #result (the browser test reads it). */
interface Record {
  ready: boolean;
  pdfjsVersion: string;
  pages: number;
  rendered: number;
  verdicts: {
    listedBy: string; status: string; errorCode: string | null; state: string; headline: string;
    changes: { text: string; allowed: boolean }[]; signer: string | null; modifiedAfterSigning: boolean; modificationsAfterSignature: number;
  }[] | null;
  errors: string[];
  violations: string[];
}

const TEXT = {
  vi: { open: 'Mở tệp PDF', title: 'Chữ ký số', checking: 'Đang kiểm tra chữ ký…', none: 'Tệp không có chữ ký số.', failed: 'Không kiểm tra được chữ ký: ', refused: 'Chỉ mở được tệp cùng nguồn với trang.' },
  en: { open: 'Open a PDF', title: 'Digital signatures', checking: 'Checking signatures…', none: 'The file has no digital signature.', failed: 'Signatures could not be checked: ', refused: 'Only files from the page\'s own origin can be opened.' },
} as const;

const params = new URLSearchParams(location.search);
const lang: Lang = (params.get('lang') ?? document.documentElement.lang).startsWith('en') ? 'en' : 'vi';
document.documentElement.lang = lang;
const t = TEXT[lang];
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
$('open-label').textContent = t.open;
$('signatures-title').textContent = t.title;

const record: Record = { ready: false, pdfjsVersion: pdfjsLib.version, pages: 0, rendered: 0, verdicts: null, errors: [], violations: [] };
const publish = () => ($('result').textContent = JSON.stringify(record));
document.addEventListener('securitypolicyviolation', (e) => {
  record.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  publish();
});

// pdf.js's worker as a same-origin module script that Vite emits (no blob:, no CDN).
pdfjsLib.GlobalWorkerOptions.workerPort = new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url), { type: 'module' });

// pdf_viewer.mjs reads pdf.js from `globalThis.pdfjsLib`; set it before the components are evaluated.
(globalThis as { pdfjsLib?: unknown }).pdfjsLib ??= pdfjsLib;
const { EventBus, PDFLinkService, PDFViewer } = await import('pdfjs-dist/web/pdf_viewer.mjs');

const eventBus = new EventBus();
const linkService = new PDFLinkService({ eventBus });
const viewer = new PDFViewer({ container: $<HTMLDivElement>('viewerContainer'), viewer: $<HTMLDivElement>('viewer'), eventBus, linkService });
linkService.setViewer(viewer);
eventBus.on('pagesinit', () => (viewer.currentScaleValue = 'page-width'));
eventBus.on('pagerendered', () => {
  record.rendered++;
  publish();
});

async function bytesOf(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function loadConfig(): Promise<VerifyOptions> {
  const response = await fetch('./kyso-viewer.json');
  const config: ViewerConfig = response.ok ? await response.json() : {};
  const profile = config.trustProfile ?? 'vn-gov';
  const anchors = await Promise.all((config.trust ?? []).map(bytesOf));
  return { trust: [...(profile === 'none' ? [] : [profile]), ...anchors], revocation: config.revocation ?? 'embedded' };
}

function showVerdicts(verdicts: readonly PdfjsSignatureVerdict[]): void {
  $('signatures-status').textContent = verdicts.length ? '' : t.none;
  $('signature-list').replaceChildren(renderSignatureList(verdicts, lang));
  record.verdicts = verdicts.map(({ signature, result, listedBy }) => {
    const described = describeVerdict(result, lang);
    return {
      listedBy, status: result.status, errorCode: result.errorCode, state: described.state, headline: described.headline,
      changes: [...described.changes], signer: result.certificate?.subjectCN ?? signature.signerName ?? null,
      modifiedAfterSigning: result.documentModifiedAfterSigning, modificationsAfterSignature: result.modificationsAfterSignature,
    };
  });
  publish();
}

let current: { destroy(): Promise<void> } | undefined;

async function open(bytes: Uint8Array, name: string): Promise<void> {
  await current?.destroy();
  record.verdicts = null;
  record.rendered = 0;
  $('file-name').textContent = name;
  $('signatures-status').textContent = t.checking;
  $('signature-list').replaceChildren();
  // pdf.js detaches the buffer it is given; it gets a copy. No string in the document is ever run as code.
  // `isEvalSupported` is for pdf.js 5.x (6.x has no eval path left and no such option).
  const init: Parameters<typeof pdfjsLib.getDocument>[0] & { isEvalSupported?: boolean } = { data: bytes.slice(), isEvalSupported: false, enableXfa: false };
  const task = pdfjsLib.getDocument(init);
  current = task;
  const pdfDocument = await task.promise;
  record.pages = pdfDocument.numPages;
  viewer.setDocument(pdfDocument);
  linkService.setDocument(pdfDocument, null);
  publish();
  const verifier = createKysoSignatureVerifier({ document: () => pdfDocument.getData(), verifyOptions: await loadConfig(), lang });
  try {
    showVerdicts(await verifyPdfjsDocument(pdfDocument, verifier));
  } catch (e) {
    $('signatures-status').textContent = t.failed + (e instanceof Error ? e.message : String(e));
    throw e;
  }
}

const fail = (e: unknown) => {
  record.errors.push(e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e));
  publish();
};

$<HTMLInputElement>('file-input').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void file.arrayBuffer().then((b) => open(new Uint8Array(b), file.name)).catch(fail);
});

const requested = params.get('file');
if (requested) {
  const url = new URL(requested, location.href);
  // Same origin only: the page must not become a way to fetch (and vouch for) other sites' files.
  if (url.origin !== location.origin) fail(new Error(t.refused));
  else await bytesOf(url.href).then((b) => open(b, decodeURIComponent(url.pathname.split('/').pop() ?? ''))).catch(fail);
}
record.ready = true;
publish();
