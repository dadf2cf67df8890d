import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../exec.js';
import { ensurePki, type TestPki } from '../pki/generate.js';
import { VALIDITY } from '../pki/profile.js';

/** A certificate listed on a {@link opensslLargeCrl}, after the filler entries. */
export interface ListedSerial {
  /** The serial number, hex. */
  readonly serialHex: string;
  readonly revoked: Date;
  /** An openssl reason name (`keyCompromise`, `superseded`, `certificateHold`…); default none (no reasonCode entry extension). */
  readonly reason?: string;
  /** A compromise time, written as an invalidityDate entry extension (RFC 5280 §5.3.2); the reason is then keyCompromise, or CACompromise when `reason` says so. */
  readonly compromised?: Date;
}

/** Options of {@link opensslLargeCrl}. */
export interface LargeCrlOptions {
  readonly pki?: TestPki;
  /** How many filler certificates the CRL lists (serials 0x10000000 upwards, superseded on 2025-01-01). */
  readonly entries: number;
  /** Listed as well; their serials should be above the fillers' to come last, since OpenSSL sorts a CRL by serial. */
  readonly listed?: readonly ListedSerial[];
  /** thisUpdate; default the test PKI's CRL date (2026-01-01). */
  readonly thisUpdate?: Date;
  /** nextUpdate; default the test PKI's (2036-01-01). */
  readonly nextUpdate?: Date;
}

/** `YYYYMMDDHHMMSSZ`, the form `openssl ca -crl_lastupdate` takes and that never needs a century guess. */
function longTime(d: Date): string {
  return d.toISOString().replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
}

/** `YYMMDDHHMMSSZ`, as openssl's CA database writes dates. */
function dbTime(d: Date): string {
  return longTime(d).slice(2);
}

/**
 * The intermediate's CRL as `openssl ca -gencrl` writes it (an independent
 * encoder, so kyso's reader is not only checked against pkijs output), listing
 * `entries` filler serials and then `listed`: the large CRLs real CAs publish
 * (tens of thousands of entries). Signed with SHA-256 by the intermediate key,
 * with authorityKeyIdentifier and cRLNumber; DER. Made in a temporary folder
 * removed afterwards.
 */
export async function opensslLargeCrl(options: LargeCrlOptions): Promise<Uint8Array> {
  const pki = options.pki ?? (await ensurePki());
  const dir = await mkdtemp(join(tmpdir(), 'kyso-crl-'));
  try {
    const expiry = dbTime(new Date('2035-01-01T00:00:00Z'));
    const filler = dbTime(new Date('2025-01-01T00:00:00Z'));
    const rows: string[] = [];
    for (let i = 0; i < options.entries; i++) {
      rows.push(`R\t${expiry}\t${filler},superseded\t${(0x10000000 + i).toString(16).toUpperCase()}\tunknown\t/CN=filler ${i}`);
    }
    for (const l of options.listed ?? []) {
      // openssl ca's revocation field: date[,reason[,argument]]; a compromise time goes with its own pseudo-reasons
      // keyTime / CAkeyTime, which openssl writes as keyCompromise / cACompromise plus invalidityDate.
      const reason = l.compromised ? (l.reason === 'CACompromise' ? 'CAkeyTime' : 'keyTime') : l.reason;
      const revocation = [dbTime(l.revoked), ...(reason ? [reason] : []), ...(l.compromised ? [longTime(l.compromised)] : [])].join(',');
      rows.push(`R\t${expiry}\t${revocation}\t${l.serialHex.toUpperCase()}\tunknown\t/CN=listed ${l.serialHex}`);
    }
    await writeFile(join(dir, 'index.txt'), rows.length > 0 ? `${rows.join('\n')}\n` : '');
    await writeFile(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
    await writeFile(join(dir, 'crlnumber'), '1000\n');
    await writeFile(join(dir, 'ca.cnf'), [
      '[ ca ]', 'default_ca = test_ca',
      '[ test_ca ]', `database = ${join(dir, 'index.txt')}`, `crlnumber = ${join(dir, 'crlnumber')}`,
      'default_md = sha256', 'crl_extensions = crl_ext',
      '[ crl_ext ]', 'authorityKeyIdentifier = keyid:always', '',
    ].join('\n'));
    const intermediate = pki.entity('intermediate');
    await run('openssl', [
      'ca', '-batch', '-gencrl', '-config', join(dir, 'ca.cnf'), '-cert', intermediate.certPath, '-keyfile', intermediate.keyPath,
      '-crl_lastupdate', longTime(options.thisUpdate ?? VALIDITY.crlThisUpdate),
      '-crl_nextupdate', longTime(options.nextUpdate ?? VALIDITY.crlNextUpdate), '-out', join(dir, 'crl.pem'),
    ]);
    await run('openssl', ['crl', '-in', join(dir, 'crl.pem'), '-outform', 'DER', '-out', join(dir, 'crl.der')]);
    return new Uint8Array(await readFile(join(dir, 'crl.der')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
