import { KysoError, toKysoError } from '@kyso/core';
import { isParseArgsError } from './command-line.js';

/**
 * The exit statuses every verb shares (the BSD `sysexits.h` values, which
 * leave 1–63 to each verb's own outcomes):
 * - 64 (EX_USAGE): the command line is wrong: unknown command or option, a
 *   missing or bad value (`ERR_INVALID_ARGUMENT`).
 * - 70 (EX_SOFTWARE): kyso failed in a way it does not recognise
 *   (`ERR_INTERNAL`, its stack on stderr): a bug, never a verdict on the file.
 *
 * Each verb's own statuses sit below: `sign` and `extend` 0 done, 1 failed;
 * `verify` 0–4 (see VERIFY_EXIT); `audit` 0, 1, 4 (see AUDIT_EXIT).
 */
export const COMMON_EXIT = { usage: 64, internal: 70 } as const;

/** Whether `error` is a usage error: `util.parseArgs`'s own, or a bad or missing value. */
export function isUsageError(error: unknown): boolean {
  if (error instanceof KysoError) return error.code === 'ERR_INVALID_ARGUMENT';
  return isParseArgsError(error);
}

/** The shared status for `error` (usage 64, internal 70), or null when the verb decides. */
export function commonExit(error: unknown): number | null {
  if (isUsageError(error)) return COMMON_EXIT.usage;
  if (toKysoError(error).code === 'ERR_INTERNAL') return COMMON_EXIT.internal;
  return null;
}
