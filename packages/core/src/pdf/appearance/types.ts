/**
 * Decree 30/2020 Appendix I roles (see docs/decree-30.md):
 * - `approve`: the leader's signature (blue signature image, optional text lines);
 * - `issue`: the agency's seal (red seal image at real size over the left third of the leader's signature);
 * - `appendix` / `copy`: no image; 10 pt black text at the top right of page 1;
 * - `comment`: an opinion on a document;
 * - `custom`: the caller's image and text template.
 */
export type SignatureRole = 'approve' | 'issue' | 'appendix' | 'copy' | 'comment' | 'custom';

/** An image for an appearance. PNG (alpha kept as /SMask) or JPEG. */
export interface AppearanceImage {
  readonly bytes: Uint8Array;
  /** Physical width in millimetres (for a seal "at its real size"); default from the PNG pHYs or the box. */
  readonly widthMm?: number;
}

/** Electronic copy forms (Decree 30/2020 Appendix I Part II). */
export type CopyForm = 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';

/** What the signature looks like on the page. */
export interface AppearanceOptions {
  readonly role: SignatureRole;
  readonly image?: AppearanceImage;
  /** Explicit text lines; when absent, the role's default lines are built from the fields below. */
  readonly lines?: readonly string[];
  /** Show the default text lines for `approve` / `comment` (signer, organisation, time). Default true when there is no image. */
  readonly showText?: boolean;
  readonly signerName?: string;
  readonly organization?: string;
  /** Document number and symbol (số và ký hiệu), e.g. `15/QĐ-UBND`, for `appendix`. */
  readonly docNumber?: string;
  /** For `copy`. */
  readonly copyForm?: CopyForm;
  /** A TrueType font with Vietnamese coverage; default DejaVu Sans. */
  readonly font?: Uint8Array;
  /** Points; default 10 for appendix/copy, else fitted to the box. */
  readonly fontSize?: number;
  /** Language of labels such as "Ký bởi" / "Signed by"; default `vi`. */
  readonly lang?: 'vi' | 'en';
  /** For `custom`: a template with `{signer}`, `{organization}`, `{time}`, `{reason}`, `{location}`, `{docNumber}`. */
  readonly template?: string;
}

/** Size of the widget rectangle as the reader sees it (after the page's `/Rotate`), in points. */
export interface AppearanceBox {
  readonly width: number;
  readonly height: number;
}

/** A page's `/Rotate` (ISO 32000-2 §7.7.3.3, Table 31), normalised to 0–359. */
export type PageRotation = 0 | 90 | 180 | 270;

/** What {@link AppearanceOptions} are combined with when an appearance is built. */
export type BuildAppearanceInput = AppearanceOptions & {
  readonly signingTime: Date;
  readonly signerName: string;
  readonly organization?: string;
  readonly reason?: string;
  readonly location?: string;
};

/** The objects of a built appearance, ready to be appended by the incremental writer. */
export interface BuiltAppearance {
  /** Indirect objects to append: bodies only, the bytes between `N 0 obj\n` and `\nendobj`. Numbers are contiguous. */
  objects: { num: number; body: Uint8Array }[];
  /** Object number of the form XObject to use as the widget's `/AP /N`. */
  xobject: number;
  /** First unused object number after these objects. */
  nextObjectNumber: number;
  /** The NFC text lines drawn. */
  text: string[];
}
