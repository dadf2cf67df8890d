import { KysoError, type Lang } from '@kyso/core';
import { SIGN_USAGE, signCommand } from './sign-command.js';

const USAGE = `kyso: sign PDF documents (PAdES)

Usage: kyso <command> [options]

Commands:
  sign      sign a PDF (kyso sign --help)

Exit status: 0 on success; 1 when the operation failed (the error code and
its message are printed on stderr); 2 for a usage error.
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
      case 'sign':
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(SIGN_USAGE);
          return 0;
        }
        process.stdout.write(`${await signCommand(rest)}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`kyso: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof KysoError) {
      const detail = error.detail ? ` (${error.detail})` : '';
      process.stderr.write(`${error.code}: ${error.localized(lang)}${detail}\n`);
      return error.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
    }
    if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`kyso: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`ERR_INTERNAL: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 1;
  }
}
