import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styleProps } from '../shared/style-props.js';
import { kysoError } from '@kyso/core';
import type { ErrorDetail } from '../shared/error-detail.js';
import { KysoElement } from '../shared/kyso-element.js';
import { format } from '../shared/locale.js';
import { openPdf, renderPageToCanvas, type PDFDocumentProxy } from '../shared/pdfjs.js';
import type { PageOverlay } from './overlay.js';
import { pageGeometry, type PageFrame, type PageGeometry, type VisiblePoint } from './page-geometry.js';
import { PAGE_VIEW_STRINGS } from './strings.js';
import { pageViewStyles } from './styles.js';

/** Detail of `kyso-document-loaded`. */
export interface DocumentLoadedDetail {
  readonly pages: number;
}
/** Detail of `kyso-page-rendered` and `kyso-page-change`. */
export interface PageDetail {
  readonly page: number;
}
/** Detail of `kyso-page-click`: the page and the point clicked, in visible page space (points, origin bottom left of the page as shown, y upwards). */
export type PageClickDetail = VisiblePoint;

type Load =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly pages: number }
  | { readonly state: 'error'; readonly error: ErrorDetail };

/** Zoom limits and step (a factor, so that zooming in then out returns to the same scale). */
const MIN_SCALE = 0.25;
const MAX_SCALE = 4;
const ZOOM_STEP = 1.25;
/** Pages this far outside the visible area are rendered ahead of scrolling, and kept until they are farther. */
const LOOKAHEAD = '300px';

/**
 * Shows the pages of a PDF, drawn by pdf.js in its own worker (no text layer,
 * no scripts from the document; `isEvalSupported: false`).
 *
 * Pages are rendered lazily: only those in or near the visible area have a
 * canvas, so a 500-page file costs what its visible pages cost. Rectangles
 * (`overlays`) are drawn over the pages, in a page's PDF user space (e.g. the
 * regions the signature panel found changed after signing) or in visible page
 * space (the page as the reader sees it, after `/Rotate` and the crop box;
 * e.g. the signing element's placement box).
 *
 * `pageGeometry(page)` and `pointAt(clientX, clientY)` convert between the
 * view's pixels, visible page space and PDF user space, so that an element
 * built on this one never measures its shadow DOM.
 *
 * Keyboard (on the focused page area): PageDown, PageUp, ArrowRight, ArrowLeft
 * move by page; Home and End go to the first and last page; Ctrl (or ⌘) with
 * `+`, `-` and `0` zoom in, out and back to 100 %.
 *
 * pdf.js itself is loaded on first use (dynamic import). Outside Vite, call
 * `setPdfWorkerSrc(url)` first with the URL of `pdfjs-dist/build/pdf.worker.min.mjs`.
 *
 * @element pdf-page-view
 * @summary Lazy, zoomable, keyboard-operable pages of a PDF, with overlays.
 *
 * @fires kyso-document-loaded - The document was opened; `detail.pages` is its page count.
 * @fires kyso-page-rendered - A page was drawn (at the current zoom); `detail.page`.
 * @fires kyso-page-change - The current page changed (scrolling, keys, buttons); `detail.page`.
 * @fires kyso-page-click - A page was clicked; `detail` is `{page, x, y}`, the point in visible page space (points, origin bottom left of the page as shown).
 * @fires kyso-error - The document could not be fetched or opened; `detail` is `{code, message, cause}`.
 *
 * @attr src - URL of the PDF (fetched with the page's `fetch`); `data` wins when both are set.
 * @attr scale - Zoom, CSS pixels per PDF point (1 = 100 %).
 * @attr page - The current page (1-based); setting it scrolls there.
 * @attr lang - `vi` (default) or `en`; inherited from ancestors and the document when absent.
 *
 * @csspart toolbar - The bar with the page and zoom controls.
 * @csspart button - A toolbar button.
 * @csspart page-indicator - "Page n of m".
 * @csspart zoom-level - The zoom percentage.
 * @csspart viewport - The scrolling page area (focusable).
 * @csspart page - One page.
 * @csspart overlay - A rectangle of `overlays` (also `overlay-<kind>`).
 * @csspart status - The loading, empty and error messages.
 *
 * @cssprop --kyso-page-view-height - Height of the element (default 32rem).
 * @cssprop --kyso-page-view-background - Background around the pages.
 * @cssprop --kyso-overlay-color - Border colour of overlays.
 * @cssprop --kyso-overlay-fill - Fill of overlays.
 * @cssprop --kyso-font - Font family.
 * @cssprop --kyso-accent - Focus ring colour.
 * @cssprop --kyso-border - Border colour.
 * @cssprop --kyso-radius - Corner radius.
 */
export class PdfPageView extends KysoElement {
  static override styles = pageViewStyles;

  /** URL of the PDF. */
  @property() src: string | undefined;

  /** The PDF's bytes (the element keeps them as given and hands pdf.js a copy). */
  @property({ attribute: false }) data: Uint8Array | undefined;

  /** Zoom: CSS pixels per PDF point, clamped to 0.25–4. */
  @property({ type: Number, reflect: true }) scale = 1;

  /** The current page, 1-based. */
  @property({ type: Number, reflect: true }) page = 1;

  /** Rectangles to draw over pages, each in PDF user space (default) or visible page space (`space: 'visible'`). */
  @property({ attribute: false }) overlays: readonly PageOverlay[] = [];


  @state() private load: Load = { state: 'idle' };
  /** Bumped when a page's real size becomes known (the first page's size stands in until then). */
  @state() private geometryVersion = 0;

  #doc: PDFDocumentProxy | undefined;
  #generation = 0;
  /** Each measured page's frame (pdf.js's viewport at scale 1). */
  #geometry = new Map<number, PageFrame>();
  /** The scale each page's canvas was drawn at. */
  #drawn = new Map<number, number>();
  #rendering = new Map<number, { readonly scale: number; readonly abort: AbortController }>();
  #visible = new Set<number>();
  #observer: IntersectionObserver | undefined;
  #observedPages = 0;
  /** Set while `page` changes because the user scrolled: no scrolling back in response. */
  #pageFromScroll = false;
  #scrollToPage = false;

  /** Number of pages, 0 until the document is open. */
  get pageCount(): number {
    return this.load.state === 'ready' ? this.load.pages : 0;
  }

  /** Pages that currently have a canvas drawn at the current zoom, ascending. */
  get renderedPages(): readonly number[] {
    return [...this.#drawn].filter(([, s]) => s === this.#effectiveScale()).map(([p]) => p).sort((a, b) => a - b);
  }

  /** Scrolls to page `n` (clamped) and makes it current. */
  goToPage(n: number): void {
    const pages = this.pageCount;
    if (!pages) return;
    this.page = Math.min(pages, Math.max(1, Math.round(n)));
    this.#scrollToPage = true;
  }

  zoomIn(): void {
    this.scale = this.#clampScale(this.#effectiveScale() * ZOOM_STEP);
  }

  zoomOut(): void {
    this.scale = this.#clampScale(this.#effectiveScale() / ZOOM_STEP);
  }

  /**
   * Page `page`'s geometry at the current zoom: its visible size in points and
   * conversions between the view's CSS pixels, visible page space and PDF user
   * space. Undefined until the page's size is known: the first page's on
   * `kyso-document-loaded`, any page once it was drawn (`kyso-page-rendered`)
   * or given an overlay; `measurePage(page)` waits for it.
   */
  pageGeometry(page: number): PageGeometry | undefined {
    const frame = this.#geometry.get(page);
    return frame ? pageGeometry(page, frame, this.#effectiveScale()) : undefined;
  }

  /** Like `pageGeometry`, reading the page's size first when it is not known yet; undefined when there is no such page. */
  async measurePage(page: number): Promise<PageGeometry | undefined> {
    if (!Number.isInteger(page) || page < 1 || page > this.pageCount) return undefined;
    await this.#measure(page);
    return this.pageGeometry(page);
  }

  /**
   * The point of a page under the client (viewport) coordinates `clientX`,
   * `clientY`, in visible page space; undefined when no page is there. With
   * `page`, the point is measured against that page even outside it (a drag
   * that leaves the page), or undefined when that page is not laid out.
   */
  pointAt(clientX: number, clientY: number, page?: number): VisiblePoint | undefined {
    const target = page === undefined ? this.#pageUnder(clientX, clientY) : this.#pageElement(page);
    if (!target) return undefined;
    const p = Number(target.dataset['page']);
    const geometry = this.pageGeometry(p);
    if (!geometry) return undefined;
    const r = target.getBoundingClientRect();
    return geometry.fromView({ x: clientX - r.left, y: clientY - r.top });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.#doc && (this.data || this.src)) void this.#open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#close();
    if (this.load.state === 'ready' || this.load.state === 'loading') this.load = { state: 'idle' };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('src') || changed.has('data')) && this.isConnected) void this.#open();
    if (changed.has('scale')) {
      const clamped = this.#clampScale(this.scale);
      if (clamped !== this.scale) this.scale = clamped;
      if (changed.get('scale') !== undefined) this.#scrollToPage = true;
    }
    if (changed.has('page') && !this.#pageFromScroll && this.hasUpdated) this.#scrollToPage = true;
    this.#pageFromScroll = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.load.state !== 'ready') return;
    if (this.#observedPages !== this.load.pages || (changed as Map<PropertyKey, unknown>).has('load')) this.#observe();
    if (changed.has('overlays')) void this.#measureOverlayPages();
    if (this.#scrollToPage) {
      this.#scrollToPage = false;
      const target = this.#pageElement(this.page);
      const viewport = this.#viewportElement();
      if (target && viewport) viewport.scrollTop = target.offsetTop - viewport.offsetTop - 12;
    }
    this.#renderVisible();
  }

  protected override render(): TemplateResult {
    const t = PAGE_VIEW_STRINGS[this.uiLang];
    const load = this.load;
    const pages = load.state === 'ready' ? load.pages : 0;
    const scale = this.#effectiveScale();
    return html`
      <div part="toolbar" class="toolbar" role="toolbar" aria-label=${t.toolbar}>
        <button part="button" type="button" aria-label=${t.previous} title=${t.previous} ?disabled=${!pages || this.page <= 1}
          @click=${() => this.goToPage(this.page - 1)}>‹</button>
        <span part="page-indicator" aria-live="polite">${pages ? format(t.pageOf, { page: this.page, pages }) : ''}</span>
        <button part="button" type="button" aria-label=${t.next} title=${t.next} ?disabled=${!pages || this.page >= pages}
          @click=${() => this.goToPage(this.page + 1)}>›</button>
        <span class="spacer"></span>
        <button part="button" type="button" aria-label=${t.zoomOut} title=${t.zoomOut} ?disabled=${scale <= MIN_SCALE}
          @click=${() => this.zoomOut()}>−</button>
        <output part="zoom-level" aria-label=${t.zoomLevel}>${Math.round(scale * 100)}%</output>
        <button part="button" type="button" aria-label=${t.zoomIn} title=${t.zoomIn} ?disabled=${scale >= MAX_SCALE}
          @click=${() => this.zoomIn()}>+</button>
      </div>
      <div part="viewport" class="viewport" tabindex="0" role="region" aria-label=${t.document}
        @keydown=${this.#onKeyDown} @scroll=${this.#onScroll}>
        ${this.#renderBody(load, t)}
      </div>
    `;
  }

  #renderBody(load: Load, t: (typeof PAGE_VIEW_STRINGS)['vi']): TemplateResult {
    switch (load.state) {
      case 'idle':
        return html`<p part="status" class="status">${t.empty}</p>`;
      case 'loading':
        return html`<p part="status" class="status" role="status">${t.loading}</p>`;
      case 'error':
        return html`<p part="status" class="status error" role="alert">${t.error}: ${load.error.message} <code>${load.error.code}</code></p>`;
      case 'ready': {
        void this.geometryVersion; // re-render when a page's size becomes known
        const scale = this.#effectiveScale();
        const fallback = this.#geometry.get(1);
        const pages: TemplateResult[] = [];
        for (let p = 1; p <= load.pages; p++) {
          const g = this.#geometry.get(p) ?? fallback;
          const size: Record<string, string> = g ? { width: `${g.width * scale}px`, height: `${g.height * scale}px` } : {};
          pages.push(html`<div part="page" class="page" data-page=${p} role="group" aria-label=${format(t.page, { page: p })}
              style=${styleProps(size)}>
              <div class="canvas-slot" aria-hidden="true"></div>
              ${g ? this.#renderOverlays(p, this.pageGeometry(p)) : nothing}
            </div>`);
        }
        return html`<div class="pages" @click=${this.#onPageClick}>${pages}</div>`;
      }
    }
  }

  /** The page's overlays; drawn once the page's own size is known (until then the first page's size stands in). */
  #renderOverlays(page: number, g: PageGeometry | undefined): TemplateResult[] {
    if (!g) return [];
    return this.overlays.filter((o) => o.page === page).map((o) => {
      const { left, top, width, height } = g.toView(o.rect, o.space ?? 'user');
      const kind = o.kind ?? 'mark';
      return html`<div part="overlay overlay-${kind}" class="overlay" data-kind=${kind}
        role=${o.label ? 'img' : nothing} aria-label=${o.label ?? nothing} title=${o.label ?? nothing}
        style=${styleProps({ left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px` })}></div>`;
    });
  }

  async #open(): Promise<void> {
    this.#close();
    const generation = ++this.#generation;
    const data = this.data;
    const src = this.src;
    if (!data && !src) {
      this.load = { state: 'idle' };
      return;
    }
    this.load = { state: 'loading' };
    try {
      const bytes = data ?? (await fetchBytes(src!));
      if (generation !== this.#generation) return;
      const doc = await openPdf(bytes).catch((e: unknown) => {
        throw asKysoError(e);
      });
      if (generation !== this.#generation) {
        void doc.loadingTask.destroy(); // pdf.js 6 has no PDFDocumentProxy.destroy(); its loading task ends the document in 5.x and 6.x
        return;
      }
      this.#doc = doc;
      await this.#measure(1);
      if (generation !== this.#generation) return;
      this.page = Math.min(doc.numPages, Math.max(1, this.page));
      this.load = { state: 'ready', pages: doc.numPages };
      this.emit('kyso-document-loaded', { pages: doc.numPages });
    } catch (error) {
      if (generation !== this.#generation) return;
      this.load = { state: 'error', error: this.reportError(error) };
    }
  }

  /** Releases the document and pdf.js's worker-side state; pending renders are cancelled. */
  #close(): void {
    this.#generation++;
    for (const r of this.#rendering.values()) r.abort.abort();
    this.#rendering.clear();
    this.#drawn.clear();
    this.#visible.clear();
    this.#geometry.clear();
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#observedPages = 0;
    for (const slot of this.renderRoot?.querySelectorAll?.('.canvas-slot') ?? []) slot.replaceChildren();
    const doc = this.#doc;
    this.#doc = undefined;
    if (doc) void doc.loadingTask.destroy();
  }

  /** Reads page `p`'s size and orientation (cheap: pdf.js parses the page dictionary only). */
  async #measure(p: number): Promise<PageFrame | undefined> {
    const known = this.#geometry.get(p);
    if (known) return known;
    const doc = this.#doc;
    if (!doc) return undefined;
    const page = await doc.getPage(p);
    if (doc !== this.#doc) return undefined;
    // pdf.js's viewport: its viewBox is the crop box (clipped to the media box) and its transform applies /Rotate.
    const viewport = page.getViewport({ scale: 1 });
    const frame: PageFrame = {
      width: viewport.width,
      height: viewport.height,
      rotation: viewport.rotation,
      userToViewport: (x, y) => viewport.convertToViewportPoint(x, y) as [number, number],
      viewportToUser: (x, y) => viewport.convertToPdfPoint(x, y) as [number, number],
    };
    this.#geometry.set(p, frame);
    this.geometryVersion++;
    return frame;
  }

  async #measureOverlayPages(): Promise<void> {
    for (const p of new Set(this.overlays.map((o) => o.page))) {
      if (p >= 1 && p <= this.pageCount) await this.#measure(p);
    }
  }

  #observe(): void {
    this.#observer?.disconnect();
    const viewport = this.#viewportElement();
    if (!viewport) return;
    this.#observer = new IntersectionObserver((entries) => this.#onIntersect(entries), { root: viewport, rootMargin: LOOKAHEAD });
    const pages = this.renderRoot.querySelectorAll<HTMLElement>('.page');
    for (const el of pages) this.#observer.observe(el);
    this.#observedPages = pages.length;
  }

  #onIntersect(entries: readonly IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const p = Number((entry.target as HTMLElement).dataset['page']);
      if (entry.isIntersecting) {
        this.#visible.add(p);
      } else {
        // Far out of view: free the canvas (memory stays proportional to what is visible).
        this.#visible.delete(p);
        this.#rendering.get(p)?.abort.abort();
        this.#rendering.delete(p);
        this.#drawn.delete(p);
        entry.target.querySelector('.canvas-slot')?.replaceChildren();
      }
    }
    this.#renderVisible();
  }

  #renderVisible(): void {
    const scale = this.#effectiveScale();
    for (const p of this.#visible) {
      if (this.#drawn.get(p) === scale) continue;
      const pending = this.#rendering.get(p);
      if (pending?.scale === scale) continue;
      pending?.abort.abort();
      void this.#renderPage(p, scale);
    }
  }

  async #renderPage(p: number, scale: number): Promise<void> {
    const doc = this.#doc;
    if (!doc) return;
    const abort = new AbortController();
    this.#rendering.set(p, { scale, abort });
    try {
      await this.#measure(p);
      const page = await doc.getPage(p);
      if (abort.signal.aborted) return;
      const canvas = await renderPageToCanvas(page, scale, globalThis.devicePixelRatio || 1, abort.signal);
      if (abort.signal.aborted || doc !== this.#doc) return;
      this.#pageElement(p)?.querySelector('.canvas-slot')?.replaceChildren(canvas);
      this.#drawn.set(p, scale);
      this.emit('kyso-page-rendered', { page: p });
    } catch (error) {
      // A cancelled render (zoom, scroll, disconnect) is expected; anything else leaves the page blank
      // and is reported once, without document content.
      if (!abort.signal.aborted && (error as { name?: string })?.name !== 'RenderingCancelledException') {
        this.reportError(asKysoError(error));
      }
    } finally {
      if (this.#rendering.get(p)?.abort === abort) this.#rendering.delete(p);
    }
  }

  #onKeyDown = (event: KeyboardEvent): void => {
    const pages = this.pageCount;
    if (!pages) return;
    const mod = event.ctrlKey || event.metaKey;
    let handled = true;
    if (mod && (event.key === '+' || event.key === '=')) this.zoomIn();
    else if (mod && event.key === '-') this.zoomOut();
    else if (mod && event.key === '0') this.scale = 1;
    else if (mod) handled = false;
    else if (event.key === 'PageDown' || event.key === 'ArrowRight') this.goToPage(this.page + 1);
    else if (event.key === 'PageUp' || event.key === 'ArrowLeft') this.goToPage(this.page - 1);
    else if (event.key === 'Home') this.goToPage(1);
    else if (event.key === 'End') this.goToPage(pages);
    else handled = false;
    if (handled) event.preventDefault();
  };

  #onPageClick = (event: MouseEvent): void => {
    const point = this.pointAt(event.clientX, event.clientY);
    if (point) this.emit('kyso-page-click', point);
  };

  #onScroll = (): void => {
    const viewport = this.#viewportElement();
    if (!viewport || !this.pageCount) return;
    // The current page is the last one whose top is above the upper third of the visible area.
    const line = viewport.scrollTop + viewport.offsetTop + viewport.clientHeight / 3;
    let current = 1;
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('.page')) {
      if (el.offsetTop <= line) current = Number(el.dataset['page']);
      else break;
    }
    if (current !== this.page) {
      this.#pageFromScroll = true;
      this.page = current;
      this.emit('kyso-page-change', { page: current });
    }
  };

  #effectiveScale(): number {
    return this.#clampScale(this.scale);
  }

  #clampScale(s: number): number {
    if (!Number.isFinite(s) || s <= 0) return 1;
    return Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.round(s * 1000) / 1000));
  }

  #viewportElement(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.viewport') ?? null;
  }

  /** The page element under a client point (pages are stacked top to bottom in page order). */
  #pageUnder(clientX: number, clientY: number): HTMLElement | null {
    for (const el of this.renderRoot?.querySelectorAll<HTMLElement>('.page') ?? []) {
      const r = el.getBoundingClientRect();
      if (clientY < r.top) return null; // below this one are only later pages, further down
      if (clientY <= r.bottom && clientX >= r.left && clientX <= r.right) return el;
    }
    return null;
  }

  #pageElement(p: number): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>(`.page[data-page="${p}"]`) ?? null;
  }

}

async function fetchBytes(src: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(src);
  } catch (e) {
    throw kysoError('ERR_IO', `cannot fetch the document: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  if (!response.ok) throw kysoError('ERR_IO', `fetching the document failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** pdf.js's own exceptions, as kyso codes (pdf.js names them; see its `BaseException` subclasses). */
function asKysoError(e: unknown): unknown {
  const name = (e as { name?: unknown })?.name;
  if (name === 'InvalidPDFException') return kysoError('ERR_PDF_MALFORMED', 'pdf.js cannot read the document');
  if (name === 'PasswordException') return kysoError('ERR_PDF_ENCRYPTED', 'the document needs a password');
  if (name === 'UnknownErrorException' || name === 'FormatError') return kysoError('ERR_PDF_MALFORMED', 'pdf.js cannot read the document');
  return e;
}
