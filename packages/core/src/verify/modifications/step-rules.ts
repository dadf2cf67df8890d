/**
 * The rules of one signing step: what the revisions appended to a known
 * document by one signing step may change. A workflow server that sent the
 * bytes of a document to a signer (a user's signing agent, a remote service)
 * and gets back "those bytes plus a signature" must know that nothing else
 * came with the signature, also when the document it sent was not signed yet:
 * a draft has no signature whose DocMDP/FieldMDP rules (ISO 32000-2 §12.8.2)
 * could forbid anything, so the usual modification analysis of later
 * signatures has nothing to judge against.
 *
 * Here the prefix is treated as if it were signed with the strictest rules
 * that still let a signature be added: the document's own modification
 * analysis ({@link analyseModifications}) runs from the revision that ends the
 * prefix, with the signatures the appended revisions add as the only later
 * signatures, and every change is then judged again under the step rules.
 *
 * @module
 */
import { isByteSource, memorySource, type ByteSource } from '../../pdf/byte-source.js';
import { PdfDocument } from '../../pdf/document.js';
import { withAesCipher } from '../../pdf/encryption/aes.js';
import { listFields } from '../../pdf/fields.js';
import { PdfDict, PdfRef } from '../../pdf/objects.js';
import type { ModificationChange, RevisionFacts } from '../facts.js';
import { readRevisions } from '../structure/revisions.js';
import { findSignatures } from '../structure/signatures.js';
import { kysoError } from '../../errors/index.js';
import type { ModificationLimits } from './budget.js';
import { INVISIBLE_ANNOTATION_FLAGS } from './flags.js';
import { analyseModifications } from './index.js';
import {
  documentInformationRule, dssRule, extensionsAndVersionRule, fieldLockFlagsRule, formDefaultsRule, signatureRule, structureTreeRule, xmpMetadataRule,
} from './permissions.js';
import { ModificationPolicy } from './policy.js';

/** Options of {@link analyseAppendedRevisions}. */
export interface AppendedRevisionsOptions {
  /** Password of an encrypted document. */
  readonly password?: string;
  /** Bounds on the analysis (objects per revision, wall-clock time); a bound reached is a refused change. */
  readonly limits?: ModificationLimits;
  /**
   * Largest share of its page's crop box a new signature's widget rectangle may cover, above 0 and at most 1;
   * default 0.1. A signature's appearance is painted inside its widget's /Rect (ISO
   * 32000-2 §12.5.5), so this bounds how much of the signed page a signer can paint over; a rectangle reaching
   * outside the crop box is refused too.
   */
  readonly maxAppearanceShare?: number;
}

/**
 * Default {@link AppendedRevisionsOptions.maxAppearanceShare}: a tenth of the page. Decree 30 appearances take far
 * less (the 36 mm seal is about 2 % of an A4 page, a signature block of 60 × 30 mm about 3 %); an appearance that
 * covers the page is a new page in disguise.
 */
export const DEFAULT_MAX_APPEARANCE_SHARE = 0.1;

/** A signature value or document timestamp that the appended revisions add. */
export interface AppendedSignature {
  /** Index (into the file's revisions) of the revision that adds it. */
  readonly revision: number;
  /** Object number of its signature dictionary. */
  readonly object: number;
  readonly field: string | null;
  readonly kind: 'signature' | 'document-timestamp';
}

/** What {@link analyseAppendedRevisions} found. */
export interface AppendedRevisionsFacts {
  /**
   * 'allowed' when the appended revisions only add signatures (with their
   * fields, widgets and appearances) and the entries that adding them
   * touches; 'disallowed' when any change is refused; 'none' when nothing
   * was appended.
   */
  readonly verdict: 'none' | 'allowed' | 'disallowed';
  /** Index of the last revision that lies wholly within the prefix, or -1 when there is none. */
  readonly baseRevision: number;
  /** Every change the appended revisions make, each with its verdict under the step rules. */
  readonly changes: readonly ModificationChange[];
  /** The refused changes only (the reason to give a user), in file order. */
  readonly refused: readonly ModificationChange[];
  /** The signatures and document timestamps the appended revisions add. */
  readonly signatures: readonly AppendedSignature[];
}

/**
 * The permissions of a signing step: the same rule objects as the default
 * policy's, fewer of them. Besides the signature itself (its value, field,
 * widget and appearance: {@link signatureRule}), only what no page shows:
 *
 * - Info and XMP updates (producer, modification date) that signers write (§14.3);
 * - validation data in `/DSS` (ETSI EN 319 142-1 §5.4);
 * - `/Extensions` and `/Version` (the PAdES extension level, §7.12);
 * - the form's default resources `/DR` and `/DA`, which feed appearances generated later and only matter
 *   with `/NeedAppearances`, which makes them refused (§12.7.4.3);
 * - the structure tree of a tagged file, where signers register their widget (§14.7);
 * - the flags a locking signature sets on fields and widgets (§12.8.2.4).
 *
 * Everything else is refused: form filling, annotations (added, changed or removed), pages, page content and
 * resources, empty signature fields, document timestamps, redefined objects. The prefix has no DocMDP of its
 * own, so the same rules hold at every level.
 */
const SIGNING_STEP_POLICY = ModificationPolicy.uniform([
  signatureRule, documentInformationRule, xmpMetadataRule, dssRule, extensionsAndVersionRule, formDefaultsRule, structureTreeRule, fieldLockFlagsRule,
]);

const NOT_A_REVISION_BOUNDARY = {
  vi: 'văn bản gốc không kết thúc bằng một bản sửa đổi PDF hoàn chỉnh',
  en: 'the original does not end with a complete PDF revision',
} as const;
const UNREADABLE_FILE = {
  vi: 'không đọc được cấu trúc bản sửa đổi của tệp đã ký',
  en: 'the revisions of the signed file could not be read',
} as const;
const SIGNATURE_REFUSED = {
  vi: 'thêm trường chữ ký trống hoặc giá trị chữ ký không hợp lệ cho một bước ký',
  en: 'an empty signature field or a signature value a signing step must not add',
} as const;
const TIMESTAMP_REFUSED = {
  vi: 'thêm dấu thời gian tài liệu trong bước ký (bước ký chỉ thêm một chữ ký)',
  en: 'document timestamp added in a signing step (a signing step adds a signature only)',
} as const;

/**
 * Analyses the revisions a signing step appended to the first `prefixLength`
 * bytes of `pdf` (the document exactly as it was sent to the signer) under
 * the strictest rules that still allow signing: the appended revisions may
 * add signature values, in new signature fields or in empty ones the prefix
 * already had, with their widgets and appearances, and touch what adding them
 * necessarily touches (the form's /Fields and /SigFlags, the page's /Annots,
 * the catalog's /AcroForm), plus entries no page shows (Info, XMP, /DSS,
 * /Extensions, the form's /DR and /DA, the structure tree). Any other change,
 * including every change to page content, page resources, the page tree,
 * annotations, form values, and anything the rules do not recognise, is
 * refused; so is a new signature field or widget carrying an action, and a
 * widget reaching outside its page or covering more of it than
 * `maxAppearanceShare`.
 *
 * The caller must have checked that the first `prefixLength` bytes are
 * byte-identical to what it sent (ISO 32000-2 §7.5.6: an incremental update
 * never changes an existing byte). Also on a first step, whose prefix has no
 * signature: this is what the modification analysis of a signature cannot do
 * there.
 *
 * The analysis starts at the last revision ending within the prefix; bytes
 * between its end and `prefixLength` count as appended, so they cannot hide
 * objects a later cross-reference section names. A prefix that does not
 * contain a whole revision is refused.
 *
 * @param pdf the whole file: the prefix and the appended revisions.
 * @param prefixLength length of the document as it was sent (1 … file length).
 * @returns the changes, each with `allowed` under the step rules; throws only
 *   on invalid arguments (`ERR_INVALID_ARGUMENT`): an unreadable file is a refused change.
 *
 * @example
 * const step = await analyseAppendedRevisions(uploaded, sent.length);
 * if (step.verdict !== 'allowed') throw new Error(step.refused.map((c) => c.label.en).join('; '));
 */
export async function analyseAppendedRevisions(
  pdf: Uint8Array | ByteSource,
  prefixLength: number,
  options: AppendedRevisionsOptions = {},
): Promise<AppendedRevisionsFacts> {
  const source = isByteSource(pdf) ? pdf : pdf instanceof Uint8Array ? memorySource(pdf) : null;
  if (!source) throw kysoError('ERR_INVALID_ARGUMENT', 'pdf must be a Uint8Array or a ByteSource');
  if (!Number.isSafeInteger(prefixLength) || prefixLength <= 0 || prefixLength > source.length) {
    throw kysoError('ERR_INVALID_ARGUMENT', `prefixLength must be an integer from 1 to the file length (${source.length})`);
  }
  const maxShare = options.maxAppearanceShare ?? DEFAULT_MAX_APPEARANCE_SHARE;
  if (!(typeof maxShare === 'number' && maxShare > 0 && maxShare <= 1)) throw kysoError('ERR_INVALID_ARGUMENT', 'maxAppearanceShare must be a number in (0, 1]');
  const refusedAll = (revision: number, label: { vi: string; en: string }): AppendedRevisionsFacts => {
    const change: ModificationChange = { revision, kind: 'other', allowed: false, label, objects: [] };
    return { verdict: 'disallowed', baseRevision: -1, changes: [change], refused: [change], signatures: [] };
  };
  if (prefixLength === source.length) return { verdict: 'none', baseRevision: -1, changes: [], refused: [], signatures: [] };

  const password = options.password !== undefined ? { password: options.password } : {};
  let revisions: RevisionFacts[];
  let signatures: AppendedSignature[];
  try {
    // Run again once AES is loaded if the document needs it (pdf/encryption/aes.ts): this may be the first AES
    // document of the process, and the readers below would take the refusal for an unreadable file.
    revisions = await withAesCipher(() => readRevisions(source, password));
  } catch {
    return refusedAll(0, UNREADABLE_FILE);
  }
  // A revision's end includes the end-of-line after its %%EOF (§7.5.5); a prefix sent without it still ends there.
  const endsWithin = (r: RevisionFacts) => r.end <= prefixLength
    || (r.end - prefixLength <= 2 && [...source.read(prefixLength, r.end - prefixLength)].every((b) => b === 0x0a || b === 0x0d));
  const base = revisions.filter(endsWithin).sort((a, b) => b.end - a.end)[0];
  if (!base) return refusedAll(0, NOT_A_REVISION_BOUNDARY);
  const appended = revisions.filter((r) => r.end > base.end);
  if (!appended.length) {
    // Bytes after the prefix, but no revision ends there: nothing a reader would show, and nothing signed.
    return refusedAll(base.index + 1, UNREADABLE_FILE);
  }
  try {
    signatures = findSignatures(source, revisions, password)
      .filter((s) => s.revision > base.index)
      .map((s) => ({ revision: s.revision, object: s.object, field: s.field, kind: s.kind }));
  } catch {
    return refusedAll(base.index + 1, UNREADABLE_FILE);
  }

  // The prefix as if signed by an approval signature (no DocMDP, no locks) under the signing step's policy; the
  // appended signatures are the only later ones, so a signature value the verifier did not find is refused by the
  // analysis itself.
  const facts = analyseModifications(source, revisions, { revision: base.index, object: -1, field: null }, {
    docMdp: null, fieldLocks: [], laterSignatures: signatures, limits: options.limits, policy: SIGNING_STEP_POLICY, ...password,
  });
  const signatureObjects = new Set(signatures.filter((s) => s.kind === 'signature').map((s) => s.object));
  const changes = facts.changes.map((c): ModificationChange => {
    let allowed: boolean;
    let label = c.label;
    if (c.kind === 'signature-added') {
      // A signature value is listed with its signature dictionary, which the signature finder must also have
      // found as a signature; an empty field (refused by the policy) is listed alone.
      allowed = c.allowed && c.objects.some((o) => signatureObjects.has(o));
      if (!allowed) label = { vi: `${c.label.vi} (${SIGNATURE_REFUSED.vi})`, en: `${c.label.en} (${SIGNATURE_REFUSED.en})` };
    } else if (c.kind === 'document-timestamp-added') {
      allowed = false;
      label = { vi: `${c.label.vi}: ${TIMESTAMP_REFUSED.vi}`, en: `${c.label.en}: ${TIMESTAMP_REFUSED.en}` };
    } else {
      allowed = c.allowed;
    }
    return { ...c, allowed, label };
  });
  changes.push(...appearanceChanges(source, signatures, maxShare, password));
  const refused = changes.filter((c) => !c.allowed);
  return {
    verdict: refused.length ? 'disallowed' : 'allowed',
    baseRevision: base.index,
    changes,
    refused,
    signatures,
  };
}

/**
 * The new signatures' fields and widgets that carry an action, and the widgets that cover more than `maxShare` of
 * their page's crop box or reach outside it (refused changes). Hidden and NoView widgets (§12.5.3) and widgets on no
 * page paint nothing and pass the size checks.
 */
function appearanceChanges(
  source: ByteSource, signatures: readonly AppendedSignature[], maxShare: number, password: { password?: string },
): ModificationChange[] {
  const wanted = new Map(signatures.filter((s) => s.kind === 'signature').map((s) => [s.object, s]));
  if (!wanted.size) return [];
  const out: ModificationChange[] = [];
  try {
    const doc = PdfDocument.open(source, password);
    const pages = doc.pages();
    // Which page lists each annotation: one pass over the pages, however many widgets the new fields have.
    const pageOf = new Map<number, number>();
    pages.forEach((p, i) => {
      const annots = doc.resolve(p.dict.get('Annots'));
      if (Array.isArray(annots)) for (const a of annots) if (a instanceof PdfRef && !pageOf.has(a.num)) pageOf.set(a.num, i);
    });
    for (const field of listFields(doc)) {
      const sig = field.value instanceof PdfRef ? wanted.get(field.value.num) : undefined;
      if (!sig) continue;
      const kids = doc.resolve(field.dict.get('Kids'));
      const widgets: { ref: PdfRef; dict: PdfDict }[] = Array.isArray(kids)
        ? kids.flatMap((k) => {
            const d = doc.dictOf(k);
            return k instanceof PdfRef && d ? [{ ref: k, dict: d }] : [];
          })
        : [{ ref: field.ref, dict: field.dict }];
      const name = field.name || `#${field.ref.num}`;
      // Signing needs no action (§12.6.2, §12.6.3): one on the new field or its widgets would run when the reader
      // opens the page or the user clicks, after the signature was checked.
      for (const d of [field.dict, ...widgets.map((w) => w.dict)]) {
        if (d.has('A') || d.has('AA')) {
          out.push(refusedAppearance(sig.revision, [field.ref.num], {
            vi: `chữ ký '${name}' mang theo một hành động (/A, /AA)`, en: `signature '${name}' carries an action (/A, /AA)`,
          }));
          break;
        }
      }
      for (const w of widgets) {
        const flags = doc.resolve(w.dict.get('F'));
        if (typeof flags === 'number' && (flags & INVISIBLE_ANNOTATION_FLAGS) !== 0) continue;
        const rect = doc.box(w.dict.get('Rect'));
        if (!rect || rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) continue;
        const index = pageOf.get(w.ref.num);
        if (index === undefined) continue;
        const [cx1, cy1, cx2, cy2] = pages[index]!.cropBox;
        const pageArea = (cx2 - cx1) * (cy2 - cy1);
        const area = (rect[2] - rect[0]) * (rect[3] - rect[1]);
        const p = index + 1;
        // A point of slack for rounding in the signer's layout.
        if (rect[0] < cx1 - 1 || rect[1] < cy1 - 1 || rect[2] > cx2 + 1 || rect[3] > cy2 + 1) {
          out.push(refusedAppearance(sig.revision, [w.ref.num], {
            vi: `hình hiển thị của chữ ký '${name}' vượt ra ngoài trang ${p}`,
            en: `appearance of signature '${name}' reaches outside page ${p}`,
          }));
        } else if (pageArea <= 0 || area > maxShare * pageArea) {
          const pct = (x: number) => Math.round(x * 100);
          out.push(refusedAppearance(sig.revision, [w.ref.num], {
            vi: `hình hiển thị của chữ ký '${name}' phủ ${pct(area / pageArea)}% trang ${p} (tối đa ${pct(maxShare)}%)`,
            en: `appearance of signature '${name}' covers ${pct(area / pageArea)}% of page ${p} (at most ${pct(maxShare)}%)`,
          }));
        }
      }
    }
  } catch {
    out.push(refusedAppearance(signatures[0]!.revision, [], {
      vi: 'không đọc được vị trí hình hiển thị của chữ ký mới', en: 'the placement of the new signature could not be read',
    }));
  }
  return out;
}

function refusedAppearance(revision: number, objects: number[], label: { vi: string; en: string }): ModificationChange {
  return { revision, kind: 'annotation-added', allowed: false, label, objects };
}
