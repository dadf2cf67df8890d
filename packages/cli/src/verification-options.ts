import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  KysoError, kysoError, trustFromCertificates, TRUST_PROFILE_NAMES, type Lang, type RevocationData,
} from '@kyso/core';
import { readRevocationData } from '@kyso/core/verify';
import { choice, isoTime, readNamedFile } from './command-line.js';

/** The parseArgs specs of the options `kyso verify` and `kyso audit` share. */
export const VERIFICATION_ARGS = {
  trust: { type: 'string', multiple: true },
  distrust: { type: 'string', multiple: true },
  profile: { type: 'string', multiple: true },
  revocation: { type: 'string' },
  offline: { type: 'boolean' },
  crl: { type: 'string', multiple: true },
  ocsp: { type: 'string', multiple: true },
  policy: { type: 'string' },
  at: { type: 'string' },
  lang: { type: 'string' },
} as const;

/** The usage lines of those options (the same in `kyso verify --help` and `kyso audit --help`). */
export const VERIFICATION_USAGE = `  --profile NAME           trust a shipped CA list: vn (both below), vn-gov (VGCA
                           chuyên dùng công vụ), vn-public (NEAC public CAs) (repeatable)
  --trust FILE.pem         also trust this root or CA certificate (repeatable)
  --distrust FILE|SHA256   remove this certificate (file, or SHA-256 fingerprint in hex)
                           from the trusted CAs and bundled intermediates (repeatable)
  --offline                use only the revocation data in the file and given with
                           --crl/--ocsp; by default kyso also asks the CAs' OCSP
                           responders and CRL servers (and fetches missing intermediates)
  --crl FILE|DIR           a CRL obtained elsewhere, DER or PEM; a folder gives all its
                           files (repeatable)
  --ocsp FILE|DIR          an OCSP response obtained elsewhere, DER or PEM (repeatable)
  --revocation MODE        online (default) | embedded (as --offline) | off
  --policy NAME            default | legacy: old signatures with SHA-1 or without signed
                           attributes count as valid, with a warning
`;

/** What those options mean once checked. */
export interface VerificationArgs {
  readonly lang: Lang;
  readonly revocation: 'embedded' | 'online' | 'off';
  /** Profile names first, then the PEM text of each --trust file. */
  readonly trust: string[];
  /** SHA-256 fingerprints and certificate texts/bytes to remove. */
  readonly distrust: (string | Uint8Array)[];
  /** The --crl and --ocsp files' bytes, each checked. */
  readonly revocationData: { crls: Uint8Array[]; ocspResponses: Uint8Array[] };
  readonly policy: 'default' | 'legacy';
  readonly at: Date | undefined;
}

const FINGERPRINT = /^(?:[0-9a-f]{2}:?){31}[0-9a-f]{2}$/i;

/** A file's bytes, or every regular file's bytes in a folder (sorted by name, not recursive). */
export function readFileOrFolder(path: string): { path: string; bytes: Uint8Array }[] {
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${path}`, cause);
  }
  if (!folder) return [{ path, bytes: readNamedFile(path) }];
  let names: string[];
  try {
    names = readdirSync(path, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read the folder ${path}`, cause);
  }
  return names.map((name) => ({ path: join(path, name), bytes: readNamedFile(join(path, name)) }));
}

/** Reads and checks --crl / --ocsp: a file that is not what it claims stops the command, naming the file. */
async function readRevocationFiles(paths: readonly string[], kind: keyof RevocationData): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const { path, bytes } of paths.flatMap(readFileOrFolder)) {
    try {
      await readRevocationData({ [kind]: [bytes] });
    } catch (e) {
      if (e instanceof KysoError) throw kysoError(e.code, `${path}: ${e.detail ?? ''}`, e);
      throw e;
    }
    out.push(bytes);
  }
  return out;
}

/**
 * Checks the shared options: usage errors are `ERR_INVALID_ARGUMENT`, an unreadable
 * file `ERR_IO`, a trust file without a certificate the error of `trustFromCertificates`,
 * a --crl/--ocsp file that is neither `ERR_REVOCATION_DATA_MALFORMED`.
 */
export async function readVerificationArgs(values: {
  trust?: string[]; distrust?: string[]; profile?: string[]; revocation?: string; offline?: boolean; crl?: string[]; ocsp?: string[];
  policy?: string; at?: string; lang?: string;
}): Promise<VerificationArgs> {
  const lang = choice(values.lang, 'lang', ['vi', 'en']);
  // Online by default, as pdfsig, Acrobat and EU DSS check (docs/decisions/0022); --offline keeps to the file and --crl/--ocsp.
  const revocation = choice(values.revocation ?? (values.offline ? 'embedded' : undefined), 'revocation', ['online', 'embedded', 'off']);
  if (values.offline && revocation === 'online') throw kysoError('ERR_INVALID_ARGUMENT', '--offline contradicts --revocation online');
  const policy = choice(values.policy, 'policy', ['default', 'legacy']);
  const profiles = values.profile ?? [];
  for (const p of profiles) {
    if (!(TRUST_PROFILE_NAMES as readonly string[]).includes(p)) throw kysoError('ERR_INVALID_ARGUMENT', `--profile must be one of ${TRUST_PROFILE_NAMES.join(', ')}`);
  }
  const at = isoTime(values.at, 'at');
  const files = (values.trust ?? []).map((path) => {
    const pem = new TextDecoder().decode(readNamedFile(path));
    // Checked here, once: a bad trust file must stop the command, not turn every result into an error.
    trustFromCertificates([pem]);
    return pem;
  });
  const distrust = (values.distrust ?? []).map((item) => {
    if (FINGERPRINT.test(item.trim())) return item.trim();
    const bytes = readNamedFile(item);
    trustFromCertificates([bytes]);
    return bytes;
  });
  const revocationData = {
    crls: await readRevocationFiles(values.crl ?? [], 'crls'),
    ocspResponses: await readRevocationFiles(values.ocsp ?? [], 'ocspResponses'),
  };
  return { lang, revocation, trust: [...profiles, ...files], distrust, revocationData, policy, at };
}
