import type { PdfDocument } from '../../pdf/document.js';
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../../pdf/objects.js';
import type { ModificationChange } from '../facts.js';
import type { Budget } from './budget.js';
import { appearanceBorrowsResources, appearanceShowsValue, appearanceStates, daFontName, hasNormalAppearance, isPlainStandardFont } from './appearance.js';
import { bytesEqual, changedObjects, Comparator } from './compare.js';
import { LABELS, type Label } from './labels.js';
import { inherited, readStructure, type FieldNode, type Structure } from './structure.js';

/** A FieldMDP lock (ISO 32000-2 §12.8.2.4, Table 259) of the signature being checked. */
export interface FieldLockFact {
  readonly action: 'All' | 'Include' | 'Exclude';
  readonly fields: readonly string[];
}

/** A signature or document timestamp whose value was added after the signature being checked. */
export interface LaterSignature {
  readonly revision: number;
  /** Object number of its signature dictionary. */
  readonly object: number;
  readonly field: string | null;
  readonly kind: 'signature' | 'document-timestamp';
}

/** What the rules of one step need to know about the signature being checked. */
export interface StepContext {
  /** Index of the newer revision of the pair. */
  readonly revision: number;
  readonly docMdp: 1 | 2 | 3 | null;
  readonly fieldLocks: readonly FieldLockFact[];
  readonly laterSignatures: readonly LaterSignature[];
}

type Kind = ModificationChange['kind'];

/** Gathers changes, one entry per (kind, verdict, label) with the objects merged. */
export class Changes {
  private readonly map = new Map<string, { kind: Kind; allowed: boolean; label: Label; objects: Set<number> }>();
  constructor(private readonly revision: number) {}

  add(kind: Kind, allowed: boolean, label: Label, objects: Iterable<number>): void {
    const key = `${kind}|${allowed}|${label.en}`;
    let e = this.map.get(key);
    if (!e) {
      e = { kind, allowed, label, objects: new Set() };
      this.map.set(key, e);
    }
    for (const o of objects) if (o >= 0) e.objects.add(o);
  }

  list(): ModificationChange[] {
    return [...this.map.values()].map((e) => ({
      revision: this.revision,
      kind: e.kind,
      allowed: e.allowed,
      label: e.label,
      objects: [...e.objects].sort((a, b) => a - b),
    }));
  }
}

/**
 * Classifies everything that revision `n` changed relative to revision `o`
 * (the revision just before it). The whole object graph reachable from the
 * new trailer is covered: the catalog, page tree, form and annotations are
 * compared key by key with the rules of ISO 32000-2 §12.8.2.2 (DocMDP) and
 * §12.8.2.4 (FieldMDP); every other key is compared structurally down to the
 * stream bytes, and any difference there is disallowed ("reject by default").
 */
export function analyseStep(o: PdfDocument, n: PdfDocument, ctx: StepContext, budget: Budget): ModificationChange[] {
  const out = new Changes(ctx.revision);
  const so = readStructure(o, budget);
  const sn = readStructure(n, budget);
  const changed = changedObjects(o, n, budget);
  // A role object is compared by its own rule; elsewhere it is not compared again,
  // but only when both revisions give that number the same role.
  const exempt = (num: number) => {
    const r = so.roles.get(num);
    return r !== undefined && r === sn.roles.get(num);
  };
  const cmp = new Comparator(o, n, changed, exempt, budget);
  const step = new Step(o, n, so, sn, cmp, ctx, out);

  // §7.5.6: an incremental update chains to the previous cross-reference section.
  if (!n.xref.sections.some((s) => s.offset === o.xref.startxref)) out.add('other', false, LABELS.notChained(ctx.revision), []);
  step.trailer();
  step.catalog();
  step.pages();
  step.form();
  step.annotations();
  return out.list();
}

class Step {
  private readonly newSigWidgets = new Set<number>();

  constructor(
    private readonly o: PdfDocument,
    private readonly n: PdfDocument,
    private readonly so: Structure,
    private readonly sn: Structure,
    private readonly cmp: Comparator,
    private readonly ctx: StepContext,
    private readonly out: Changes,
  ) {}

  /** Any difference here is disallowed. */
  private strict(a: PdfValue | undefined, b: PdfValue | undefined, owner: number, bypass = false): number[] {
    return this.cmp.diff(a, b, { shared: true, owner, bypass });
  }

  /** Differences here may be allowed, so the pairs are not marked as compared for the strict contexts. */
  private loose(a: PdfValue | undefined, b: PdfValue | undefined, owner: number): number[] {
    return this.cmp.diff(a, b, { shared: false, owner, bypass: true });
  }

  trailer(): void {
    const ot = this.o.trailer;
    const nt = this.n.trailer;
    const info = nt.get('Info');
    const d = this.loose(ot.get('Info'), info, info instanceof PdfRef ? info.num : -1);
    // Producer and ModDate updates accompany most signatures; Info is not rendered.
    if (d.length) this.out.add('metadata-changed', true, LABELS.info(), d);
    const e = this.strict(ot.get('Encrypt'), nt.get('Encrypt'), -1, true);
    if (e.length) this.out.add('other', false, LABELS.encryption(), e);
    if (this.so.rootNum !== this.sn.rootNum) {
      // Allowed only if the new catalog says exactly what the old one did (checked key by key below).
      const same = this.loose(this.o.rootRef, this.n.rootRef, this.sn.rootNum).length === 0;
      if (!same) this.out.add('catalog-changed', false, LABELS.catalogReplaced(), [this.sn.rootNum]);
    }
  }

  catalog(): void {
    const oc = this.so.catalog;
    const nc = this.sn.catalog;
    const owner = this.sn.rootNum;
    for (const key of keysOf(oc, nc)) {
      const a = oc.get(key);
      const b = nc.get(key);
      switch (key) {
        case 'Pages':
        case 'AcroForm':
          break; // their own rules
        case 'DSS': {
          // ETSI EN 319 142-1 §5.4: validation data may be added after any signature, DocMDP notwithstanding.
          const d = this.loose(a, b, owner);
          if (d.length) this.out.add('dss-added', true, LABELS.dss(), d);
          break;
        }
        case 'Extensions':
        case 'Version': {
          const d = this.loose(a, b, owner);
          if (d.length) this.out.add('catalog-changed', true, LABELS.extensions(), d);
          break;
        }
        case 'StructTreeRoot': {
          // Logical structure (§14.7) is not rendered; signers of tagged files add their widgets to it.
          const d = this.loose(a, b, owner);
          if (d.length) this.out.add('other', this.ctx.docMdp !== 1, LABELS.structure(), d);
          break;
        }
        case 'Metadata': {
          // XMP is not rendered; signers update it with the modification date. P=1 still forbids it.
          const d = this.loose(a, b, owner);
          if (d.length) this.out.add('metadata-changed', this.ctx.docMdp !== 1, LABELS.xmp(), d);
          break;
        }
        default: {
          const d = this.strict(a, b, owner);
          if (d.length) this.out.add('catalog-changed', false, LABELS.catalog(key), d);
        }
      }
    }
  }

  pages(): void {
    const { so, sn } = this;
    const oIdx = new Map(so.pages.map((num, i) => [num, i]));
    const nIdx = new Map(sn.pages.map((num, i) => [num, i]));
    let shape = false;
    sn.pages.forEach((num, i) => {
      if (!oIdx.has(num)) {
        shape = true;
        this.out.add('page-added', false, LABELS.pageAdded(i + 1), [num]);
      }
    });
    so.pages.forEach((num, i) => {
      if (!nIdx.has(num)) {
        shape = true;
        this.out.add('page-removed', false, LABELS.pageRemoved(i + 1), [num]);
      }
    });
    let last = -1;
    for (const num of sn.pages) {
      const i = oIdx.get(num);
      if (i === undefined) continue;
      if (i < last) {
        shape = true;
        this.out.add('other', false, LABELS.pageOrder(), [num]);
        break;
      }
      last = i;
    }
    for (const num of sn.pages) {
      const od = so.pageDicts.get(num);
      const nd = sn.pageDicts.get(num)!;
      if (!od) continue;
      const p = nIdx.get(num)! + 1;
      for (const key of keysOf(od, nd)) {
        if (key === 'Annots' || key === 'Parent') continue; // annotations below; the tree itself below
        const d = this.strict(od.get(key), nd.get(key), num);
        if (!d.length) continue;
        if (key === 'Contents') this.out.add('page-content-changed', false, LABELS.pageContent(p), d);
        else if (key === 'Resources') this.out.add('resources-changed', false, LABELS.pageResources(p), d);
        else this.out.add('page-content-changed', false, LABELS.pageKey(p, key), d);
      }
    }
    // Inherited attributes (§7.7.3.4) live on the intermediate nodes: they must stay as they were.
    for (const [num, kids] of sn.pageNodes) {
      const okids = so.pageNodes.get(num);
      if (!okids) {
        if (!shape) this.out.add('other', false, LABELS.pageTree(), [num]);
        continue;
      }
      if (!shape && (okids.length !== kids.length || okids.some((k, i) => k !== kids[i]))) this.out.add('other', false, LABELS.pageTree(), [num]);
      const od = this.o.get(num) as PdfDict;
      const nd = this.n.get(num) as PdfDict;
      for (const key of keysOf(od, nd)) {
        if (key === 'Kids' || key === 'Count' || key === 'Parent') continue;
        const d = this.strict(od.get(key), nd.get(key), num);
        if (d.length) this.out.add('other', false, LABELS.pageTree(), d);
      }
    }
    if (!shape) for (const num of so.pageNodes.keys()) if (!sn.pageNodes.has(num)) this.out.add('other', false, LABELS.pageTree(), []);
  }

  private locked(name: string): boolean {
    return this.ctx.fieldLocks.some((l) =>
      l.action === 'All' || (l.action === 'Include' && l.fields.includes(name)) || (l.action === 'Exclude' && !l.fields.includes(name)));
  }

  private isSet(doc: PdfDocument, v: PdfValue | undefined): boolean {
    return this.cmp.resolve(doc, v) !== null;
  }

  form(): void {
    const { so, sn } = this;
    if (so.acroform && !sn.acroform) this.out.add('other', false, LABELS.formRemoved(), []);
    const oaf = so.acroform ?? new PdfDict();
    const naf = sn.acroform ?? new PdfDict();
    const acroRef = sn.catalog.get('AcroForm');
    const owner = acroRef instanceof PdfRef ? acroRef.num : sn.rootNum;
    const needAppearances = this.cmp.resolve(this.n, naf.get('NeedAppearances')) === true;
    for (const key of keysOf(oaf, naf)) {
      if (key === 'Fields' || key === 'SigFlags') continue; // fields below; SigFlags only marks that signatures exist (§12.7.3)
      if (key === 'DR' || key === 'DA' || key === 'Q') {
        // Default resources, appearance and alignment feed only the appearances viewers generate (§12.7.4.3);
        // signers add their fonts here. What they change for a field drawn from them is judged per field below.
        const d = this.loose(oaf.get(key), naf.get(key), owner);
        if (d.length) this.out.add('resources-changed', !needAppearances, LABELS.formResources(), d);
        continue;
      }
      const d = this.strict(oaf.get(key), naf.get(key), owner);
      if (d.length) this.out.add('catalog-changed', false, LABELS.formChanged(key), d);
    }
    for (const [num, node] of so.fields) {
      if (!sn.fields.has(num)) this.out.add('other', false, LABELS.formFieldRemoved(node.name || `#${num}`), [num]);
    }
    for (const node of sn.fields.values()) {
      const old = so.fields.get(node.num);
      if (old) this.existingField(old, node);
      else this.newNode(node);
    }
    this.drawnFromDefaults(oaf, naf, owner, needAppearances);
  }

  /**
   * A widget without a normal appearance of its own, or every widget when
   * /NeedAppearances is true, is drawn by viewers from the field's default
   * appearance string (inherited /DA, else the form's), its alignment (/Q)
   * and the font that string selects in the form's /DR (ISO 32000-2
   * §12.7.4.3). A change to any of these changes what every viewer shows
   * while no value changed: disallowed, whatever the DocMDP level (form
   * filling allows the value to change, not its drawing). Fonts merely added
   * to /DR draw nothing that was signed.
   */
  private drawnFromDefaults(oaf: PdfDict, naf: PdfDict, owner: number, needAppearances: boolean): void {
    const { so, sn } = this;
    const oDr = this.dictOn(this.o, oaf.get('DR'));
    const nDr = this.dictOn(this.n, naf.get('DR'));
    const oFonts = this.dictOn(this.o, oDr?.get('Font'));
    const nFonts = this.dictOn(this.n, nDr?.get('Font'));
    // /DR entries other than fonts (colour spaces a /DA may select): any change matters to a default-drawn widget.
    // Computed once per font name, not once per widget: a form may have thousands of widgets over a few fonts.
    const fontDiffs = new Map<string, number[]>();
    const fontDiff = (font: string) => {
      let d = fontDiffs.get(font);
      if (!d) fontDiffs.set(font, (d = this.loose(oFonts?.get(font), nFonts?.get(font), owner)));
      return d;
    };
    let borrowedDiff: number[] | null = null;
    let otherDr: number[] = [];
    for (const key of keysOf(oDr ?? new PdfDict(), nDr ?? new PdfDict())) {
      if (key === 'Font') continue;
      otherDr = otherDr.concat(this.changedEntries(oDr?.get(key), nDr?.get(key), owner));
    }
    for (const nf of sn.fields.values()) {
      const of = so.fields.get(nf.num);
      if (!of || !nf.widget || nf.ft === 'Sig') continue;
      const fromDefaults = needAppearances || !hasNormalAppearance(this.n, nf.dict);
      // An appearance stream without resources of its own takes its fonts from /DR.
      const borrows = !fromDefaults && appearanceBorrowsResources(this.n, nf.dict);
      if (!fromDefaults && !borrows) continue;
      const name = nf.name || `#${nf.num}`;
      if (fromDefaults) {
        const oDa = this.bytesOf(this.o, inherited(so, of, 'DA') ?? oaf.get('DA'));
        const nDa = this.bytesOf(this.n, inherited(sn, nf, 'DA') ?? naf.get('DA'));
        const oQ = this.cmp.resolve(this.o, inherited(so, of, 'Q') ?? oaf.get('Q')) ?? 0;
        const nQ = this.cmp.resolve(this.n, inherited(sn, nf, 'Q') ?? naf.get('Q')) ?? 0;
        if (!sameBytes(oDa, nDa) || oQ !== nQ) this.out.add('resources-changed', false, LABELS.formDefaultAppearance(name), [nf.num, owner]);
        const font = nDa ? daFontName(nDa) : null;
        if (font !== null) {
          const d = fontDiff(font);
          if (d.length) this.out.add('resources-changed', false, LABELS.formDefaultFont(name, font), d);
        }
      } else {
        // Any /DR font it may select: every existing font entry must stay as signed.
        borrowedDiff ??= this.changedEntries(oDr?.get('Font'), nDr?.get('Font'), owner);
        if (borrowedDiff.length) this.out.add('resources-changed', false, LABELS.formDefaultResources(name), borrowedDiff);
      }
      if (otherDr.length) this.out.add('resources-changed', false, LABELS.formDefaultResources(name), otherDr);
    }
  }

  /** The new-side objects where two /DR sub-dictionaries differ in an entry both have or the old one had (additions are not changes). */
  private changedEntries(a: PdfValue | undefined, b: PdfValue | undefined, owner: number): number[] {
    const oa = this.dictOn(this.o, a);
    const nb = this.dictOn(this.n, b);
    if (!oa || !nb) return this.loose(a, b, owner);
    const out: number[] = [];
    for (const [k, v] of oa.map) out.push(...this.loose(v, nb.get(k), owner));
    if (out.length === 0 && [...oa.map.keys()].some((k) => !nb.has(k))) out.push(owner);
    return out;
  }

  private dictOn(doc: PdfDocument, v: PdfValue | undefined): PdfDict | null {
    const r = this.cmp.resolve(doc, v);
    return r instanceof PdfDict ? r : null;
  }

  private bytesOf(doc: PdfDocument, v: PdfValue | undefined): Uint8Array | null {
    const r = this.cmp.resolve(doc, v);
    return r instanceof PdfString ? r.bytes : null;
  }

  /**
   * Whether the new revision shows the value a filled field now holds
   * (ISO 32000-2 §12.7.4.3: the appearance stream is what viewers draw):
   * a text or choice field's new normal appearance draws the new value with
   * fonts the signed revision vouches for, and a button keeps its signed
   * appearance states and selects one of them (or Off).
   */
  private showsNewValue(nf: FieldNode): boolean {
    if (!nf.widget) return true; // a field without its own widget: its widgets are checked one by one
    const ft = nf.ft;
    if (ft === 'Btn') {
      const as = this.cmp.resolve(this.n, nf.dict.get('AS'));
      const states = appearanceStates(this.n, nf.dict);
      if (!(as instanceof PdfName)) return states === null;
      return as.name === 'Off' || (states !== null && states.has(as.name));
    }
    if (ft !== 'Tx' && ft !== 'Ch') return false;
    const ap = this.dictOn(this.n, nf.dict.get('AP'));
    if (!ap) return false;
    const v = this.cmp.resolve(this.n, inherited(this.sn, nf, 'V'));
    const values = v === null ? [''] : v instanceof PdfString ? [decodeTextString(v)] : Array.isArray(v) ? v.map((x) => this.cmp.resolve(this.n, x)) : null;
    if (!values || !values.every((x): x is string | PdfString => typeof x === 'string' || x instanceof PdfString)) return false;
    const ff = this.cmp.resolve(this.n, inherited(this.sn, nf, 'Ff'));
    const flags = typeof ff === 'number' ? ff : 0;
    const password = ft === 'Tx' && (flags & (1 << 13)) !== 0;
    // A choice shows an option's display text, which /Opt may pair with the export value held in /V (§12.7.5.4).
    const display = ft === 'Ch' ? this.optionTexts(nf) : new Map<string, string>();
    const texts = values.map((x) => (typeof x === 'string' ? x : decodeTextString(x))).map((t) => display.get(t) ?? t);
    const combo = ft === 'Ch' && (flags & (1 << 17)) !== 0;
    const nFonts = this.dictOn(this.n, this.dictOn(this.n, this.sn.acroform?.get('DR'))?.get('Font'));
    const oFonts = this.dictOn(this.o, this.dictOn(this.o, this.so.acroform?.get('DR'))?.get('Font'));
    // A text field or a combo box shows its value alone; a list box shows its other options too.
    return appearanceShowsValue(this.n, ap.get('N'), password ? null : texts, ft === 'Tx' || combo, {
      fallback: (name) => nFonts?.get(name),
      trusted: (font) => {
        // Unchanged since the signed revision, the same as a font of the signed /DR, or one no file can alter.
        if (font instanceof PdfRef && this.definedIn(this.o, font.num) && this.loose(font, font, font.num).length === 0) return true;
        if (oFonts) for (const of of oFonts.map.values()) if (this.loose(of, font, -1).length === 0) return true;
        const d = this.dictOn(this.n, font);
        return d !== null && isPlainStandardFont(this.n, d);
      },
    });
  }

  /** Export value → display text of a choice field's /Opt pairs. */
  private optionTexts(nf: FieldNode): Map<string, string> {
    const out = new Map<string, string>();
    const opt = this.cmp.resolve(this.n, inherited(this.sn, nf, 'Opt'));
    if (!Array.isArray(opt)) return out;
    for (const o of opt.slice(0, 10_000)) {
      const pair = this.cmp.resolve(this.n, o);
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const [e, d] = pair.map((x) => this.cmp.resolve(this.n, x));
      if (e instanceof PdfString && d instanceof PdfString) out.set(decodeTextString(e), decodeTextString(d));
    }
    return out;
  }

  private existingField(of: FieldNode, nf: FieldNode): void {
    const name = nf.name || `#${nf.num}`;
    const num = nf.num;
    if (of.ft !== nf.ft || of.name !== nf.name || of.parent !== nf.parent) this.out.add('other', false, LABELS.formFieldChanged(name), [num]);
    const od = of.dict;
    const nd = nf.dict;
    if (nf.ft === 'Sig') {
      const had = this.isSet(this.o, inherited(this.so, of, 'V'));
      const has = this.isSet(this.n, inherited(this.sn, nf, 'V'));
      const signing = !had && has;
      if (had && !has) this.out.add('other', false, LABELS.signatureRemoved(name), [num]);
      for (const key of keysOf(od, nd)) {
        if (key === 'Kids' || key === 'Parent') continue;
        const a = od.get(key);
        const b = nd.get(key);
        if (key === 'V') {
          if (!this.isSet(this.o, a) && this.isSet(this.n, b)) this.signatureValue(nf, b!);
          else if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num) {
            // The signature dictionary is exempt elsewhere: compare it here, byte for byte.
            const d = this.strict(a, b, num, true);
            if (d.length) this.out.add('object-redefined', false, LABELS.signatureDictChanged(name), d);
          } else if (this.isSet(this.o, a)) {
            const d = this.strict(a, b, num);
            if (d.length) this.out.add('other', false, LABELS.signatureValueReplaced(name), d);
          }
          continue;
        }
        if ((key === 'AP' || key === 'AS') && signing) continue; // the appearance of the signature being added
        if (this.onlyLocks(key, a, b)) continue;
        const d = this.strict(a, b, num);
        if (!d.length) continue;
        if (key === 'AP' || key === 'AS') this.out.add('annotation-changed', false, LABELS.signatureAppearanceChanged(name), d);
        else this.out.add('other', false, LABELS.signatureFieldChanged(name), d);
      }
      return;
    }
    // Filling changes the value (/V, or /AS of a check box or radio button) and with it the appearance;
    // an appearance replaced while the value stays is a Shadow "replace", not form filling.
    const valueChanged = this.loose(inherited(this.so, of, 'V'), inherited(this.sn, nf, 'V'), num).length > 0
      || this.loose(od.get('AS'), nd.get('AS'), num).length > 0;
    const filled: number[] = [];
    // A button's appearance states stay as signed: filling selects one of them (§12.7.5.2.3).
    const newAppearance = valueChanged && nf.ft !== 'Btn';
    for (const key of keysOf(od, nd)) {
      if (key === 'Kids' || key === 'Parent') continue;
      const a = od.get(key);
      const b = nd.get(key);
      if (key === 'V' || key === 'AS' || (key === 'AP' && newAppearance)) {
        filled.push(...this.loose(a, b, num));
        continue;
      }
      if (this.onlyLocks(key, a, b)) continue;
      const d = this.strict(a, b, num);
      if (!d.length) continue;
      if (key === 'AP') this.out.add('annotation-changed', false, valueChanged ? LABELS.formFilledNoAppearance(name) : LABELS.formAppearanceReplaced(name), d);
      else if (key === 'DA' || key === 'Q') this.out.add('resources-changed', false, LABELS.formDefaultAppearance(name), d);
      else this.out.add('other', false, LABELS.formFieldChanged(name), d);
    }
    // A widget whose inherited value changed must show it, even when none of its own keys changed.
    const shows = !valueChanged || this.showsNewValue(nf);
    if (!filled.length && !shows) this.out.add('form-filled', false, LABELS.formFilledNoAppearance(name), [num]);
    if (filled.length) {
      // §12.8.2.2.2: P=2 and P=3 allow filling in forms; an approval signature is read the same way
      // (FieldMDP locks decide, §12.8.2.4). P=1 allows nothing. What viewers show must be the new value.
      const p1 = this.ctx.docMdp === 1;
      const locked = this.locked(name);
      const label = p1 ? LABELS.formFilledP1(name) : locked ? LABELS.formFilledLocked(name) : !shows ? LABELS.formFilledNoAppearance(name) : LABELS.formFilled(name);
      this.out.add('form-filled', !p1 && !locked && shows, label, filled);
    }
  }

  /**
   * Flags that only lock more: annotation Print, ReadOnly, Locked, LockedContents (§12.5.3)
   * and the field ReadOnly flag (§12.7.4.1), which locking signatures set.
   */
  private onlyLocks(key: string, a: PdfValue | undefined, b: PdfValue | undefined): boolean {
    if (key !== 'F' && key !== 'Ff') return false;
    const x = this.cmp.resolve(this.o, a) ?? 0;
    const y = this.cmp.resolve(this.n, b) ?? 0;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isInteger(x) || !Number.isInteger(y)) return false;
    const added = y & ~x;
    const removed = x & ~y;
    const ok = key === 'F' ? 4 | 64 | 128 | 512 : 1;
    return removed === 0 && (added & ~ok) === 0;
  }

  private newNode(nf: FieldNode): void {
    const name = nf.name || `#${nf.num}`;
    const num = nf.num;
    if (nf.ft !== 'Sig') {
      this.out.add('other', false, LABELS.formFieldAdded(name), [num]);
      return;
    }
    if (this.definedIn(this.o, num)) this.out.add('object-redefined', false, LABELS.objectReused(num, name), [num]);
    // Signing needs no action (ISO 32000-2 §12.6.3): an /A or /AA on a new signature field or widget (page-open
    // JavaScript, say) would run in the reader and may change what it shows, so "signing" does not permit it.
    if (nf.dict.has('A') || nf.dict.has('AA')) this.out.add('annotation-added', false, LABELS.signatureFieldAction(name), [num]);
    const own = nf.dict.get('V');
    const value = this.isSet(this.n, inherited(this.sn, nf, 'V'));
    if (this.isSet(this.n, own)) this.signatureValue(nf, own!);
    else if (nf.named && !value) {
      this.out.add('signature-added', this.ctx.docMdp !== 1, LABELS.emptySignatureField(name), [num]);
    }
    if (nf.widget) {
      this.newSigWidgets.add(num);
      // Sneaky Signature: an unsigned signature field must not paint over the signed content.
      if (!value && this.visibleAppearance(nf.dict)) this.out.add('annotation-added', false, LABELS.sneakySignatureField(name), [num]);
    }
  }

  private definedIn(doc: PdfDocument, num: number): boolean {
    const e = doc.xref.entries.get(num);
    if (!e || e.type === 0) return false;
    return this.cmp.load(doc, num) !== null;
  }

  /** A signature value set in this revision: a fresh signature dictionary that the verifier found covering this revision. */
  private signatureValue(nf: FieldNode, v: PdfValue): void {
    const name = nf.name || `#${nf.num}`;
    const num = nf.num;
    if (v instanceof PdfRef && this.definedIn(this.o, v.num)) this.out.add('object-redefined', false, LABELS.objectReused(v.num, name), [v.num]);
    const sd = this.n.dictOf(v);
    const listed = v instanceof PdfRef && this.ctx.laterSignatures.some((s) => s.object === v.num && s.revision === this.ctx.revision);
    if (!sd || !sd.has('ByteRange') || !sd.has('Contents') || !listed) {
      this.out.add('other', false, LABELS.signatureNotListed(name), [num]);
      return;
    }
    const ts = sd.name('Type') === 'DocTimeStamp' || sd.name('SubFilter') === 'ETSI.RFC3161';
    const objs = [num, ...(v instanceof PdfRef ? [v.num] : [])];
    if (this.locked(name)) this.out.add('signature-added', false, LABELS.signatureInLockedField(name), objs);
    // ETSI EN 319 142-1 §5.4: document timestamps (like DSS) may follow any signature, P=1 included.
    else if (ts) this.out.add('document-timestamp-added', true, LABELS.documentTimestamp(name), objs);
    else if (this.ctx.docMdp === 1) this.out.add('signature-added', false, LABELS.signatureAfterP1(name), objs);
    else this.out.add('signature-added', true, LABELS.signatureAdded(name), objs);
  }

  /** Whether a widget paints something: shown, a non-empty rectangle, and a non-empty normal appearance. */
  private visibleAppearance(d: PdfDict): boolean {
    try {
      const f = this.n.resolve(d.get('F'));
      if (typeof f === 'number' && (f & (2 | 32)) !== 0) return false; // Hidden or NoView (§12.5.3)
      const rect = this.n.box(d.get('Rect'));
      if (!rect || rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) return false;
      const ap = this.n.dictOf(d.get('AP'));
      if (!ap) return false;
      const nv = this.n.resolve(ap.get('N'));
      const streams: PdfStream[] = [];
      if (nv instanceof PdfStream) streams.push(nv);
      else if (nv instanceof PdfDict) for (const s of nv.map.values()) {
        const r = this.n.resolve(s);
        if (r instanceof PdfStream) streams.push(r);
      }
      return streams.some((s) => /\S/.test(new TextDecoder('latin1').decode(this.n.streamData(s))));
    } catch {
      return true; // unknown counts as visible
    }
  }

  annotations(): void {
    const { so, sn } = this;
    const p3 = this.ctx.docMdp === 3;
    sn.pages.forEach((num, i) => {
      const od = so.pageDicts.get(num);
      if (!od) return;
      const p = i + 1;
      const oa = this.annotList(this.o, od.get('Annots'));
      const na = this.annotList(this.n, sn.pageDicts.get(num)!.get('Annots'));
      for (const [r] of na.refs) {
        if (oa.refs.has(r)) continue;
        if (this.newSigWidgets.has(r)) continue; // judged with its signature field
        if (sn.fields.has(r) && !so.fields.has(r)) continue; // a new field, judged by the form rule
        const sub = this.subtype(this.n, r);
        if (sn.fields.has(r) || sub === 'Widget') this.out.add('annotation-added', false, LABELS.widgetAdded(p), [r]);
        // §12.8.2.2.2: only P=3 allows annotations to be created (Evil Annotation otherwise).
        else this.out.add('annotation-added', p3, LABELS.annotationAdded(p), [r]);
      }
      for (const [r] of oa.refs) {
        if (na.refs.has(r)) continue;
        const sub = this.subtype(this.o, r);
        if (so.fields.has(r) || sub === 'Widget') this.out.add('annotation-changed', false, LABELS.widgetRemoved(p), [r]);
        else this.out.add('annotation-changed', p3, LABELS.annotationRemoved(p), [r]);
      }
      for (const [r, nref] of na.refs) {
        const oref = oa.refs.get(r);
        if (!oref) continue;
        if (so.fields.has(r) && sn.fields.has(r)) continue; // compared as a form field
        const widget = this.subtype(this.n, r) === 'Widget' || this.subtype(this.o, r) === 'Widget';
        const mayChange = p3 && !widget;
        const d = mayChange ? this.loose(oref, nref, r) : this.strict(oref, nref, r, true);
        if (d.length) this.out.add('annotation-changed', mayChange, widget ? LABELS.widgetChanged(p) : LABELS.annotationChanged(p), d);
      }
      const d = p3 ? this.loose(oa.inline, na.inline, num) : this.strict(oa.inline, na.inline, num);
      if (d.length) this.out.add('annotation-changed', p3, LABELS.annotationChanged(p), d);
    });
  }

  private annotList(doc: PdfDocument, v: PdfValue | undefined): { refs: Map<number, PdfRef>; inline: PdfValue[] } {
    const refs = new Map<number, PdfRef>();
    const inline: PdfValue[] = [];
    const a = this.cmp.resolve(doc, v);
    if (Array.isArray(a)) for (const x of a) {
      if (x instanceof PdfRef) refs.set(x.num, x);
      else if (x !== null) inline.push(x);
    }
    return { refs, inline };
  }

  private subtype(doc: PdfDocument, num: number): string | undefined {
    const v = this.cmp.load(doc, num);
    return v instanceof PdfDict ? v.name('Subtype') : undefined;
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : bytesEqual(a, b);
}

function keysOf(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set<string>(a.map.keys());
  for (const k of b.map.keys()) keys.add(k);
  return [...keys];
}
