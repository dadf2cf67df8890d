import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { errorDetail, logInternal, type ErrorDetail } from './error-detail.js';
import type { KysoEventDetail, KysoEventName } from './event-map.js';
import { kysoEvent } from './events.js';
import { resolveLang, type Lang } from './locale.js';

/**
 * What every kyso element shares: the `lang` attribute and its inheritance,
 * events dispatched one way with their detail checked against
 * {@link KysoEventMap}, and failures reported one way (`kyso-error`, with
 * `ERR_INTERNAL`'s cause logged once).
 *
 * Not an element itself (it has no tag), hence left out of the manifest;
 * the elements' own entries list the `lang` attribute they inherit.
 *
 * @ignore
 */
export abstract class KysoElement extends LitElement {
  /** `vi` (default) or `en`; inherited from ancestors and the document when absent. */
  @property({ reflect: true }) override lang!: string;

  /** The language the element speaks now: its `lang`, else an ancestor's, else the document's; Vietnamese by default. */
  protected get uiLang(): Lang {
    return resolveLang(this);
  }

  /**
   * Dispatches one of kyso's events (bubbling, composed), its detail typed
   * by name. Returns false when a listener cancelled a cancelable event.
   */
  protected emit<K extends KysoEventName>(type: K, detail: KysoEventDetail<K>, init: { readonly cancelable?: boolean } = {}): boolean {
    return this.dispatchEvent(kysoEvent(type, detail, init));
  }

  /**
   * Reports a failure: maps it to its code and message (`ERR_INTERNAL` with
   * the original as `cause` when kyso does not recognise it), logs an
   * internal failure once, fires `kyso-error` and returns the detail for
   * the element to show.
   */
  protected reportError(error: unknown): ErrorDetail {
    const detail = errorDetail(error, this.uiLang);
    logInternal(this.localName, detail);
    this.emit('kyso-error', detail);
    return detail;
  }
}
