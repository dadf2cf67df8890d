/**
 * The one writer of a signature dictionary's placeholders (ISO 32000-2
 * §12.8.1): the dictionary is written with a fixed-width `/ByteRange` and a
 * zero-filled `/Contents` hole, the update is built around it, the byte range
 * is patched in place, the bytes around the hole are streamed to the caller's
 * hash, and the hole is filled with the CMS or timestamp token afterwards.
 * Signatures (`sign/prepare.ts`), their completion (`sign/finish.ts`) and
 * document timestamps (`ltv/document-timestamp.ts`) all go through it, so the
 * layout a verifier relies on is decided in one place.
 *
 * This layer knows no cryptography: the digest is the caller's sink, and the
 * update's /ID comes in as bytes.
 */
import { kysoError } from '../errors/index.js';
import { ascii, writeHexInto } from '../util/bytes.js';
import type { ByteSource } from './byte-source.js';
import type { PdfDocument } from './document.js';
import { buildIncrement, type UpdateObject } from './incremental-writer.js';
import { dict, name, PdfDict, PdfStream, type PdfRef } from './objects.js';
import { serializeValue } from './serialize.js';
import { streamRanges, type StreamRangesOptions } from './stream-ranges.js';

/** Width reserved for the /ByteRange numbers: four integers up to 10^15, with their separating spaces. */
export const BYTERANGE_WIDTH = 4 * 17;

/** /F of a signature widget: Print (bit 3) and Locked (bit 8), ISO 32000-2 §12.5.3 Table 167. */
export const SIGNATURE_WIDGET_FLAGS = 132;

const BYTERANGE_KEY = ascii('/ByteRange [');
const CONTENTS_KEY = ascii(']/Contents <');
const CLOSE = ascii('>>>');
const LT = 0x3c;
const GT = 0x3e;
const SPACE = 0x20;
const ZERO = 0x30;

/** Where the CMS (or timestamp token) goes: the hex digits between `<` and `>` of /Contents. */
export interface ContentsHole {
  /** Offset of the first hex digit, within the update. */
  readonly at: number;
  /** Bytes of DER that fit: the hole holds twice as many hex digits. */
  readonly capacity: number;
}

/** An update with its signature placeholder written and its /ByteRange filled in. */
export interface SignaturePlaceholder {
  /** The bytes to append to the input; `/Contents` is still all zeros. */
  readonly increment: Uint8Array;
  /** The /ByteRange written, in offsets of the whole output: `[0, <, after >, rest]`. */
  readonly byteRange: readonly [number, number, number, number];
  readonly contents: ContentsHole;
}

/** What {@link writeSignaturePlaceholder} writes. */
export interface PlaceholderRequest {
  /** The other objects of the update (field, widget, appearance, catalog…). */
  readonly objects: Iterable<UpdateObject>;
  /** The signature dictionary's object. */
  readonly ref: PdfRef;
  /** The signature dictionary without /ByteRange and /Contents; it is encrypted here when the file is. */
  readonly dictionary: PdfDict;
  /** Bytes reserved for the CMS or timestamp token. */
  readonly capacity: number;
  /** The update's new (second) /ID string (ISO 32000-2 §14.4). */
  readonly newId: Uint8Array;
}

/**
 * Builds the update with the signature dictionary's placeholders and fills in
 * its /ByteRange (ISO 32000-2 §12.8.1): everything but the `<…>` of /Contents.
 * The offsets come from the layout written here, not from a search, so a
 * `/Contents <` inside an earlier string of the dictionary cannot mislead them.
 * @throws ERR_PDF_LIMIT when the output is too large for the fixed-width /ByteRange.
 */
export function writeSignaturePlaceholder(doc: PdfDocument, request: PlaceholderRequest): SignaturePlaceholder {
  const { ref, capacity } = request;
  // Strings of the dictionary are encrypted like any other object's, but /Contents
  // (written after them, in the clear) never is (ISO 32000-2 §7.6.2).
  const dictionary = doc.encryption ? (doc.encryption.encryptObject(ref.num, ref.gen, request.dictionary) as PdfDict) : request.dictionary;
  const { body, byteRangeAt, contentsAt } = placeholderBody(dictionary, capacity);
  const source = doc.source;
  const lastByte = source.length ? source.read(source.length - 1, 1)[0]! : 0;
  const built = buildIncrement(doc, [...request.objects, { num: ref.num, gen: ref.gen, body }], { newId: request.newId, lastByte });
  const increment = built.bytes;
  const start = built.bodyOffsets.get(ref.num)!;

  const a = source.length + start + contentsAt - 1; // the '<'
  const b = a + 2 + capacity * 2; // just after the '>'
  const byteRange = [0, a, b, source.length + increment.length - b] as const;
  const text = byteRange.join(' ');
  if (text.length > BYTERANGE_WIDTH) throw kysoError('ERR_PDF_LIMIT', 'file too large for the ByteRange placeholder');
  increment.set(ascii(text), start + byteRangeAt);
  return { increment, byteRange, contents: { at: start + contentsAt, capacity } };
}

/**
 * `<<…/ByteRange [ … ]/Contents <00…>>>`: the generic serialiser writes the
 * other entries, then the two placeholders follow at known offsets.
 */
function placeholderBody(dictionary: PdfDict, capacity: number): { body: Uint8Array; byteRangeAt: number; contentsAt: number } {
  const serialized = serializeValue(dictionary);
  const inner = serialized.subarray(0, serialized.length - 2); // '<<' and the entries, without '>>'
  const byteRangeAt = inner.length + BYTERANGE_KEY.length;
  const contentsAt = byteRangeAt + BYTERANGE_WIDTH + CONTENTS_KEY.length;
  const body = new Uint8Array(contentsAt + capacity * 2 + CLOSE.length);
  body.set(inner, 0);
  body.set(BYTERANGE_KEY, inner.length);
  body.fill(SPACE, byteRangeAt, byteRangeAt + BYTERANGE_WIDTH);
  body.set(CONTENTS_KEY, byteRangeAt + BYTERANGE_WIDTH);
  body.fill(ZERO, contentsAt, contentsAt + capacity * 2);
  body.set(CLOSE, contentsAt + capacity * 2);
  return { body, byteRangeAt, contentsAt };
}

/**
 * Streams the bytes the signature covers to `sink`, in order, as if
 * concatenated (ISO 32000-2 §12.8.1): the whole input, read in chunks, then
 * the update before and after the /Contents hole.
 * @returns the number of bytes covered (also the last `onBytes` value).
 */
export async function streamCoveredBytes(
  source: ByteSource,
  placeholder: SignaturePlaceholder,
  sink: (chunk: Uint8Array) => void,
  options: StreamRangesOptions = {},
): Promise<number> {
  const { increment, byteRange } = placeholder;
  await streamRanges(source, [0, source.length], sink, options);
  sink(increment.subarray(0, byteRange[1] - source.length));
  sink(increment.subarray(byteRange[2] - source.length));
  const covered = byteRange[1] + byteRange[3];
  options.onBytes?.(covered);
  return covered;
}

/**
 * Writes `value` (DER) into the /Contents hole as upper-case hex, in place;
 * the zeros after it stay as padding (ISO 32000-2 §12.8.1).
 * @throws ERR_SIG_CONTENTS_TOO_SMALL (detail `N bytes needed, M reserved`) when it does not fit;
 *   ERR_SIG_PREPARED_INVALID when the hole is not a `<…>` of that size in `increment`.
 */
export function fillContents(increment: Uint8Array, hole: ContentsHole, value: Uint8Array): void {
  if (value.length > hole.capacity) throw kysoError('ERR_SIG_CONTENTS_TOO_SMALL', `${value.length} bytes needed, ${hole.capacity} reserved`);
  const end = hole.at + hole.capacity * 2;
  if (hole.at < 1 || end >= increment.length || increment[hole.at - 1] !== LT || increment[end] !== GT) {
    throw kysoError('ERR_SIG_PREPARED_INVALID', 'contents offset outside the update');
  }
  writeHexInto(value, increment, hole.at);
}

/**
 * The appearance of an invisible signature: an empty form XObject. Its
 * presence keeps the widget valid for PDF/A and PDF 2.0 (ISO 32000-2 §12.5.5,
 * §12.7.5.5: a widget shall have an appearance dictionary).
 */
export function emptyAppearance(): PdfStream {
  return new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 0, 0] }), -1, 0, new Uint8Array(0));
}

/**
 * Sets a signature widget's entries (ISO 32000-2 §12.5.2, §12.7.5.5) in the
 * order every kyso signature has them: /Rect, /F 132, /P, /AP, and /V when the
 * widget is also the field.
 */
export function setSignatureWidget(
  widget: PdfDict,
  entries: { readonly rect: readonly number[]; readonly page: PdfRef; readonly appearance: PdfRef; readonly value?: PdfRef },
): PdfDict {
  widget.set('Rect', [...entries.rect]);
  widget.set('F', SIGNATURE_WIDGET_FLAGS);
  widget.set('P', entries.page);
  widget.set('AP', dict({ N: entries.appearance }));
  if (entries.value) widget.set('V', entries.value);
  return widget;
}
