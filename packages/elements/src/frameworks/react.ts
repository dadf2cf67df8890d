/**
 * JSX typings for React 19, which sets a custom element's properties (objects
 * included) and listens to its events through `on` + the event's exact name:
 *
 * ```tsx
 * import '@kyso/elements/sign-document';
 * import type {} from '@kyso/elements/react';
 *
 * <sign-document signature-role="issue" src="/doc.pdf" adapter={adapter}
 *   onkyso-signed={(e) => upload(e.detail.bytes)} onkyso-error={(e) => show(e.detail.message)} />
 * ```
 *
 * TypeScript checks a hyphenated JSX attribute only when the tag declares
 * it: a listener for an event the tag does not fire (`onkyso-signed` on a
 * `<verify-badge>`) is not flagged, but every declared one is typed.
 *
 * Types only: importing this module adds the five tags to `JSX.IntrinsicElements`
 * (React 19's `declare module 'react' { namespace JSX }`); it defines no element.
 *
 * @packageDocumentation
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { KysoElementClasses, KysoElementEvents, KysoElementProps, KysoListener } from './props.js';

/** React's `on<event>` props for a tag's kyso events. */
export type ReactKysoEvents<T extends keyof KysoElementEvents> = { [K in KysoElementEvents[T] as `on${K}`]?: KysoListener<K> };

/** Everything JSX accepts on tag `T`: React's HTML attributes, the element's properties and attributes, its events. */
export type ReactKysoElement<T extends keyof KysoElementProps> =
  Omit<DetailedHTMLProps<HTMLAttributes<KysoElementClasses[T]>, KysoElementClasses[T]>, keyof KysoElementProps[T]>
  & KysoElementProps[T] & ReactKysoEvents<T>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React 19's JSX namespace lives in the module
  namespace JSX {
    interface IntrinsicElements {
      'sign-document': ReactKysoElement<'sign-document'>;
      'verify-badge': ReactKysoElement<'verify-badge'>;
      'signature-panel': ReactKysoElement<'signature-panel'>;
      'pdf-page-view': ReactKysoElement<'pdf-page-view'>;
      'certificate-picker': ReactKysoElement<'certificate-picker'>;
    }
  }
}
