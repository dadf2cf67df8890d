/**
 * Late binding of a module's async functions: the entry exports a function
 * with exactly the type of the implementation (`typeof import(…).name`),
 * whose first call loads the module. Used where a public entry must not
 * compile what it names until it is used: validation behind the signing
 * entry, pdf-lib and fontkit behind the appearance (docs/decisions/0013, 0032).
 */

/** The names of `M`'s exports that are functions. */
type FunctionName<M> = { [K in keyof M]: M[K] extends (...args: never[]) => unknown ? K : never }[keyof M];

/** `F` itself when it is async (same parameters, names and documentation); a synchronous `F` made async. */
export type Lazy<F> = F extends (...args: never[]) => Promise<unknown>
  ? F
  : F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

/** `load`, called once: later calls share its promise. */
export function onFirstUse<M>(load: () => Promise<M>): () => Promise<M> {
  let loaded: Promise<M> | undefined;
  return () => (loaded ??= load());
}

/**
 * A function typed as `M[name]` that loads `M` (through `load`) and calls its
 * `name` with the same arguments. An async function keeps its exact type; a
 * synchronous one returns a promise of its result (the load must be awaited).
 */
export function lazyExport<M, K extends FunctionName<M>>(load: () => Promise<M>, name: K): Lazy<M[K]> {
  const forward = async (...args: unknown[]): Promise<unknown> => {
    const fn = (await load())[name] as unknown as (...a: unknown[]) => Promise<unknown>;
    return fn(...args);
  };
  return forward as Lazy<M[K]>;
}
