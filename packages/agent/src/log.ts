/**
 * Structured logs (one JSON object per line). Callers pass fields; this
 * module refuses the ones that must never be written (PINs, whole digests,
 * document bytes): digests are cut to a short prefix, unknown binary is dropped.
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

/** Field names never written, whatever their value. */
const FORBIDDEN = /pin|password|secret|passphrase|document|content|data/i;

/** A digest for logs: the first 8 hex characters, enough to correlate, useless to replay. */
export function digestPrefix(b64: string): string {
  return Buffer.from(b64, 'base64').subarray(0, 4).toString('hex') + '…';
}

/** Writes JSON lines to stderr, to a file, or nowhere. */
export function createLogger(target: 'stderr' | 'off' | { file: string }, minLevel: LogLevel = 'info'): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    log(level, event, fields = {}) {
      if (target === 'off' || order[level] < order[minLevel]) return;
      const safe: Record<string, unknown> = { t: new Date().toISOString(), level, event };
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) continue;
        if (FORBIDDEN.test(k)) continue;
        safe[k] = typeof v === 'string' && v.length > 200 ? v.slice(0, 200) + '…' : v;
      }
      const line = JSON.stringify(safe) + '\n';
      if (target === 'stderr') process.stderr.write(line);
      else appendFileSync(target.file, line);
    },
  };
}
