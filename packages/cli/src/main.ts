import { toKysoError, type Lang } from '@kyso/core';
import { COMMON_EXIT, commonExit } from './exit-codes.js';
import { isParseArgsError } from './command-line.js';

// Each verb's module (and what it pulls in: worker threads for audit, a TTY reader for sign, ...) loads only
// when that verb runs: start-up time is most of a one-file `kyso verify` (docs/decisions/0026-cli-start-up.md).

const USAGE = `kyso: sign and verify PDF documents (PAdES)

Usage: kyso <command> [options]

Commands:
  sign      sign a PDF (kyso sign --help)
  verify    verify the signatures of a PDF (kyso verify --help)
  audit     verify every PDF of a folder into a CSV, JSON or HTML report (kyso audit --help)
  extend    add long-term validation data: PAdES B-LT / B-LTA (kyso extend --help)
  serve     run the verification service over HTTP (kyso serve --help)
  worker    verify the files of kyso audit --queue runs, or sign those of kyso sign --queue,
            from a Redis queue (kyso worker --help)

Exit status, for every command: 64 for a usage error (unknown command or option, a missing
or bad value); 70 for an internal error (ERR_INTERNAL: a kyso bug, its stack on stderr).
sign and extend: 0 on success; 1 when the operation failed (the error code and its
message are printed on stderr). verify and audit add their own (kyso verify --help,
kyso audit --help).
`;

/** The language of error messages: `--lang en` or `--lang=en`, else Vietnamese (the default audience). */
function messageLanguage(argv: readonly string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--lang=en' || (a === '--lang' && argv[i + 1] === 'en')) return 'en';
  }
  return 'vi';
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const lang = messageLanguage(argv);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sign': {
        const { SIGN_USAGE, signCommand } = await import('./sign-command.js');
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(SIGN_USAGE);
          return 0;
        }
        const { output, exit } = await signCommand(rest);
        process.stdout.write(output);
        return exit;
      }
      case 'extend': {
        const { EXTEND_USAGE, extendCommand } = await import('./extend-command.js');
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(EXTEND_USAGE);
          return 0;
        }
        process.stdout.write(`${await extendCommand(rest)}\n`);
        return 0;
      }
      case 'verify': {
        const { VERIFY_USAGE, verifyCommand, verifyErrorExit } = await import('./verify-command.js');
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(VERIFY_USAGE);
          return 0;
        }
        try {
          const { output, exit } = await verifyCommand(rest);
          process.stdout.write(output);
          return exit;
        } catch (error) {
          reportError(error, lang);
          return verifyErrorExit(error);
        }
      }
      case 'audit': {
        const { AUDIT_USAGE, auditCommand, auditErrorExit } = await import('./audit-command.js');
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(AUDIT_USAGE);
          return 0;
        }
        try {
          const { output, exit } = await auditCommand(rest);
          if (output !== null) process.stdout.write(output);
          return exit;
        } catch (error) {
          reportError(error, lang);
          return auditErrorExit(error);
        }
      }
      case 'serve': {
        // The service and its dependencies load only for this verb.
        const { withServer } = await import('./server-module.js');
        return await withServer(async ({ serveCommand, SERVE_USAGE }) => {
          if (rest.includes('--help') || rest.includes('-h')) {
            process.stdout.write(SERVE_USAGE);
            return 0;
          }
          return serveCommand(rest);
        });
      }
      case 'worker': {
        const { workerCommand, WORKER_USAGE } = await import('./worker-command.js');
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(WORKER_USAGE);
          return 0;
        }
        return await workerCommand(rest);
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? COMMON_EXIT.usage : 0;
      default:
        process.stderr.write(`kyso: unknown command "${command}"\n\n${USAGE}`);
        return COMMON_EXIT.usage;
    }
  } catch (error) {
    reportError(error, lang);
    return commonExit(error) ?? 1;
  }
}

/** Prints an error on stderr: `CODE: message (detail)` in the chosen language; never a PIN or document content. */
function reportError(error: unknown, lang: Lang): void {
  if (isParseArgsError(error)) {
    // Node's parseArgs speaks English: in Vietnamese its sentence is the technical detail of ours.
    const message = (error as Error).message;
    process.stderr.write(lang === 'vi' ? `kyso: dòng lệnh không hợp lệ — chi tiết kỹ thuật: ${message}\n` : `kyso: ${message}\n`);
    return;
  }
  // What kyso does not recognise is ERR_INTERNAL, with the original's stack for the bug report.
  const e = toKysoError(error);
  // The detail is a technical English note (an option, a path, an errno): in Vietnamese it is set apart under its
  // own label rather than read as the end of a Vietnamese sentence.
  const detail = !e.detail ? '' : lang === 'vi' ? ` — chi tiết kỹ thuật: ${e.detail}` : ` (${e.detail})`;
  process.stderr.write(`${e.code}: ${e.localized(lang)}${detail}\n`);
  if (e.code === 'ERR_INTERNAL') {
    const cause = e.cause;
    process.stderr.write(`${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`);
  }
}
