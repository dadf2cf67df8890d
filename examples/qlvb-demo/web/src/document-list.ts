import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { api, type DocumentRecord } from './api.js';
import type { DemoContext } from './context.js';
import { STRINGS } from './i18n.js';
import { shared } from './styles.js';

/** The outgoing register: every document with its stage. */
export class QlvbList extends LitElement {
  static override properties = { ctx: { attribute: false }, docs: { state: true }, failure: { state: true } };
  static override styles = shared;
  declare ctx: DemoContext;
  declare docs: DocumentRecord[] | undefined;
  declare failure: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh();
  }

  async #refresh(): Promise<void> {
    try {
      this.docs = await api.documents();
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
    }
  }

  async #newDraft(): Promise<void> {
    await api.newDraft();
    await this.#refresh();
  }

  protected override render(): TemplateResult {
    const t = STRINGS[this.ctx.lang];
    return html`
      <h2>${t.listHeading}</h2>
      <p><button class="secondary" data-action="new-draft" @click=${() => void this.#newDraft()}>${t.newDraft}</button></p>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
      ${this.docs?.length === 0 ? html`<p>${t.noDocuments}</p>` : nothing}
      ${this.docs?.length ? html`
        <table>
          <thead><tr><th>${t.colTitle}</th><th>${t.colNumber}</th><th>${t.colState}</th><th></th></tr></thead>
          <tbody>
            ${this.docs.map((d) => html`
              <tr data-doc=${d.id} data-state=${d.state}>
                <td>${d.title}</td>
                <td>${d.number ?? '—'}</td>
                <td><span class="state" data-state=${d.state}>${t[`state.${d.state}`]}</span></td>
                <td><a class="button" href="#/doc/${d.id}" data-action="open">${t.open}</a></td>
              </tr>`)}
          </tbody>
        </table>` : nothing}`;
  }
}

customElements.define('qlvb-list', QlvbList);
