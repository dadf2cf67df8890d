/** A test file's private folder and its own SoftHSM2 copy (the tests change PINs, lock tokens, write logs). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pkcs11Module } from '@kyso/agent';
import { copySoftHsm, type SoftHsm } from '@kyso/testkit';

/** A fresh `<tmp>/<prefix>XXXXXX` with a SoftHSM2 copy in `softhsm/`; the caller removes `work` (afterAll). */
export async function openTokenWork(prefix: string): Promise<{ work: string; hsm: SoftHsm }> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  try {
    return { work, hsm: await copySoftHsm(join(work, 'softhsm')) };
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

/** The same, with that copy made this process's SoftHSM2 and its module opened (for agents started in-process). */
export async function openInProcessToken(prefix: string): Promise<{ work: string; hsm: SoftHsm; mod: Pkcs11Module }> {
  const { work, hsm } = await openTokenWork(prefix);
  process.env.SOFTHSM2_CONF = hsm.conf;
  return { work, hsm, mod: Pkcs11Module.open(hsm.module) };
}
