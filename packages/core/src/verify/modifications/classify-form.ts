/**
 * The form's part of a revision step (ISO 32000-2 §12.7): the AcroForm's
 * entries, fields removed, existing fields (filled, locked, restyled) and the
 * defaults viewers draw fields from. New fields go to `classify-new-fields.ts`.
 *
 * @module
 */
import { decodeTextString, PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../pdf/objects.js';
import { appearanceBorrowsResources, appearanceShowsValue, appearanceStates, daFontName, hasNormalAppearance, isPlainStandardFont } from './appearance.js';
import { classifyNewField, signatureValue } from './classify-new-fields.js';
import { bytesEqual } from './compare.js';
import { ChoiceFieldFlag, TextFieldFlag } from './flags.js';
import { LABELS } from './labels.js';
import { fieldLocked } from './policy.js';
import { keysOf, type StepWalk } from './step-walk.js';
import { inherited, type FieldNode } from './structure.js';

/** The AcroForm: its entries, fields removed, fields kept (compared entry by entry) and fields added. */
export function classifyForm(walk: StepWalk): void {
  const { beforeStructure, afterStructure } = walk;
  if (beforeStructure.acroform && !afterStructure.acroform) walk.changes.add('other', false, LABELS.formRemoved(), []);
  const formBefore = beforeStructure.acroform ?? new PdfDict();
  const formAfter = afterStructure.acroform ?? new PdfDict();
  const acroRef = afterStructure.catalog.get('AcroForm');
  const owner = acroRef instanceof PdfRef ? acroRef.num : afterStructure.rootNum;
  const needAppearances = walk.comparator.resolve(walk.after, formAfter.get('NeedAppearances')) === true;
  for (const key of keysOf(formBefore, formAfter)) {
    if (key === 'Fields' || key === 'SigFlags') continue; // fields below; SigFlags only marks that signatures exist (§12.7.3)
    if (key === 'DR' || key === 'DA' || key === 'Q') {
      // Default resources, appearance and alignment feed only the appearances viewers generate (§12.7.4.3);
      // signers add their fonts here. What they change for a field drawn from them is judged per field below.
      const differing = walk.loose(formBefore.get(key), formAfter.get(key), owner);
      if (differing.length) walk.changes.add('resources-changed', walk.permitted({ type: 'form-defaults-updated', needAppearances }), LABELS.formResources(), differing);
      continue;
    }
    const differing = walk.strict(formBefore.get(key), formAfter.get(key), owner);
    if (differing.length) walk.changes.add('catalog-changed', false, LABELS.formChanged(key), differing);
  }
  for (const [num, node] of beforeStructure.fields) {
    if (!afterStructure.fields.has(num)) walk.changes.add('other', false, LABELS.formFieldRemoved(node.name || `#${num}`), [num]);
  }
  for (const node of afterStructure.fields.values()) {
    const old = beforeStructure.fields.get(node.num);
    if (old) existingField(walk, old, node);
    else classifyNewField(walk, node);
  }
  drawnFromDefaults(walk, formBefore, formAfter, owner, needAppearances);
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
function drawnFromDefaults(walk: StepWalk, formBefore: PdfDict, formAfter: PdfDict, owner: number, needAppearances: boolean): void {
  const { beforeStructure, afterStructure } = walk;
  const resourcesBefore = walk.dictOn(walk.before, formBefore.get('DR'));
  const resourcesAfter = walk.dictOn(walk.after, formAfter.get('DR'));
  const fontsBefore = walk.dictOn(walk.before, resourcesBefore?.get('Font'));
  const fontsAfter = walk.dictOn(walk.after, resourcesAfter?.get('Font'));
  // /DR entries other than fonts (colour spaces a /DA may select): any change matters to a default-drawn widget.
  // Computed once per font name, not once per widget: a form may have thousands of widgets over a few fonts.
  const fontDiffs = new Map<string, number[]>();
  const fontDiff = (font: string) => {
    let differing = fontDiffs.get(font);
    if (!differing) fontDiffs.set(font, (differing = walk.loose(fontsBefore?.get(font), fontsAfter?.get(font), owner)));
    return differing;
  };
  let borrowedDiff: number[] | null = null;
  let otherDr: number[] = [];
  for (const key of keysOf(resourcesBefore ?? new PdfDict(), resourcesAfter ?? new PdfDict())) {
    if (key === 'Font') continue;
    otherDr = otherDr.concat(changedEntries(walk, resourcesBefore?.get(key), resourcesAfter?.get(key), owner));
  }
  for (const fieldAfter of afterStructure.fields.values()) {
    const fieldBefore = beforeStructure.fields.get(fieldAfter.num);
    if (!fieldBefore || !fieldAfter.widget || fieldAfter.ft === 'Sig') continue;
    const fromDefaults = needAppearances || !hasNormalAppearance(walk.after, fieldAfter.dict);
    // An appearance stream without resources of its own takes its fonts from /DR.
    const borrows = !fromDefaults && appearanceBorrowsResources(walk.after, fieldAfter.dict);
    if (!fromDefaults && !borrows) continue;
    const name = fieldAfter.name || `#${fieldAfter.num}`;
    if (fromDefaults) {
      const appearanceStringBefore = walk.bytesOf(walk.before, inherited(beforeStructure, fieldBefore, 'DA') ?? formBefore.get('DA'));
      const appearanceStringAfter = walk.bytesOf(walk.after, inherited(afterStructure, fieldAfter, 'DA') ?? formAfter.get('DA'));
      const alignmentBefore = walk.comparator.resolve(walk.before, inherited(beforeStructure, fieldBefore, 'Q') ?? formBefore.get('Q')) ?? 0;
      const alignmentAfter = walk.comparator.resolve(walk.after, inherited(afterStructure, fieldAfter, 'Q') ?? formAfter.get('Q')) ?? 0;
      if (!sameBytes(appearanceStringBefore, appearanceStringAfter) || alignmentBefore !== alignmentAfter) walk.changes.add('resources-changed', false, LABELS.formDefaultAppearance(name), [fieldAfter.num, owner]);
      const font = appearanceStringAfter ? daFontName(appearanceStringAfter) : null;
      if (font !== null) {
        const differing = fontDiff(font);
        if (differing.length) walk.changes.add('resources-changed', false, LABELS.formDefaultFont(name, font), differing);
      }
    } else {
      // Any /DR font it may select: every existing font entry must stay as signed.
      borrowedDiff ??= changedEntries(walk, resourcesBefore?.get('Font'), resourcesAfter?.get('Font'), owner);
      if (borrowedDiff.length) walk.changes.add('resources-changed', false, LABELS.formDefaultResources(name), borrowedDiff);
    }
    if (otherDr.length) walk.changes.add('resources-changed', false, LABELS.formDefaultResources(name), otherDr);
  }
}

/** The new-side objects where two /DR sub-dictionaries differ in an entry both have or the old one had (additions are not changes). */
function changedEntries(walk: StepWalk, a: PdfValue | undefined, b: PdfValue | undefined, owner: number): number[] {
  const entriesBefore = walk.dictOn(walk.before, a);
  const entriesAfter = walk.dictOn(walk.after, b);
  if (!entriesBefore || !entriesAfter) return walk.loose(a, b, owner);
  const changed: number[] = [];
  for (const [key, value] of entriesBefore.map) changed.push(...walk.loose(value, entriesAfter.get(key), owner));
  if (changed.length === 0 && [...entriesBefore.map.keys()].some((key) => !entriesAfter.has(key))) changed.push(owner);
  return changed;
}

/**
 * Whether the new revision shows the value a filled field now holds
 * (ISO 32000-2 §12.7.4.3: the appearance stream is what viewers draw):
 * a text or choice field's new normal appearance draws the new value with
 * fonts the signed revision vouches for, and a button keeps its signed
 * appearance states and selects one of them (or Off).
 */
function showsNewValue(walk: StepWalk, fieldAfter: FieldNode): boolean {
  if (!fieldAfter.widget) return true; // a field without its own widget: its widgets are checked one by one
  const ft = fieldAfter.ft;
  if (ft === 'Btn') {
    const as = walk.comparator.resolve(walk.after, fieldAfter.dict.get('AS'));
    const states = appearanceStates(walk.after, fieldAfter.dict);
    if (!(as instanceof PdfName)) return states === null;
    return as.name === 'Off' || (states !== null && states.has(as.name));
  }
  if (ft !== 'Tx' && ft !== 'Ch') return false;
  const ap = walk.dictOn(walk.after, fieldAfter.dict.get('AP'));
  if (!ap) return false;
  const v = walk.comparator.resolve(walk.after, inherited(walk.afterStructure, fieldAfter, 'V'));
  const values = v === null ? [''] : v instanceof PdfString ? [decodeTextString(v)] : Array.isArray(v) ? v.map((x) => walk.comparator.resolve(walk.after, x)) : null;
  if (!values || !values.every((x): x is string | PdfString => typeof x === 'string' || x instanceof PdfString)) return false;
  const fieldFlags = walk.comparator.resolve(walk.after, inherited(walk.afterStructure, fieldAfter, 'Ff'));
  const flags = typeof fieldFlags === 'number' ? fieldFlags : 0;
  const password = ft === 'Tx' && (flags & TextFieldFlag.Password) !== 0;
  // A choice shows an option's display text, which /Opt may pair with the export value held in /V (§12.7.5.4).
  const display = ft === 'Ch' ? optionTexts(walk, fieldAfter) : new Map<string, string>();
  const texts = values.map((x) => (typeof x === 'string' ? x : decodeTextString(x))).map((t) => display.get(t) ?? t);
  const combo = ft === 'Ch' && (flags & ChoiceFieldFlag.Combo) !== 0;
  const fontsAfter = walk.dictOn(walk.after, walk.dictOn(walk.after, walk.afterStructure.acroform?.get('DR'))?.get('Font'));
  const fontsBefore = walk.dictOn(walk.before, walk.dictOn(walk.before, walk.beforeStructure.acroform?.get('DR'))?.get('Font'));
  // A text field or a combo box shows its value alone; a list box shows its other options too.
  return appearanceShowsValue(walk.after, ap.get('N'), password ? null : texts, ft === 'Tx' || combo, {
    fallback: (name) => fontsAfter?.get(name),
    trusted: (font) => {
      // Unchanged since the signed revision, the same as a font of the signed /DR, or one no file can alter.
      if (font instanceof PdfRef && walk.definedIn(walk.before, font.num) && walk.loose(font, font, font.num).length === 0) return true;
      if (fontsBefore) for (const signedFont of fontsBefore.map.values()) if (walk.loose(signedFont, font, -1).length === 0) return true;
      const fontDict = walk.dictOn(walk.after, font);
      return fontDict !== null && isPlainStandardFont(walk.after, fontDict);
    },
  });
}

/** Export value → display text of a choice field's /Opt pairs. */
function optionTexts(walk: StepWalk, fieldAfter: FieldNode): Map<string, string> {
  const out = new Map<string, string>();
  const opt = walk.comparator.resolve(walk.after, inherited(walk.afterStructure, fieldAfter, 'Opt'));
  if (!Array.isArray(opt)) return out;
  for (const o of opt.slice(0, 10_000)) {
    const pair = walk.comparator.resolve(walk.after, o);
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const [exported, display] = pair.map((x) => walk.comparator.resolve(walk.after, x));
    if (exported instanceof PdfString && display instanceof PdfString) out.set(decodeTextString(exported), decodeTextString(display));
  }
  return out;
}

/**
 * A field both revisions have: a signature field may only receive its value; another field may be filled
 * (offered to the policy) and gain locking flags; any other entry change is disallowed.
 */
function existingField(walk: StepWalk, fieldBefore: FieldNode, fieldAfter: FieldNode): void {
  const name = fieldAfter.name || `#${fieldAfter.num}`;
  const num = fieldAfter.num;
  if (fieldBefore.ft !== fieldAfter.ft || fieldBefore.name !== fieldAfter.name || fieldBefore.parent !== fieldAfter.parent) walk.changes.add('other', false, LABELS.formFieldChanged(name), [num]);
  const dictBefore = fieldBefore.dict;
  const dictAfter = fieldAfter.dict;
  if (fieldAfter.ft === 'Sig') {
    const had = walk.isSet(walk.before, inherited(walk.beforeStructure, fieldBefore, 'V'));
    const has = walk.isSet(walk.after, inherited(walk.afterStructure, fieldAfter, 'V'));
    const signing = !had && has;
    if (had && !has) walk.changes.add('other', false, LABELS.signatureRemoved(name), [num]);
    for (const key of keysOf(dictBefore, dictAfter)) {
      if (key === 'Kids' || key === 'Parent') continue;
      const a = dictBefore.get(key);
      const b = dictAfter.get(key);
      if (key === 'V') {
        if (!walk.isSet(walk.before, a) && walk.isSet(walk.after, b)) signatureValue(walk, fieldAfter, b!);
        else if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num) {
          // The signature dictionary is exempt elsewhere: compare it here, byte for byte.
          const differing = walk.strict(a, b, num, true);
          if (differing.length) walk.changes.add('object-redefined', false, LABELS.signatureDictChanged(name), differing);
        } else if (walk.isSet(walk.before, a)) {
          const differing = walk.strict(a, b, num);
          if (differing.length) walk.changes.add('other', false, LABELS.signatureValueReplaced(name), differing);
        }
        continue;
      }
      if ((key === 'AP' || key === 'AS') && signing) continue; // the appearance of the signature being added
      if (flagsExplained(walk, key, a, b)) continue;
      const differing = walk.strict(a, b, num);
      if (!differing.length) continue;
      if (key === 'AP' || key === 'AS') walk.changes.add('annotation-changed', false, LABELS.signatureAppearanceChanged(name), differing);
      else walk.changes.add('other', false, LABELS.signatureFieldChanged(name), differing);
    }
    return;
  }
  // Filling changes the value (/V, or /AS of a check box or radio button) and with it the appearance;
  // an appearance replaced while the value stays is a Shadow "replace", not form filling.
  const valueChanged = walk.loose(inherited(walk.beforeStructure, fieldBefore, 'V'), inherited(walk.afterStructure, fieldAfter, 'V'), num).length > 0
    || walk.loose(dictBefore.get('AS'), dictAfter.get('AS'), num).length > 0;
  const filled: number[] = [];
  // A button's appearance states stay as signed: filling selects one of them (§12.7.5.2.3).
  const newAppearance = valueChanged && fieldAfter.ft !== 'Btn';
  for (const key of keysOf(dictBefore, dictAfter)) {
    if (key === 'Kids' || key === 'Parent') continue;
    const a = dictBefore.get(key);
    const b = dictAfter.get(key);
    if (key === 'V' || key === 'AS' || (key === 'AP' && newAppearance)) {
      filled.push(...walk.loose(a, b, num));
      continue;
    }
    if (flagsExplained(walk, key, a, b)) continue;
    const differing = walk.strict(a, b, num);
    if (!differing.length) continue;
    if (key === 'AP') walk.changes.add('annotation-changed', false, valueChanged ? LABELS.formFilledNoAppearance(name) : LABELS.formAppearanceReplaced(name), differing);
    else if (key === 'DA' || key === 'Q') walk.changes.add('resources-changed', false, LABELS.formDefaultAppearance(name), differing);
    else walk.changes.add('other', false, LABELS.formFieldChanged(name), differing);
  }
  // A widget whose inherited value changed must show it, even when none of its own keys changed.
  const shows = !valueChanged || showsNewValue(walk, fieldAfter);
  if (!filled.length && !shows) walk.changes.add('form-filled', false, LABELS.formFilledNoAppearance(name), [num]);
  if (filled.length) {
    const allowed = walk.permitted({ type: 'form-field-filled', field: name, showsNewValue: shows });
    // A refusal names its likeliest reason: P=1, a FieldMDP lock, or an appearance that hides the new value.
    const label = allowed ? LABELS.formFilled(name)
      : walk.context.docMdp === 1 ? LABELS.formFilledP1(name)
      : fieldLocked(walk.context.fieldLocks, name) ? LABELS.formFilledLocked(name)
      : !shows ? LABELS.formFilledNoAppearance(name) : LABELS.formFilled(name);
    walk.changes.add('form-filled', allowed, label, filled);
  }
}

/**
 * Whether a change of an annotation's /F (§12.5.3) or a field's /Ff (§12.7.4.1) needs no report: the
 * same integer, or a change the policy permits (the flags a locking signature sets). Any other change of
 * these entries is compared like every other entry.
 */
function flagsExplained(walk: StepWalk, key: string, a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (key !== 'F' && key !== 'Ff') return false;
  const before = walk.comparator.resolve(walk.before, a) ?? 0;
  const after = walk.comparator.resolve(walk.after, b) ?? 0;
  if (typeof before !== 'number' || typeof after !== 'number' || !Number.isInteger(before) || !Number.isInteger(after)) return false;
  return before === after || walk.permitted({ type: 'flags-changed', entry: key, before, after });
}

/** Two optional byte strings alike (both absent, or the same bytes). */
function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : bytesEqual(a, b);
}
