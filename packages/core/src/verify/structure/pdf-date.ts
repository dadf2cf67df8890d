/**
 * Parses a PDF date string `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-2 §7.9.4) to
 * ISO 8601 UTC, or null when it is not one. Everything after the year is
 * optional; a missing offset is read as UTC (the usual reading, though the
 * standard leaves it unknown), an offset written as `Z` is UTC.
 */
export function parsePdfDate(text: string): string | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([+\-Z])(?:(\d{2})'?(?:(\d{2})'?)?)?)?\s*$/.exec(text.trim());
  if (!m) return null;
  const num = (s: string | undefined, dflt: number) => (s === undefined ? dflt : Number(s));
  const [year, month, day, hour, minute, second] = [num(m[1], 0), num(m[2], 1), num(m[3], 1), num(m[4], 0), num(m[5], 0), num(m[6], 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const sign = m[7] === '-' ? -1 : m[7] === '+' ? 1 : 0;
  const offH = num(m[8], 0);
  const offM = num(m[9], 0);
  if (offH > 23 || offM > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - sign * (offH * 60 + offM) * 60_000;
  const d = new Date(utc);
  // Date.UTC rolls 31 February over to March: refuse dates that do not exist.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
