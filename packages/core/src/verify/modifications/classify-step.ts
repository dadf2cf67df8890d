/**
 * One revision step of the modification analysis: what revision `after`
 * changed relative to `before`, each change recorded with the policy's
 * verdict. The trailer, catalog and page tree are classified here; the form,
 * new fields and annotations in their own modules (`classify-*.ts`).
 *
 * @module
 */
import type { PdfDocument } from '../../pdf/document.js';
import { PdfDict, PdfRef } from '../../pdf/objects.js';
import type { ModificationChange } from '../facts.js';
import type { Budget } from './budget.js';
import { classifyAnnotations } from './classify-annotations.js';
import { classifyForm } from './classify-form.js';
import { changedObjects, Comparator } from './compare.js';
import { LABELS } from './labels.js';
import type { StepContext } from './step-context.js';
import { Changes, keysOf, StepWalk } from './step-walk.js';
import { readStructure } from './structure.js';

/**
 * Classifies everything that revision `after` changed relative to revision
 * `before` (the revision just before it). The whole object graph reachable
 * from the new trailer is covered: the catalog, page tree, form and
 * annotations are compared key by key, and what ISO 32000-2 §12.8.2.2
 * (DocMDP), §12.8.2.4 (FieldMDP) or ETSI EN 319 142-1 §5.4 may permit is
 * offered to the context's policy; every other key is compared structurally
 * down to the stream bytes, and any difference there is disallowed ("reject
 * by default").
 */
export function analyseStep(before: PdfDocument, after: PdfDocument, context: StepContext, budget: Budget): ModificationChange[] {
  const changes = new Changes(context.revision);
  const beforeStructure = readStructure(before, budget);
  const afterStructure = readStructure(after, budget);
  const changed = changedObjects(before, after, budget);
  // A role object is compared by its own rule; elsewhere it is not compared again,
  // but only when both revisions give that number the same role.
  const exempt = (num: number) => {
    const role = beforeStructure.roles.get(num);
    return role !== undefined && role === afterStructure.roles.get(num);
  };
  const comparator = new Comparator(before, after, changed, exempt, budget);
  const walk = new StepWalk(before, after, beforeStructure, afterStructure, comparator, context, changes);

  // §7.5.6: an incremental update chains to the previous cross-reference section.
  if (!after.xref.sections.some((section) => section.offset === before.xref.startxref)) changes.add('other', false, LABELS.notChained(context.revision), []);
  classifyTrailer(walk);
  classifyCatalog(walk);
  classifyPages(walk);
  classifyForm(walk);
  classifyAnnotations(walk);
  return changes.list();
}

/** The trailer: /Info (offered to the policy), /Encrypt, and a catalog replaced by another object. */
function classifyTrailer(walk: StepWalk): void {
  const trailerBefore = walk.before.trailer;
  const trailerAfter = walk.after.trailer;
  const info = trailerAfter.get('Info');
  const differing = walk.loose(trailerBefore.get('Info'), info, info instanceof PdfRef ? info.num : -1);
  // Producer and ModDate updates accompany most signatures; Info is not rendered.
  if (differing.length) walk.changes.add('metadata-changed', walk.permitted({ type: 'document-information-updated' }), LABELS.info(), differing);
  const encryption = walk.strict(trailerBefore.get('Encrypt'), trailerAfter.get('Encrypt'), -1, true);
  if (encryption.length) walk.changes.add('other', false, LABELS.encryption(), encryption);
  if (walk.beforeStructure.rootNum !== walk.afterStructure.rootNum) {
    // Allowed only if the new catalog says exactly what the old one did (checked key by key below).
    const same = walk.loose(walk.before.rootRef, walk.after.rootRef, walk.afterStructure.rootNum).length === 0;
    if (!same) walk.changes.add('catalog-changed', false, LABELS.catalogReplaced(), [walk.afterStructure.rootNum]);
  }
}

/** The catalog, key by key: /DSS, /Extensions, /Version, /StructTreeRoot and /Metadata are offered to the policy. */
function classifyCatalog(walk: StepWalk): void {
  const catalogBefore = walk.beforeStructure.catalog;
  const catalogAfter = walk.afterStructure.catalog;
  const owner = walk.afterStructure.rootNum;
  for (const key of keysOf(catalogBefore, catalogAfter)) {
    const a = catalogBefore.get(key);
    const b = catalogAfter.get(key);
    switch (key) {
      case 'Pages':
      case 'AcroForm':
        break; // their own rules
      case 'DSS': {
        const differing = walk.loose(a, b, owner);
        if (differing.length) walk.changes.add('dss-added', walk.permitted({ type: 'dss-updated' }), LABELS.dss(), differing);
        break;
      }
      case 'Extensions':
      case 'Version': {
        const differing = walk.loose(a, b, owner);
        if (differing.length) walk.changes.add('catalog-changed', walk.permitted({ type: 'extensions-or-version-updated' }), LABELS.extensions(), differing);
        break;
      }
      case 'StructTreeRoot': {
        const differing = walk.loose(a, b, owner);
        if (differing.length) walk.changes.add('other', walk.permitted({ type: 'structure-tree-updated' }), LABELS.structure(), differing);
        break;
      }
      case 'Metadata': {
        const differing = walk.loose(a, b, owner);
        if (differing.length) walk.changes.add('metadata-changed', walk.permitted({ type: 'xmp-metadata-updated' }), LABELS.xmp(), differing);
        break;
      }
      default: {
        const differing = walk.strict(a, b, owner);
        if (differing.length) walk.changes.add('catalog-changed', false, LABELS.catalog(key), differing);
      }
    }
  }
}

/** The page tree: pages added, removed or reordered, and every page and intermediate node entry but /Annots. */
function classifyPages(walk: StepWalk): void {
  const { beforeStructure, afterStructure } = walk;
  const indexBefore = new Map(beforeStructure.pages.map((num, i) => [num, i]));
  const indexAfter = new Map(afterStructure.pages.map((num, i) => [num, i]));
  let shape = false;
  afterStructure.pages.forEach((num, i) => {
    if (!indexBefore.has(num)) {
      shape = true;
      walk.changes.add('page-added', false, LABELS.pageAdded(i + 1), [num]);
    }
  });
  beforeStructure.pages.forEach((num, i) => {
    if (!indexAfter.has(num)) {
      shape = true;
      walk.changes.add('page-removed', false, LABELS.pageRemoved(i + 1), [num]);
    }
  });
  let last = -1;
  for (const num of afterStructure.pages) {
    const i = indexBefore.get(num);
    if (i === undefined) continue;
    if (i < last) {
      shape = true;
      walk.changes.add('other', false, LABELS.pageOrder(), [num]);
      break;
    }
    last = i;
  }
  for (const num of afterStructure.pages) {
    const dictBefore = beforeStructure.pageDicts.get(num);
    const dictAfter = afterStructure.pageDicts.get(num)!;
    if (!dictBefore) continue;
    const p = indexAfter.get(num)! + 1;
    for (const key of keysOf(dictBefore, dictAfter)) {
      if (key === 'Annots' || key === 'Parent') continue; // annotations below; the tree itself below
      const differing = walk.strict(dictBefore.get(key), dictAfter.get(key), num);
      if (!differing.length) continue;
      if (key === 'Contents') walk.changes.add('page-content-changed', false, LABELS.pageContent(p), differing);
      else if (key === 'Resources') walk.changes.add('resources-changed', false, LABELS.pageResources(p), differing);
      else walk.changes.add('page-content-changed', false, LABELS.pageKey(p, key), differing);
    }
  }
  // Inherited attributes (§7.7.3.4) live on the intermediate nodes: they must stay as they were.
  for (const [num, kids] of afterStructure.pageNodes) {
    const kidsBefore = beforeStructure.pageNodes.get(num);
    if (!kidsBefore) {
      if (!shape) walk.changes.add('other', false, LABELS.pageTree(), [num]);
      continue;
    }
    if (!shape && (kidsBefore.length !== kids.length || kidsBefore.some((k, i) => k !== kids[i]))) walk.changes.add('other', false, LABELS.pageTree(), [num]);
    const dictBefore = walk.before.get(num) as PdfDict;
    const dictAfter = walk.after.get(num) as PdfDict;
    for (const key of keysOf(dictBefore, dictAfter)) {
      if (key === 'Kids' || key === 'Count' || key === 'Parent') continue;
      const differing = walk.strict(dictBefore.get(key), dictAfter.get(key), num);
      if (differing.length) walk.changes.add('other', false, LABELS.pageTree(), differing);
    }
  }
  if (!shape) for (const num of beforeStructure.pageNodes.keys()) if (!afterStructure.pageNodes.has(num)) walk.changes.add('other', false, LABELS.pageTree(), []);
}
