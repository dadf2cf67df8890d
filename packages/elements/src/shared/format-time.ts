import { formatVietnamTime } from '@kyso/core/appearance';
import type { Lang } from './locale.js';

const EN = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh',
});

/**
 * A signing time as users of the language read it, always in Vietnam time
 * (UTC+7, the time the appearances print): `24/11/2026 08:05:09 +07:00` in
 * Vietnamese (Decree 30/2020 style, core's `formatVietnamTime`), `24 Nov 2026,
 * 08:05:09 (UTC+7)` in English.
 */
export function formatSigningTime(at: Date, lang: Lang): string {
  return lang === 'vi' ? formatVietnamTime(at) : `${EN.format(at)} (UTC+7)`;
}
