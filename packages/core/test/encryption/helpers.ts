import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Encrypted variants of one plain PDF made by qpdf (user password `user`, owner `owner`). */
export const QPDF_VARIANTS = {
  'rc4-40': ['--allow-weak-crypto', '--encrypt', 'user', 'owner', '40', '--'],
  'rc4-128': ['--allow-weak-crypto', '--encrypt', 'user', 'owner', '128', '--use-aes=n', '--'],
  'aes-128': ['--encrypt', 'user', 'owner', '128', '--use-aes=y', '--'],
  'aes-256-r5': ['--encrypt', 'user', 'owner', '256', '--force-R5', '--'],
  'aes-256': ['--encrypt', 'user', 'owner', '256', '--'],
  // Cross-reference and object streams: the object stream is encrypted, the xref stream never is (ISO 32000-2 §7.6.2).
  'aes-256-objstm': ['--object-streams=generate', '--encrypt', 'user', 'owner', '256', '--'],
  'rc4-128-empty-user': ['--allow-weak-crypto', '--encrypt', '', 'owner', '128', '--use-aes=n', '--'],
} as const;
export type QpdfVariant = keyof typeof QPDF_VARIANTS;

export function makeVariant(dir: string, plain: string, variant: QpdfVariant): string {
  const out = join(dir, `${variant}.pdf`);
  execFileSync('qpdf', [...QPDF_VARIANTS[variant], plain, out]);
  return out;
}

/** The file encryption key as qpdf computes it. */
export function qpdfFileKey(path: string, password: string): string {
  const out = execFileSync('qpdf', [`--password=${password}`, '--show-encryption-key', '--show-encryption', path], { encoding: 'utf8' });
  const m = /Encryption key = ([0-9a-f]*)/.exec(out);
  if (!m) throw new Error(`no key in qpdf output: ${out}`);
  return m[1]!;
}

/** `qpdf --password=… --check`. */
export function qpdfCheckWith(path: string, password: string): { ok: boolean; output: string } {
  const r = spawnSync('qpdf', [`--password=${password}`, '--check', path], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** One object as qpdf shows it after decryption. */
export function qpdfShowObject(path: string, password: string, num: number): string {
  return execFileSync('qpdf', [`--password=${password}`, `--show-object=${num}`, path], { encoding: 'utf8' });
}

/** pdfsig on an encrypted file, opened with the user password (`-upw`). */
export function pdfsigWith(path: string, nssDir: string, userPassword: string): { valid: number; total: number; wholeDocument: number; output: string } {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, '-upw', userPassword, path], { encoding: 'utf8' });
  const output = r.stdout + r.stderr;
  return {
    valid: (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    total: (output.match(/^Signature #\d+:/gm) ?? []).length,
    wholeDocument: (output.match(/Total document signed/g) ?? []).length,
    output,
  };
}

/** Renders page 1 in grey at 36 dpi (`pdftoppm -upw`) and returns the number of dark pixels. */
export function darkPixels(path: string, userPassword: string): number {
  const pgm = execFileSync('pdftoppm', ['-upw', userPassword, '-gray', '-r', '36', '-f', '1', '-l', '1', path]);
  // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const pixels = pgm.subarray(header[0].length);
  let n = 0;
  for (const p of pixels) if (p < 128) n++;
  return n;
}

/** The decoded text of a PDF string as qpdf prints it: `(literal)` or `<hex>` (UTF-16BE with BOM or bytes). */
export function pdfStringText(token: string): string {
  if (token.startsWith('<')) {
    const b = Buffer.from(token.slice(1, -1), 'hex');
    if (b[0] === 0xfe && b[1] === 0xff) return b.subarray(2).swap16().toString('utf16le');
    return b.toString('latin1');
  }
  return token.slice(1, -1).replace(/\\([()\\])/g, '$1');
}
