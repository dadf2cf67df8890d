import { describe, expect, it } from 'vitest';
import {
  AnnotationFlag, annotationRule, defaultModificationPolicy, documentInformationRule, documentTimestampRule, dssRule, emptySignatureFieldRule,
  extensionsAndVersionRule, FieldFlag, MODIFICATION_RULES, fieldLockFlagsRule, fieldLocked, formDefaultsRule, formFillingRule, ModificationPolicy, signatureRule,
  structureTreeRule, xmpMetadataRule, type DocMdpLevel, type ModificationRule, type ModificationSubject, type RuleContext,
} from '../../../src/verify/modifications/index.js';

const open: RuleContext = { docMdp: null, fieldLocks: [], revision: 1 };
const lockedField = (field: string): RuleContext => ({ ...open, fieldLocks: [{ action: 'Include', fields: [field] }] });

/** One subject of every type, so each rule can be shown to ignore the others. */
const EVERY_SUBJECT: readonly ModificationSubject[] = [
  { type: 'document-information-updated' },
  { type: 'xmp-metadata-updated' },
  { type: 'dss-updated' },
  { type: 'extensions-or-version-updated' },
  { type: 'structure-tree-updated' },
  { type: 'form-defaults-updated', needAppearances: false },
  { type: 'form-field-filled', field: 'so_van_ban', showsNewValue: true },
  { type: 'empty-signature-field-added', field: 'Sig2' },
  { type: 'signature-value-added', field: 'Sig2', documentTimestamp: false },
  { type: 'signature-value-added', field: 'TS1', documentTimestamp: true },
  { type: 'form-field-added', field: 'ghi_chu', fieldType: 'Tx' },
  { type: 'annotation-added', page: 1, subtypes: ['Text'] },
  { type: 'annotation-removed', page: 1, subtypes: ['Square'] },
  { type: 'annotation-changed', page: 1, subtypes: [] },
  { type: 'flags-changed', entry: 'F', before: AnnotationFlag.Print, after: AnnotationFlag.Print | AnnotationFlag.Locked },
];

/** The subjects of EVERY_SUBJECT the rule permits in the open context. */
const permittedBy = (rule: ModificationRule) => EVERY_SUBJECT.filter((s) => rule.permits(s, open));

describe('each rule alone permits its own change and nothing else', () => {
  const single: [ModificationRule, ModificationSubject['type']][] = [
    [documentInformationRule, 'document-information-updated'],
    [xmpMetadataRule, 'xmp-metadata-updated'],
    [dssRule, 'dss-updated'],
    [extensionsAndVersionRule, 'extensions-or-version-updated'],
    [structureTreeRule, 'structure-tree-updated'],
    [formDefaultsRule, 'form-defaults-updated'],
    [formFillingRule, 'form-field-filled'],
    [emptySignatureFieldRule, 'empty-signature-field-added'],
    [fieldLockFlagsRule, 'flags-changed'],
  ];
  it.each(single.map(([rule, type]) => ({ name: rule.name, rule, type })))('$name permits only $type', ({ rule, type }) => {
    expect(permittedBy(rule).map((s) => s.type)).toEqual([type]);
  });

  it('signature permits a signature value, not a document timestamp; document-timestamp the reverse', () => {
    expect(permittedBy(signatureRule)).toEqual([{ type: 'signature-value-added', field: 'Sig2', documentTimestamp: false }]);
    expect(permittedBy(documentTimestampRule)).toEqual([{ type: 'signature-value-added', field: 'TS1', documentTimestamp: true }]);
  });

  it('annotations (any subtype) permits the three annotation changes, inline ones included', () => {
    expect(permittedBy(annotationRule()).map((s) => s.type)).toEqual(['annotation-added', 'annotation-removed', 'annotation-changed']);
  });
});

describe('near misses each rule refuses', () => {
  it('form defaults: not with /NeedAppearances true (every field is then drawn from them, §12.7.4.3)', () => {
    expect(formDefaultsRule.permits({ type: 'form-defaults-updated', needAppearances: true }, open)).toBe(false);
  });

  it('form filling: not when the new appearance does not show the value, nor in a locked field', () => {
    expect(formFillingRule.permits({ type: 'form-field-filled', field: 'so_van_ban', showsNewValue: false }, open)).toBe(false);
    expect(formFillingRule.permits({ type: 'form-field-filled', field: 'so_van_ban', showsNewValue: true }, lockedField('so_van_ban'))).toBe(false);
    expect(formFillingRule.permits({ type: 'form-field-filled', field: 'ngay', showsNewValue: true }, lockedField('so_van_ban'))).toBe(true);
  });

  it('signature and document timestamp: not in a field a FieldMDP lock covers', () => {
    const locked = lockedField('Sig2');
    expect(signatureRule.permits({ type: 'signature-value-added', field: 'Sig2', documentTimestamp: false }, locked)).toBe(false);
    expect(documentTimestampRule.permits({ type: 'signature-value-added', field: 'Sig2', documentTimestamp: true }, locked)).toBe(false);
  });

  it('field lock flags: adding Hidden or NoView, or removing Print, is not locking', () => {
    const flags = (entry: 'F' | 'Ff', before: number, after: number): ModificationSubject => ({ type: 'flags-changed', entry, before, after });
    const { Print, ReadOnly, Locked, LockedContents, Hidden, NoView } = AnnotationFlag;
    expect(fieldLockFlagsRule.permits(flags('F', Print, Print | ReadOnly | Locked | LockedContents), open)).toBe(true);
    expect(fieldLockFlagsRule.permits(flags('F', Print, Print | Hidden), open)).toBe(false);
    expect(fieldLockFlagsRule.permits(flags('F', Print, Print | NoView), open)).toBe(false);
    expect(fieldLockFlagsRule.permits(flags('F', Print | Locked, Locked), open)).toBe(false);
    expect(fieldLockFlagsRule.permits(flags('Ff', 0, FieldFlag.ReadOnly), open)).toBe(true);
    // Bit 2 of a field's /Ff is Required (§12.7.4.1): not a lock.
    expect(fieldLockFlagsRule.permits(flags('Ff', 0, 2), open)).toBe(false);
  });

  it('annotations of listed types: another subtype, a subtype change to one not listed, or an inline annotation is refused', () => {
    const notes = annotationRule({ subtypes: ['Text'] });
    expect(notes.permits({ type: 'annotation-added', page: 1, subtypes: ['Text'] }, open)).toBe(true);
    expect(notes.permits({ type: 'annotation-added', page: 1, subtypes: ['FreeText'] }, open)).toBe(false);
    expect(notes.permits({ type: 'annotation-changed', page: 1, subtypes: ['Text', 'Square'] }, open)).toBe(false);
    expect(notes.permits({ type: 'annotation-changed', page: 1, subtypes: [] }, open)).toBe(false);
    expect(notes.name).toBe('annotations:Text');
  });

  it('fieldLocked reads All, Include and Exclude (§12.8.2.4)', () => {
    expect(fieldLocked([{ action: 'All', fields: [] }], 'x')).toBe(true);
    expect(fieldLocked([{ action: 'Include', fields: ['a'] }], 'x')).toBe(false);
    expect(fieldLocked([{ action: 'Exclude', fields: ['a'] }], 'x')).toBe(true);
    expect(fieldLocked([{ action: 'Exclude', fields: ['x'] }], 'x')).toBe(false);
    expect(fieldLocked([], 'x')).toBe(false);
  });
});

describe('the default policy, composed by DocMDP level (§12.8.2.2.2)', () => {
  const policy = defaultModificationPolicy();
  const names = (level: DocMdpLevel) => policy.rulesAt(level).map((r) => r.name);
  const P1 = ['document-information', 'dss', 'extensions-and-version', 'form-defaults', 'document-timestamp', 'field-lock-flags'];
  const P2 = [...P1, 'xmp-metadata', 'structure-tree', 'form-filling', 'empty-signature-field', 'signature'];

  it('P=1 allows only what no page shows and long-term validation data; P=2 and no DocMDP add filling and signing; P=3 adds annotations', () => {
    expect(names(1)).toEqual(P1);
    expect(names(2)).toEqual(P2);
    expect(names(null)).toEqual(P2);
    expect(names(3)).toEqual([...P2, 'annotations']);
  });

  it('judges each change by the rules of the level in force', () => {
    const verdicts = (change: ModificationSubject) => ([null, 1, 2, 3] as const).map((docMdp) => policy.permits(change, { ...open, docMdp }));
    expect(verdicts({ type: 'dss-updated' })).toEqual([true, true, true, true]);
    expect(verdicts({ type: 'signature-value-added', field: 'TS1', documentTimestamp: true })).toEqual([true, true, true, true]);
    expect(verdicts({ type: 'signature-value-added', field: 'Sig2', documentTimestamp: false })).toEqual([true, false, true, true]);
    expect(verdicts({ type: 'form-field-filled', field: 'so_van_ban', showsNewValue: true })).toEqual([true, false, true, true]);
    expect(verdicts({ type: 'xmp-metadata-updated' })).toEqual([true, false, true, true]);
    expect(verdicts({ type: 'annotation-added', page: 1, subtypes: ['Text'] })).toEqual([false, false, false, true]);
  });

  it('reject by default: a change no rule names is refused at every level', () => {
    const added: ModificationSubject = { type: 'form-field-added', field: 'ghi_chu', fieldType: 'Tx' };
    expect(([null, 1, 2, 3] as const).map((docMdp) => policy.permits(added, { ...open, docMdp }))).toEqual([false, false, false, false]);
    expect(new ModificationPolicy({}).permits({ type: 'dss-updated' }, open)).toBe(false);
  });
});

describe('composing a policy', () => {
  const noteField: ModificationRule = {
    name: 'note-field',
    permits: (change) => change.type === 'form-field-added' && change.field === 'ghi_chu' && change.fieldType === 'Tx',
  };
  const added: ModificationSubject = { type: 'form-field-added', field: 'ghi_chu', fieldType: 'Tx' };

  it('with() adds a rule at the levels given and leaves the original policy as it was', () => {
    const base = defaultModificationPolicy();
    const extended = base.with(noteField, [null, 2]);
    expect([null, 1, 2, 3].map((docMdp) => extended.permits(added, { ...open, docMdp: docMdp as DocMdpLevel }))).toEqual([true, false, true, false]);
    expect(base.permits(added, open)).toBe(false);
    expect(extended.permits({ type: 'form-field-added', field: 'ghi_chu', fieldType: 'Btn' }, open)).toBe(false);
    expect(base.with(noteField).rulesAt(1).map((r) => r.name)).toContain('note-field');
  });

  it('without() removes a rule by name at every level', () => {
    const noTimestamps = defaultModificationPolicy().without('document-timestamp');
    expect(noTimestamps.permits({ type: 'signature-value-added', field: 'TS1', documentTimestamp: true }, { ...open, docMdp: 1 })).toBe(false);
    expect(noTimestamps.permits({ type: 'dss-updated' }, { ...open, docMdp: 1 })).toBe(true);
  });

  it('refuses the same rule name twice in a level', () => {
    expect(() => defaultModificationPolicy().with(dssRule)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('MODIFICATION_RULES names the eleven built-in rule objects the default policy is made of', () => {
    const builtIn = new Set(Object.values(MODIFICATION_RULES));
    expect(builtIn.size).toBe(11);
    const inDefault = new Set(([null, 1, 2, 3] as const).flatMap((level) => defaultModificationPolicy().rulesAt(level)));
    expect([...inDefault].filter((rule) => !builtIn.has(rule)).map((rule) => rule.name)).toEqual(['annotations']);
    expect([...builtIn].every((rule) => inDefault.has(rule))).toBe(true);
  });

  it('uniform() puts the same rules at every level', () => {
    const onlyDss = ModificationPolicy.uniform([dssRule]);
    expect([null, 1, 2, 3].map((docMdp) => onlyDss.rulesAt(docMdp as DocMdpLevel).map((r) => r.name))).toEqual([['dss'], ['dss'], ['dss'], ['dss']]);
  });
});
