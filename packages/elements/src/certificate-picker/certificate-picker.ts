import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CertificateEntry, SigningAdapter } from '@kyso/core';
import type { ErrorDetail } from '../shared/error-detail.js';
import { KysoElement } from '../shared/kyso-element.js';
import { format, type Lang } from '../shared/locale.js';
import { describeCertificate, dnAttribute, type CertificateView } from './describe.js';
import { PICKER_STRINGS } from './strings.js';
import { pickerStyles } from './styles.js';

/** Detail of `kyso-certificate-selected`: the adapter's entry, as `adapter.listCertificates()` gave it. */
export type CertificateSelectedDetail = CertificateEntry;

type Load =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly views: readonly CertificateView[] }
  | { readonly state: 'error'; readonly error: ErrorDetail };

const DATE_FORMAT: Record<Lang, Intl.DateTimeFormat> = {
  // Vietnam time, as the appearances use; a certificate's validity is a date for its holder.
  vi: new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }),
};

let nextId = 0;

/**
 * Lists the certificates of a signing adapter and lets the user choose one.
 *
 * Each certificate shows its subject (common name, organisation, Vietnamese
 * identifiers such as `CCCD:` or `MST:` from the UID attribute), its issuer,
 * its validity and its key usage, with a warning when it has expired, is not
 * valid yet, or may not sign (no digitalSignature nor nonRepudiation). The
 * list is a keyboard-operable listbox (arrow keys, Home, End, Enter or Space).
 * A single certificate is selected on its own.
 *
 * @element certificate-picker
 * @summary Choose the certificate to sign with.
 *
 * @fires kyso-certificate-selected - A certificate was chosen; `detail` is its `CertificateEntry`. Bubbles, composed.
 * @fires kyso-error - The adapter could not list its certificates; `detail` is `{code, message, cause}`. Bubbles, composed.
 *
 * @attr lang - `vi` (default) or `en`; inherited from ancestors and the document when absent.
 *
 * @csspart list - The listbox.
 * @csspart option - One certificate.
 * @csspart title - A certificate's name.
 * @csspart meta - A certificate's issuer, validity and key usage.
 * @csspart warning - A warning about a certificate.
 * @csspart status - The loading, empty and error messages.
 * @csspart retry - The button that reads the certificates again after an error.
 *
 * @cssprop --kyso-font - Font family.
 * @cssprop --kyso-accent - Colour of the focus ring and of the selected certificate.
 * @cssprop --kyso-warning - Colour of warnings.
 * @cssprop --kyso-danger - Colour of error messages.
 * @cssprop --kyso-radius - Corner radius.
 */
export class CertificatePicker extends KysoElement {
  static override styles = pickerStyles;

  /** Where the certificates come from (a `SigningAdapter` of `@kyso/adapters` or your own). */
  @property({ attribute: false }) adapter: SigningAdapter | undefined;

  /** The chosen certificate's id, or undefined. Set it to preselect one. */
  @property({ attribute: false }) selected: string | undefined;

  /** The time the validity warnings are judged at; default now. */
  @property({ attribute: false }) at: Date | undefined;

  @state() private load: Load = { state: 'idle' };
  @state() private active = 0;

  readonly #uid = `kyso-cp-${++nextId}`;
  #controller: AbortController | undefined;

  /** The certificates as shown (decoded, with warnings); empty until they are read. */
  get certificates(): readonly CertificateView[] {
    return this.load.state === 'ready' ? this.load.views : [];
  }

  /** The chosen certificate as shown, or undefined. */
  get selectedCertificate(): CertificateView | undefined {
    return this.certificates.find((v) => v.entry.id === this.selected);
  }

  /** Reads the adapter's certificates again (e.g. after a token was plugged in). */
  async refresh(): Promise<void> {
    this.#controller?.abort();
    const adapter = this.adapter;
    if (!adapter) {
      this.load = { state: 'idle' };
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.load = { state: 'loading' };
    try {
      const entries = await adapter.listCertificates(controller.signal);
      if (controller.signal.aborted) return;
      const at = this.at ?? new Date();
      const views = entries.map((e) => describeCertificate(e, at));
      this.load = { state: 'ready', views };
      const index = views.findIndex((v) => v.entry.id === this.selected);
      this.active = Math.max(0, index);
      if (index < 0 && views.length === 1) this.#select(0);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.load = { state: 'error', error: this.reportError(error) };
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
    this.#controller = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected after a disconnect aborted the read: read again.
    if (this.hasUpdated && this.adapter && this.load.state !== 'ready') void this.refresh();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('adapter') && this.isConnected) void this.refresh();
  }

  protected override render(): TemplateResult {
    const lang = this.uiLang;
    const t = PICKER_STRINGS[lang];
    const load = this.load;
    switch (load.state) {
      case 'idle':
        return html`<p part="status" class="status">${t.noAdapter}</p>`;
      case 'loading':
        return html`<p part="status" class="status" role="status" aria-live="polite">${t.loading}</p>`;
      case 'error':
        return html`<div part="status" class="status error" role="alert">
            <span>${t.error}: ${load.error.message} <code>${load.error.code}</code></span>
            <button part="retry" type="button" @click=${() => void this.refresh()}>${t.retry}</button>
          </div>`;
      case 'ready':
        if (load.views.length === 0) return html`<p part="status" class="status" role="status">${t.empty}</p>`;
        return html`<div
          part="list"
          class="list"
          role="listbox"
          tabindex="0"
          aria-label=${t.label}
          aria-activedescendant=${`${this.#uid}-${this.active}`}
          @keydown=${this.#onKeyDown}
        >
          ${load.views.map((view, i) => this.#renderOption(view, i, lang))}
        </div>`;
    }
  }

  #renderOption(view: CertificateView, index: number, lang: Lang): TemplateResult {
    const t = PICKER_STRINGS[lang];
    const info = view.info;
    const selected = view.entry.id === this.selected;
    const organization = info?.organization ?? (info ? dnAttribute(info.subjectDN, 'O') : null);
    const warned = view.warnings.length > 0;
    return html`<div
      part="option"
      id=${`${this.#uid}-${index}`}
      class="option ${index === this.active ? 'active' : ''} ${warned ? 'warned' : ''}"
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      @click=${() => this.#select(index)}
    >
      <div part="title" class="title">${view.title}</div>
      ${info
        ? html`<div part="meta" class="meta">
            ${organization ? html`<span>${t.organization}: ${organization}</span>` : nothing}
            ${info.uids.length ? html`<span>${info.uids.join(', ')}</span>` : nothing}
            <span>${t.issuer}: ${view.issuer}</span>
            <span>${t.validity}: ${format('{from} – {to}', { from: DATE_FORMAT[lang].format(info.notBefore), to: DATE_FORMAT[lang].format(info.notAfter) })}</span>
            <span>${t.keyUsage}: ${info.keyUsage ? info.keyUsage.join(', ') : t.keyUsageAny}</span>
          </div>`
        : nothing}
      ${view.warnings.map((w) => html`<div part="warning" class="warning">⚠ ${t[w]}</div>`)}
    </div>`;
  }

  #onKeyDown(event: KeyboardEvent): void {
    const count = this.certificates.length;
    if (count === 0) return;
    let next = this.active;
    switch (event.key) {
      case 'ArrowDown': next = Math.min(count - 1, this.active + 1); break;
      case 'ArrowUp': next = Math.max(0, this.active - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = count - 1; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.#select(this.active);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.active = next;
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector(`#${this.#uid}-${next}`)?.scrollIntoView({ block: 'nearest' });
    });
  }

  #select(index: number): void {
    const view = this.certificates[index];
    if (!view) return;
    this.active = index;
    this.selected = view.entry.id;
    this.emit('kyso-certificate-selected', view.entry);
  }
}
