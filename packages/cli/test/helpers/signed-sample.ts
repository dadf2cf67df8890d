import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensureSamples, type TestPki } from '@kyso/testkit';

/**
 * Writes what a receiving clerk is given: `<dir>/signed.pdf` (the simple sample, signed by the test PKI's leader on
 * 2026-01-15, no revocation data inside) and the root to trust, `<dir>/root.pem`.
 */
export async function writeLeaderSigned(pki: TestPki, dir: string): Promise<void> {
  const samples = await ensureSamples();
  const leader = pki.entity('leader');
  const adapter = await fromPkcs8Pem(leader.keyPem, leader.certDer, leader.chainDer);
  writeFileSync(join(dir, 'signed.pdf'), await sign(new Uint8Array(readFileSync(samples.simple)), { adapter, signingTime: new Date('2026-01-15T03:00:00Z') }));
  writeFileSync(join(dir, 'root.pem'), pki.rootPem);
}
