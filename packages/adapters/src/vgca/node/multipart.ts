import { kysoError } from '@kyso/core';

/** One part of a `multipart/form-data` body (RFC 7578). */
export interface FormPart {
  /** The `name` parameter of its `Content-Disposition: form-data`. */
  readonly name: string;
  readonly filename: string | null;
  readonly contentType: string | null;
  readonly body: Uint8Array;
}

/**
 * The `boundary` parameter of a `multipart/form-data` content type, or null
 * when the type is another one. RFC 2046 §5.1.1: 1–70 characters, quoted or not.
 */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const [type, ...params] = contentType.split(';');
  if (type!.trim().toLowerCase() !== 'multipart/form-data') return null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (value.length < 1 || value.length > 70 || !/^[0-9A-Za-z'()+_,\-./:=? ]+$/.test(value)) {
      throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'multipart boundary is not valid (RFC 2046 §5.1.1)');
    }
    return value;
  }
  throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'multipart/form-data without a boundary');
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_PARTS = 64;

/**
 * Splits a `multipart/form-data` body into its parts (RFC 7578, RFC 2046
 * §5.1.1): the body between each `CRLF--boundary` delimiter, the preamble and
 * epilogue ignored. Headers are read as Latin-1 (a UTF-8 filename stays
 * readable through `filename*` or is passed through unchanged); bodies are
 * views into `data`, not copies. `ERR_VGCA_UPLOAD_MALFORMED` on any framing error.
 */
export function parseMultipart(data: Uint8Array, boundary: string): FormPart[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.concat([CRLF, dash]);
  // The first delimiter may open the body without a preceding CRLF.
  let pos: number;
  if (buf.subarray(0, dash.length).equals(dash)) pos = dash.length;
  else {
    const first = buf.indexOf(delimiter);
    if (first < 0) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'no multipart delimiter');
    pos = first + delimiter.length;
  }
  const parts: FormPart[] = [];
  for (;;) {
    // After a delimiter: `--` ends the body, else transport padding then CRLF (RFC 2046 §5.1.1).
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) return parts;
    while (buf[pos] === 0x20 || buf[pos] === 0x09) pos++;
    if (buf[pos] !== 0x0d || buf[pos + 1] !== 0x0a) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'a multipart delimiter is not followed by CRLF');
    pos += 2;
    const headerEnd = buf.indexOf(HEADER_END, pos);
    if (headerEnd < 0) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'a multipart part has no end of headers');
    const headers = parseHeaders(buf.subarray(pos, headerEnd).toString('latin1'));
    const bodyStart = headerEnd + HEADER_END.length;
    const next = buf.indexOf(delimiter, bodyStart);
    if (next < 0) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'the multipart body is not closed (truncated upload?)');
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParam(disposition, 'name');
    if (!/^\s*form-data\s*(;|$)/i.test(disposition) || name === null) {
      throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'a multipart part has no Content-Disposition: form-data; name=…');
    }
    parts.push({
      name,
      filename: dispositionParam(disposition, 'filename'),
      contentType: headers.get('content-type') ?? null,
      body: new Uint8Array(buf.buffer, buf.byteOffset + bodyStart, next - bodyStart),
    });
    if (parts.length > MAX_PARTS) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', `more than ${MAX_PARTS} multipart parts`);
    pos = next + delimiter.length;
  }
}

function parseHeaders(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw kysoError('ERR_VGCA_UPLOAD_MALFORMED', 'a multipart header line has no name');
    map.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return map;
}

/** A parameter of a Content-Disposition value (quoted-string or token; RFC 7578 §4.2). */
function dispositionParam(value: string, name: string): string | null {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(value);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
}
