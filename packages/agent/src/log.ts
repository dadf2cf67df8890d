/**
 * Structured logs (one JSON object per line). Callers pass fields; this
 * module refuses the ones that must never be written (PINs, whole digests,
 * document bytes): digests are cut to a short prefix, unknown binary is dropped.
 *
 * A log line that cannot be written (no file descriptor left, disk full, a
 * closed stderr pipe) is dropped and counted, never thrown: a flood of
 * connections must not turn a logging failure into the agent's exit (issue 12).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  /** Lines that could not be written since the logger was made (optional for custom loggers). */
  readonly dropped?: number;
  /** Releases the log file, if any. */
  close?(): void;
}

/** Field names never written, whatever their value. */
const FORBIDDEN = /pin|password|secret|passphrase|document|content|data|credential|clienttoken/i;

/** A digest for logs: the first 8 hex characters, enough to correlate, useless to replay. */
export function digestPrefix(b64: string): string {
  return Buffer.from(b64, 'base64').subarray(0, 4).toString('hex') + '…';
}

let stderrGuarded = false;
/** An asynchronous EPIPE on stderr (the launcher went away) is an 'error' event: without a listener it would end the process. */
function guardStderr(onError: () => void): void {
  if (stderrGuarded) return;
  stderrGuarded = true;
  process.stderr.on('error', onError);
}

/** Writes JSON lines to stderr, to a file (opened once, mode 0600, re-opened after a failure), or nowhere. */
export function createLogger(target: 'stderr' | 'off' | { file: string }, minLevel: LogLevel = 'info'): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  let dropped = 0;
  let fd: number | undefined;
  if (target === 'stderr') guardStderr(() => dropped++);
  const write = (line: string): void => {
    if (target === 'off') return;
    if (target === 'stderr') {
      process.stderr.write(line);
      return;
    }
    if (fd === undefined) fd = openSync(target.file, 'a', 0o600);
    try {
      writeSync(fd, line);
    } catch (err) {
      // A broken descriptor is dropped so that the next line tries a fresh one.
      try {
        closeSync(fd);
      } catch {
        /* already unusable */
      }
      fd = undefined;
      throw err;
    }
  };
  return {
    get dropped() {
      return dropped;
    },
    log(level, event, fields = {}) {
      if (target === 'off' || order[level] < order[minLevel]) return;
      try {
        const safe: Record<string, unknown> = { t: new Date().toISOString(), level, event };
        for (const [k, v] of Object.entries(fields)) {
          if (v === undefined) continue;
          if (FORBIDDEN.test(k)) continue;
          safe[k] = typeof v === 'string' && v.length > 200 ? v.slice(0, 200) + '…' : v;
        }
        write(JSON.stringify(safe) + '\n');
      } catch {
        dropped++;
      }
    },
    close() {
      if (fd === undefined) return;
      try {
        closeSync(fd);
      } catch {
        /* nothing to release */
      }
      fd = undefined;
    },
  };
}
