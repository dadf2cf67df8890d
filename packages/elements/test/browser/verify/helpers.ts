/**
 * Shared helpers of the verification elements' browser specs: fixtures, events,
 * accessibility.
 */
import axe from 'axe-core';
import { expect } from 'vitest';

export { fixture } from '../../../../core/test/browser/fixtures.js';

/** Resolves with the next `type` event fired by `target`, or rejects after `ms`. */
export function nextEvent<T = unknown>(target: EventTarget, type: string, ms = 30_000): Promise<CustomEvent<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
    target.addEventListener(type, (e) => {
      clearTimeout(timer);
      resolve(e as CustomEvent<T>);
    }, { once: true });
  });
}

/** Polls `check` until it returns a truthy value (e.g. until a page has been drawn). */
export async function until<T>(check: () => T | undefined | null | false, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Mounts `el` in a fresh container of the document and returns it. */
export function mount<E extends HTMLElement>(el: E, lang = 'vi'): E {
  const host = document.createElement('div');
  host.lang = lang;
  host.append(el);
  document.body.replaceChildren(host);
  return el;
}

/** Runs axe-core on `el` (WCAG 2 A and AA rules) and expects no violation. */
export async function expectAccessible(el: Element): Promise<void> {
  const result = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(violations).toEqual([]);
}

/** The pixel at (x, y) of a canvas, as [r, g, b, a]. */
export function pixel(canvas: HTMLCanvasElement, x: number, y: number): number[] {
  return [...canvas.getContext('2d')!.getImageData(x, y, 1, 1).data];
}
