import type { PdfDocument } from '../../pdf/document.js';
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../pdf/objects.js';
import type { Budget } from './budget.js';

/** Bounds on the structure walks (page tree and form field tree depth). */
const MAX_DEPTH = 256;

/**
 * What an object is to the document, for the objects the modification rules
 * compare one by one. Other objects are only ever compared structurally from
 * wherever they are reached.
 */
export type Role = 'catalog' | 'pages-node' | 'page' | 'acroform' | 'fields-array' | 'field' | 'annots-array' | 'annot' | 'sig-value';

/** A node of the form field tree (ISO 32000-2 §12.7.4): a field, a widget, or both merged. */
export interface FieldNode {
  readonly num: number;
  readonly dict: PdfDict;
  /** Fully qualified name (§12.7.4.2); a widget without /T carries its field's name. */
  readonly name: string;
  /** Inherited /FT. */
  readonly ft: string | null;
  readonly parent: number | null;
  /** An annotation (/Subtype /Widget, or no /T under a field). */
  readonly widget: boolean;
  /** Has its own /T (a field rather than a bare widget). */
  readonly named: boolean;
}

/** The parts of one revision that the rules look at. */
export interface Structure {
  readonly rootNum: number;
  readonly catalog: PdfDict;
  /** Leaf pages in order (object numbers). */
  readonly pages: readonly number[];
  readonly pageDicts: ReadonlyMap<number, PdfDict>;
  /** Intermediate page tree nodes, with their /Kids numbers. */
  readonly pageNodes: ReadonlyMap<number, readonly number[]>;
  readonly acroform: PdfDict | null;
  readonly fields: ReadonlyMap<number, FieldNode>;
  /** Top-level /Fields entries (numbers). */
  readonly topFields: readonly number[];
  readonly roles: ReadonlyMap<number, Role>;
}

/** Walks the catalog, page tree and field tree of one revision. Throws on malformed structure. */
export function readStructure(doc: PdfDocument, budget: Budget): Structure {
  const roles = new Map<number, Role>();
  const role = (v: PdfValue | undefined, r: Role) => {
    if (v instanceof PdfRef && !roles.has(v.num)) roles.set(v.num, r);
  };
  const rootRef = doc.rootRef;
  const catalog = doc.catalog();
  roles.set(rootRef.num, 'catalog');

  const pages: number[] = [];
  const pageDicts = new Map<number, PdfDict>();
  const pageNodes = new Map<number, number[]>();
  const seen = new Set<number>();
  const pagesRoot = catalog.get('Pages');
  const stack: { v: PdfValue | undefined; depth: number }[] = [{ v: pagesRoot, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    budget.tick();
    if (!(v instanceof PdfRef)) continue;
    if (seen.has(v.num) || depth > MAX_DEPTH) throw new Error(`page tree cycle or too deep at object ${v.num}`);
    seen.add(v.num);
    const d = doc.get(v);
    if (!(d instanceof PdfDict)) continue;
    const kids = doc.resolve(d.get('Kids'));
    if (d.name('Type') === 'Pages' || (d.name('Type') !== 'Page' && Array.isArray(kids))) {
      role(v, 'pages-node');
      const list = Array.isArray(kids) ? kids : [];
      pageNodes.set(v.num, list.map((k) => (k instanceof PdfRef ? k.num : -1)));
      for (let i = list.length - 1; i >= 0; i--) stack.push({ v: list[i], depth: depth + 1 });
      continue;
    }
    role(v, 'page');
    pages.push(v.num);
    pageDicts.set(v.num, d);
    const annots = d.get('Annots');
    role(annots, 'annots-array');
    const list = doc.resolve(annots);
    if (Array.isArray(list)) for (const a of list) role(a, 'annot');
  }

  const acroRef = catalog.get('AcroForm');
  role(acroRef, 'acroform');
  const acroform = doc.dictOf(acroRef);
  const fields = new Map<number, FieldNode>();
  const topFields: number[] = [];
  if (acroform) {
    role(acroform.get('Fields'), 'fields-array');
    const top = doc.resolve(acroform.get('Fields'));
    const fstack: { v: PdfValue; parentName: string; ft: string | null; parent: number | null; depth: number }[] = [];
    if (Array.isArray(top)) {
      for (const t of top) if (t instanceof PdfRef) topFields.push(t.num);
      for (let i = top.length - 1; i >= 0; i--) fstack.push({ v: top[i]!, parentName: '', ft: null, parent: null, depth: 0 });
    }
    while (fstack.length) {
      const { v, parentName, ft, parent, depth } = fstack.pop()!;
      budget.tick();
      if (!(v instanceof PdfRef)) continue;
      if (fields.has(v.num) || depth > MAX_DEPTH) throw new Error(`form field tree cycle or too deep at object ${v.num}`);
      const d = doc.get(v);
      if (!(d instanceof PdfDict)) continue;
      const t = doc.resolve(d.get('T'));
      const partial = t instanceof PdfString ? decodeTextString(t) : null;
      const name = partial !== null ? (parentName ? `${parentName}.${partial}` : partial) : parentName;
      const own = doc.resolve(d.get('FT'));
      const type = own instanceof PdfName ? own.name : ft;
      const widget = d.name('Subtype') === 'Widget' || (partial === null && parent !== null);
      fields.set(v.num, { num: v.num, dict: d, name, ft: type, parent, widget, named: partial !== null });
      // A widget or a field is an annotation too when it sits in /Annots; the field role wins.
      roles.set(v.num, 'field');
      if (type === 'Sig') role(d.get('V'), 'sig-value');
      const kids = doc.resolve(d.get('Kids'));
      if (Array.isArray(kids)) {
        for (let i = kids.length - 1; i >= 0; i--) fstack.push({ v: kids[i]!, parentName: name, ft: type, parent: v.num, depth: depth + 1 });
      }
    }
  }
  return { rootNum: rootRef.num, catalog, pages, pageDicts, pageNodes, acroform, fields, topFields, roles };
}

/** The value of an inheritable field attribute (§12.7.4.1), walking up the field tree. */
export function inherited(s: Structure, node: FieldNode, key: string): PdfValue | undefined {
  let cur: FieldNode | undefined = node;
  for (let i = 0; cur && i < MAX_DEPTH; i++) {
    const v = cur.dict.get(key);
    if (v !== undefined && v !== null) return v;
    cur = cur.parent !== null ? s.fields.get(cur.parent) : undefined;
  }
  return undefined;
}
