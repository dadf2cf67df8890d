/**
 * The permissions kyso grants, one {@link ModificationRule} each, and the
 * default policy composed from them by DocMDP level (ISO 32000-2 §12.8.2.2.2,
 * Table 257; ETSI EN 319 142-1 §5.4).
 *
 * @module
 */
import { LOCKING_ANNOTATION_FLAGS, LOCKING_FIELD_FLAGS } from './flags.js';
import { fieldLocked, ModificationPolicy, type ModificationRule } from './policy.js';

/** The document information dictionary (`/Info`, §14.3.3): signers update the producer and dates; it is not rendered. */
export const documentInformationRule: ModificationRule = {
  name: 'document-information',
  permits: (change) => change.type === 'document-information-updated',
};

/** XMP metadata (§14.3.2): not rendered; signers update it with the modification date. */
export const xmpMetadataRule: ModificationRule = {
  name: 'xmp-metadata',
  permits: (change) => change.type === 'xmp-metadata-updated',
};

/** Validation data in `/DSS`: may follow any signature, DocMDP notwithstanding (ETSI EN 319 142-1 §5.4). */
export const dssRule: ModificationRule = {
  name: 'dss',
  permits: (change) => change.type === 'dss-updated',
};

/** The catalog's `/Extensions` (§7.12) and `/Version`: the PAdES extension level a signer declares; nothing is rendered. */
export const extensionsAndVersionRule: ModificationRule = {
  name: 'extensions-and-version',
  permits: (change) => change.type === 'extensions-or-version-updated',
};

/** The logical structure tree (§14.7): not rendered; signers of tagged files register their widgets in it. */
export const structureTreeRule: ModificationRule = {
  name: 'structure-tree',
  permits: (change) => change.type === 'structure-tree-updated',
};

/**
 * The form's `/DR`, `/DA` and `/Q` (§12.7.4.3): they feed only appearances viewers generate, and signers add
 * their fonts there. With `/NeedAppearances` true every field is drawn from them, so a change there is refused;
 * a change that alters how a field without its own appearance is drawn is refused by the analysis itself.
 */
export const formDefaultsRule: ModificationRule = {
  name: 'form-defaults',
  permits: (change) => change.type === 'form-defaults-updated' && !change.needAppearances,
};

/**
 * Filling in a form field (§12.8.2.2.2: P=2 and P=3; an approval signature is read the same way): allowed
 * when no FieldMDP lock (§12.8.2.4) covers the field and its new appearance shows the new value.
 */
export const formFillingRule: ModificationRule = {
  name: 'form-filling',
  permits: (change, context) => change.type === 'form-field-filled' && change.showsNewValue && !fieldLocked(context.fieldLocks, change.field),
};

/** A new, empty signature field (§12.8.2.2.2: creating signature fields is part of signing at P=2 and P=3). */
export const emptySignatureFieldRule: ModificationRule = {
  name: 'empty-signature-field',
  permits: (change) => change.type === 'empty-signature-field-added',
};

/**
 * A signature value in a field no FieldMDP lock covers, with its field, widget and appearance
 * (§12.8.2.2.2: P=2 and P=3 allow signing). Not document timestamps (see {@link documentTimestampRule}).
 */
export const signatureRule: ModificationRule = {
  name: 'signature',
  permits: (change, context) => change.type === 'signature-value-added' && !change.documentTimestamp && !fieldLocked(context.fieldLocks, change.field),
};

/** A document timestamp in a field no FieldMDP lock covers: may follow any signature, P=1 included (ETSI EN 319 142-1 §5.4). */
export const documentTimestampRule: ModificationRule = {
  name: 'document-timestamp',
  permits: (change, context) => change.type === 'signature-value-added' && change.documentTimestamp && !fieldLocked(context.fieldLocks, change.field),
};

/**
 * The flags a locking signature sets (§12.8.2.4): an annotation's Print, ReadOnly, Locked and LockedContents
 * (§12.5.3, Table 167) and a field's ReadOnly (§12.7.4.1), added and nothing removed. They only lock more.
 */
export const fieldLockFlagsRule: ModificationRule = {
  name: 'field-lock-flags',
  permits: (change) => {
    if (change.type !== 'flags-changed') return false;
    const added = change.after & ~change.before;
    const removed = change.before & ~change.after;
    const locking = change.entry === 'F' ? LOCKING_ANNOTATION_FLAGS : LOCKING_FIELD_FLAGS;
    return removed === 0 && (added & ~locking) === 0;
  },
};

/** Options of {@link annotationRule}. */
export interface AnnotationRuleOptions {
  /**
   * Annotation subtypes (§12.5.6, e.g. `Text`, `Highlight`, `FreeText`) the rule permits. Default: every
   * subtype but `Widget` (widgets are form fields and are never judged by this rule).
   */
  readonly subtypes?: readonly string[];
}

/**
 * Creating, changing and deleting annotations other than widgets (§12.8.2.2.2: P=3 only; an "Evil
 * Annotation" otherwise). With `subtypes`, only annotations whose subtypes are all listed; annotations
 * written inline in `/Annots` (no subtype read) are then refused.
 *
 * @example
 * // Sticky notes after approval signatures.
 * defaultModificationPolicy().with(annotationRule({ subtypes: ['Text'] }), [null]);
 */
export function annotationRule(options: AnnotationRuleOptions = {}): ModificationRule {
  const listed = options.subtypes ? new Set(options.subtypes) : null;
  return {
    name: listed ? `annotations:${[...listed].sort().join(',')}` : 'annotations',
    permits: (change) => {
      if (change.type !== 'annotation-added' && change.type !== 'annotation-removed' && change.type !== 'annotation-changed') return false;
      return listed === null || (change.subtypes.length > 0 && change.subtypes.every((subtype) => listed.has(subtype)));
    },
  };
}

/**
 * The built-in rules by name, for composing a policy of one's own (e.g.
 * `ModificationPolicy.uniform([MODIFICATION_RULES.signature, MODIFICATION_RULES.dss])`).
 */
export const MODIFICATION_RULES = Object.freeze({
  documentInformation: documentInformationRule,
  xmpMetadata: xmpMetadataRule,
  dss: dssRule,
  extensionsAndVersion: extensionsAndVersionRule,
  structureTree: structureTreeRule,
  formDefaults: formDefaultsRule,
  formFilling: formFillingRule,
  emptySignatureField: emptySignatureFieldRule,
  signature: signatureRule,
  documentTimestamp: documentTimestampRule,
  fieldLockFlags: fieldLockFlagsRule,
});

/**
 * What P=1 permits (§12.8.2.2.2 Table 257: "no changes"), besides what no page shows and what long-term
 * validation needs (ETSI EN 319 142-1 §5.4): Info, /DSS, the extension level, the form's default resources,
 * document timestamps, and the flags a locking signature sets.
 */
const P1_RULES: readonly ModificationRule[] = [
  documentInformationRule, dssRule, extensionsAndVersionRule, formDefaultsRule, documentTimestampRule, fieldLockFlagsRule,
];

/** P=2 (and an approval signature with no certification): also XMP, the structure tree, form filling and signing. */
const P2_RULES: readonly ModificationRule[] = [
  ...P1_RULES, xmpMetadataRule, structureTreeRule, formFillingRule, emptySignatureFieldRule, signatureRule,
];

/** P=3: also creating, changing and deleting non-widget annotations. */
const P3_RULES: readonly ModificationRule[] = [...P2_RULES, annotationRule()];

const DEFAULT_POLICY = new ModificationPolicy({ none: P2_RULES, P1: P1_RULES, P2: P2_RULES, P3: P3_RULES });

/**
 * kyso's default modification policy: P=1 allows only what no page shows and
 * long-term validation data; P=2 and no DocMDP add form filling and signing;
 * P=3 adds non-widget annotations. Everything no rule permits is disallowed.
 * Extend it with {@link ModificationPolicy.with} and pass it as
 * `modificationPolicy` to `verify` or `gatherFacts`.
 *
 * @example
 * const policy = defaultModificationPolicy().with(annotationRule({ subtypes: ['Text'] }), [null, 2]);
 * const report = await verify(pdf, { modificationPolicy: policy });
 */
export function defaultModificationPolicy(): ModificationPolicy {
  return DEFAULT_POLICY;
}
