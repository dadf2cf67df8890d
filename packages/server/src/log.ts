/** One structured log line's fields: never document content, query strings, headers or keys. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Where log lines go: one JSON object per line. */
export type Logger = (level: 'info' | 'warn' | 'error', msg: string, fields?: LogFields) => void;

/** A logger writing JSON lines to `stream` (default stderr, so stdout stays free for the CLI). */
export function jsonLogger(stream: { write(s: string): unknown } = process.stderr): Logger {
  return (level, msg, fields = {}) => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}

/** A logger that drops everything (embedders and tests that do not want logs). */
export const silentLogger: Logger = () => {};
