import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { kysoError, type FetchLike, type SignatureReport, type VerificationReport, type VerifyOptions } from '@kyso/core';
import type { CallOptions, KysoClient } from '@kyso/core/worker';
import type { ErrorDetail } from '../shared/error-detail.js';
import { KysoElement } from '../shared/kyso-element.js';
import { formatSigningTime } from '../shared/format-time.js';
import { format, type Lang } from '../shared/locale.js';
import { displayTime, documentState, signatureState, type BadgeState } from './badge-state.js';
import { BADGE_STRINGS } from './strings.js';
import { badgeStyles } from './styles.js';

type Phase =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly percent: number | null }
  | { readonly state: 'done'; readonly report: VerificationReport; readonly bytes: Uint8Array }
  | { readonly state: 'error'; readonly error: ErrorDetail };

/** Icons by state: a shape as well as a colour, so that the state never rests on colour alone (WCAG 1.4.1). */
const ICONS: Record<BadgeState, string> = {
  valid: '✔', 'valid-changes': '✔', modified: '⚠', invalid: '✖', revoked: '✖', expired: '⚠', unknown: '?', unsigned: '○', loading: '…', error: '!',
};

/** The module of the page-wide client, once loaded (it is loaded on first use: it brings the worker client). */
let clientModule: typeof import('../shared/client.js') | undefined;

/** Options that trigger a new verification when they change. */
const VERIFY_INPUTS = ['src', 'data', 'trustProfile', 'revocation', 'trust', 'revocationData', 'fetch', 'at', 'client'] as const;

/**
 * A compact badge saying whether a PDF's signatures hold, for portals that
 * publish signed documents: who signed, when, and one of the states of
 * `BadgeState` (valid; valid with permitted changes; modified after signing;
 * invalid; revoked; expired; unknown; not signed; loading; error). The state
 * comes from the verification report by a strict mapping (`documentState`):
 * unknown stays unknown.
 *
 * Verification runs in kyso's worker (the page-wide client of
 * `defaultKysoClient()`, or `client`). "Details" opens a dialog listing every
 * signature; from there the `<signature-panel>` (and pdf.js) is loaded only when
 * asked for, so the badge itself stays small.
 *
 * @element verify-badge
 * @summary Who signed a PDF, when, and whether it still holds.
 *
 * @fires kyso-verified - Verification finished; `detail` is the `VerificationReport`. Bubbles, composed.
 * @fires kyso-error - The document could not be fetched, read or verified; `detail` is `{code, message, cause}`. Bubbles, composed.
 *
 * @attr src - URL of the PDF; `data` wins when both are set.
 * @attr transfer-data - Let the badge take `data`'s bytes (the array is left empty) instead of copying them.
 * @attr trust-profile - `vn-gov` (default: the Government "chuyên dùng" CA), `vn-public` (licensed public CAs), `vn` (both) or `none`.
 * @attr revocation - `embedded` (default: only data inside the file), `online` (OCSP/CRL through `fetch`) or `off`.
 * @attr lang - `vi` (default) or `en`; inherited from ancestors and the document when absent.
 *
 * @csspart badge - The badge (also has the class `state-<state>`; its `data-state` attribute is the state).
 * @csspart icon - The state's symbol.
 * @csspart title - The state's words.
 * @csspart signer - The signer and the signing time.
 * @csspart progress - The progress bar while verifying.
 * @csspart details-button - The button that opens the details.
 * @csspart dialog - The details dialog.
 * @csspart signature-list - The list of signatures in the dialog.
 * @csspart panel-button - The button that loads the signature panel.
 *
 * @cssprop --kyso-font - Font family.
 * @cssprop --kyso-radius - Corner radius.
 * @cssprop --kyso-accent - Focus ring colour.
 * @cssprop --kyso-valid-fg - Text colour of the valid states (and --kyso-valid-bg, background).
 * @cssprop --kyso-warning-fg - Text colour of the warning states: modified, expired (and --kyso-warning-bg).
 * @cssprop --kyso-danger-fg - Text colour of invalid and revoked (and --kyso-danger-bg).
 * @cssprop --kyso-neutral-fg - Text colour of unknown, not signed, loading, error (and --kyso-neutral-bg).
 */
export class VerifyBadge extends KysoElement {
  static override styles = badgeStyles;

  /** URL of the PDF (fetched with the page's `fetch`). */
  @property() src: string | undefined;

  /**
   * The PDF's bytes. The badge keeps them unchanged (the worker gets a copy) for the details panel, unless
   * `transferData` lets it take them.
   */
  @property({ attribute: false }) data: Uint8Array | undefined;

  /**
   * Lets the badge take `data`'s bytes instead of copying them. The array's buffer moves to the verification worker,
   * so the array you set is left empty (detached), and the badge keeps the document for the details panel and for
   * verifying again. This saves a copy of the file, in time and in memory: at 20 MB, about a quarter of the verdict's
   * time (docs/decisions/0035-browser-verdict-floor.md). Use it when the page has no further use for the array.
   * An array that views only part of its buffer, or a SharedArrayBuffer, is copied as usual. So is any array when
   * the `client` cannot hand documents back (no `verifyReturning`).
   * If the verification of a taken document fails (an unreadable file), the bytes are gone: set `data` again.
   */
  @property({ type: Boolean, attribute: 'transfer-data' }) transferData = false;

  /** The trust anchors to use besides `trust`. */
  @property({ attribute: 'trust-profile' }) trustProfile: 'vn' | 'vn-gov' | 'vn-public' | 'none' = 'vn-gov';

  /** Where revocation data may come from. */
  @property() revocation: 'embedded' | 'online' | 'off' = 'embedded';

  /** More trust anchors: DER or PEM certificates (e.g. a test PKI's root). */
  @property({ attribute: false }) trust: readonly (Uint8Array | string)[] | undefined;

  /**
   * CRLs and OCSP responses obtained elsewhere (DER or PEM), e.g. a CRL an intranet back end downloaded from the
   * CA: used after the file's own data, before the network, in every `revocation` mode but `off`.
   */
  @property({ attribute: false }) revocationData: VerifyOptions['revocationData'];

  /** Reaches OCSP, CRL and AIA URLs in `online` mode (route it through your backend for CORS). */
  @property({ attribute: false }) fetch: FetchLike | undefined;

  /** The validation time; default now. */
  @property({ attribute: false }) at: Date | undefined;

  /** The kyso worker client; default the page-wide `defaultKysoClient()`. */
  @property({ attribute: false }) client: KysoClient | undefined;

  @state() private phase: Phase = { state: 'idle' };
  @state() private panelRequested = false;
  @state() private panelReady = false;

  @query('dialog') private dialog!: HTMLDialogElement | null;
  @query('[part="details-button"]') private detailsButton!: HTMLButtonElement | null;

  #controller: AbortController | undefined;
  #scheduled = false;
  /**
   * A `data` array the badge took (`transferData`), and its bytes: with the worker while a verification runs, back
   * when it ends (undefined if it failed and the worker kept them).
   */
  #taken: { readonly from: Uint8Array; readonly bytes: Promise<Uint8Array | undefined> } | undefined;

  /** The badge's state; `undefined` before anything was given to verify. */
  get state(): BadgeState | undefined {
    switch (this.phase.state) {
      case 'idle': return undefined;
      case 'loading': return 'loading';
      case 'error': return 'error';
      case 'done': return documentState(this.phase.report).state;
    }
  }

  /** The last report, or undefined. */
  get report(): VerificationReport | undefined {
    return this.phase.state === 'done' ? this.phase.report : undefined;
  }

  /** The last error, or undefined. */
  get error(): ErrorDetail | undefined {
    return this.phase.state === 'error' ? this.phase.error : undefined;
  }

  /** Verifies again (e.g. later, when revocation data may have become reachable). */
  refresh(): Promise<void> {
    return this.#verify();
  }

  /** Opens the details dialog (when there is a report or an error to detail). */
  openDetails(): void {
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.phase.state !== 'done' && (this.src || this.data)) this.#schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
    this.#controller = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (VERIFY_INPUTS.some((k) => changed.has(k)) && this.isConnected) this.#schedule();
  }

  /** Several inputs set in one task (src, trust, fetch…) start one verification, not one each. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#verify();
    });
  }

  async #verify(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    this.panelRequested = false;
    this.panelReady = false;
    if (!this.data && !this.src) {
      this.phase = { state: 'idle' };
      return;
    }
    this.phase = { state: 'loading', percent: null };
    if (this.#taken && this.#taken.from !== this.data) this.#taken = undefined; // another document now
    try {
      // The worker gets the bytes by transfer: moved, not copied (a structured clone of an ArrayBuffer is serialised
      // and deserialised, two copies). `data` is the page's and stays as it is, so the worker gets a copy of it. A
      // fetched file is the badge's own: it goes to the worker and comes back with the report (`verifyReturning`),
      // never copied, and is kept for the details panel.
      const fetched = this.data ? undefined : await fetchDocument(this.src!, signal);
      // Once the client module is loaded, no await stands between here and the worker getting the bytes: the
      // loading state renders while the worker works, not before it starts.
      const client = this.client ?? (clientModule ??= await import('../shared/client.js')).defaultKysoClient();
      if (signal.aborted) return;
      const call: CallOptions = {
        signal,
        onProgress: (p) => {
          if (signal.aborted || this.phase.state !== 'loading' || p.total <= 0) return;
          this.phase = { state: 'loading', percent: Math.min(100, Math.round((100 * p.done) / p.total)) };
        },
      };
      let report: VerificationReport;
      let bytes: Uint8Array;
      if (!fetched && (this.#taken || (this.transferData && wholeBuffer(this.data!) && client.verifyReturning))) {
        ({ report, bytes } = await this.#verifyTaken(this.data!, client, call));
      } else if (!fetched) {
        report = await client.verify(this.data!.slice(), this.#options(), call);
        bytes = this.data!;
      } else if (client.verifyReturning) {
        ({ report, pdf: bytes } = await client.verifyReturning(fetched, this.#options(), call));
      } else {
        report = await client.verify(fetched, this.#options(), { ...call, transfer: false });
        bytes = fetched;
      }
      if (signal.aborted) return;
      this.phase = { state: 'done', report, bytes };
      this.emit('kyso-verified', report);
    } catch (error) {
      if (signal.aborted) return;
      this.phase = { state: 'error', error: this.reportError(error) };
    }
  }

  /**
   * Verifies a `data` array the badge takes (`transferData`), or took for an earlier verification. Its bytes move to
   * the worker and back with the report, never copied. The call is not aborted when a newer verification starts:
   * the bytes must come back. A newer one waits for them, then moves them again.
   */
  async #verifyTaken(data: Uint8Array, client: KysoClient, call: CallOptions): Promise<{ report: VerificationReport; bytes: Uint8Array }> {
    const pdf = this.#taken ? await this.#taken.bytes : data;
    call.signal?.throwIfAborted();
    if (!pdf) throw kysoError('ERR_INVALID_ARGUMENT', 'the document given with transfer-data could not be read and is gone: set data again');
    if (!client.verifyReturning) {
      // A client that cannot hand documents back gets a copy; the badge keeps its own.
      this.#taken = { from: data, bytes: Promise.resolve(pdf) };
      return { report: await client.verify(pdf, this.#options(), { ...call, transfer: false }), bytes: pdf };
    }
    const returning = client.verifyReturning(pdf, this.#options(), { onProgress: call.onProgress });
    this.#taken = { from: data, bytes: returning.then((r) => r.pdf, () => undefined) };
    const { report, pdf: bytes } = await returning;
    return { report, bytes };
  }

  #options(): VerifyOptions {
    const trust: NonNullable<VerifyOptions['trust']>[number][] = [];
    if (this.trustProfile === 'vn' || this.trustProfile === 'vn-gov' || this.trustProfile === 'vn-public') trust.push(this.trustProfile);
    trust.push(...(this.trust ?? []));
    return {
      trust,
      revocation: this.revocation,
      ...(this.revocationData ? { revocationData: this.revocationData } : {}),
      ...(this.fetch ? { fetch: this.fetch } : {}),
      ...(this.at ? { at: this.at } : {}),
      ...(this.src ? { file: fileName(this.src) } : {}),
    };
  }

  protected override render(): TemplateResult | typeof nothing {
    const lang = this.uiLang;
    const t = BADGE_STRINGS[lang];
    const phase = this.phase;
    const badgeState = this.state;
    if (!badgeState) return nothing;
    const decisive = phase.state === 'done' ? documentState(phase.report).decisive : null;
    const signature = phase.state === 'done' && decisive !== null ? phase.report.signatures[decisive] : undefined;
    const others = phase.state === 'done' ? phase.report.signatures.filter((s) => s.kind === 'signature').length - 1 : 0;
    const hasDetails = phase.state === 'done' || phase.state === 'error';
    return html`
      <div part="badge" class="badge state-${badgeState}" data-state=${badgeState} role="status" aria-live="polite" aria-busy=${phase.state === 'loading' ? 'true' : 'false'}>
        <span part="icon" class="icon" aria-hidden="true">${ICONS[badgeState]}</span>
        <span class="text">
          <strong part="title" class="title">${t[`state.${badgeState}`]}</strong>
          ${signature ? html`<span part="signer" class="signer">${signerLine(signature, lang)}${others > 0 ? html` · ${format(t.more, { count: others })}` : nothing}</span>` : nothing}
          ${phase.state === 'error' ? html`<span part="signer" class="signer">${phase.error.message}</span>` : nothing}
        </span>
        ${phase.state === 'loading'
          ? html`<progress part="progress" max="100" aria-label=${t.progress} .value=${phase.percent ?? 0} ?indeterminate=${phase.percent === null}></progress>`
          : nothing}
        ${hasDetails
          ? html`<button part="details-button" type="button" aria-haspopup="dialog" @click=${() => this.openDetails()}>${t.details}</button>`
          : nothing}
      </div>
      ${hasDetails ? this.#renderDialog(lang) : nothing}
    `;
  }

  #renderDialog(lang: Lang): TemplateResult {
    const t = BADGE_STRINGS[lang];
    const phase = this.phase;
    const badgeState = this.state!;
    return html`<dialog part="dialog" aria-labelledby="kyso-badge-title" @close=${() => this.detailsButton?.focus()}>
      <h2 id="kyso-badge-title">${t.dialogTitle}</h2>
      <p class="summary state-${badgeState}"><span aria-hidden="true">${ICONS[badgeState]}</span> ${t[`state.${badgeState}`]}.
        ${t[`hint.${badgeState}`]}</p>
      ${phase.state === 'error'
        ? html`<p>${phase.error.message} (${t.errorCode}: <code>${phase.error.code}</code>)</p>`
        : nothing}
      ${phase.state === 'done' && phase.report.signatures.length
        ? html`<ol part="signature-list" class="signatures">${phase.report.signatures.map((s, i) => this.#renderSignature(s, i, phase.report, lang))}</ol>`
        : nothing}
      ${phase.state === 'done' && phase.report.signatures.length ? this.#renderPanel(phase, lang) : nothing}
      <form method="dialog"><button type="submit" class="close" autofocus>${t.close}</button></form>
    </dialog>`;
  }

  #renderSignature(s: SignatureReport, index: number, report: VerificationReport, lang: Lang): TemplateResult {
    const t = BADGE_STRINGS[lang];
    const st = signatureState(s);
    const n = report.signatures.slice(0, index + 1).filter((o) => o.kind === s.kind).length;
    const name = s.kind === 'signature' ? format(t.signature, { n }) : format(t.documentTimestamp, { n });
    return html`<li class="state-${st}" data-state=${st}>
      <strong>${name}: <span aria-hidden="true">${ICONS[st]}</span> ${t[`state.${st}`]}</strong><br />
      ${s.kind === 'signature' ? html`${signerLine(s, lang)}<br />` : nothing}
      ${t.level}: ${s.level} · ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}
      ${s.messages[0] ? html`<br /><span class="message">${s.messages[0][lang]}</span>` : nothing}
    </li>`;
  }

  #renderPanel(phase: Extract<Phase, { state: 'done' }>, lang: Lang): TemplateResult {
    const t = BADGE_STRINGS[lang];
    if (!this.panelRequested) {
      return html`<button part="panel-button" type="button" @click=${() => void this.#loadPanel()}>${t.openPanel}</button>`;
    }
    if (!this.panelReady) return html`<p role="status">${t.panelLoading}</p>`;
    return html`<signature-panel lang=${lang} .report=${phase.report} .data=${phase.bytes}></signature-panel>`;
  }

  async #loadPanel(): Promise<void> {
    this.panelRequested = true;
    // Loaded on demand: the panel brings pdf.js with it (when it renders pages).
    await import('../signature-panel/define.js');
    this.panelReady = true;
  }
}

function signerLine(s: SignatureReport, lang: Lang): string {
  const t = BADGE_STRINGS[lang];
  const who = s.signer.commonName ?? s.signer.organization ?? t.unknownSigner;
  const time = displayTime(s);
  const parts = [format(t.signedBy, { name: who })];
  if (time) parts.push(format(time.proven ? t.timeProven : t.timeClaimed, { time: formatSigningTime(time.at, lang) }));
  return parts.join(' ');
}

async function fetchDocument(src: string, signal: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await globalThis.fetch(src, { signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw kysoError('ERR_IO', 'cannot fetch the document', e);
  }
  if (!response.ok) throw kysoError('ERR_IO', `fetching the document failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Whether `bytes` is all of its ArrayBuffer (not a SharedArrayBuffer): only then may moving the buffer take it. */
function wholeBuffer(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

function fileName(src: string): string {
  try {
    return decodeURIComponent(new URL(src, globalThis.location?.href).pathname.split('/').pop() ?? src);
  } catch {
    return src;
  }
}
