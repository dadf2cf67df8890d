/**
 * The CPS URIs a certificate names (RFC 5280 §4.2.1.4: certificatePolicies, policy qualifier id-qt-cps, an
 * IA5String). Circular 15/2025/TT-BKHCN lets the verifier keep the CA's policy statement; the evidence folder
 * records where it is published (fetching it is left to the clerk's office).
 *
 * A bounded walk of the DER: the certificatePolicies extension is found by its OID, then inside its OCTET STRING
 * each id-qt-cps qualifier OID followed by an IA5String. Never throws; malformed input gives what was readable.
 */
const POLICIES_OID = [0x06, 0x03, 0x55, 0x1d, 0x20];
const CPS_OID = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01];
const IA5 = 0x16;
const OCTET_STRING = 0x04;
const BOOLEAN = 0x01;

export function cpsUris(der: Uint8Array): string[] {
  const out: string[] = [];
  const ext = find(der, POLICIES_OID, 0, der.length);
  if (ext < 0) return out;
  let i = ext + POLICIES_OID.length;
  if (der[i] === BOOLEAN) i += 3; // critical flag
  if (der[i] !== OCTET_STRING) return out;
  const value = length(der, i + 1);
  if (!value) return out;
  const end = Math.min(der.length, value.start + value.length);
  for (let at = find(der, CPS_OID, value.start, end); at >= 0; at = find(der, CPS_OID, at + 1, end)) {
    const s = at + CPS_OID.length;
    if (der[s] !== IA5) continue;
    const str = length(der, s + 1);
    if (!str || str.start + str.length > end) continue;
    const text = Buffer.from(der.buffer, der.byteOffset + str.start, str.length).toString('latin1');
    if (/^[\x20-\x7e]+$/.test(text) && !out.includes(text)) out.push(text);
  }
  return out;
}

function find(bytes: Uint8Array, needle: readonly number[], from: number, to: number): number {
  outer: for (let i = from; i + needle.length <= to; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A DER length at `at` (short or long form up to 4 bytes): where the content starts and its length. */
function length(bytes: Uint8Array, at: number): { start: number; length: number } | null {
  const first = bytes[at];
  if (first === undefined) return null;
  if (first < 0x80) return { start: at + 1, length: first };
  const n = first & 0x7f;
  if (n === 0 || n > 4 || at + 1 + n > bytes.length) return null;
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + bytes[at + 1 + k]!;
  return { start: at + 1 + n, length: len };
}
