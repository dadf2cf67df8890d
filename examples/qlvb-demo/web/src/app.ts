import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { api } from './api.js';
import type { DemoContext } from './context.js';
import { STRINGS, initialLang, saveLang, type Lang } from './i18n.js';
import { gatewayFetch, tsaUrl } from './pki-fetch.js';
import { trustRoot } from './keys.js';
import { shared } from './styles.js';
import './document-list.js';
import './document-view.js';
import './inbox-view.js';

type Route = { readonly name: 'list' } | { readonly name: 'document'; readonly id: string } | { readonly name: 'inbox' };

function parseRoute(hash: string): Route {
  const doc = /^#\/doc\/([0-9a-f-]{36})$/.exec(hash);
  if (doc) return { name: 'document', id: doc[1]! };
  if (hash === '#/inbox') return { name: 'inbox' };
  return { name: 'list' };
}

/** The demo's shell: header, the DEMO ONLY notice, language switch, navigation and the current view. */
export class QlvbApp extends LitElement {
  static override properties = { ctx: { state: true }, route: { state: true }, failure: { state: true } };
  static override styles = [shared, css`
    header { background: #123b7a; color: white; padding: 0.8rem 1.2rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
    header h1 { font-size: 1.15rem; margin: 0; flex: 1; }
    nav a { color: white; margin-right: 1rem; }
    nav a[aria-current='page'] { font-weight: 700; text-decoration: underline; }
    .warning { background: #fff3cd; border-bottom: 2px solid #f0b400; padding: 0.5rem 1.2rem; color: #5c4400; }
    main { padding: 1.2rem; max-width: 80rem; margin: 0 auto; }
    select { font: inherit; }
  `];

  declare ctx: DemoContext | undefined;
  declare route: Route;
  declare failure: string | undefined;

  constructor() {
    super();
    this.route = parseRoute(location.hash);
  }

  readonly #onHash = () => {
    this.route = parseRoute(location.hash);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.#onHash);
    void this.#load(initialLang());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#onHash);
  }

  async #load(lang: Lang): Promise<void> {
    try {
      saveLang(lang);
      const config = await api.config();
      this.ctx = { lang, config, fetch: gatewayFetch(config), tsaUrl: tsaUrl(config.tsaPath), trust: [await trustRoot(config)] };
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
    }
  }

  #setLang(lang: Lang): void {
    saveLang(lang);
    if (this.ctx) this.ctx = { ...this.ctx, lang };
  }

  protected override render(): TemplateResult {
    const lang = this.ctx?.lang ?? initialLang();
    const t = STRINGS[lang];
    const r = this.route;
    return html`
      <header>
        <h1>${t.appTitle}</h1>
        <nav aria-label=${t.appTitle}>
          <a href="#/" aria-current=${r.name !== 'inbox' ? 'page' : nothing}>${t.navOutgoing}</a>
          <a href="#/inbox" aria-current=${r.name === 'inbox' ? 'page' : nothing}>${t.navInbox}</a>
          <a href="/portal">${t.navPortal}</a>
        </nav>
        <label>${t.language}
          <select data-testid="lang" .value=${lang} @change=${(e: Event) => this.#setLang((e.target as HTMLSelectElement).value as Lang)}>
            <option value="vi" ?selected=${lang === 'vi'}>Tiếng Việt</option>
            <option value="en" ?selected=${lang === 'en'}>English</option>
          </select>
        </label>
      </header>
      <p class="warning" role="note">${t.demoWarning}</p>
      <main>
        ${this.failure ? html`<p class="error" role="alert">${t.error}: ${this.failure}</p>` : nothing}
        ${this.ctx ? this.#view(this.ctx, r) : nothing}
      </main>`;
  }

  #view(ctx: DemoContext, r: Route): TemplateResult {
    switch (r.name) {
      case 'document':
        return html`<qlvb-document .ctx=${ctx} .docId=${r.id}></qlvb-document>`;
      case 'inbox':
        return html`<qlvb-inbox .ctx=${ctx}></qlvb-inbox>`;
      default:
        return html`<qlvb-list .ctx=${ctx}></qlvb-list>`;
    }
  }
}

customElements.define('qlvb-app', QlvbApp);
