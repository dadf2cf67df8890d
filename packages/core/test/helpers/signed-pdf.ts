import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** One signature's placement in a signed file, read with a plain scan (independent of kyso's parser). */
export interface RawSignature {
  readonly byteRange: [number, number, number, number];
  /** The CMS DER with the zero padding removed. */
  readonly cms: Uint8Array;
  /** The bytes the ByteRange covers, joined. */
  readonly signedBytes: Uint8Array;
}

export function rawSignatures(pdf: Uint8Array): RawSignature[] {
  const text = new TextDecoder('latin1').decode(pdf);
  const out: RawSignature[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const hex = text.slice(br[1] + 1, br[2] - 1);
    const bytes = Buffer.from(hex, 'hex');
    out.push({
      byteRange: br,
      cms: new Uint8Array(bytes.subarray(0, derLength(bytes))),
      signedBytes: new Uint8Array(Buffer.concat([pdf.subarray(br[0], br[0] + br[1]), pdf.subarray(br[2], br[2] + br[3])])),
    });
  }
  return out;
}

function derLength(b: Uint8Array): number {
  if (b[1]! < 0x80) return 2 + b[1]!;
  const n = b[1]! & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return 2 + n + len;
}

/** Folders made by {@link tempDir} in the running test file. */
const made: string[] = [];
// Registered when a test file imports this module, so it runs after that file's tests, passed or failed.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder in the system's temporary directory, removed after the test file that made it. */
export function tempDir(prefix = 'kyso-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix.startsWith('kyso-') ? prefix : `kyso-${prefix}`));
  made.push(dir);
  return dir;
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** poppler's pdfsig on a file, trusting the test root through its NSS database. */
export function pdfsig(path: string, nssDir: string): { valid: number; total: number; unsigned: number; trusted: number; wholeDocument: number; output: string } {
  // Without -no-ocsp: NSS then checks trust (an unreachable OCSP address only makes trust "unknown").
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' });
  const output = r.stdout + r.stderr;
  return {
    valid: (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    total: (output.match(/^Signature #\d+:/gm) ?? []).length,
    unsigned: (output.match(/The signature form field is not signed\./g) ?? []).length,
    trusted: (output.match(/Certificate Validation: Certificate is Trusted\./g) ?? []).length,
    wholeDocument: (output.match(/Total document signed/g) ?? []).length,
    output,
  };
}

/** `qpdf --check`: exit 0 (clean) or 3 (warnings) count as readable; returns the output. */
export function qpdfCheck(path: string): { ok: boolean; output: string } {
  const r = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** `openssl cms -verify` of a detached CMS over the signed bytes, against a CA file. */
export function opensslCmsVerify(dir: string, sig: RawSignature, caFile: string): { ok: boolean; output: string } {
  const cms = writeTemp(dir, `cms-${Math.random().toString(36).slice(2)}.der`, sig.cms);
  const content = writeTemp(dir, `content-${Math.random().toString(36).slice(2)}.bin`, sig.signedBytes);
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cms, '-content', content,
    '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

/** Extracts the signature-timestamp token (unsigned attribute) with openssl's ASN.1 parser. */
export function opensslAsn1(dir: string, der: Uint8Array): string {
  const f = writeTemp(dir, `asn1-${Math.random().toString(36).slice(2)}.der`, der);
  return execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', f, '-i'], { encoding: 'utf8' });
}
