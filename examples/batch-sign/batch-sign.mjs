#!/usr/bin/env node
// Signs every PDF in a folder with one PKCS#12 key, as an agency's archive or outgoing-mail job would.
// Usage: KYSO_PIN=... node examples/batch-sign/batch-sign.mjs --p12 FILE --in DIR --out DIR [--level B-T --tsa URL]
// Each file is signed without being loaded into memory and written atomically; one bad file does not stop the batch.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { KysoError } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { Pkcs12Adapter } from '@kyso/adapters';

const { values } = parseArgs({
  options: { p12: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' }, level: { type: 'string' }, tsa: { type: 'string' },
    'pin-env': { type: 'string', default: 'KYSO_PIN' } },
});
if (!values.p12 || !values.in || !values.out) {
  console.error('usage: batch-sign.mjs --p12 FILE --in DIR --out DIR [--level B-T --tsa URL] [--pin-env VAR]');
  process.exit(2);
}
const password = process.env[values['pin-env']];
if (password === undefined) {
  console.error(`set the PKCS#12 password in the environment variable ${values['pin-env']}`);
  process.exit(2);
}
const adapter = await Pkcs12Adapter.open(new Uint8Array(readFileSync(values.p12)), password);
mkdirSync(values.out, { recursive: true });

let ok = 0;
let failed = 0;
for (const name of readdirSync(values.in).filter((f) => f.toLowerCase().endsWith('.pdf')).sort()) {
  const started = performance.now();
  try {
    await signFile(join(values.in, name), join(values.out, basename(name)), {
      adapter,
      level: values.level === 'B-T' ? 'B-T' : 'B-B',
      timestamp: values.tsa ? { url: values.tsa } : undefined,
    });
    ok++;
    console.log(`signed  ${name} (${Math.round(performance.now() - started)} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAILED  ${name}: ${e instanceof KysoError ? `${e.code} ${e.localized('en')}` : String(e)}`);
  }
}
console.log(`${ok} signed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
