import { describe, expect, it } from 'vitest';
import { kysoError } from '@kyso/core';
import { auditErrorExit } from '../src/audit-command.js';
import { COMMON_EXIT, commonExit } from '../src/exit-codes.js';
import { verifyErrorExit } from '../src/verify-command.js';
import { runMain } from './helpers/cli.js';

// One rule for every verb: 64 is a usage error, 70 an internal error; each verb's own statuses stay below 64.
// (Before, sign and extend said 2 for a usage error, which verify uses for INDETERMINATE, and verify called
// a kyso bug "4, not a readable PDF".)

describe('exit statuses shared by every verb', () => {
  it.each(['sign', 'verify', 'audit', 'extend'])('%s: an unknown option is a usage error, 64', async (verb) => {
    const run = await runMain([verb, 'in.pdf', '--no-such-option']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/no-such-option/);
  });

  it.each(['sign', 'extend'])('%s: a missing value is a usage error, 64, and says which', async (verb) => {
    const run = await runMain([verb, 'in.pdf', '--lang', 'en']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERR_INVALID_ARGUMENT: /);
  });

  it('no command, or an unknown one, is a usage error, 64', async () => {
    expect((await runMain([])).code).toBe(64);
    const run = await runMain(['verfy']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^kyso: unknown command "verfy"/);
  });

  it('an error kyso does not recognise is internal, 70, for every verb; never a verdict on the file', () => {
    const bug = new TypeError('x is not a function');
    expect(commonExit(bug)).toBe(COMMON_EXIT.internal);
    expect(verifyErrorExit(bug)).toBe(70); // not 4, "not a readable PDF"
    expect(auditErrorExit(bug)).toBe(70);
    expect(verifyErrorExit(kysoError('ERR_INTERNAL', 'revived from a worker'))).toBe(70);
  });

  it('each verb keeps its own statuses for the failures it knows', () => {
    expect(commonExit(kysoError('ERR_KEY_PASSWORD'))).toBeNull(); // sign/extend: 1
    expect(verifyErrorExit(kysoError('ERR_PDF_MALFORMED'))).toBe(4);
    expect(auditErrorExit(kysoError('ERR_IO'))).toBe(4);
    expect(verifyErrorExit(kysoError('ERR_INVALID_ARGUMENT', '--at'))).toBe(64);
  });
});
