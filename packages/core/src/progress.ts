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
