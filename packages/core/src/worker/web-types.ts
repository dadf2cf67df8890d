/**
 * The few Web Worker shapes the client needs, declared structurally.
 *
 * Why not `lib: ["DOM"]`: core is DOM-free (its tsconfig has ES2023 and Node
 * types only), and a global declaration here would clash with the DOM library
 * of packages that use core (elements). A real `Worker`, a `MessagePort` and
 * Node's `worker_threads` endpoints all satisfy these interfaces.
 */

/** What a message listener receives (`MessageEvent` has more; this is all we read). */
export interface MessageEventLike {
  readonly data: unknown;
}

/** A `Worker`-like endpoint: what comlink needs, plus `terminate`. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: readonly unknown[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: MessageEventLike) => void): void;
  terminate(): void;
}

/** The `Worker` constructor of the page (absent in Node). */
export type WorkerConstructor = new (url: URL | string, options?: { type?: 'module' | 'classic'; name?: string }) => WorkerLike;
