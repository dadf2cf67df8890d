import { kysoError } from '../../errors/index.js';

/** Vietnam time is UTC+7 all year: no daylight saving since 1975. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Formats an instant as Vietnam time, `dd/MM/yyyy HH:mm:ss +07:00`.
 *
 * Decree 30/2020 Appendix I §II.8b and Part II §I ask for the date, the
 * hour/minute/second and the Vietnam time zone in ISO 8601 terms; the offset
 * is written in ISO 8601 form. Computed by arithmetic on the UTC instant,
 * never through the host's time zone, so a server in Europe prints the same.
 *
 * @throws `ERR_INVALID_ARGUMENT` when `date` is not a valid `Date`.
 */
export function formatVietnamTime(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'signingTime must be a valid Date');
  }
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return (
    `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${pad(local.getUTCFullYear(), 4)} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} +07:00`
  );
}
