import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { AppearanceImage, SigningAdapter } from '@kyso/core';
import type { KysoEventMap } from '@kyso/elements';
import { api, bytesOf, ServerError, type DocumentRecord } from './api.js';
import type { DemoContext } from './context.js';
import { STRINGS, type StringKey } from './i18n.js';
import { demoKey } from './keys.js';
import { shared } from './styles.js';
import './elements.js';

/** The Decree 30 name of the leader on the draft: the approve signature goes next to it (box 7b). */
const LEADER_ANCHOR = 'Nguyễn Văn Đức';


/**
 * One outgoing document, at whatever stage it is: the leader approves, the clerk numbers it, issues it
 * with the agency's key, and publishes it. Every signed result goes back to the server, which verifies
 * it again before storing it (the browser is not trusted).
 */
export class QlvbDocument extends LitElement {
  static override properties = {
    ctx: { attribute: false }, docId: { attribute: false },
    doc: { state: true }, adapter: { state: true }, image: { state: true }, busy: { state: true }, problem: { state: true },
  };
  static override styles = [shared, css`
    sign-document { --kyso-sign-document-height: 70vh; }
    .grid { display: grid; gap: 1rem; }
    ol.history { margin: 0; padding-left: 1.2rem; }
    form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.5rem; }
  `];

  declare ctx: DemoContext;
  declare docId: string;
  declare doc: DocumentRecord | undefined;
  declare adapter: SigningAdapter | undefined;
  declare image: AppearanceImage | undefined;
  declare busy: boolean;
  declare problem: string | undefined;

  constructor() {
    super();
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh();
  }

  async #refresh(): Promise<void> {
    try {
      this.doc = await api.document(this.docId);
      await this.#prepareSigner(this.doc);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Opens the key and the image the current stage signs with: the leader's for a draft, the seal's once numbered. */
  async #prepareSigner(doc: DocumentRecord): Promise<void> {
    this.adapter = undefined;
    this.image = undefined;
    const who = doc.state === 'draft' ? 'leader' : doc.state === 'numbered' ? 'seal' : undefined;
    if (!who) return;
    const [adapter, png] = await Promise.all([
      demoKey(this.ctx.config, who),
      bytesOf(who === 'leader' ? this.ctx.config.images.signature : this.ctx.config.images.seal),
    ]);
    this.adapter = adapter;
    // The seal is drawn at its real size (Decree 30/2020 Appendix I §II.8a).
    this.image = who === 'seal' ? { bytes: png, widthMm: 36 } : { bytes: png };
  }

  #fail(e: unknown): void {
    const lang = this.ctx.lang;
    const t = STRINGS[lang];
    this.problem = e instanceof ServerError ? `${t.serverRejected}: ${e.text[lang]}` : `${t.error}: ${e instanceof Error ? e.message : String(e)}`;
  }

  async #submit(step: () => Promise<DocumentRecord>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.problem = undefined;
    try {
      this.doc = await step();
      await this.#prepareSigner(this.doc);
    } catch (e) {
      this.#fail(e);
    } finally {
      this.busy = false;
    }
  }

  readonly #onSigned = (e: KysoEventMap['kyso-signed']) => {
    const doc = this.doc;
    if (!doc) return;
    const bytes = e.detail.bytes;
    void this.#submit(() => (doc.state === 'draft' ? api.approve(doc.id, bytes) : api.issue(doc.id, bytes)));
  };

  readonly #onSignError = (e: KysoEventMap['kyso-error']) => {
    this.problem = `${STRINGS[this.ctx.lang].error}: ${e.detail.code} — ${e.detail.message}`;
  };

  readonly #onNumber = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const doc = this.doc;
    if (!doc) return;
    void this.#submit(() => api.number(doc.id, String(form.get('number') ?? ''), String(form.get('date') ?? '')));
  };

  protected override render(): TemplateResult {
    const t = STRINGS[this.ctx.lang];
    const doc = this.doc;
    return html`
      <p><a href="#/">${t.back}</a></p>
      ${doc ? html`
        <h2>${doc.title}${doc.number ? html` — ${doc.number}` : nothing}</h2>
        <p>${t.colState}: <span class="state" data-testid="doc-state" data-state=${doc.state}>${t[`state.${doc.state}` as StringKey]}</span></p>
        ${this.problem ? html`<p class="error" role="alert" data-testid="problem">${this.problem}</p>` : nothing}
        ${this.busy ? html`<p class="status" role="status">${t.saving}</p>` : nothing}
        <div class="grid">${this.#stage(doc)}</div>
        ${this.#history(doc)}` : this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}`;
  }

  #stage(doc: DocumentRecord): TemplateResult {
    const t = STRINGS[this.ctx.lang];
    const lang = this.ctx.lang;
    const pdf = api.pdfUrl(doc.id);
    switch (doc.state) {
      case 'draft':
      case 'numbered': {
        const approve = doc.state === 'draft';
        return html`<section class="card" aria-labelledby="step">
          <h3 id="step">${approve ? t.stepApprove : t.stepIssue}</h3>
          <p class="help">${approve ? t.stepApproveHelp : t.stepIssueHelp}</p>
          ${this.adapter ? html`<sign-document
              data-step=${approve ? 'approve' : 'issue'}
              lang=${lang}
              src=${pdf}
              signature-role=${approve ? 'approve' : 'issue'}
              level="B-T"
              tsa-url=${this.ctx.tsaUrl}
              revocation="online"
              anchor=${approve ? LEADER_ANCHOR : nothing}
              .adapter=${this.adapter}
              .image=${this.image}
              .fetch=${this.ctx.fetch}
              .trust=${this.ctx.trust}
              reason=${approve ? (lang === 'vi' ? 'Phê duyệt' : 'Approved') : (lang === 'vi' ? 'Phát hành' : 'Issued')}
              @kyso-signed=${this.#onSigned}
              @kyso-error=${this.#onSignError}
            ></sign-document>` : html`<p role="status">${t.loadingKeys}</p>`}
        </section>`;
      }
      case 'approved':
        return html`${this.#badge(pdf)}<section class="card" aria-labelledby="step">
          <h3 id="step">${t.stepNumber}</h3>
          <p class="help">${t.stepNumberHelp}</p>
          <form data-step="number" @submit=${this.#onNumber}>
            <label>${t.number}<input name="number" required inputmode="numeric" pattern="[0-9]{1,6}" size="8"></label>
            <span aria-hidden="true">/QĐ-UBND</span>
            <label>${t.date}<input name="date" type="date" required .value=${today()}></label>
            <button type="submit" ?disabled=${this.busy}>${t.giveNumber}</button>
          </form>
        </section>`;
      case 'issued':
        return html`${this.#badge(pdf)}<section class="card" aria-labelledby="step">
          <h3 id="step">${t.stepPublish}</h3>
          <button data-action="publish" ?disabled=${this.busy} @click=${() => void this.#submit(() => api.publish(doc.id))}>${t.publish}</button>
        </section>`;
      case 'published':
        return html`${this.#badge(`/published/${doc.id}.pdf`)}<section class="card">
          <p>${t.publishedAt} <a href="/portal">/portal</a></p>
        </section>`;
    }
  }

  /** The current version, checked in the page as anyone receiving it would. */
  #badge(src: string): TemplateResult {
    return html`<section class="card"><verify-badge data-testid="current-badge" lang=${this.ctx.lang} src=${src} trust-profile="none"
      revocation="online" .trust=${this.ctx.trust} .fetch=${this.ctx.fetch}></verify-badge></section>`;
  }

  #history(doc: DocumentRecord): TemplateResult {
    const t = STRINGS[this.ctx.lang];
    const fmt = new Intl.DateTimeFormat(this.ctx.lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });
    return html`<section class="card"><h3>${t.history}</h3><ol class="history">
      ${doc.history.map((h) => html`<li>${fmt.format(new Date(h.at))} — ${t[`who.${h.who}` as StringKey]}: ${t[`state.${h.action}` as StringKey]}</li>`)}
    </ol></section>`;
  }
}

/** Today in Vietnam (UTC+7), as the date input wants it. */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

customElements.define('qlvb-document', QlvbDocument);
