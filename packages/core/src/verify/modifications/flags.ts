/**
 * The integer flags the modification analysis reads, named after the
 * clauses of ISO 32000-2 that define them (bit n of the spec is `1 << (n - 1)`).
 *
 * @module
 */

/** Annotation flags, the `/F` entry of an annotation (§12.5.3, Table 167). */
export const AnnotationFlag = {
  /** Bit 2: not displayed or printed, no interaction. */
  Hidden: 1 << 1,
  /** Bit 3: printed when the page is printed. */
  Print: 1 << 2,
  /** Bit 6: not displayed on screen (may still print). */
  NoView: 1 << 5,
  /** Bit 7: no interaction with the user. */
  ReadOnly: 1 << 6,
  /** Bit 8: may not be deleted or have its properties changed. */
  Locked: 1 << 7,
  /** Bit 10: its contents may not be changed. */
  LockedContents: 1 << 9,
} as const;

/** Field flags common to all field types, the `/Ff` entry of a field (§12.7.4.1). */
export const FieldFlag = {
  /** Bit 1: the user may not change the value. */
  ReadOnly: 1 << 0,
} as const;

/** Field flags specific to text fields (§12.7.5.3). */
export const TextFieldFlag = {
  /** Bit 14: the value is shown masked (asterisks), never as text. */
  Password: 1 << 13,
} as const;

/** Field flags specific to choice fields (§12.7.5.4). */
export const ChoiceFieldFlag = {
  /** Bit 18: a combo box (one value shown) rather than a list box. */
  Combo: 1 << 17,
} as const;

/** Annotation flags that make a widget paint nothing on screen: Hidden, NoView. */
export const INVISIBLE_ANNOTATION_FLAGS = AnnotationFlag.Hidden | AnnotationFlag.NoView;

/**
 * Annotation flags a locking signature may set, since they only lock more:
 * Print, ReadOnly, Locked, LockedContents.
 */
export const LOCKING_ANNOTATION_FLAGS = AnnotationFlag.Print | AnnotationFlag.ReadOnly | AnnotationFlag.Locked | AnnotationFlag.LockedContents;

/** Field flags a locking signature may set: ReadOnly (§12.8.2.4: a FieldMDP lock makes fields read-only). */
export const LOCKING_FIELD_FLAGS = FieldFlag.ReadOnly;
