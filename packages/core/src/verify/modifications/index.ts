import type { ByteSource } from '../../pdf/byte-source.js';
import type { PdfDocument } from '../../pdf/document.js';
import { openingsFor, type DocumentOpenings } from '../structure/openings.js';
import type { ModificationChange, ModificationFacts, RevisionFacts } from '../facts.js';
import { Budget, LimitReached, type ModificationLimits } from './budget.js';
import { LABELS } from './labels.js';
import { analyseStep } from './classify-step.js';
import { defaultModificationPolicy } from './permissions.js';
import type { ModificationPolicy } from './policy.js';
import type { FieldLockFact, LaterSignature, StepContext } from './step-context.js';
import { trailingChange } from './trailing.js';

export type { ModificationLimits } from './budget.js';
export type { FieldLockFact, LaterSignature } from './step-context.js';
export { LABELS } from './labels.js';
export { ModificationPolicy, fieldLocked, DOCMDP_LEVELS, type DocMdpLevel, type ModificationRule, type ModificationSubject, type RuleContext } from './policy.js';
export * from './permissions.js';
export { AnnotationFlag, FieldFlag, TextFieldFlag, ChoiceFieldFlag } from './flags.js';

/** The signature whose later modifications are analysed. */
export interface SignedRevision {
  /** Index (into `revisions`) of the revision the signature covers. */
  readonly revision: number;
  /** Object number of its signature dictionary. */
  readonly object: number;
  readonly field: string | null;
}

/** What decides which changes are allowed. */
export interface ModificationContext {
  /** DocMDP P of the document's certification signature, if any (ISO 32000-2 §12.8.2.2). */
  readonly docMdp: 1 | 2 | 3 | null;
  /** FieldMDP locks that apply to the signature (§12.8.2.4). */
  readonly fieldLocks: readonly FieldLockFact[];
  /** Signatures and document timestamps whose values later revisions added (as the verifier found them). */
  readonly laterSignatures: readonly LaterSignature[];
  /** Password of an encrypted document. */
  readonly password?: string;
  readonly limits?: ModificationLimits;
  /** Which changes are allowed; default {@link defaultModificationPolicy}. */
  readonly policy?: ModificationPolicy;
  /**
   * Shared by the calls for the signatures of one file: a revision step is
   * analysed once per distinct rule context and policy instead of once per signature.
   */
  readonly cache?: ModificationCache;
}

/** Results of revision steps, for the signatures of one file (see {@link createModificationCache}). */
export interface ModificationCache {
  readonly steps: Map<string, readonly ModificationChange[]>;
  /** The file's revisions as opened once for the whole verification, when it shares them (used for the same source and password only). */
  readonly documents?: DocumentOpenings;
}

/**
 * A cache for the {@link analyseModifications} calls over one file's
 * signatures (never across files); `documents`, when given, are the
 * revisions the verification already opened.
 */
export function createModificationCache(documents?: DocumentOpenings): ModificationCache {
  return documents ? { steps: new Map(), documents } : { steps: new Map() };
}


/**
 * Says what changed after a signature: compares the document as of the
 * signed revision with each later revision in turn, object by object, and
 * classifies every change as allowed or not (ISO 32000-2 §12.8.2.2 DocMDP,
 * §12.8.2.4 FieldMDP, ETSI EN 319 142-1 §5.4 for DSS and document timestamps).
 *
 * Which changes are allowed is the `policy`'s decision ({@link ModificationPolicy},
 * default {@link defaultModificationPolicy}). By default, allowed after an
 * approval signature and after a P=2 certification: new signature fields and
 * values, filling unlocked empty signature fields, document timestamps, /DSS,
 * Info and XMP updates, filling unlocked form fields. P=3 adds creating,
 * changing and deleting non-widget annotations. P=1 allows only /DSS,
 * document timestamps and Info. Everything else is disallowed, including
 * anything no rule permits and anything the analysis does not recognise.
 *
 * Bytes after the last revision that hold an object definition, a
 * cross-reference section, a trailer or a `startxref` (what a reader that
 * reconstructs the file would use) are a disallowed change; white space, NULs
 * and comments there are not a change.
 *
 * Verdict: 'none' when no revision follows the signed one; otherwise
 * 'disallowed' if any change is, else 'allowed'. A later revision that cannot
 * be read or analysed within the limits is a disallowed change.
 *
 * @example
 * const facts = analyseModifications(source, revisions, { revision: 0, object: 12, field: 'Sig1' },
 *   { docMdp: null, fieldLocks: [], laterSignatures: [] });
 */
export function analyseModifications(
  source: ByteSource,
  revisions: readonly RevisionFacts[],
  signed: SignedRevision,
  context: ModificationContext,
): ModificationFacts {
  const later = revisions.filter((r) => r.index > signed.revision).sort((a, b) => a.index - b.index);
  // Bytes after the last revision that a reconstructing reader would use are a change no revision declares.
  const tail = trailingOf(source, revisions, context.cache);
  if (!later.length) return tail ? { verdict: 'disallowed', changes: [tail] } : { verdict: 'none', changes: [] };
  const changes: ModificationChange[] = [];
  const budget = new Budget(context.limits);
  const policy = context.policy ?? defaultModificationPolicy();
  const documents = openingsFor(source, context.password, context.cache?.documents);
  const open = (end: number) => documents.at(end);
  const base = revisions.find((r) => r.index === signed.revision);
  let prev: PdfDocument | null = null;
  let prevEnd = base?.end ?? -1;
  try {
    if (base) prev = open(base.end);
  } catch {
    prev = null;
  }
  if (!prev) {
    changes.push(other(signed.revision, LABELS.unreadable(signed.revision)));
    return { verdict: 'disallowed', changes };
  }
  for (const r of later) {
    let cur: PdfDocument;
    try {
      cur = open(r.end);
    } catch {
      changes.push(other(r.index, LABELS.unreadable(r.index)));
      continue;
    }
    budget.resetObjects();
    // Only the signatures added in this very revision matter to this step.
    const stepContext: StepContext = {
      revision: r.index,
      docMdp: context.docMdp,
      fieldLocks: context.fieldLocks,
      laterSignatures: context.laterSignatures.filter((s) => s.revision === r.index),
      policy,
    };
    const key = JSON.stringify([prevEnd, r.end, stepContext.revision, stepContext.docMdp, stepContext.fieldLocks, stepContext.laterSignatures, policy.id]);
    const cached = context.cache?.steps.get(key);
    if (cached) {
      changes.push(...cached);
      prev = cur;
      prevEnd = r.end;
      continue;
    }
    try {
      const found = analyseStep(prev, cur, stepContext, budget);
      context.cache?.steps.set(key, found);
      changes.push(...found);
    } catch (e) {
      changes.push(other(r.index, e instanceof LimitReached ? LABELS.limit(r.index) : LABELS.unanalysable(r.index)));
      if (e instanceof LimitReached && e.what === 'time') break;
    }
    prev = cur;
    prevEnd = r.end;
  }
  if (tail) changes.push(tail);
  return { verdict: changes.some((c) => !c.allowed) ? 'disallowed' : 'allowed', changes };
}

/** The trailing-bytes change of the file, computed once per file when a cache is shared. */
function trailingOf(source: ByteSource, revisions: readonly RevisionFacts[], cache: ModificationCache | undefined): ModificationChange | null {
  const key = 'trailing';
  const cached = cache?.steps.get(key);
  if (cached) return cached[0] ?? null;
  const change = trailingChange(source, revisions);
  cache?.steps.set(key, change ? [change] : []);
  return change;
}

function other(revision: number, label: { vi: string; en: string }): ModificationChange {
  return { revision, kind: 'other', allowed: false, label, objects: [] };
}
