import { KysoError } from '@kyso/core';
import { memorySource } from '../../src/pdf/byte-source.js';
import { Cursor } from '../../src/pdf/cursor.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../../src/pdf/objects.js';
import { ObjectParser } from '../../src/pdf/parser.js';

/** A plain rendering of a parsed value (or the error code), to compare two parses. */
function show(v: PdfValue): unknown {
  if (v instanceof PdfName) return `/${v.name}`;
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (v instanceof PdfString) return { hex: v.hex, bytes: Buffer.from(v.bytes).toString('hex') };
  if (v instanceof PdfStream) return { stream: show(v.dict), offset: v.dataOffset, length: v.dataLength };
  if (v instanceof PdfDict) return Object.fromEntries([...v.map].map(([k, x]) => [k, show(x)]));
  if (Array.isArray(v)) return v.map(show);
  return v;
}

function parseAt(pdf: Uint8Array, at: number, chunkSize: number | undefined): unknown {
  try {
    const parsed = new ObjectParser(new Cursor(memorySource(pdf), at, chunkSize)).parseIndirect();
    return { num: parsed.num, gen: parsed.gen, value: show(parsed.value) };
  } catch (e) {
    if (e instanceof KysoError) return { error: e.code, message: e.message };
    throw e;
  }
}

/**
 * Every indirect object of `pdf` (each `N G obj` found in its bytes) parsed twice: with the cursor's usual
 * 64 KiB reads, where the token readers scan the cached bytes (their fast paths), and with 1-byte reads,
 * where every token straddles reads and takes the byte-by-byte paths. Returns the objects on which the two
 * disagree (value, or error code and message), which must be none; and how many objects were compared.
 */
export function parseBothWays(pdf: Uint8Array): { compared: number; differences: { at: number; fast: unknown; plain: unknown }[] } {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const differences: { at: number; fast: unknown; plain: unknown }[] = [];
  let compared = 0;
  for (const m of text.matchAll(/(?<![0-9])\d+\s+\d+\s+obj\b/g)) {
    const fast = parseAt(pdf, m.index, undefined);
    const plain = parseAt(pdf, m.index, 1);
    compared++;
    if (JSON.stringify(fast) !== JSON.stringify(plain)) differences.push({ at: m.index, fast, plain });
  }
  return { compared, differences };
}
