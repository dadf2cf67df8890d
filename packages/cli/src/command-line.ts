import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { kysoError } from '@kyso/core';

/**
 * The one command-line parser of every verb: Node's `util.parseArgs` (strict: an unknown option is a usage error)
 * and the checks of option values the verbs share. Every failure here is a usage error (`ERR_INVALID_ARGUMENT`,
 * or parseArgs's own `ERR_PARSE_ARGS_*`), which every verb maps to exit status 64 (exit-codes.ts).
 */

type Options = NonNullable<ParseArgsConfig['options']>;
type Config<O extends Options> = { args: string[]; options: O; allowPositionals: true; strict: true };
/** What {@link parseCommandLine} returns: parseArgs's typed `values` and the operands. */
export type CommandLine<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>;

/** How many operands a verb takes, and how a usage error names them ("exactly one PDF is needed"). */
export interface Operands {
  readonly count: number;
  readonly what: string;
}

/** Parses `argv` against `options`; with `operands`, exactly that many operands must follow. */
export function parseCommandLine<O extends Options>(argv: readonly string[], options: O, operands?: Operands): CommandLine<O> {
  const parsed = parseArgs<Config<O>>({ args: [...argv], options, allowPositionals: true, strict: true });
  if (operands && parsed.positionals.length !== operands.count) {
    throw kysoError('ERR_INVALID_ARGUMENT', `exactly ${operands.count === 1 ? 'one' : operands.count} ${operands.what} ${operands.count === 1 ? 'is' : 'are'} needed`);
  }
  return parsed;
}

/** Whether `error` is one of `util.parseArgs`'s own (unknown option, missing value): Node's codes `ERR_PARSE_ARGS_*`. */
export function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

/** A whole-number option from `min` to `max`, or undefined when absent. */
export function wholeNumber(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw kysoError('ERR_INVALID_ARGUMENT', max === Number.MAX_SAFE_INTEGER
      ? `--${option} must be a whole number of at least ${min}`
      : `--${option} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** One of `choices` (the first is the default when the option is absent). */
export function choice<const C extends readonly string[]>(value: string | undefined, option: string, choices: C): C[number] {
  if (value === undefined) return choices[0]!;
  if (!choices.includes(value)) {
    const list = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
    throw kysoError('ERR_INVALID_ARGUMENT', `--${option} must be ${list}`);
  }
  return value;
}

/** An ISO 8601 time, or undefined when absent. */
export function isoTime(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', `--${option} must be an ISO 8601 time`);
  return at;
}

/**
 * The value of the environment variable an option names (`--pin-env VAR`): secrets come this way, never as an
 * argument, so they stay out of `ps` and shell history.
 */
export function environmentValue(variable: string, option: string): string {
  const value = process.env[variable];
  if (value === undefined) throw kysoError('ERR_INVALID_ARGUMENT', `--${option}: environment variable ${variable} is not set`);
  return value;
}

/** A file named on the command line, whole; `ERR_IO` naming it when it cannot be read. */
export function readNamedFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${path}`, cause);
  }
}
