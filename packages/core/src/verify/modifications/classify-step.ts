import type { PdfDocument } from '../../pdf/document.js';
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../../pdf/objects.js';
import type { ModificationChange } from '../facts.js';
import type { Budget } from './budget.js';
import { appearanceBorrowsResources, appearanceShowsValue, appearanceStates, daFontName, hasNormalAppearance, isPlainStandardFont } from './appearance.js';
import { bytesEqual, changedObjects, Comparator } from './compare.js';
import { LABELS, type Label } from './labels.js';
import { ChoiceFieldFlag, INVISIBLE_ANNOTATION_FLAGS, TextFieldFlag } from './flags.js';
import { fieldLocked, type ModificationSubject } from './policy.js';
import type { StepContext } from './step-context.js';
import { inherited, readStructure, type FieldNode, type Structure } from './structure.js';

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

/**
 * Classifies everything that revision `n` changed relative to revision `o`
 * (the revision just before it). The whole object graph reachable from the
 * new trailer is covered: the catalog, page tree, form and annotations are
 * compared key by key with the rules of ISO 32000-2 §12.8.2.2 (DocMDP) and
 * §12.8.2.4 (FieldMDP); every other key is compared structurally down to the
 * stream bytes, and any difference there is disallowed ("reject by default").
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
  const step = new Step(before, after, beforeStructure, afterStructure, comparator, context, changes);

  // §7.5.6: an incremental update chains to the previous cross-reference section.
  if (!after.xref.sections.some((section) => section.offset === before.xref.startxref)) changes.add('other', false, LABELS.notChained(context.revision), []);
  step.trailer();
  step.catalog();
  step.pages();
  step.form();
  step.annotations();
  return changes.list();
}

class Step {
  private readonly newSigWidgets = new Set<number>();

  constructor(
    /** The revision the step starts from. */
    private readonly before: PdfDocument,
    /** The revision the step makes. */
    private readonly after: PdfDocument,
    private readonly beforeStructure: Structure,
    private readonly afterStructure: Structure,
    private readonly comparator: Comparator,
    private readonly context: StepContext,
    private readonly changes: Changes,
  ) {}

  /** The policy's verdict on a change (ISO 32000-2 §12.8.2: what the signature's DocMDP level permits). */
  private permitted(change: ModificationSubject): boolean {
    const { docMdp, fieldLocks, revision, policy } = this.context;
    return policy.permits(change, { docMdp, fieldLocks, revision });
  }

  /** Any difference here is disallowed. */
  private strict(a: PdfValue | undefined, b: PdfValue | undefined, owner: number, bypass = false): number[] {
    return this.comparator.diff(a, b, { shared: true, owner, bypass });
  }

  /** Differences here may be allowed, so the pairs are not marked as compared for the strict contexts. */
  private loose(a: PdfValue | undefined, b: PdfValue | undefined, owner: number): number[] {
    return this.comparator.diff(a, b, { shared: false, owner, bypass: true });
  }

  trailer(): void {
    const trailerBefore = this.before.trailer;
    const trailerAfter = this.after.trailer;
    const info = trailerAfter.get('Info');
    const differing = this.loose(trailerBefore.get('Info'), info, info instanceof PdfRef ? info.num : -1);
    // Producer and ModDate updates accompany most signatures; Info is not rendered.
    if (differing.length) this.changes.add('metadata-changed', this.permitted({ type: 'document-information-updated' }), LABELS.info(), differing);
    const e = this.strict(trailerBefore.get('Encrypt'), trailerAfter.get('Encrypt'), -1, true);
    if (e.length) this.changes.add('other', false, LABELS.encryption(), e);
    if (this.beforeStructure.rootNum !== this.afterStructure.rootNum) {
      // Allowed only if the new catalog says exactly what the old one did (checked key by key below).
      const same = this.loose(this.before.rootRef, this.after.rootRef, this.afterStructure.rootNum).length === 0;
      if (!same) this.changes.add('catalog-changed', false, LABELS.catalogReplaced(), [this.afterStructure.rootNum]);
    }
  }

  catalog(): void {
    const catalogBefore = this.beforeStructure.catalog;
    const catalogAfter = this.afterStructure.catalog;
    const owner = this.afterStructure.rootNum;
    for (const key of keysOf(catalogBefore, catalogAfter)) {
      const a = catalogBefore.get(key);
      const b = catalogAfter.get(key);
      switch (key) {
        case 'Pages':
        case 'AcroForm':
          break; // their own rules
        case 'DSS': {
          const differing = this.loose(a, b, owner);
          if (differing.length) this.changes.add('dss-added', this.permitted({ type: 'dss-updated' }), LABELS.dss(), differing);
          break;
        }
        case 'Extensions':
        case 'Version': {
          const differing = this.loose(a, b, owner);
          if (differing.length) this.changes.add('catalog-changed', this.permitted({ type: 'extensions-or-version-updated' }), LABELS.extensions(), differing);
          break;
        }
        case 'StructTreeRoot': {
          const differing = this.loose(a, b, owner);
          if (differing.length) this.changes.add('other', this.permitted({ type: 'structure-tree-updated' }), LABELS.structure(), differing);
          break;
        }
        case 'Metadata': {
          const differing = this.loose(a, b, owner);
          if (differing.length) this.changes.add('metadata-changed', this.permitted({ type: 'xmp-metadata-updated' }), LABELS.xmp(), differing);
          break;
        }
        default: {
          const differing = this.strict(a, b, owner);
          if (differing.length) this.changes.add('catalog-changed', false, LABELS.catalog(key), differing);
        }
      }
    }
  }

  pages(): void {
    const { beforeStructure, afterStructure } = this;
    const indexBefore = new Map(beforeStructure.pages.map((num, i) => [num, i]));
    const indexAfter = new Map(afterStructure.pages.map((num, i) => [num, i]));
    let shape = false;
    afterStructure.pages.forEach((num, i) => {
      if (!indexBefore.has(num)) {
        shape = true;
        this.changes.add('page-added', false, LABELS.pageAdded(i + 1), [num]);
      }
    });
    beforeStructure.pages.forEach((num, i) => {
      if (!indexAfter.has(num)) {
        shape = true;
        this.changes.add('page-removed', false, LABELS.pageRemoved(i + 1), [num]);
      }
    });
    let last = -1;
    for (const num of afterStructure.pages) {
      const i = indexBefore.get(num);
      if (i === undefined) continue;
      if (i < last) {
        shape = true;
        this.changes.add('other', false, LABELS.pageOrder(), [num]);
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
        const differing = this.strict(dictBefore.get(key), dictAfter.get(key), num);
        if (!differing.length) continue;
        if (key === 'Contents') this.changes.add('page-content-changed', false, LABELS.pageContent(p), differing);
        else if (key === 'Resources') this.changes.add('resources-changed', false, LABELS.pageResources(p), differing);
        else this.changes.add('page-content-changed', false, LABELS.pageKey(p, key), differing);
      }
    }
    // Inherited attributes (§7.7.3.4) live on the intermediate nodes: they must stay as they were.
    for (const [num, kids] of afterStructure.pageNodes) {
      const kidsBefore = beforeStructure.pageNodes.get(num);
      if (!kidsBefore) {
        if (!shape) this.changes.add('other', false, LABELS.pageTree(), [num]);
        continue;
      }
      if (!shape && (kidsBefore.length !== kids.length || kidsBefore.some((k, i) => k !== kids[i]))) this.changes.add('other', false, LABELS.pageTree(), [num]);
      const dictBefore = this.before.get(num) as PdfDict;
      const dictAfter = this.after.get(num) as PdfDict;
      for (const key of keysOf(dictBefore, dictAfter)) {
        if (key === 'Kids' || key === 'Count' || key === 'Parent') continue;
        const differing = this.strict(dictBefore.get(key), dictAfter.get(key), num);
        if (differing.length) this.changes.add('other', false, LABELS.pageTree(), differing);
      }
    }
    if (!shape) for (const num of beforeStructure.pageNodes.keys()) if (!afterStructure.pageNodes.has(num)) this.changes.add('other', false, LABELS.pageTree(), []);
  }

  private isSet(doc: PdfDocument, v: PdfValue | undefined): boolean {
    return this.comparator.resolve(doc, v) !== null;
  }

  form(): void {
    const { beforeStructure, afterStructure } = this;
    if (beforeStructure.acroform && !afterStructure.acroform) this.changes.add('other', false, LABELS.formRemoved(), []);
    const formBefore = beforeStructure.acroform ?? new PdfDict();
    const formAfter = afterStructure.acroform ?? new PdfDict();
    const acroRef = afterStructure.catalog.get('AcroForm');
    const owner = acroRef instanceof PdfRef ? acroRef.num : afterStructure.rootNum;
    const needAppearances = this.comparator.resolve(this.after, formAfter.get('NeedAppearances')) === true;
    for (const key of keysOf(formBefore, formAfter)) {
      if (key === 'Fields' || key === 'SigFlags') continue; // fields below; SigFlags only marks that signatures exist (§12.7.3)
      if (key === 'DR' || key === 'DA' || key === 'Q') {
        // Default resources, appearance and alignment feed only the appearances viewers generate (§12.7.4.3);
        // signers add their fonts here. What they change for a field drawn from them is judged per field below.
        const differing = this.loose(formBefore.get(key), formAfter.get(key), owner);
        if (differing.length) this.changes.add('resources-changed', this.permitted({ type: 'form-defaults-updated', needAppearances }), LABELS.formResources(), differing);
        continue;
      }
      const differing = this.strict(formBefore.get(key), formAfter.get(key), owner);
      if (differing.length) this.changes.add('catalog-changed', false, LABELS.formChanged(key), differing);
    }
    for (const [num, node] of beforeStructure.fields) {
      if (!afterStructure.fields.has(num)) this.changes.add('other', false, LABELS.formFieldRemoved(node.name || `#${num}`), [num]);
    }
    for (const node of afterStructure.fields.values()) {
      const old = beforeStructure.fields.get(node.num);
      if (old) this.existingField(old, node);
      else this.newNode(node);
    }
    this.drawnFromDefaults(formBefore, formAfter, owner, needAppearances);
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
  private drawnFromDefaults(formBefore: PdfDict, formAfter: PdfDict, owner: number, needAppearances: boolean): void {
    const { beforeStructure, afterStructure } = this;
    const resourcesBefore = this.dictOn(this.before, formBefore.get('DR'));
    const resourcesAfter = this.dictOn(this.after, formAfter.get('DR'));
    const fontsBefore = this.dictOn(this.before, resourcesBefore?.get('Font'));
    const fontsAfter = this.dictOn(this.after, resourcesAfter?.get('Font'));
    // /DR entries other than fonts (colour spaces a /DA may select): any change matters to a default-drawn widget.
    // Computed once per font name, not once per widget: a form may have thousands of widgets over a few fonts.
    const fontDiffs = new Map<string, number[]>();
    const fontDiff = (font: string) => {
      let differing = fontDiffs.get(font);
      if (!differing) fontDiffs.set(font, (differing = this.loose(fontsBefore?.get(font), fontsAfter?.get(font), owner)));
      return differing;
    };
    let borrowedDiff: number[] | null = null;
    let otherDr: number[] = [];
    for (const key of keysOf(resourcesBefore ?? new PdfDict(), resourcesAfter ?? new PdfDict())) {
      if (key === 'Font') continue;
      otherDr = otherDr.concat(this.changedEntries(resourcesBefore?.get(key), resourcesAfter?.get(key), owner));
    }
    for (const fieldAfter of afterStructure.fields.values()) {
      const fieldBefore = beforeStructure.fields.get(fieldAfter.num);
      if (!fieldBefore || !fieldAfter.widget || fieldAfter.ft === 'Sig') continue;
      const fromDefaults = needAppearances || !hasNormalAppearance(this.after, fieldAfter.dict);
      // An appearance stream without resources of its own takes its fonts from /DR.
      const borrows = !fromDefaults && appearanceBorrowsResources(this.after, fieldAfter.dict);
      if (!fromDefaults && !borrows) continue;
      const name = fieldAfter.name || `#${fieldAfter.num}`;
      if (fromDefaults) {
        const appearanceStringBefore = this.bytesOf(this.before, inherited(beforeStructure, fieldBefore, 'DA') ?? formBefore.get('DA'));
        const appearanceStringAfter = this.bytesOf(this.after, inherited(afterStructure, fieldAfter, 'DA') ?? formAfter.get('DA'));
        const alignmentBefore = this.comparator.resolve(this.before, inherited(beforeStructure, fieldBefore, 'Q') ?? formBefore.get('Q')) ?? 0;
        const alignmentAfter = this.comparator.resolve(this.after, inherited(afterStructure, fieldAfter, 'Q') ?? formAfter.get('Q')) ?? 0;
        if (!sameBytes(appearanceStringBefore, appearanceStringAfter) || alignmentBefore !== alignmentAfter) this.changes.add('resources-changed', false, LABELS.formDefaultAppearance(name), [fieldAfter.num, owner]);
        const font = appearanceStringAfter ? daFontName(appearanceStringAfter) : null;
        if (font !== null) {
          const differing = fontDiff(font);
          if (differing.length) this.changes.add('resources-changed', false, LABELS.formDefaultFont(name, font), differing);
        }
      } else {
        // Any /DR font it may select: every existing font entry must stay as signed.
        borrowedDiff ??= this.changedEntries(resourcesBefore?.get('Font'), resourcesAfter?.get('Font'), owner);
        if (borrowedDiff.length) this.changes.add('resources-changed', false, LABELS.formDefaultResources(name), borrowedDiff);
      }
      if (otherDr.length) this.changes.add('resources-changed', false, LABELS.formDefaultResources(name), otherDr);
    }
  }

  /** The new-side objects where two /DR sub-dictionaries differ in an entry both have or the old one had (additions are not changes). */
  private changedEntries(a: PdfValue | undefined, b: PdfValue | undefined, owner: number): number[] {
    const entriesBefore = this.dictOn(this.before, a);
    const entriesAfter = this.dictOn(this.after, b);
    if (!entriesBefore || !entriesAfter) return this.loose(a, b, owner);
    const changed: number[] = [];
    for (const [key, value] of entriesBefore.map) changed.push(...this.loose(value, entriesAfter.get(key), owner));
    if (changed.length === 0 && [...entriesBefore.map.keys()].some((key) => !entriesAfter.has(key))) changed.push(owner);
    return changed;
  }

  private dictOn(doc: PdfDocument, v: PdfValue | undefined): PdfDict | null {
    const r = this.comparator.resolve(doc, v);
    return r instanceof PdfDict ? r : null;
  }

  private bytesOf(doc: PdfDocument, v: PdfValue | undefined): Uint8Array | null {
    const r = this.comparator.resolve(doc, v);
    return r instanceof PdfString ? r.bytes : null;
  }

  /**
   * Whether the new revision shows the value a filled field now holds
   * (ISO 32000-2 §12.7.4.3: the appearance stream is what viewers draw):
   * a text or choice field's new normal appearance draws the new value with
   * fonts the signed revision vouches for, and a button keeps its signed
   * appearance states and selects one of them (or Off).
   */
  private showsNewValue(fieldAfter: FieldNode): boolean {
    if (!fieldAfter.widget) return true; // a field without its own widget: its widgets are checked one by one
    const ft = fieldAfter.ft;
    if (ft === 'Btn') {
      const as = this.comparator.resolve(this.after, fieldAfter.dict.get('AS'));
      const states = appearanceStates(this.after, fieldAfter.dict);
      if (!(as instanceof PdfName)) return states === null;
      return as.name === 'Off' || (states !== null && states.has(as.name));
    }
    if (ft !== 'Tx' && ft !== 'Ch') return false;
    const ap = this.dictOn(this.after, fieldAfter.dict.get('AP'));
    if (!ap) return false;
    const v = this.comparator.resolve(this.after, inherited(this.afterStructure, fieldAfter, 'V'));
    const values = v === null ? [''] : v instanceof PdfString ? [decodeTextString(v)] : Array.isArray(v) ? v.map((x) => this.comparator.resolve(this.after, x)) : null;
    if (!values || !values.every((x): x is string | PdfString => typeof x === 'string' || x instanceof PdfString)) return false;
    const fieldFlags = this.comparator.resolve(this.after, inherited(this.afterStructure, fieldAfter, 'Ff'));
    const flags = typeof fieldFlags === 'number' ? fieldFlags : 0;
    const password = ft === 'Tx' && (flags & TextFieldFlag.Password) !== 0;
    // A choice shows an option's display text, which /Opt may pair with the export value held in /V (§12.7.5.4).
    const display = ft === 'Ch' ? this.optionTexts(fieldAfter) : new Map<string, string>();
    const texts = values.map((x) => (typeof x === 'string' ? x : decodeTextString(x))).map((t) => display.get(t) ?? t);
    const combo = ft === 'Ch' && (flags & ChoiceFieldFlag.Combo) !== 0;
    const fontsAfter = this.dictOn(this.after, this.dictOn(this.after, this.afterStructure.acroform?.get('DR'))?.get('Font'));
    const fontsBefore = this.dictOn(this.before, this.dictOn(this.before, this.beforeStructure.acroform?.get('DR'))?.get('Font'));
    // A text field or a combo box shows its value alone; a list box shows its other options too.
    return appearanceShowsValue(this.after, ap.get('N'), password ? null : texts, ft === 'Tx' || combo, {
      fallback: (name) => fontsAfter?.get(name),
      trusted: (font) => {
        // Unchanged since the signed revision, the same as a font of the signed /DR, or one no file can alter.
        if (font instanceof PdfRef && this.definedIn(this.before, font.num) && this.loose(font, font, font.num).length === 0) return true;
        if (fontsBefore) for (const signedFont of fontsBefore.map.values()) if (this.loose(signedFont, font, -1).length === 0) return true;
        const fontDict = this.dictOn(this.after, font);
        return fontDict !== null && isPlainStandardFont(this.after, fontDict);
      },
    });
  }

  /** Export value → display text of a choice field's /Opt pairs. */
  private optionTexts(fieldAfter: FieldNode): Map<string, string> {
    const out = new Map<string, string>();
    const opt = this.comparator.resolve(this.after, inherited(this.afterStructure, fieldAfter, 'Opt'));
    if (!Array.isArray(opt)) return out;
    for (const o of opt.slice(0, 10_000)) {
      const pair = this.comparator.resolve(this.after, o);
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const [exported, display] = pair.map((x) => this.comparator.resolve(this.after, x));
      if (exported instanceof PdfString && display instanceof PdfString) out.set(decodeTextString(exported), decodeTextString(display));
    }
    return out;
  }

  private existingField(fieldBefore: FieldNode, fieldAfter: FieldNode): void {
    const name = fieldAfter.name || `#${fieldAfter.num}`;
    const num = fieldAfter.num;
    if (fieldBefore.ft !== fieldAfter.ft || fieldBefore.name !== fieldAfter.name || fieldBefore.parent !== fieldAfter.parent) this.changes.add('other', false, LABELS.formFieldChanged(name), [num]);
    const dictBefore = fieldBefore.dict;
    const dictAfter = fieldAfter.dict;
    if (fieldAfter.ft === 'Sig') {
      const had = this.isSet(this.before, inherited(this.beforeStructure, fieldBefore, 'V'));
      const has = this.isSet(this.after, inherited(this.afterStructure, fieldAfter, 'V'));
      const signing = !had && has;
      if (had && !has) this.changes.add('other', false, LABELS.signatureRemoved(name), [num]);
      for (const key of keysOf(dictBefore, dictAfter)) {
        if (key === 'Kids' || key === 'Parent') continue;
        const a = dictBefore.get(key);
        const b = dictAfter.get(key);
        if (key === 'V') {
          if (!this.isSet(this.before, a) && this.isSet(this.after, b)) this.signatureValue(fieldAfter, b!);
          else if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num) {
            // The signature dictionary is exempt elsewhere: compare it here, byte for byte.
            const differing = this.strict(a, b, num, true);
            if (differing.length) this.changes.add('object-redefined', false, LABELS.signatureDictChanged(name), differing);
          } else if (this.isSet(this.before, a)) {
            const differing = this.strict(a, b, num);
            if (differing.length) this.changes.add('other', false, LABELS.signatureValueReplaced(name), differing);
          }
          continue;
        }
        if ((key === 'AP' || key === 'AS') && signing) continue; // the appearance of the signature being added
        if (this.flagsExplained(key, a, b)) continue;
        const differing = this.strict(a, b, num);
        if (!differing.length) continue;
        if (key === 'AP' || key === 'AS') this.changes.add('annotation-changed', false, LABELS.signatureAppearanceChanged(name), differing);
        else this.changes.add('other', false, LABELS.signatureFieldChanged(name), differing);
      }
      return;
    }
    // Filling changes the value (/V, or /AS of a check box or radio button) and with it the appearance;
    // an appearance replaced while the value stays is a Shadow "replace", not form filling.
    const valueChanged = this.loose(inherited(this.beforeStructure, fieldBefore, 'V'), inherited(this.afterStructure, fieldAfter, 'V'), num).length > 0
      || this.loose(dictBefore.get('AS'), dictAfter.get('AS'), num).length > 0;
    const filled: number[] = [];
    // A button's appearance states stay as signed: filling selects one of them (§12.7.5.2.3).
    const newAppearance = valueChanged && fieldAfter.ft !== 'Btn';
    for (const key of keysOf(dictBefore, dictAfter)) {
      if (key === 'Kids' || key === 'Parent') continue;
      const a = dictBefore.get(key);
      const b = dictAfter.get(key);
      if (key === 'V' || key === 'AS' || (key === 'AP' && newAppearance)) {
        filled.push(...this.loose(a, b, num));
        continue;
      }
      if (this.flagsExplained(key, a, b)) continue;
      const differing = this.strict(a, b, num);
      if (!differing.length) continue;
      if (key === 'AP') this.changes.add('annotation-changed', false, valueChanged ? LABELS.formFilledNoAppearance(name) : LABELS.formAppearanceReplaced(name), differing);
      else if (key === 'DA' || key === 'Q') this.changes.add('resources-changed', false, LABELS.formDefaultAppearance(name), differing);
      else this.changes.add('other', false, LABELS.formFieldChanged(name), differing);
    }
    // A widget whose inherited value changed must show it, even when none of its own keys changed.
    const shows = !valueChanged || this.showsNewValue(fieldAfter);
    if (!filled.length && !shows) this.changes.add('form-filled', false, LABELS.formFilledNoAppearance(name), [num]);
    if (filled.length) {
      const allowed = this.permitted({ type: 'form-field-filled', field: name, showsNewValue: shows });
      // A refusal names its likeliest reason: P=1, a FieldMDP lock, or an appearance that hides the new value.
      const label = allowed ? LABELS.formFilled(name)
        : this.context.docMdp === 1 ? LABELS.formFilledP1(name)
        : fieldLocked(this.context.fieldLocks, name) ? LABELS.formFilledLocked(name)
        : !shows ? LABELS.formFilledNoAppearance(name) : LABELS.formFilled(name);
      this.changes.add('form-filled', allowed, label, filled);
    }
  }

  /**
   * Whether a change of an annotation's /F (§12.5.3) or a field's /Ff (§12.7.4.1) needs no report: the
   * same integer, or a change the policy permits (the flags a locking signature sets). Any other change of
   * these entries is compared like every other entry.
   */
  private flagsExplained(key: string, a: PdfValue | undefined, b: PdfValue | undefined): boolean {
    if (key !== 'F' && key !== 'Ff') return false;
    const before = this.comparator.resolve(this.before, a) ?? 0;
    const after = this.comparator.resolve(this.after, b) ?? 0;
    if (typeof before !== 'number' || typeof after !== 'number' || !Number.isInteger(before) || !Number.isInteger(after)) return false;
    return before === after || this.permitted({ type: 'flags-changed', entry: key, before, after });
  }

  private newNode(fieldAfter: FieldNode): void {
    const name = fieldAfter.name || `#${fieldAfter.num}`;
    const num = fieldAfter.num;
    if (fieldAfter.ft !== 'Sig') {
      this.changes.add('other', this.permitted({ type: 'form-field-added', field: name, fieldType: fieldAfter.ft ?? null }), LABELS.formFieldAdded(name), [num]);
      return;
    }
    if (this.definedIn(this.before, num)) this.changes.add('object-redefined', false, LABELS.objectReused(num, name), [num]);
    // Signing needs no action (ISO 32000-2 §12.6.3): an /A or /AA on a new signature field or widget (page-open
    // JavaScript, say) would run in the reader and may change what it shows, so "signing" does not permit it.
    if (fieldAfter.dict.has('A') || fieldAfter.dict.has('AA')) this.changes.add('annotation-added', false, LABELS.signatureFieldAction(name), [num]);
    const own = fieldAfter.dict.get('V');
    const value = this.isSet(this.after, inherited(this.afterStructure, fieldAfter, 'V'));
    if (this.isSet(this.after, own)) this.signatureValue(fieldAfter, own!);
    else if (fieldAfter.named && !value) {
      this.changes.add('signature-added', this.permitted({ type: 'empty-signature-field-added', field: name }), LABELS.emptySignatureField(name), [num]);
    }
    if (fieldAfter.widget) {
      this.newSigWidgets.add(num);
      // Sneaky Signature: an unsigned signature field must not paint over the signed content.
      if (!value && this.visibleAppearance(fieldAfter.dict)) this.changes.add('annotation-added', false, LABELS.sneakySignatureField(name), [num]);
    }
  }

  private definedIn(doc: PdfDocument, num: number): boolean {
    const e = doc.xref.entries.get(num);
    if (!e || e.type === 0) return false;
    return this.comparator.load(doc, num) !== null;
  }

  /** A signature value set in this revision: a fresh signature dictionary that the verifier found covering this revision. */
  private signatureValue(fieldAfter: FieldNode, v: PdfValue): void {
    const name = fieldAfter.name || `#${fieldAfter.num}`;
    const num = fieldAfter.num;
    if (v instanceof PdfRef && this.definedIn(this.before, v.num)) this.changes.add('object-redefined', false, LABELS.objectReused(v.num, name), [v.num]);
    const signatureDict = this.after.dictOf(v);
    const listed = v instanceof PdfRef && this.context.laterSignatures.some((s) => s.object === v.num && s.revision === this.context.revision);
    if (!signatureDict || !signatureDict.has('ByteRange') || !signatureDict.has('Contents') || !listed) {
      this.changes.add('other', false, LABELS.signatureNotListed(name), [num]);
      return;
    }
    const documentTimestamp = signatureDict.name('Type') === 'DocTimeStamp' || signatureDict.name('SubFilter') === 'ETSI.RFC3161';
    const objects = [num, ...(v instanceof PdfRef ? [v.num] : [])];
    if (this.permitted({ type: 'signature-value-added', field: name, documentTimestamp })) {
      if (documentTimestamp) this.changes.add('document-timestamp-added', true, LABELS.documentTimestamp(name), objects);
      else this.changes.add('signature-added', true, LABELS.signatureAdded(name), objects);
    }
    // A refusal names its likeliest reason: a FieldMDP lock on the field, or P=1.
    else if (fieldLocked(this.context.fieldLocks, name)) this.changes.add('signature-added', false, LABELS.signatureInLockedField(name), objects);
    else if (documentTimestamp) this.changes.add('document-timestamp-added', false, LABELS.documentTimestamp(name), objects);
    else if (this.context.docMdp === 1) this.changes.add('signature-added', false, LABELS.signatureAfterP1(name), objects);
    else this.changes.add('signature-added', false, LABELS.signatureAdded(name), objects);
  }

  /** Whether a widget paints something: shown, a non-empty rectangle, and a non-empty normal appearance. */
  private visibleAppearance(widget: PdfDict): boolean {
    try {
      const f = this.after.resolve(widget.get('F'));
      if (typeof f === 'number' && (f & INVISIBLE_ANNOTATION_FLAGS) !== 0) return false; // Hidden or NoView (§12.5.3)
      const rect = this.after.box(widget.get('Rect'));
      if (!rect || rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) return false;
      const ap = this.after.dictOf(widget.get('AP'));
      if (!ap) return false;
      const normalAppearance = this.after.resolve(ap.get('N'));
      const streams: PdfStream[] = [];
      if (normalAppearance instanceof PdfStream) streams.push(normalAppearance);
      else if (normalAppearance instanceof PdfDict) for (const s of normalAppearance.map.values()) {
        const r = this.after.resolve(s);
        if (r instanceof PdfStream) streams.push(r);
      }
      return streams.some((s) => /\S/.test(new TextDecoder('latin1').decode(this.after.streamData(s))));
    } catch {
      return true; // unknown counts as visible
    }
  }

  annotations(): void {
    const { beforeStructure, afterStructure } = this;
    afterStructure.pages.forEach((num, i) => {
      const dictBefore = beforeStructure.pageDicts.get(num);
      if (!dictBefore) return;
      const p = i + 1;
      const annotsBefore = this.annotList(this.before, dictBefore.get('Annots'));
      const annotsAfter = this.annotList(this.after, afterStructure.pageDicts.get(num)!.get('Annots'));
      for (const [r] of annotsAfter.refs) {
        if (annotsBefore.refs.has(r)) continue;
        if (this.newSigWidgets.has(r)) continue; // judged with its signature field
        if (afterStructure.fields.has(r) && !beforeStructure.fields.has(r)) continue; // a new field, judged by the form rule
        const sub = this.subtype(this.after, r);
        if (afterStructure.fields.has(r) || sub === 'Widget') this.changes.add('annotation-added', false, LABELS.widgetAdded(p), [r]);
        else this.changes.add('annotation-added', this.permitted({ type: 'annotation-added', page: p, subtypes: subtypesOf(sub) }), LABELS.annotationAdded(p), [r]);
      }
      for (const [r] of annotsBefore.refs) {
        if (annotsAfter.refs.has(r)) continue;
        const sub = this.subtype(this.before, r);
        if (beforeStructure.fields.has(r) || sub === 'Widget') this.changes.add('annotation-changed', false, LABELS.widgetRemoved(p), [r]);
        else this.changes.add('annotation-changed', this.permitted({ type: 'annotation-removed', page: p, subtypes: subtypesOf(sub) }), LABELS.annotationRemoved(p), [r]);
      }
      for (const [r, refAfter] of annotsAfter.refs) {
        const refBefore = annotsBefore.refs.get(r);
        if (!refBefore) continue;
        if (beforeStructure.fields.has(r) && afterStructure.fields.has(r)) continue; // compared as a form field
        const subtypeAfter = this.subtype(this.after, r);
        const subtypeBefore = this.subtype(this.before, r);
        const widget = subtypeAfter === 'Widget' || subtypeBefore === 'Widget';
        // Whether the policy may permit the change decides how it is compared: a permitted change is not
        // compared again as part of the objects it shares.
        const mayChange = !widget && this.permitted({ type: 'annotation-changed', page: p, subtypes: subtypesOf(subtypeBefore, subtypeAfter) });
        const differing = mayChange ? this.loose(refBefore, refAfter, r) : this.strict(refBefore, refAfter, r, true);
        if (differing.length) this.changes.add('annotation-changed', mayChange, widget ? LABELS.widgetChanged(p) : LABELS.annotationChanged(p), differing);
      }
      // Annotations written into /Annots itself have no object of their own (no subtype is read for them).
      const inlineMayChange = this.permitted({ type: 'annotation-changed', page: p, subtypes: [] });
      const differing = inlineMayChange ? this.loose(annotsBefore.inline, annotsAfter.inline, num) : this.strict(annotsBefore.inline, annotsAfter.inline, num);
      if (differing.length) this.changes.add('annotation-changed', inlineMayChange, LABELS.annotationChanged(p), differing);
    });
  }

  private annotList(doc: PdfDocument, v: PdfValue | undefined): { refs: Map<number, PdfRef>; inline: PdfValue[] } {
    const refs = new Map<number, PdfRef>();
    const inline: PdfValue[] = [];
    const a = this.comparator.resolve(doc, v);
    if (Array.isArray(a)) for (const x of a) {
      if (x instanceof PdfRef) refs.set(x.num, x);
      else if (x !== null) inline.push(x);
    }
    return { refs, inline };
  }

  private subtype(doc: PdfDocument, num: number): string | undefined {
    const v = this.comparator.load(doc, num);
    return v instanceof PdfDict ? v.name('Subtype') : undefined;
  }
}

/** The distinct subtypes read, for an annotation subject. */
function subtypesOf(...subtypes: (string | undefined)[]): string[] {
  return [...new Set(subtypes.filter((subtype): subtype is string => subtype !== undefined))];
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : bytesEqual(a, b);
}

function keysOf(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set<string>(a.map.keys());
  for (const k of b.map.keys()) keys.add(k);
  return [...keys];
}
