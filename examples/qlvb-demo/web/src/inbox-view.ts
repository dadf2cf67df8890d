import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { VerificationReport } from '@kyso/core';
import type { KysoEventMap } from '@kyso/elements';
import { api, ServerError, type InboxRecord } from './api.js';
import type { DemoContext } from './context.js';
import { STRINGS, type StringKey } from './i18n.js';
import { shared } from './styles.js';
import './elements.js';

/**
 * Incoming documents: the receiving clerk drops (or picks) a PDF, sees it verified in the page
 * (<verify-badge>, then <signature-panel> with every signature), and registers it; the server checks it
 * again and records its own verdict in the incoming register.
 */
export class QlvbInbox extends LitElement {
  static override properties = {
    ctx: { attribute: false }, file: { state: true }, report: { state: true }, register: { state: true },
    dragging: { state: true }, problem: { state: true },
  };
  static override styles = [shared, css`
    .drop { border: 2px dashed #8aa0c2; border-radius: 8px; padding: 1.5rem; text-align: center; background: white; }
    .drop[data-dragging] { background: #e6efff; border-color: #1f5fbf; }
  `];

  declare ctx: DemoContext;
  declare file: { readonly name: string; readonly bytes: Uint8Array } | undefined;
  declare report: VerificationReport | undefined;
  declare register: InboxRecord[] | undefined;
  declare dragging: boolean;
  declare problem: string | undefined;

  constructor() {
    super();
    this.dragging = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh();
  }

  async #refresh(): Promise<void> {
    this.register = await api.inbox();
  }

  async #take(file: File): Promise<void> {
    this.report = undefined;
    this.problem = undefined;
    this.file = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }

  readonly #onPick = (e: Event) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void this.#take(f);
  };

  readonly #onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.dragging = false;
    const f = e.dataTransfer?.files?.[0];
    if (f) void this.#take(f);
  };

  readonly #onVerified = (e: KysoEventMap['kyso-verified']) => {
    this.report = e.detail;
  };

  async #receive(): Promise<void> {
    if (!this.file) return;
    try {
      await api.receive(this.file.name, this.file.bytes);
      await this.#refresh();
    } catch (e) {
      const lang = this.ctx.lang;
      this.problem = e instanceof ServerError ? e.text[lang] : String(e);
    }
  }

  protected override render(): TemplateResult {
    const t = STRINGS[this.ctx.lang];
    const lang = this.ctx.lang;
    return html`
      <h2>${t.inboxHeading}</h2>
      <p class="help">${t.inboxHelp}</p>
      <div class="drop" data-testid="drop" ?data-dragging=${this.dragging}
        @dragover=${(e: DragEvent) => { e.preventDefault(); this.dragging = true; }}
        @dragleave=${() => { this.dragging = false; }}
        @drop=${this.#onDrop}>
        ${t.dropHere} <label class="button">${t.pickFile}<input data-testid="pick" type="file" accept="application/pdf,.pdf" hidden @change=${this.#onPick}></label>
      </div>
      ${this.file ? html`<section class="card">
        <h3>${this.file.name}</h3>
        <verify-badge data-testid="inbox-badge" lang=${lang} .data=${this.file.bytes} revocation="online" trust-profile="none"
          .trust=${this.ctx.trust} .fetch=${this.ctx.fetch} @kyso-verified=${this.#onVerified}></verify-badge>
        ${this.report ? html`<signature-panel lang=${lang} .report=${this.report} .data=${this.file.bytes}></signature-panel>` : nothing}
        <p><button data-action="receive" @click=${() => void this.#receive()}>${t.receive}</button></p>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      </section>` : nothing}
      ${this.register?.length ? html`<section class="card"><h3>${t.register}</h3><table>
        <thead><tr><th>${t.colReceived}</th><th>${t.colFile}</th><th>${t.colVerdict}</th></tr></thead>
        <tbody>${this.register.map((r) => html`<tr data-verdict=${r.verdict}>
          <td>${new Date(r.receivedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })}</td>
          <td>${r.name}</td><td>${t[`verdict.${r.verdict}` as StringKey]}</td></tr>`)}</tbody>
      </table></section>` : nothing}`;
  }
}

customElements.define('qlvb-inbox', QlvbInbox);
