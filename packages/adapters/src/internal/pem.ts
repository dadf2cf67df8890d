import { kysoError } from '@kyso/core';

/**
 * Returns the DER inside the first PEM block with `label` (RFC 7468 §2), or
 * the input unchanged when it is already DER (starts with a SEQUENCE tag).
 */
export function pemOrDer(input: string | Uint8Array, label: string): Uint8Array {
  if (typeof input !== 'string') {
    if (input.byteLength > 0 && input[0] === 0x30) return input;
    return pemToDer(new TextDecoder().decode(input), label);
  }
  return pemToDer(input, label);
}

/** Decodes one PEM block (RFC 7468 §2); `ERR_INVALID_ARGUMENT` if absent or not Base64. */
export function pemToDer(pem: string, label: string): Uint8Array {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`);
  const match = re.exec(pem);
  if (!match) throw kysoError('ERR_INVALID_ARGUMENT', `no "${label}" PEM block found`);
  const body = match[1].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw kysoError('ERR_INVALID_ARGUMENT', `the "${label}" PEM block is not valid Base64`);
  }
  const bin = atob(body);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
