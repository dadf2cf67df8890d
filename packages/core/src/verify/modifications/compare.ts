import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../../pdf/objects.js';
import type { XrefEntry } from '../../pdf/xref.js';
import type { Budget } from './budget.js';

/** Marks an object that could not be parsed. */
const UNREADABLE = Symbol('unreadable');
type Loaded = PdfValue | typeof UNREADABLE;

/**
 * Object numbers whose definition differs between two revisions: a different
 * cross-reference entry (offset, generation, type, object stream), a new or a
 * freed number, or a compressed object whose object stream was itself
 * redefined (the entry then looks the same while the bytes behind it changed).
 * Everything else resolves to the very same bytes of the shared prefix.
 */
export function changedObjects(o: PdfDocument, n: PdfDocument, budget: Budget): Set<number> {
  const out = new Set<number>();
  const oe = o.xref.entries;
  const ne = n.xref.entries;
  for (const [num, e] of ne) {
    budget.tick();
    if (!sameEntry(oe.get(num), e)) out.add(num);
  }
  for (const num of oe.keys()) {
    budget.tick();
    if (!ne.has(num)) out.add(num);
  }
  for (const [num, e] of ne) {
    if (e.type === 2 && out.has(e.stream)) out.add(num);
  }
  return out;
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.type !== b.type) return false;
  if (a.type === 1 && b.type === 1) return a.offset === b.offset && a.gen === b.gen;
  if (a.type === 2 && b.type === 2) return a.stream === b.stream && a.index === b.index;
  return true;
}

interface Item {
  readonly a: PdfValue | undefined;
  readonly b: PdfValue | undefined;
  /** The new-side object that holds this pair (reported when they differ). */
  readonly owner: number;
  /** Compare even if the pair is an exempt role object (the caller compares that object on purpose). */
  readonly bypass: boolean;
}

/** Options of {@link Comparator.diff}. */
export interface DiffOptions {
  /**
   * Share the set of already-compared pairs with every other shared
   * comparison. Only for comparisons where any difference is disallowed:
   * a pair first seen in an allowed context must be compared again when it
   * is reached from a context that forbids changes.
   */
  readonly shared: boolean;
  /** The new-side object that holds the values (for the report). */
  readonly owner: number;
  /** Compare a role object itself rather than treating it as compared elsewhere. */
  readonly bypass?: boolean;
}

/**
 * Structural comparison of the values of two revisions of one file, with
 * stream data compared byte for byte. Iterative (deep object graphs do not
 * exhaust the stack) and bounded by the budget.
 */
export class Comparator {
  private readonly sharedSeen = new Set<string>();

  constructor(
    readonly o: PdfDocument,
    readonly n: PdfDocument,
    readonly changed: ReadonlySet<number>,
    /** Role objects compared by their own rule, when both sides have them in the same role. */
    private readonly exempt: (num: number) => boolean,
    private readonly budget: Budget,
  ) {}

  /** Loads an object, or UNREADABLE. */
  load(doc: PdfDocument, num: number): Loaded {
    try {
      return doc.get(num);
    } catch {
      return UNREADABLE;
    }
  }

  /** Resolves a value on one side without throwing (unreadable becomes null). */
  resolve(doc: PdfDocument, v: PdfValue | undefined): PdfValue {
    try {
      return doc.resolve(v);
    } catch {
      return null;
    }
  }

  /** True when the two values are the same. */
  same(a: PdfValue | undefined, b: PdfValue | undefined, opts: DiffOptions): boolean {
    return this.diff(a, b, opts).length === 0;
  }

  /**
   * Compares `a` (old revision) with `b` (new revision) and returns the
   * new-side object numbers where they differ (empty when they are equal).
   */
  diff(a: PdfValue | undefined, b: PdfValue | undefined, opts: DiffOptions): number[] {
    const seen = opts.shared ? this.sharedSeen : new Set<string>();
    const out = new Set<number>();
    const work: Item[] = [{ a, b, owner: opts.owner, bypass: opts.bypass ?? false }];
    while (work.length) {
      const it = work.pop()!;
      this.budget.tick();
      const failed = this.step(it, work, seen);
      if (failed !== null) out.add(failed);
    }
    return [...out];
  }

  /** Compares one pair; returns the new-side object where it differs, or null. */
  private step(it: Item, work: Item[], seen: Set<string>): number | null {
    let owner = it.owner;
    const ok = this.compare(it, work, seen, (o) => {
      owner = o;
    });
    return ok ? null : owner;
  }

  private compare(it: Item, work: Item[], seen: Set<string>, setOwner: (o: number) => void): boolean {
    let { a, b } = it;
    let owner = it.owner;
    if (a instanceof PdfRef || b instanceof PdfRef) {
      if (a instanceof PdfRef && b instanceof PdfRef) {
        if (a.num === b.num && !it.bypass && this.exempt(a.num)) return true;
        const key = `${a.num} ${b.num}`;
        if (seen.has(key)) return true;
        seen.add(key);
        owner = b.num;
        setOwner(owner);
        if (a.num === b.num && !this.changed.has(a.num)) return this.unchanged(a.num, work);
        const la = this.load(this.o, a.num);
        const lb = this.load(this.n, b.num);
        if (la === UNREADABLE || lb === UNREADABLE) return la === lb;
        a = la;
        b = lb;
      } else if (a instanceof PdfRef) {
        const la = this.load(this.o, a.num);
        if (la === UNREADABLE) return false;
        a = la;
      } else if (b instanceof PdfRef) {
        const lb = this.load(this.n, b.num);
        if (lb === UNREADABLE) return false;
        owner = b.num;
        setOwner(owner);
        b = lb;
      }
      if (a instanceof PdfRef || b instanceof PdfRef) {
        // A reference to a reference: compare one level further.
        work.push({ a, b, owner, bypass: false });
        return true;
      }
    }
    return this.shallow(a ?? null, b ?? null, owner, work);
  }

  /** Same number, same cross-reference entry: the same bytes, but what it points to may have changed. */
  private unchanged(num: number, work: Item[]): boolean {
    const v = this.load(this.n, num);
    if (v === UNREADABLE) return true;
    if (v instanceof PdfStream) {
      const len = v.dict.get('Length');
      // An indirect /Length redefined later re-cuts the same bytes (ISO 32000-2 §7.3.8.2).
      if (len instanceof PdfRef && this.changed.has(len.num)) {
        const ov = this.load(this.o, num);
        if (!(ov instanceof PdfStream)) return false;
        const da = this.data(this.o, ov);
        const db = this.data(this.n, v);
        if (!da || !db || !bytesEqual(da, db)) return false;
      }
      pushRefs(v.dict, num, work);
    } else {
      pushRefs(v, num, work);
    }
    return true;
  }

  private data(doc: PdfDocument, s: PdfStream): Uint8Array | null {
    try {
      return s.data ?? doc.source.read(s.dataOffset, s.dataLength);
    } catch {
      return null;
    }
  }

  private shallow(a: PdfValue, b: PdfValue, owner: number, work: Item[]): boolean {
    if (a === null || typeof a === 'boolean' || typeof a === 'number') return a === b;
    if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
    if (a instanceof PdfString) return b instanceof PdfString && bytesEqual(a.bytes, b.bytes);
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) work.push({ a: a[i], b: b[i], owner, bypass: false });
      return true;
    }
    if (a instanceof PdfStream) {
      if (!(b instanceof PdfStream)) return false;
      const da = this.data(this.o, a);
      const db = this.data(this.n, b);
      if (!da || !db || !bytesEqual(da, db)) return false;
      // /Length may be written directly or indirectly; the data compared above is what counts.
      return this.dicts(a.dict, b.dict, owner, work, 'Length');
    }
    if (a instanceof PdfDict) return b instanceof PdfDict && this.dicts(a, b, owner, work);
    return false;
  }

  private dicts(a: PdfDict, b: PdfDict, owner: number, work: Item[], skip?: string): boolean {
    // A key with a null value is the same as an absent key (ISO 32000-2 §7.3.7).
    for (const [k, va] of a.map) {
      if (k === skip) continue;
      const vb = b.get(k) ?? null;
      if (va === null || vb === null) {
        if (va !== vb) return false;
        continue;
      }
      work.push({ a: va, b: vb, owner, bypass: false });
    }
    for (const [k, vb] of b.map) {
      if (k === skip || a.has(k)) continue;
      if (vb !== null) return false;
    }
    return true;
  }
}

function pushRefs(v: PdfValue, owner: number, work: Item[]): void {
  // Direct values nest only as deep as the parser allowed; an explicit stack keeps it iterative anyway.
  const stack: PdfValue[] = [v];
  while (stack.length) {
    const x = stack.pop()!;
    if (x instanceof PdfRef) work.push({ a: x, b: x, owner, bypass: false });
    else if (Array.isArray(x)) for (const e of x) stack.push(e);
    else if (x instanceof PdfDict) for (const e of x.map.values()) stack.push(e);
    else if (x instanceof PdfStream) for (const e of x.dict.map.values()) stack.push(e);
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
