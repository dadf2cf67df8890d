/**
 * The annotations' part of a revision step (ISO 32000-2 §12.5): annotations
 * added, removed or changed on each page that both revisions have. Widgets
 * are form fields (judged in `classify-form.ts`); other annotations are
 * offered to the policy (§12.8.2.2.2: P=3 permits them by default).
 *
 * @module
 */
import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfRef, type PdfValue } from '../../pdf/objects.js';
import { LABELS } from './labels.js';
import type { StepWalk } from './step-walk.js';

/** Annotations added, removed or changed on each page that both revisions have. */
export function classifyAnnotations(walk: StepWalk): void {
  const { beforeStructure, afterStructure } = walk;
  afterStructure.pages.forEach((num, i) => {
    const dictBefore = beforeStructure.pageDicts.get(num);
    if (!dictBefore) return;
    const p = i + 1;
    const annotsBefore = annotList(walk, walk.before, dictBefore.get('Annots'));
    const annotsAfter = annotList(walk, walk.after, afterStructure.pageDicts.get(num)!.get('Annots'));
    for (const [r] of annotsAfter.refs) {
      if (annotsBefore.refs.has(r)) continue;
      if (walk.newSignatureWidgets.has(r)) continue; // judged with its signature field
      if (afterStructure.fields.has(r) && !beforeStructure.fields.has(r)) continue; // a new field, judged by the form rule
      const sub = annotationSubtype(walk, walk.after, r);
      if (afterStructure.fields.has(r) || sub === 'Widget') walk.changes.add('annotation-added', false, LABELS.widgetAdded(p), [r]);
      else walk.changes.add('annotation-added', walk.permitted({ type: 'annotation-added', page: p, subtypes: subtypesOf(sub) }), LABELS.annotationAdded(p), [r]);
    }
    for (const [r] of annotsBefore.refs) {
      if (annotsAfter.refs.has(r)) continue;
      const sub = annotationSubtype(walk, walk.before, r);
      if (beforeStructure.fields.has(r) || sub === 'Widget') walk.changes.add('annotation-changed', false, LABELS.widgetRemoved(p), [r]);
      else walk.changes.add('annotation-changed', walk.permitted({ type: 'annotation-removed', page: p, subtypes: subtypesOf(sub) }), LABELS.annotationRemoved(p), [r]);
    }
    for (const [r, refAfter] of annotsAfter.refs) {
      const refBefore = annotsBefore.refs.get(r);
      if (!refBefore) continue;
      if (beforeStructure.fields.has(r) && afterStructure.fields.has(r)) continue; // compared as a form field
      const subtypeAfter = annotationSubtype(walk, walk.after, r);
      const subtypeBefore = annotationSubtype(walk, walk.before, r);
      const widget = subtypeAfter === 'Widget' || subtypeBefore === 'Widget';
      // Whether the policy may permit the change decides how it is compared: a permitted change is not
      // compared again as part of the objects it shares.
      const mayChange = !widget && walk.permitted({ type: 'annotation-changed', page: p, subtypes: subtypesOf(subtypeBefore, subtypeAfter) });
      const differing = mayChange ? walk.loose(refBefore, refAfter, r) : walk.strict(refBefore, refAfter, r, true);
      if (differing.length) walk.changes.add('annotation-changed', mayChange, widget ? LABELS.widgetChanged(p) : LABELS.annotationChanged(p), differing);
    }
    // Annotations written into /Annots itself have no object of their own (no subtype is read for them).
    const inlineMayChange = walk.permitted({ type: 'annotation-changed', page: p, subtypes: [] });
    const differing = inlineMayChange ? walk.loose(annotsBefore.inline, annotsAfter.inline, num) : walk.strict(annotsBefore.inline, annotsAfter.inline, num);
    if (differing.length) walk.changes.add('annotation-changed', inlineMayChange, LABELS.annotationChanged(p), differing);
  });
}

/** The entries of an /Annots array: references by object number, and annotations written inline. */
function annotList(walk: StepWalk, doc: PdfDocument, v: PdfValue | undefined): { refs: Map<number, PdfRef>; inline: PdfValue[] } {
  const refs = new Map<number, PdfRef>();
  const inline: PdfValue[] = [];
  const a = walk.comparator.resolve(doc, v);
  if (Array.isArray(a)) for (const x of a) {
    if (x instanceof PdfRef) refs.set(x.num, x);
    else if (x !== null) inline.push(x);
  }
  return { refs, inline };
}

/** An annotation's /Subtype as a revision defines it. */
function annotationSubtype(walk: StepWalk, doc: PdfDocument, num: number): string | undefined {
  const v = walk.comparator.load(doc, num);
  return v instanceof PdfDict ? v.name('Subtype') : undefined;
}

/** The distinct subtypes read, for an annotation subject. */
function subtypesOf(...subtypes: (string | undefined)[]): string[] {
  return [...new Set(subtypes.filter((subtype): subtype is string => subtype !== undefined))];
}
