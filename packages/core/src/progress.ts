/**
 * Progress of a long operation, reported through an `onProgress` option.
 * `done` and `total` are in the phase's unit (bytes for `hash`); a listener
 * must be cheap: it is called at most a few dozen times per operation.
 */
export interface Progress {
  readonly phase: 'hash' | 'sign' | 'timestamp' | 'verify';
  readonly done: number;
  readonly total: number;
}

/** Receives {@link Progress}; exceptions thrown by it are ignored. */
export type ProgressListener = (progress: Progress) => void;

/**
 * A throttled reporter for one phase: rising values only, at most one call
 * per percent of `total`, and always the final one; a throwing listener is ignored so that
 * a page's bug cannot fail a signature.
 * @internal
 */
export function progressReporter(listener: ProgressListener | undefined, phase: Progress['phase'], total: number): (done: number) => void {
  if (!listener) return () => {};
  const step = Math.max(1, Math.floor(total / 100));
  let last = -1;
  return (done) => {
    if (done <= last || (done !== total && last >= 0 && done - last < step)) return;
    last = done;
    try {
      listener({ phase, done, total });
    } catch {
      // ignored: see above
    }
  };
}
