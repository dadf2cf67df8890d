/**
 * The modification policy: which changes made after a signature are allowed.
 *
 * The revision walker (`classify-step.ts`) describes every change it finds as
 * a {@link ModificationSubject}; the policy asks its rules whether one of them
 * permits it. A change no rule permits is disallowed (reject by default), and
 * so is every change the walker does not describe as a subject at all: a
 * broken revision chain, a reused object, a rewritten or removed signature,
 * new pages, new content, and anything it does not recognise.
 *
 * The rules are grouped by the DocMDP level of the document's certification
 * signature (ISO 32000-2 §12.8.2.2: P=1, 2, 3, or none for a document with
 * only approval signatures); a change is judged only by the rules of the
 * level in force for the signature being checked. The shape follows
 * pyHanko's `DiffPolicy` made of `QualifiedWhitelistRule`s: each rule is one
 * permission, testable alone.
 *
 * @module
 */
import { kysoError } from '../../errors/index.js';
import type { FieldLockFact } from './step-context.js';

/** The DocMDP level in force for a signature: P of the certification signature (§12.8.2.2), or `null` without one. */
export type DocMdpLevel = 1 | 2 | 3 | null;

/**
 * A change the revision walker found, described for the rules. The walker
 * chooses the report's kind and label; the subject says what a rule needs to
 * decide.
 */
export type ModificationSubject =
  /** The trailer's document information dictionary (`/Info`, §14.3.3) changed. */
  | { readonly type: 'document-information-updated' }
  /** XMP metadata (the catalog's `/Metadata`, §14.3.2) changed. */
  | { readonly type: 'xmp-metadata-updated' }
  /** The catalog's `/DSS` (ETSI EN 319 142-1 §5.4) added or changed. */
  | { readonly type: 'dss-updated' }
  /** The catalog's `/Extensions` (§7.12) or `/Version` (§7.7.2) changed. */
  | { readonly type: 'extensions-or-version-updated' }
  /** The logical structure tree (`/StructTreeRoot`, §14.7) changed. */
  | { readonly type: 'structure-tree-updated' }
  /**
   * The form's default resources, appearance string or alignment (`/DR`, `/DA`, `/Q` of the AcroForm,
   * §12.7.4.3) changed; `needAppearances` is the new form's `/NeedAppearances`.
   */
  | { readonly type: 'form-defaults-updated'; readonly needAppearances: boolean }
  /**
   * A form field's value changed (`/V`, or `/AS` of a button); `showsNewValue` says whether its
   * widget's new appearance draws the new value (§12.7.4.3).
   */
  | { readonly type: 'form-field-filled'; readonly field: string; readonly showsNewValue: boolean }
  /** A new signature field without a value. */
  | { readonly type: 'empty-signature-field-added'; readonly field: string }
  /**
   * A signature value or a document timestamp set in a field, found by the verifier to cover its
   * revision; its field, widget and appearance come with it.
   */
  | { readonly type: 'signature-value-added'; readonly field: string; readonly documentTimestamp: boolean }
  /** A new form field that is not a signature field. */
  | { readonly type: 'form-field-added'; readonly field: string; readonly fieldType: string | null }
  /**
   * A non-widget annotation added, removed or changed on a page (1-based). `subtypes` holds its
   * `/Subtype` (both the old and the new one for a change); empty for annotations written inline in `/Annots`.
   */
  | { readonly type: 'annotation-added' | 'annotation-removed' | 'annotation-changed'; readonly page: number; readonly subtypes: readonly string[] }
  /**
   * An annotation's `/F` (§12.5.3) or a field's `/Ff` (§12.7.4.1) changed from one integer to another.
   * Permitted, the change is not reported at all; otherwise the entry is compared like any other.
   */
  | { readonly type: 'flags-changed'; readonly entry: 'F' | 'Ff'; readonly before: number; readonly after: number };

/** What a rule knows besides the change itself. */
export interface RuleContext {
  /** The DocMDP level in force for the signature being checked. */
  readonly docMdp: DocMdpLevel;
  /** FieldMDP locks (§12.8.2.4) of that signature and of the signatures before it. */
  readonly fieldLocks: readonly FieldLockFact[];
  /** Index of the revision that made the change. */
  readonly revision: number;
}

/**
 * One permission: says whether it explains a change. A rule never refuses;
 * a change no rule of the level in force permits is disallowed.
 *
 * @example
 * // Lets a workflow add the free-text field 'ghi_chu' after an approval signature.
 * const noteField: ModificationRule = {
 *   name: 'note-field',
 *   permits: (change) => change.type === 'form-field-added' && change.field === 'ghi_chu' && change.fieldType === 'Tx',
 * };
 * const report = await verify(pdf, { modificationPolicy: defaultModificationPolicy().with(noteField, [null]) });
 */
export interface ModificationRule {
  /** Stable name, unique within a level of a policy (used by {@link ModificationPolicy.without}). */
  readonly name: string;
  /**
   * Whether this rule permits the change. Must be a pure function of its arguments: the analysis may ask
   * before it knows whether an annotation really changed (the answer decides how it is compared), and it
   * caches verdicts per revision step.
   */
  permits(change: ModificationSubject, context: RuleContext): boolean;
}

/** The levels a rule may be added at; `null` is "no DocMDP" (approval signatures only). */
export const DOCMDP_LEVELS: readonly DocMdpLevel[] = [null, 1, 2, 3];

const levelKey = (level: DocMdpLevel): string => (level === null ? 'none' : `P${level}`);

let policies = 0;

/**
 * A set of {@link ModificationRule}s per DocMDP level. Immutable: {@link with}
 * and {@link without} return a new policy.
 */
export class ModificationPolicy {
  /** Distinguishes policies in the per-file cache of revision steps. */
  readonly id = ++policies;
  private readonly levels: ReadonlyMap<string, readonly ModificationRule[]>;

  /**
   * `rules` gives, for each level, the rules in force there; a level left out has none (everything refused).
   * @throws ERR_INVALID_ARGUMENT when a level names two rules alike.
   */
  constructor(rules: { readonly none?: readonly ModificationRule[]; readonly P1?: readonly ModificationRule[]; readonly P2?: readonly ModificationRule[]; readonly P3?: readonly ModificationRule[] }) {
    const levels = new Map<string, readonly ModificationRule[]>();
    for (const level of DOCMDP_LEVELS) {
      const list = rules[levelKey(level) as keyof typeof rules] ?? [];
      const names = new Set<string>();
      for (const rule of list) {
        if (names.has(rule.name)) throw kysoError('ERR_INVALID_ARGUMENT', `modification rule '${rule.name}' given twice for ${levelKey(level)}`);
        names.add(rule.name);
      }
      levels.set(levelKey(level), Object.freeze([...list]));
    }
    this.levels = levels;
  }

  /** The same rules at every level. */
  static uniform(rules: readonly ModificationRule[]): ModificationPolicy {
    return new ModificationPolicy({ none: rules, P1: rules, P2: rules, P3: rules });
  }

  /** The rules in force at `level`. */
  rulesAt(level: DocMdpLevel): readonly ModificationRule[] {
    return this.levels.get(levelKey(level)) ?? [];
  }

  /** This policy plus `rule` at the given levels (default: all four). */
  with(rule: ModificationRule, levels: readonly DocMdpLevel[] = DOCMDP_LEVELS): ModificationPolicy {
    return this.rebuild((level, list) => (levels.includes(level) ? [...list, rule] : list));
  }

  /** This policy without the rule named `name`, at every level. */
  without(name: string): ModificationPolicy {
    return this.rebuild((_level, list) => list.filter((r) => r.name !== name));
  }

  /** Whether a rule in force at the context's level permits the change. */
  permits(change: ModificationSubject, context: RuleContext): boolean {
    return this.rulesAt(context.docMdp).some((rule) => rule.permits(change, context));
  }

  private rebuild(edit: (level: DocMdpLevel, list: readonly ModificationRule[]) => readonly ModificationRule[]): ModificationPolicy {
    return new ModificationPolicy({
      none: edit(null, this.rulesAt(null)),
      P1: edit(1, this.rulesAt(1)),
      P2: edit(2, this.rulesAt(2)),
      P3: edit(3, this.rulesAt(3)),
    });
  }
}

/**
 * Whether the FieldMDP locks (§12.8.2.4, Table 259) lock the field named
 * `field`: `All` locks every field, `Include` the listed ones, `Exclude` all
 * but the listed ones.
 */
export function fieldLocked(locks: readonly FieldLockFact[], field: string): boolean {
  return locks.some((lock) =>
    lock.action === 'All' || (lock.action === 'Include' && lock.fields.includes(field)) || (lock.action === 'Exclude' && !lock.fields.includes(field)));
}
