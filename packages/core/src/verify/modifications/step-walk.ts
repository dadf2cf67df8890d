/**
 * The state one revision step's classifiers share: the two revisions, their
 * structures, the comparator, the signature's context, and the changes found
 * so far; plus the comparisons every classifier uses.
 *
 * @module
 */
import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfString, type PdfValue } from '../../pdf/objects.js';
import type { ModificationChange } from '../facts.js';
import type { Comparator } from './compare.js';
import type { Label } from './labels.js';
import type { ModificationSubject } from './policy.js';
import type { StepContext } from './step-context.js';
import type { Structure } from './structure.js';

type Kind = ModificationChange['kind'];

/** Gathers changes, one entry per (kind, verdict, label) with the objects merged. */
export class Changes {
  private readonly map = new Map<string, { kind: Kind; allowed: boolean; label: Label; objects: Set<number> }>();
  constructor(private readonly revision: number) {}

  add(kind: Kind, allowed: boolean, label: Label, objects: Iterable<number>): void {
    const key = `${kind}|${allowed}|${label.en}`;
    let entry = this.map.get(key);
    if (!entry) {
      entry = { kind, allowed, label, objects: new Set() };
      this.map.set(key, entry);
    }
    for (const num of objects) if (num >= 0) entry.objects.add(num);
  }

  list(): ModificationChange[] {
    return [...this.map.values()].map((entry) => ({
      revision: this.revision,
      kind: entry.kind,
      allowed: entry.allowed,
      label: entry.label,
      objects: [...entry.objects].sort((a, b) => a - b),
    }));
  }
}

/** One revision step being classified: what the classifiers (`classify-*.ts`) read and where they record. */
export class StepWalk {
  /** Widgets of signature fields this step adds: judged with their field, not again as annotations. */
  readonly newSignatureWidgets = new Set<number>();

  constructor(
    /** The revision the step starts from. */
    readonly before: PdfDocument,
    /** The revision the step makes. */
    readonly after: PdfDocument,
    readonly beforeStructure: Structure,
    readonly afterStructure: Structure,
    readonly comparator: Comparator,
    readonly context: StepContext,
    readonly changes: Changes,
  ) {}

  /** The policy's verdict on a change (ISO 32000-2 §12.8.2: what the signature's DocMDP level permits). */
  permitted(change: ModificationSubject): boolean {
    const { docMdp, fieldLocks, revision, policy } = this.context;
    return policy.permits(change, { docMdp, fieldLocks, revision });
  }

  /** Any difference here is disallowed. */
  strict(a: PdfValue | undefined, b: PdfValue | undefined, owner: number, bypass = false): number[] {
    return this.comparator.diff(a, b, { shared: true, owner, bypass });
  }

  /** Differences here may be allowed, so the pairs are not marked as compared for the strict contexts. */
  loose(a: PdfValue | undefined, b: PdfValue | undefined, owner: number): number[] {
    return this.comparator.diff(a, b, { shared: false, owner, bypass: true });
  }

  isSet(doc: PdfDocument, v: PdfValue | undefined): boolean {
    return this.comparator.resolve(doc, v) !== null;
  }

  dictOn(doc: PdfDocument, v: PdfValue | undefined): PdfDict | null {
    const r = this.comparator.resolve(doc, v);
    return r instanceof PdfDict ? r : null;
  }

  bytesOf(doc: PdfDocument, v: PdfValue | undefined): Uint8Array | null {
    const r = this.comparator.resolve(doc, v);
    return r instanceof PdfString ? r.bytes : null;
  }

  definedIn(doc: PdfDocument, num: number): boolean {
    const e = doc.xref.entries.get(num);
    if (!e || e.type === 0) return false;
    return this.comparator.load(doc, num) !== null;
  }
}

/** The keys of two dictionaries, each once. */
export function keysOf(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set<string>(a.map.keys());
  for (const k of b.map.keys()) keys.add(k);
  return [...keys];
}
