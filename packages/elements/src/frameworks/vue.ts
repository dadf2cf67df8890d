/**
 * Vue 3 typings: the five tags in `GlobalComponents`, so that Volar / vue-tsc
 * check their props and `@kyso-*` listeners in templates. Vue must be told
 * they are custom elements (`compilerOptions.isCustomElement: (tag) =>
 * tag.startsWith('sign-') || ...`, see the README); use `.prop` for objects
 * (`:adapter.prop="adapter"`).
 *
 * ```ts
 * import '@kyso/elements/sign-document';
 * import type {} from '@kyso/elements/vue';
 * ```
 *
 * Types only: it defines no element.
 *
 * @packageDocumentation
 */
import type { DefineComponent } from 'vue';
import type { KysoEventMap } from '../shared/event-map.js';
import type { KysoElementEvents, KysoElementProps, KysoListener } from './props.js';

/** `kyso-signed` → `KysoSigned`: how Vue names the listener prop of `@kyso-signed`. */
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${Capitalize<H>}${Camel<T>}` : Capitalize<S>;

/** Vue's `on<Event>` props for a tag's kyso events (`@kyso-signed` in a template). */
export type VueKysoEvents<T extends keyof KysoElementEvents> = { [K in KysoElementEvents[T] as `on${Camel<K>}`]?: KysoListener<K & keyof KysoEventMap> };

/** The component type Vue sees for tag `T`. */
export type VueKysoElement<T extends keyof KysoElementProps> = DefineComponent<KysoElementProps[T] & VueKysoEvents<T>>;

declare module 'vue' {
  interface GlobalComponents {
    'sign-document': VueKysoElement<'sign-document'>;
    'verify-badge': VueKysoElement<'verify-badge'>;
    'signature-panel': VueKysoElement<'signature-panel'>;
    'pdf-page-view': VueKysoElement<'pdf-page-view'>;
    'certificate-picker': VueKysoElement<'certificate-picker'>;
  }
}
