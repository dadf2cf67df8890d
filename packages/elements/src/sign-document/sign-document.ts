import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { fromBase64, kysoError, toKysoError } from '@kyso/core';
import type {
  AppearanceImage, CertificateEntry, CopyForm, FetchLike, PadesLevel, Placement, SignOptions, SigningAdapter,
  VerificationReport, VerifyOptions,
} from '@kyso/core';
import type { KysoClient, Progress } from '@kyso/core/worker';
import '../certificate-picker/define.js';
import '../pdf-page-view/define.js';
import type { PdfPageView } from '../pdf-page-view/pdf-page-view.js';
import type { PageOverlay } from '../pdf-page-view/overlay.js';
import type { VisiblePoint } from '../pdf-page-view/page-geometry.js';
import { defaultKysoClient } from '../shared/client.js';
import type { ErrorDetail } from '../shared/error-detail.js';
import { KysoElement } from '../shared/kyso-element.js';
import { format, type Lang } from '../shared/locale.js';
import { isConfirmingAdapter, type ConfirmingAdapter } from './confirmation.js';
import { boxAround, clampBox, moveBox, toPoints, type Box, type PageSize } from './geometry.js';
import { loadDocument } from './load.js';
import { clearPending, documentDigest, loadPending, savePending, type PendingSigning } from './resume.js';
import { defaultBoxSize, issueWithoutSeal, previewAppearance } from './preview.js';
import { ROLES, SIGN_STRINGS, type SigningRole } from './strings.js';
import { signDocumentStyles } from './styles.js';

/** Detail of the cancelable `kyso-before-sign`: the options `client.sign` will get (frozen). */
export interface BeforeSignDetail {
  readonly options: Readonly<SignOptions>;
}

/** Detail of `kyso-signed`. */
export interface SignedDetail {
  /** The signed PDF: the input bytes followed by the appended incremental update. */
  readonly bytes: Uint8Array;
  readonly blob: Blob;
  /** The verification of `bytes` made by the element before firing (with `trust`, `revocation` and `fetch`). */
  readonly report: VerificationReport;
}

/** Detail of `kyso-error`. */
export type SignErrorDetail = ErrorDetail;

/** A signature box the user placed (or the page gave as a rectangle), in points, core's placement space. */
interface PlacedBox {
  readonly page: number;
  readonly rect: Box;
  /** Whether it came from the user (click, drag, keys) rather than the `placement` property. */
  readonly byUser: boolean;
}

type DocState =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly bytes: Uint8Array }
  | { readonly state: 'error'; readonly error: ErrorDetail };

type Status =
  | { readonly kind: 'none' }
  | { readonly kind: 'signing'; readonly progress?: Progress }
  /** A confirming adapter waits for the signer's phone until `expiresAt` (ms since the epoch). */
  | { readonly kind: 'confirming'; readonly expiresAt: number }
  | { readonly kind: 'verifying' }
  | { readonly kind: 'signed' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'hint'; readonly text: 'chooseCertificate' | 'noDocument' }
  | { readonly kind: 'error'; readonly error: ErrorDetail };

/**
 * Failures to reach the integrator's back end (or the service behind it)
 * while waiting: the transaction may still complete, so a kept signing stays
 * for a reload to resume.
 */
const TRANSPORT_FAILURES: ReadonlySet<string> = new Set(['ERR_REMOTE_UNREACHABLE', 'ERR_REMOTE_TIMEOUT', 'ERR_REMOTE_SERVER']);

/** Key steps, in points: small for fine placement, large with Shift. */
const STEP = 2;
const BIG_STEP = 20;
const OVERLAY_KIND = 'signature';

/**
 * Signs a PDF in the page: shows the document, lets the user place the
 * signature, pick the Decree 30/2020 role and the certificate, signs in the
 * kyso worker and verifies the result before handing it over.
 *
 * Placement, in order of precedence: a box the user placed (click or drag on
 * a page; or, with the keyboard, the position control: Enter or an arrow key
 * creates the box, arrow keys move it, Shift+arrow moves it further, Enter
 * confirms, Escape removes it); the `placement` property; the `anchor`
 * attribute (core puts the signature next to that text); otherwise core's
 * Decree 30 default for the role. For `issue` without a chosen box, core
 * places the seal over the left third of the leader's signature when the
 * document has one (Appendix I §II.8a).
 *
 * The text of the preview comes from core's `appearanceLines`, so it is the
 * text that will be drawn; the signing time shown is the preview's own.
 *
 * While signing, further clicks on the sign button are ignored; removing the
 * element from the page aborts the work in progress.
 *
 * Adapters that sign through a confirmation on the signer's phone (those with
 * `start` and `awaitTransaction`, e.g. `RemoteSigningAdapter`: VNPT SmartCA,
 * NEAC, MySign, RSSP) get a wait state: "confirm on your phone", a countdown
 * to the end of the service's window, and a cancel button that aborts the
 * signing and cancels the transaction at the service. A rejection, an expired
 * window or a transaction cancelled at the service ends as `kyso-error` with
 * `ERR_REMOTE_REJECTED`, `ERR_REMOTE_EXPIRED` or `ERR_REMOTE_CANCELLED`.
 * Such a signature is made in stages (core's `prepare`, the adapter's `start`
 * and `awaitTransaction`, core's `finish`). With `resume-key`, the element
 * keeps the prepared signature and the pending transaction in the tab's
 * `sessionStorage` while the signer confirms: after a page reload, the element
 * with the same `resume-key`, given the same document and a confirming
 * adapter, resumes the wait (countdown to the service's real window end,
 * cancel) and completes that same signature, without `kyso-before-sign` (the
 * page approved it before the reload). Nothing secret is kept (see
 * `PendingSigning`). A different document under the key drops it (and cancels
 * its transaction).
 *
 * @element sign-document
 * @summary Place, preview and make a PAdES signature on a PDF.
 *
 * @fires kyso-before-sign - Cancelable; `detail.options` are the signing options. `preventDefault()` stops signing.
 * @fires kyso-signed - `detail` is `{bytes, blob, report}`: the signed PDF and its verification report.
 * @fires kyso-error - `detail` is `{code, message, cause}` (message in the element's language; `cause` for developers).
 * @fires kyso-certificate-selected - From the embedded certificate picker; `detail` is the `CertificateEntry`.
 *
 * @attr src - URL of the PDF to sign (`data`, then `file`, win when set).
 * @attr signature-role - Decree 30 role: `approve` (default), `issue`, `appendix`, `copy`, `comment`.
 * @attr level - PAdES level: `B-B` (default) or `B-T` (needs `tsa-url`).
 * @attr tsa-url - RFC 3161 timestamp authority, reached through `fetch`.
 * @attr anchor - Put the signature next to this text (when the user places no box).
 * @attr anchor-position - `above` (default), `below`, `right` or `over`.
 * @attr doc-number - Document number and symbol, shown by the `appendix` role (e.g. `15/QĐ-UBND`).
 * @attr copy-form - `SAO Y` (default), `SAO LỤC` or `TRÍCH SAO`, for the `copy` role.
 * @attr reason - The signature's reason (the opinion, for `comment`).
 * @attr revocation - Revocation data used when checking the output: `embedded` (default), `online`, `off`.
 * @attr resume-key - Names this signing for the tab (e.g. the document's id in the app): a signature waiting on
 *   the signer's phone survives a page reload. Unset: nothing is kept.
 * @attr lang - `vi` (default) or `en`; inherited from ancestors and the document when absent.
 *
 * @csspart toolbar - The bar with the role picker and the sign button.
 * @csspart role - The role `<select>`.
 * @csspart sign-button - The sign button.
 * @csspart document - The `<pdf-page-view>` showing the document.
 * @csspart side - The side panel (certificates, placement, preview).
 * @csspart position - The keyboard-operable placement control.
 * @csspart preview - The appearance preview.
 * @csspart status - Progress, success, hints and errors.
 * @csspart progress - The progress bar.
 * @csspart countdown - While waiting for the phone: the time left to confirm.
 * @csspart cancel-button - While waiting for the phone: the button that cancels the signing.
 * @csspart placement-box - The signature box drawn over the page.
 *
 * @cssprop --kyso-font - Font family.
 * @cssprop --kyso-accent - Accent colour (focus, buttons, the placement box).
 * @cssprop --kyso-danger - Colour of errors.
 * @cssprop --kyso-border - Border colour.
 * @cssprop --kyso-radius - Corner radius.
 * @cssprop --kyso-signature-color - Colour of the leader's signature in the preview (Decree 30: blue).
 * @cssprop --kyso-seal-color - Colour of the seal in the preview (Decree 30: red).
 * @cssprop --kyso-sign-document-height - Height of the document view.
 */
export class SignDocument extends KysoElement {
  static override styles = signDocumentStyles;

  /** URL of the PDF to sign. */
  @property() src: string | undefined;
  /** The PDF as a File or Blob (e.g. from `<input type=file>`). */
  @property({ attribute: false }) file: Blob | undefined;
  /** The PDF's bytes. The element signs a copy; the page's buffer is never changed or detached. */
  @property({ attribute: false }) data: Uint8Array | undefined;

  /**
   * The Decree 30 role of the signature. (Not `role`: that attribute is the
   * element's ARIA role, and `role="approve"` would mislead assistive technology.)
   */
  @property({ attribute: 'signature-role', reflect: true }) signatureRole: SigningRole = 'approve';
  /** Where the keys are (`@kyso/adapters` or your own `SigningAdapter`). */
  @property({ attribute: false }) adapter: SigningAdapter | undefined;
  @property() level: PadesLevel = 'B-B';
  @property({ attribute: 'tsa-url' }) tsaUrl: string | undefined;
  /** Reaches the TSA and, when `revocation` is `online`, OCSP/CRL responders (route them through your backend for CORS). */
  @property({ attribute: false }) fetch: FetchLike | undefined;

  /** A position given by the page: page and rectangle (`unit` `pt` or `mm`), or an anchor. */
  @property({ attribute: false }) placement: Placement | undefined;
  @property() anchor: string | undefined;
  @property({ attribute: 'anchor-position' }) anchorPosition: 'above' | 'below' | 'right' | 'over' | undefined;

  /** The leader's signature image (approve) or the agency's seal (issue), PNG or JPEG. */
  @property({ attribute: false }) image: AppearanceImage | undefined;
  @property({ attribute: 'doc-number' }) docNumber: string | undefined;
  @property({ attribute: 'copy-form' }) copyForm: CopyForm | undefined;
  @property() reason: string | undefined;

  /** Trust anchors for checking the output (see core's `VerifyOptions.trust`); default none, so the report says "not trusted". */
  @property({ attribute: false }) trust: VerifyOptions['trust'];
  @property() revocation: 'embedded' | 'online' | 'off' = 'embedded';
  /**
   * Set by the app to let a signature that waits on the signer's phone survive
   * a page reload (kept in `sessionStorage` under this key; see the class
   * description). One key per document the app signs.
   */
  @property({ attribute: 'resume-key' }) resumeKey: string | undefined;

  /** The kyso worker client; default the page-wide one (`defaultKysoClient()`). */
  @property({ attribute: false }) client: KysoClient | undefined;

  @state() private doc: DocState = { state: 'idle' };
  @state() private certificate: CertificateEntry | undefined;
  @state() private box: PlacedBox | undefined;
  @state() private status: Status = { kind: 'none' };
  @state() private currentPage = 1;

  @query('pdf-page-view') private view!: PdfPageView | null;

  #loadController: AbortController | undefined;
  #signController: AbortController | undefined;
  /** Set synchronously on the first click: repeated clicks while signing are ignored. */
  #pending = false;
  /** Set by {@link cancel}: the abort is the user's, shown as "cancelled", not as an error. */
  #cancelledByUser = false;
  /** Redraws the countdown each second while the signer confirms on the phone. */
  #clock: ReturnType<typeof setInterval> | undefined;
  #drag: { readonly page: number; readonly dx: number; readonly dy: number; readonly size: PageSize } | undefined;
  #announcement = '';

  /** Whether a signature is being made. */
  get pending(): boolean {
    return this.#pending;
  }

  /** The placement the next signature will use (what `client.sign` gets as `placement`), or undefined for core's default. */
  get effectivePlacement(): Placement | undefined {
    if (this.box?.byUser) return { page: this.box.page, rect: [...this.box.rect] as [number, number, number, number], unit: 'pt' };
    if (this.placement) return this.placement;
    if (this.anchor) return { anchor: { text: this.anchor, ...(this.anchorPosition ? { position: this.anchorPosition } : {}) } };
    return undefined;
  }

  /**
   * Signs the document with the chosen certificate, as the sign button does.
   * Resolves when done (the outcome is in the events); a call while a
   * signature is being made does nothing.
   */
  async sign(): Promise<void> {
    await this.#run((signal) => this.#sign(signal));
  }

  /** Runs one signing (made here, or resumed after a reload): one at a time, cancellable, its outcome shown and fired. */
  async #run(make: (signal: AbortSignal) => Promise<Uint8Array | null>): Promise<void> {
    if (this.#pending) return;
    this.#pending = true;
    const controller = new AbortController();
    this.#signController = controller;
    this.#cancelledByUser = false;
    try {
      await this.#deliver(controller.signal, make);
    } finally {
      if (this.#signController === controller) this.#signController = undefined;
      this.#pending = false;
      this.requestUpdate();
    }
  }

  /**
   * Cancels the signature being made (the cancel button of the wait state):
   * the signing is aborted, a transaction waiting on the signer's phone is
   * cancelled at the service, and the status says "cancelled" (no `kyso-error`).
   */
  cancel(): void {
    if (!this.#signController) return;
    this.#cancelledByUser = true;
    this.#signController.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#warnAriaRole();
    if (this.hasUpdated && this.doc.state !== 'ready') void this.#load();
  }

  /** The `role` value last warned about: one warning per mistake, not one per render. */
  #warnedRole: string | null = null;

  /**
   * `role="issue"` sets the element's ARIA role, not its Decree 30 role: the
   * element would sign as `approve` at the leader's box, and assistive
   * technology would announce a role that does not exist. Say so on the console.
   */
  #warnAriaRole(): void {
    const role = this.getAttribute('role');
    if (role === null || role === this.#warnedRole || !(ROLES as readonly string[]).includes(role)) return;
    this.#warnedRole = role;
    console.warn(
      `<sign-document role="${role}">: \`role\` is the element's ARIA role. The Decree 30 role is the \`signature-role\` attribute `
      + `(or the \`signatureRole\` property): write signature-role="${role}". This element signs as "${this.signatureRole}".`,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#loadController?.abort();
    this.#signController?.abort();
    this.#stopClock();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('resumeKey') || changed.has('adapter') || changed.has('doc' as keyof SignDocument)) this.#resumeIfKept();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#warnAriaRole();
    if ((changed.has('src') || changed.has('file') || changed.has('data')) && this.isConnected) void this.#load();
    if (changed.has('placement')) this.#takePlacement();
    if (changed.has('signatureRole') && !ROLES.includes(this.signatureRole)) this.signatureRole = 'approve';
  }

  protected override render(): TemplateResult {
    const lang = this.uiLang;
    const t = SIGN_STRINGS[lang];
    const busy = this.#pending;
    return html`<section class="layout" aria-label=${t.region}>
      <div part="toolbar" class="toolbar">
        <label>${t.role}
          <select part="role" .value=${this.signatureRole} ?disabled=${busy} @change=${this.#onRoleChange}>
            ${ROLES.map((r) => html`<option value=${r} ?selected=${r === this.signatureRole}>${t[`role.${r}`]}</option>`)}
          </select>
        </label>
        <button part="sign-button" class="sign" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${this.#onSignClick}>
          ${busy ? t.signing : t.sign}
        </button>
      </div>
      <div class="body">
        <div class="document" @pointerdown=${this.#onPointerDown} @pointermove=${this.#onPointerMove}
          @pointerup=${this.#onPointerUp} @pointercancel=${this.#onPointerUp}>
          ${this.#renderDocument(t)}
        </div>
        <div part="side" class="side">
          <div class="field">
            <span class="label" id="cert-label">${t.certificate}</span>
            <certificate-picker aria-labelledby="cert-label" lang=${lang} .adapter=${this.adapter}
              @kyso-certificate-selected=${this.#onCertificate}></certificate-picker>
          </div>
          ${this.#renderPosition(t)}
          ${this.#renderPreview(lang)}
          ${this.#renderStatus(t)}
        </div>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.#announcement}</div>
    </section>`;
  }

  #renderDocument(t: (typeof SIGN_STRINGS)['vi']): TemplateResult {
    const doc = this.doc;
    switch (doc.state) {
      case 'idle':
        return html`<p class="status">${t.noDocument}</p>`;
      case 'loading':
        return html`<p class="status" role="status">${t.loading}</p>`;
      case 'error':
        return html`<p class="status error" role="alert">${t.loadFailed}: ${doc.error.message} <code>${doc.error.code}</code></p>`;
      case 'ready':
        return html`<pdf-page-view part="document" exportparts="overlay-signature: placement-box" lang=${this.uiLang}
          .data=${doc.bytes} .overlays=${this.#overlays(t)}
          @kyso-page-change=${(e: CustomEvent<{ page: number }>) => (this.currentPage = e.detail.page)}></pdf-page-view>`;
    }
  }

  #overlays(t: (typeof SIGN_STRINGS)['vi']): PageOverlay[] {
    const box = this.box;
    if (!box) return [];
    const [x, y, w, h] = box.rect;
    // Core's placement space is the page as the reader sees it (crop box, after /Rotate): the view's visible space.
    return [{ page: box.page, rect: [x, y, x + w, y + h], space: 'visible', kind: OVERLAY_KIND, label: this.#positionText(t.boxPlaced, box) }];
  }

  #renderPosition(t: (typeof SIGN_STRINGS)['vi']): TemplateResult {
    const box = this.box;
    const hint = this.#placementHint(t);
    return html`<div class="field">
      <div part="position" class="position ${box ? 'placed' : ''}" tabindex="0" role="button"
        aria-describedby=${box ? 'position-keys' : nothing} @keydown=${this.#onPositionKey}>
        ${box ? this.#positionText(t.boxPlaced, box) : format(t.pageSurface, { page: this.currentPage })}
      </div>
      <p id="position-keys" class="visually-hidden">${t.box}</p>
      ${hint ? html`<p class="hint">${hint}</p>` : nothing}
      ${box?.byUser ? html`<button type="button" class="link" @click=${() => this.#clearBox()}>${t.clearPlacement}</button>` : nothing}
    </div>`;
  }

  #placementHint(t: (typeof SIGN_STRINGS)['vi']): string | null {
    if (this.box?.byUser) return null;
    if (this.box || this.placement) return t.placementGiven;
    if (this.anchor) return format(t.placementAnchor, { text: this.anchor });
    if (this.signatureRole === 'issue') return t.placementIssue;
    if (this.signatureRole === 'appendix' || this.signatureRole === 'copy') return t.placementTopRight;
    return t.placementAuto;
  }

  #renderPreview(lang: Lang): TemplateResult {
    const t = SIGN_STRINGS[lang];
    const preview = previewAppearance({
      role: this.signatureRole, lang, certificate: this.certificate, image: this.image, docNumber: this.docNumber,
      copyForm: this.copyForm, reason: this.reason, signingTime: new Date(),
    });
    return html`<figure part="preview" class="preview role-${this.signatureRole}" aria-label=${t.preview}>
      <figcaption>${t.preview}</figcaption>
      <div class="appearance">
        ${preview.image === 'seal' ? html`<div class="seal">${t.previewSeal}</div>` : nothing}
        ${preview.image === 'signature' ? html`<div class="signature-image">${t.previewImage}</div>` : nothing}
        ${preview.missing ? html`<p class="hint">${t.needDocNumber}</p>` : nothing}
        ${preview.lines.length ? html`<div class="lines">${preview.lines.map((l) => html`<div>${l}</div>`)}</div>` : nothing}
      </div>
    </figure>`;
  }

  #renderStatus(t: (typeof SIGN_STRINGS)['vi']): TemplateResult | typeof nothing {
    const s = this.status;
    switch (s.kind) {
      case 'none':
        return nothing;
      case 'signing': {
        const p = s.progress;
        return html`<div part="status" class="status" role="status">${t.signing}
          ${p && p.total > 0
            ? html`<progress part="progress" aria-label=${t.progress} max=${p.total} .value=${p.done}></progress>`
            : html`<progress part="progress" aria-label=${t.progress}></progress>`}
        </div>`;
      }
      case 'confirming':
        return this.#renderConfirming(t, s.expiresAt);
      case 'verifying':
        return html`<div part="status" class="status" role="status">${t.verifying}</div>`;
      case 'signed':
        return html`<div part="status" class="status ok" role="status">${t.signed}</div>`;
      case 'cancelled':
        return html`<div part="status" class="status" role="status">${t.cancelled}</div>`;
      case 'hint':
        return html`<div part="status" class="status" role="status">${t[s.text]}</div>`;
      case 'error':
        return html`<div part="status" class="status error" role="alert">${s.error.message} <code>${s.error.code}</code></div>`;
    }
  }

  /**
   * The wait for the phone. The message sits in a polite live region; the
   * countdown is a `timer` (not live: a reading each second would drown the
   * rest), and its text is the time left to the service's window end.
   */
  #renderConfirming(t: (typeof SIGN_STRINGS)['vi'], expiresAt: number): TemplateResult {
    const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    return html`<div part="status" class="status confirming">
      <div role="status" aria-live="polite">
        <p class="confirm-title">${t.confirmOnPhone}</p>
        <p>${t.confirmHow}</p>
      </div>
      <p>${t.confirmLeft} <span part="countdown" role="timer" aria-label=${format(t.confirmTimer, { time })}>${time}</span></p>
      <button part="cancel-button" class="cancel" type="button" @click=${() => this.cancel()}>${t.cancelSigning}</button>
    </div>`;
  }

  /** Told by the confirming adapter: the signer has to act until `expiresAt`, or (null) no longer. */
  #onWait = (expiresAt: number | null): void => {
    if (expiresAt === null) {
      this.#stopClock();
      if (this.status.kind === 'confirming') this.status = { kind: 'signing' };
      return;
    }
    this.status = { kind: 'confirming', expiresAt };
    this.#announce(SIGN_STRINGS[this.uiLang].confirmOnPhone);
    this.#stopClock();
    this.#clock = setInterval(() => this.requestUpdate(), 1000);
  };

  #stopClock(): void {
    if (this.#clock !== undefined) clearInterval(this.#clock);
    this.#clock = undefined;
  }

  #positionText(template: string, box: PlacedBox): string {
    return format(template, { page: box.page, x: Math.round(box.rect[0]), y: Math.round(box.rect[1]) });
  }

  async #load(): Promise<void> {
    this.#loadController?.abort();
    const controller = new AbortController();
    this.#loadController = controller;
    this.doc = { state: 'loading' };
    try {
      const bytes = await loadDocument({ data: this.data, file: this.file, src: this.src }, controller.signal);
      if (controller.signal.aborted) return;
      this.doc = bytes ? { state: 'ready', bytes } : { state: 'idle' };
      if (this.box?.byUser) this.box = undefined; // a new document: the old position means nothing
      this.status = { kind: 'none' };
    } catch (error) {
      if (controller.signal.aborted) return;
      this.doc = { state: 'error', error: this.reportError(error) };
    }
  }

  /** Shows a rectangle given by the page as the box (it is not the user's: `placement` is passed as given). */
  #takePlacement(): void {
    const p = this.placement;
    if (this.box?.byUser) return;
    if (p?.rect) {
      const rect = toPoints(p.rect, p.unit);
      this.box = { page: p.page ?? 1, rect, byUser: false };
    } else {
      this.box = undefined;
    }
  }

  /** Makes the signature the page asked for; null when there is nothing to sign (a hint) or the page said no. */
  async #sign(signal: AbortSignal): Promise<Uint8Array | null> {
    const lang = this.uiLang;
    const doc = this.doc;
    if (doc.state !== 'ready') {
      this.status = { kind: 'hint', text: 'noDocument' };
      return null;
    }
    const adapter = this.adapter;
    const certificate = this.certificate;
    if (!adapter || !certificate) {
      this.status = { kind: 'hint', text: 'chooseCertificate' };
      return null;
    }
    const placement = this.effectivePlacement;
    const options: SignOptions = Object.freeze({
      adapter,
      certificateId: certificate.id,
      level: this.level,
      appearance: {
        role: this.signatureRole,
        lang,
        ...(this.image ? { image: this.image } : {}),
        ...(this.docNumber ? { docNumber: this.docNumber } : {}),
        ...(this.signatureRole === 'copy' ? { copyForm: this.copyForm ?? 'SAO Y' } : {}),
        ...(issueWithoutSeal({ role: this.signatureRole, image: this.image }) ? { showText: true } : {}),
      },
      ...(placement ? { placement } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.tsaUrl ? { timestamp: { url: this.tsaUrl, ...(this.fetch ? { fetch: this.fetch } : {}) } } : {}),
    });
    const proceed = this.emit('kyso-before-sign', { options }, { cancelable: true });
    if (!proceed) {
      this.status = { kind: 'cancelled' };
      return null;
    }
    const client = this.client ?? defaultKysoClient();
    this.status = { kind: 'signing' };
    const onProgress = (progress: Progress) => {
      if (this.status.kind === 'signing') this.status = { kind: 'signing', progress };
    };
    if (isConfirmingAdapter(adapter)) return this.#signConfirmed(adapter, certificate, doc.bytes, options, signal, onProgress);
    return client.sign(doc.bytes.slice(), options, { signal, transfer: true, onProgress });
  }

  /**
   * A signature confirmed on the signer's phone, in stages: core's `prepare`
   * (in the worker), the adapter's `start` over the digest, then (kept for a
   * reload when `resume-key` is set) the wait and core's `finish`.
   */
  async #signConfirmed(
    adapter: ConfirmingAdapter, certificate: CertificateEntry, bytes: Uint8Array, options: SignOptions, signal: AbortSignal,
    onProgress: (p: Progress) => void,
  ): Promise<Uint8Array> {
    const client = this.client ?? defaultKysoClient();
    const caps = adapter.capabilities();
    const hash = caps.hashes.includes('SHA-256') ? 'SHA-256' : caps.hashes[0];
    const { adapter: _adapter, certificateId: _id, ...prepareOptions } = options;
    const prepared = await client.prepare(
      bytes.slice(), { ...prepareOptions, ...(hash ? { hash } : {}), certificate: certificate.certificate, chain: certificate.chain },
      { signal, transfer: true, onProgress },
    );
    if (!caps.schemes.includes(prepared.scheme) || !caps.hashes.includes(prepared.hash)) {
      throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `${adapter.name} cannot sign ${prepared.scheme} with ${prepared.hash}`);
    }
    // Not aborted half-way: once the service has the digest the phone may be asked, so an abort during the
    // start waits for the transaction (one request, with its time-out) and cancels it.
    const transaction = await adapter.start({
      certificateId: certificate.id, digests: [fromBase64(prepared.toBeSignedDigest)!], hash: prepared.hash, scheme: prepared.scheme,
    });
    if (signal.aborted) {
      adapter.cancel?.(transaction).catch(() => undefined);
      throw kysoError('ERR_ABORTED', 'aborted while the transaction was started');
    }
    const pending: PendingSigning = {
      kind: 'kyso.sign-document.pending', version: 1, documentSha256: await documentDigest(bytes), certificateId: certificate.id,
      prepared, transaction,
    };
    const key = this.resumeKey;
    if (key) savePending(key, pending);
    return this.#complete(adapter, pending, bytes, key, signal);
  }

  /**
   * The wait for the phone and core's `finish`: shared by a signing made now
   * and one resumed after a reload. The kept state is dropped once the
   * transaction has settled (signed, rejected, expired, cancelled) or the
   * signing was aborted; it stays when the back end could not be reached, so
   * a later reload can still complete it within the window.
   */
  async #complete(adapter: ConfirmingAdapter, pending: PendingSigning, bytes: Uint8Array, key: string | undefined, signal: AbortSignal): Promise<Uint8Array> {
    const expiresAt = Date.parse(pending.transaction.expiresAt);
    if (Number.isNaN(expiresAt)) {
      if (key) clearPending(key);
      throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'start: expiresAt is not a date');
    }
    const startedAt = pending.transaction.startedAt === undefined ? Number.NaN : Date.parse(pending.transaction.startedAt);
    const asks = Number.isNaN(startedAt) || expiresAt > startedAt;
    if (asks) this.#onWait(expiresAt);
    let signature: Uint8Array;
    try {
      const [first, ...rest] = await adapter.awaitTransaction(pending.transaction, signal);
      if (!first || rest.length) throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'expected one signature value');
      signature = first;
    } catch (error) {
      // Not awaited and its failure not reported: the signer already sees "cancelled", and a transaction
      // the service did not drop still ends at its window without a signature the page would take.
      if (signal.aborted) adapter.cancel?.(pending.transaction).catch(() => undefined);
      if (key && (signal.aborted || !TRANSPORT_FAILURES.has(toKysoError(error).code))) clearPending(key);
      throw error;
    } finally {
      this.#onWait(null);
    }
    const client = this.client ?? defaultKysoClient();
    try {
      return await client.finish(pending.prepared, signature, {
        pdf: bytes.slice(), ...(this.tsaUrl ? { timestamp: { url: this.tsaUrl, ...(this.fetch ? { fetch: this.fetch } : {}) } } : {}),
      }, { signal, transfer: true });
    } finally {
      if (key) clearPending(key);
    }
  }

  /**
   * After a reload: a signing kept under `resume-key` for this document, with
   * a confirming adapter given, is resumed (once per kept transaction).
   */
  #resumeIfKept(): void {
    const key = this.resumeKey;
    const adapter = this.adapter;
    const doc = this.doc;
    if (!key || this.#pending || doc.state !== 'ready' || !adapter || !isConfirmingAdapter(adapter)) return;
    const kept = loadPending(key);
    if (!kept) return;
    void this.#run(async (signal) => {
      if ((await documentDigest(doc.bytes)) !== kept.documentSha256) {
        // Another document under this key: its transaction can no longer be finished here.
        clearPending(key);
        adapter.cancel?.(kept.transaction).catch(() => undefined);
        this.status = { kind: 'none' };
        return null;
      }
      this.status = { kind: 'signing' };
      return this.#complete(adapter, kept, doc.bytes, key, signal);
    });
  }

  /** Verifies what `make` signed, then shows and fires the outcome. */
  async #deliver(signal: AbortSignal, make: (signal: AbortSignal) => Promise<Uint8Array | null>): Promise<void> {
    const client = this.client ?? defaultKysoClient();
    try {
      const signed = await make(signal);
      if (!signed) return;
      this.status = { kind: 'verifying' };
      const report = await client.verify(
        signed,
        { revocation: this.revocation, ...(this.trust ? { trust: this.trust } : {}), ...(this.fetch ? { fetch: this.fetch } : {}) },
        { signal, transfer: false },
      );
      if (signal.aborted) return;
      this.status = { kind: 'signed' };
      const blob = new Blob([signed as Uint8Array<ArrayBuffer>], { type: 'application/pdf' });
      this.emit('kyso-signed', { bytes: signed, blob, report });
    } catch (error) {
      if (signal.aborted && !this.isConnected) return; // taken off the page: nobody is waiting for the outcome
      if (signal.aborted && this.#cancelledByUser) {
        this.status = { kind: 'cancelled' };
        this.#announce(SIGN_STRINGS[this.uiLang].cancelled);
        return;
      }
      this.status = { kind: 'error', error: this.reportError(error) };
    }
  }

  #onSignClick = (event: MouseEvent): void => {
    // The second click of a double click (UI Events: `detail` counts the clicks) is the same request: signing can end
    // between the two clicks on a fast machine, and the second would then start another signature.
    if (event.detail > 1) return;
    void this.sign();
  };

  #onRoleChange = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value as SigningRole;
    if (ROLES.includes(value)) this.signatureRole = value;
  };

  #onCertificate = (event: CustomEvent<CertificateEntry>): void => {
    this.certificate = event.detail;
    if (this.status.kind === 'hint') this.status = { kind: 'none' };
  };

  #onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0 || this.#pending || !this.view) return;
    const point = this.view.pointAt(event.clientX, event.clientY);
    const size = point && this.#pageSize(point.page);
    if (!point || !size) return;
    event.preventDefault();
    const onBox = this.#pointInBox(point);
    const rect = onBox ? this.box!.rect : boxAround(point, this.#boxSize(), size);
    this.#drag = { page: point.page, dx: point.x - rect[0], dy: point.y - rect[1], size };
    this.#setBox({ page: point.page, rect: clampBox(rect, size), byUser: true });
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
  };

  #onPointerMove = (event: PointerEvent): void => {
    const drag = this.#drag;
    const box = this.box;
    if (!drag || !box || !this.view) return;
    const point = this.view.pointAt(event.clientX, event.clientY, drag.page);
    if (!point) return;
    this.box = { ...box, rect: clampBox([point.x - drag.dx, point.y - drag.dy, box.rect[2], box.rect[3]], drag.size) };
  };

  #onPointerUp = (): void => {
    if (!this.#drag) return;
    this.#drag = undefined;
    if (this.box) this.#announce(this.#positionText(SIGN_STRINGS[this.uiLang].boxPlaced, this.box));
  };

  #onPositionKey = (event: KeyboardEvent): void => {
    if (this.#pending) return;
    const step = event.shiftKey ? BIG_STEP : STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step],
    };
    const move = moves[event.key];
    if (!move && event.key !== 'Enter' && event.key !== ' ' && event.key !== 'Escape') return;
    event.preventDefault();
    if (event.key === 'Escape') {
      this.#clearBox();
      return;
    }
    const box = this.box;
    if (!box) {
      this.#createBoxForKeyboard();
      return;
    }
    if (move) {
      const size = this.#pageSize(box.page);
      if (size) this.box = { ...box, rect: moveBox(box.rect, move[0], move[1], size), byUser: true };
      return;
    }
    // Enter (or Space) confirms the position; the next step is the sign button.
    this.#setBox({ ...box, byUser: true });
    this.#announce(this.#positionText(SIGN_STRINGS[this.uiLang].boxPlaced, box));
    this.renderRoot.querySelector<HTMLElement>('[part="sign-button"]')?.focus();
  };

  /** A new box from the keyboard: on the current page, where core would put the role by default (bottom right). */
  #createBoxForKeyboard(): void {
    const page = this.currentPage;
    const size = this.#pageSize(page);
    if (!size) return;
    const box = this.#boxSize();
    const rect: Box = this.signatureRole === 'appendix' || this.signatureRole === 'copy'
      ? [size.width - 20 - box.width, size.height - 20 - box.height, box.width, box.height]
      : [size.width - 56 - box.width, 120, box.width, box.height];
    this.#setBox({ page, rect: clampBox(rect, size), byUser: true });
  }

  #setBox(box: PlacedBox): void {
    this.box = box;
    if (this.status.kind === 'signed' || this.status.kind === 'cancelled') this.status = { kind: 'none' };
  }

  #clearBox(): void {
    this.box = undefined;
    this.#takePlacement();
  }

  #pointInBox(point: VisiblePoint): boolean {
    const box = this.box;
    if (!box || box.page !== point.page) return false;
    const [x, y, w, h] = box.rect;
    return point.x >= x && point.x <= x + w && point.y >= y && point.y <= y + h;
  }

  #boxSize(): PageSize {
    const current = this.box;
    if (current) return { width: current.rect[2], height: current.rect[3] };
    return defaultBoxSize(this.signatureRole, 3);
  }

  /** Page `page`'s size as the reader sees it, in points (core's placement space); null before the view knows it. */
  #pageSize(page: number): PageSize | null {
    const g = this.view?.pageGeometry(page);
    return g ? { width: g.viewWidth, height: g.viewHeight } : null;
  }

  #announce(text: string): void {
    this.#announcement = text;
    this.requestUpdate();
  }
}
