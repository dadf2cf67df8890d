import type { Lang } from '@kyso/core';

/** Progress of an audit, drawn on one terminal line. */
export interface Progress {
  update(done: number): void;
  end(): void;
}

const NONE: Progress = { update() {}, end() {} };

/**
 * A progress bar on `stream` when it is a terminal; nothing otherwise, so
 * logs and pipes get no control characters. Redrawn at most ten times a second.
 */
export function progressBar(stream: NodeJS.WriteStream, total: number, lang: Lang): Progress {
  if (!stream.isTTY || total === 0) return NONE;
  const unit = lang === 'vi' ? 'tệp' : 'files';
  const started = Date.now();
  let last = 0;
  const draw = (done: number) => {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
    const filled = Math.round((done / total) * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? (done / seconds).toFixed(1) : '…';
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit} (${rate}/s)\x1b[K`);
  };
  return {
    update(done) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      draw(done);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
