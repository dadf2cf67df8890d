import type { ModificationPolicy } from './policy.js';

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

/** What the analysis of one revision step needs to know about the signature being checked. */
export interface StepContext {
  /** Index of the newer revision of the pair. */
  readonly revision: number;
  readonly docMdp: 1 | 2 | 3 | null;
  readonly fieldLocks: readonly FieldLockFact[];
  readonly laterSignatures: readonly LaterSignature[];
  /** Decides which of the changes found are allowed. */
  readonly policy: ModificationPolicy;
}
