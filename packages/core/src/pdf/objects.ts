/**
 * The PDF object model (ISO 32000-2 §7.3). Names and refs are classes so they
 * can be told apart from strings and arrays; dictionaries keep key order, so a
 * copied dictionary is written back in its original order.
 */
export class PdfName {
  private static readonly cache = new Map<string, PdfName>();
  private constructor(readonly name: string) {}
  /** Interned: `PdfName.of('Type') === PdfName.of('Type')`. */
  static of(name: string): PdfName {
    let n = PdfName.cache.get(name);
    if (!n) {
      n = new PdfName(name);
      if (PdfName.cache.size < 10_000) PdfName.cache.set(name, n);
    }
    return n;
  }
}

/** A string object: raw bytes as written (after escapes), and whether it was hex. */
export class PdfString {
  constructor(readonly bytes: Uint8Array, readonly hex = false) {}
}

export class PdfRef {
  constructor(readonly num: number, readonly gen: number) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}

export class PdfDict {
  readonly map: Map<string, PdfValue>;
  constructor(entries?: Iterable<[string, PdfValue]>) {
    this.map = new Map(entries);
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfValue): this {
    this.map.set(key, value);
    return this;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  /** The value's name if it is a name, else undefined. */
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
}

/** A stream: its dictionary and where its raw (still encoded) data lies in the file. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** Absolute offset of the first data byte, or -1 for a stream made in memory. */
    readonly dataOffset: number,
    readonly dataLength: number,
    /** Raw data for streams made in memory or extracted from elsewhere. */
    readonly data?: Uint8Array,
  ) {}
}

export type PdfValue =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfDict
  | PdfStream
  | PdfValue[];

export const name = PdfName.of;

export function dict(entries: Record<string, PdfValue>): PdfDict {
  return new PdfDict(Object.entries(entries));
}

/** A text string (ISO 32000-2 §7.9.2.2): PDFDocEncoding-safe ASCII as is, else UTF-16BE with BOM. */
export function textString(text: string): PdfString {
  const s = text.normalize('NFC');
  if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(new TextEncoder().encode(s));
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + i * 2] = c >> 8;
    out[3 + i * 2] = c & 0xff;
  }
  return new PdfString(out, true);
}

/** Decodes a text string (UTF-16BE with BOM, UTF-8 with BOM per PDF 2.0, else PDFDocEncoding approximated by Latin-1). */
export function decodeTextString(s: PdfString): string {
  const b = s.bytes;
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return out;
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return new TextDecoder().decode(b.subarray(3));
  }
  let out = '';
  for (const c of b) out += String.fromCharCode(c);
  return out;
}
