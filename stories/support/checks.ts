/** Assertions the play functions share: shadow-DOM queries and the accessibility check. */
import axe from 'axe-core';
import { expect, waitFor } from 'storybook/test';

/** The element of the story (first match in the story's canvas), once it is defined and rendered. */
export async function storyElement<T extends HTMLElement>(canvas: HTMLElement, tag: string): Promise<T> {
  await customElements.whenDefined(tag);
  const el = canvas.querySelector<T>(tag);
  if (!el) throw new Error(`the story renders no <${tag}>`);
  await (el as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return el;
}

/** One node inside the element's shadow root, or null. */
export const shadow = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
  el.shadowRoot?.querySelector<T>(selector) ?? null;

/** All nodes inside the element's shadow root that match. */
export const shadowAll = <T extends Element = HTMLElement>(el: Element, selector: string): T[] =>
  [...(el.shadowRoot?.querySelectorAll<T>(selector) ?? [])];

/** The visible text of the element's shadow root, whitespace collapsed. */
export const shadowText = (el: Element): string => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Waits until the element's shadow text contains `text` (elements render asynchronously). */
export async function waitForText(el: Element, text: string, timeout = 15_000): Promise<void> {
  await waitFor(() => expect(shadowText(el)).toContain(text), { timeout });
}

/** Runs axe-core on the element (its default rules, as the elements' own tests do) and expects no violation. */
export async function expectAccessible(el: Element): Promise<void> {
  const result = await axe.run(el);
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The next event of `type` on `target`, as a promise (subscribe before acting). */
export function nextEvent<T = unknown>(target: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
}

/**
 * The detail of the next `success` event, or a rejection naming the code of
 * a `kyso-error` that came first (so a story fails at once, saying why).
 */
export function outcome<T>(target: EventTarget, success: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      target.removeEventListener(success, ok);
      target.removeEventListener('kyso-error', failed);
    };
    const ok = (e: Event) => (done(), resolve((e as CustomEvent<T>).detail));
    const failed = (e: Event) => {
      done();
      const d = (e as CustomEvent<{ code: string; message: string }>).detail;
      reject(new Error(`kyso-error ${d.code}: ${d.message}`));
    };
    target.addEventListener(success, ok);
    target.addEventListener('kyso-error', failed);
  });
}
