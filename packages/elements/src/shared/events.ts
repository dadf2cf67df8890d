/**
 * The events kyso's elements fire: bubbling and composed, so that they cross
 * the shadow roots of elements that embed others (`<sign-document>` embeds a
 * `<pdf-page-view>` and a `<certificate-picker>`).
 *
 * Kept outside the element classes on purpose: the Custom Elements Manifest
 * analyzer takes `dispatchEvent(new CustomEvent(name))` inside a class for an
 * event declaration and, given a variable, would list an event called `name`.
 * The events are declared by each element's `@fires` tags instead.
 */
export function kysoEvent<T>(type: string, detail: T, init: { readonly cancelable?: boolean } = {}): CustomEvent<T> {
  return new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable: init.cancelable ?? false });
}
