/**
 * The documents of one verification: the file as it shows now and as of each
 * revision (the bytes up to that revision's end, ISO 32000-2 §7.5.6), each
 * opened once and shared by the stages that read it (finding the revisions,
 * the signatures, their byte ranges, the modification analysis).
 *
 * Opening is deterministic (a {@link PdfDocument} is read-only and parses an
 * object the same way whichever stage asks first), so a shared document gives
 * every stage what a document of its own would: the same values and the same
 * errors. Made per call, never kept across calls: it holds views into the
 * caller's bytes.
 */
import type { ByteSource } from '../../pdf/byte-source.js';
import { PdfDocument } from '../../pdf/document.js';
import { listFields, type FieldInfo } from '../../pdf/fields.js';
import { prefixSource } from './prefix-source.js';

/** An opening's outcome, kept so that a document that fails to open fails the same way for every stage. */
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** One verification's documents; see {@link createOpenings}. */
export interface DocumentOpenings {
  /** The source these documents read. */
  readonly source: ByteSource;
  /** The password they are opened with. */
  readonly password: string | undefined;
  /** The document as the file shows it (`PdfDocument.open(source)`). @throws what opening throws. */
  whole(): PdfDocument;
  /** The document as of the revision ending at `end` (the bytes before it). @throws what opening throws. */
  at(end: number): PdfDocument;
  /** The terminal form fields of one of these documents (`listFields`). @throws what listing throws. */
  fields(doc: PdfDocument): readonly FieldInfo[];
}

/**
 * The documents of `source` for one verification, opened on first need with
 * `password`. The whole file is opened over `source` itself and each earlier
 * revision over {@link prefixSource}, as each stage opened them on its own.
 */
export function createOpenings(source: ByteSource, password?: string): DocumentOpenings {
  const options = password !== undefined ? { password } : {};
  let whole: Outcome<PdfDocument> | undefined;
  const prefixes = new Map<number, Outcome<PdfDocument>>();
  const fields = new WeakMap<PdfDocument, Outcome<readonly FieldInfo[]>>();
  return {
    source,
    password,
    whole: () => unwrap((whole ??= attempt(() => PdfDocument.open(source, options)))),
    at(end) {
      // The newest revision usually ends with the file: its bytes are the whole file's, so it is that document
      // (a prefix view of every byte reads what the source reads, offsets and all).
      if (end === source.length) return this.whole();
      let o = prefixes.get(end);
      if (!o) prefixes.set(end, (o = attempt(() => PdfDocument.open(prefixSource(source, end), options))));
      return unwrap(o);
    },
    fields(doc) {
      let o = fields.get(doc);
      if (!o) fields.set(doc, (o = attempt(() => listFields(doc))));
      return unwrap(o);
    },
  };
}

/**
 * The openings to use: the caller's when they read this very source with this
 * password, else fresh ones (a call made without a shared context).
 */
export function openingsFor(source: ByteSource, password: string | undefined, given: DocumentOpenings | undefined): DocumentOpenings {
  return given && given.source === source && given.password === password ? given : createOpenings(source, password);
}

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw o.error;
}
