import { createHashEngine } from '#hash-engine';
import { progressReporter } from '../progress.js';
import { streamRanges } from '../pdf/stream-ranges.js';
import { kysoError } from '../errors/index.js';
import type { HashAlgorithm } from '../crypto/algorithms.js';
import { HASH_LENGTH } from '../crypto/algorithms.js';
import { buildSignedAttributes } from '../crypto/signed-attributes.js';
import { parseCertificate as certificateInfo, defaultSignatureAlgorithm } from '../crypto/certificate-info.js';
import { isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import { PdfDocument, type PageInfo } from '../pdf/document.js';
import { docMdpPermission, listFields, type FieldInfo } from '../pdf/fields.js';
import { serializeValue as serializeValueBytes } from '../pdf/serialize.js';
import { buildIncrement, ObjectAllocator, type UpdateObject } from '../pdf/incremental-writer.js';
import { dict, name, PdfDict, PdfRef, PdfStream, PdfString, textString, type PdfValue } from '../pdf/objects.js';
import { parseObjectBody } from '../pdf/encryption/reparse.js';
import { loadDefaultFont } from '../pdf/appearance/default-font.js';
import { PT_PER_MM } from '../pdf/appearance/layout.js';
import { toBase64 } from '../util/base64.js';
import { ascii, indexOfBytes } from '../util/bytes.js';
import { estimateContentsSize } from './contents-size.js';
import type { PrepareOptions } from './options.js';
import { userToVisible, visibleToUser } from './placement.js';
import { addToAcroForm, addToPageAnnots, pageHasAnnot, pageOfWidget, setSigFlags, type Put } from '../pdf/form-update.js';
import type { PreparedSignature } from './prepared.js';
import { digestOf, inputFingerprint } from './fingerprint.js';

/** Width reserved for the /ByteRange numbers: four integers up to 10^15. */
const BYTERANGE_WIDTH = 4 * 17;

/**
 * Appends an incremental update that holds the signature field, its widget
 * and appearance, and a signature dictionary whose `/Contents` is a zero-filled
 * placeholder (ISO 32000-2 §12.8.1), then hashes the ByteRange and builds the
 * CAdES signed attributes (ETSI EN 319 142-1 §6.3). Returns plain data: what
 * the key must sign, and what {@link finish} needs to complete the file.
 */
export async function prepare(pdf: Uint8Array | ByteSource, options: PrepareOptions): Promise<PreparedSignature> {
  checkOptions(options);
  const source = isByteSource(pdf) ? pdf : pdf instanceof Uint8Array ? memorySource(pdf) : null;
  if (!source) throw kysoError('ERR_INVALID_ARGUMENT', 'pdf must be a Uint8Array or a ByteSource');
  if (options.password !== undefined && typeof options.password !== 'string') {
    throw kysoError('ERR_INVALID_ARGUMENT', 'password must be a string');
  }
  const doc = PdfDocument.open(source, { password: options.password });
  const signal = options.signal;
  signal?.throwIfAborted?.();

  const cert = certificateInfo(options.certificate);
  const hash: HashAlgorithm = options.hash ?? 'SHA-256';
  const algorithm = options.scheme ? { scheme: options.scheme, hash } : defaultSignatureAlgorithm(cert, hash);
  const subFilter = options.subFilter ?? 'ETSI.CAdES.detached';
  const level = options.level ?? 'B-B';
  if (level !== 'B-B' && !options.timestamp) throw kysoError('ERR_INVALID_ARGUMENT', `level ${level} needs options.timestamp`);
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw kysoError('ERR_INVALID_ARGUMENT', `unknown level ${String(level)}`);
  const signingTime = options.signingTime ?? new Date();
  if (Number.isNaN(signingTime.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'signingTime is not a valid date');

  // Rules of earlier signatures (ISO 32000-2 §12.8.2.2).
  const fields = listFields(doc);
  const signed = fields.filter((f) => f.type === 'Sig' && f.value !== undefined && f.value !== null);
  const mdp = docMdpPermission(doc);
  if (mdp === 1) throw kysoError('ERR_SIG_FIELD_LOCKED', 'a certification signature with DocMDP P=1 forbids any change');
  if (options.certify && signed.length) throw kysoError('ERR_SIG_CERTIFY_NOT_ALLOWED', `${signed.length} signature(s) already present`);

  const alloc = new ObjectAllocator(doc.size);
  const updates = new Map<number, UpdateObject>();
  const put: Put = (ref, value) => updates.set(ref.num, { num: ref.num, gen: ref.gen, value });
  const sigRef = alloc.next();

  // The field: an existing empty one, or a new one merged with its widget.
  let field: FieldInfo | undefined;
  let widgetRef: PdfRef;
  let widget: PdfDict;
  let page: PageInfo;
  let fieldName: string;
  if (options.field !== undefined) {
    field = fields.find((f) => f.name === options.field);
    if (!field || field.type !== 'Sig') throw kysoError('ERR_SIG_FIELD_NOT_FOUND', `field "${options.field}"`);
    if (field.value !== undefined && field.value !== null) throw kysoError('ERR_SIG_FIELD_SIGNED', `field "${options.field}"`);
    fieldName = field.name;
    const kids = doc.resolve(field.dict.get('Kids'));
    if (Array.isArray(kids) && kids[0] instanceof PdfRef) {
      widgetRef = kids[0];
      widget = (doc.dictOf(kids[0]) ?? new PdfDict()).clone();
    } else {
      widgetRef = field.ref;
      widget = field.dict.clone();
    }
    page = pageOfWidget(doc, doc.pages(), widget, widgetRef);
  } else {
    const pageNo = options.placement?.page ?? 1;
    const found = doc.page(pageNo);
    if (!found) throw kysoError('ERR_PDF_PAGE_NOT_FOUND', `page ${pageNo} of ${doc.pages().length}`);
    page = found;
    const names = new Set(fields.map((f) => f.name));
    fieldName = options.fieldName ?? nextFieldName(names);
    if (names.has(fieldName)) throw kysoError('ERR_INVALID_ARGUMENT', `a field named "${fieldName}" already exists`);
    widgetRef = alloc.next();
    widget = dict({ Type: name('Annot'), Subtype: name('Widget'), FT: name('Sig'), T: textString(fieldName) });
  }

  // Where it shows, and what it looks like.
  const signerName = (options.name ?? cert.subjectCN ?? '').normalize('NFC');
  const organization = options.appearance?.organization ?? cert.organization;
  let rect: [number, number, number, number] = [0, 0, 0, 0];
  const existing = doc.box(widget.get('Rect'));
  if (options.appearance) {
    if (options.placement?.rect) {
      const f = options.placement.unit === 'mm' ? PT_PER_MM : 1;
      const [x, y, w, h] = options.placement.rect.map((v) => v * f) as [number, number, number, number];
      rect = visibleToUser(page, [x, y, w, h]);
    } else if (existing && existing[2] > existing[0] && existing[3] > existing[1]) {
      rect = existing;
    } else {
      const { defaultPlacement } = await import('./visible-placement.js');
      const placed = await defaultPlacement(doc, page, doc.pages(), fields, options, signerName, organization, signingTime);
      page = placed.page;
      rect = visibleToUser(page, placed.box);
    }
  } else if (existing) {
    rect = existing;
  }
  const visibleBox = userToVisible(page, rect);
  const visible = rect[2] - rect[0] > 0 && rect[3] - rect[1] > 0;

  let apRef: PdfRef;
  if (visible) {
    // pdf-lib and fontkit load only for visible signatures (about 45 MB of memory).
    const { buildAppearance } = await import('../pdf/appearance/build.js');
    const ap = await buildAppearance(
      {
        ...(options.appearance ?? { role: 'approve' }),
        font: options.appearance?.font ?? (await loadDefaultFont()),
        signingTime,
        signerName,
        organization,
        reason: options.reason,
        location: options.location,
      },
      { width: visibleBox[2], height: visibleBox[3] },
      page.rotate,
      alloc.peek,
    );
    for (const o of ap.objects) {
      // In an encrypted file the pdf-lib bodies go back through the encrypting writer (ISO 32000-2 §7.6.2).
      updates.set(o.num, doc.encryption ? { num: o.num, value: parseObjectBody(o.body) } : { num: o.num, body: o.body });
    }
    alloc.advanceTo(ap.nextObjectNumber);
    apRef = new PdfRef(ap.xobject, 0);
  } else {
    // An empty appearance keeps invisible signatures valid for PDF/A and PDF 2.0 (§12.5.5).
    apRef = alloc.next();
    put(apRef, new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, 0, 0] }), -1, 0, new Uint8Array(0)));
  }

  // The widget (and the field, when merged with it).
  widget.set('Rect', rect.map(round));
  widget.set('F', 132); // Print + Locked (§12.5.3)
  widget.set('P', page.ref);
  widget.set('AP', dict({ N: apRef }));
  if (!field || field.ref.num === widgetRef.num) widget.set('V', sigRef);
  if (options.lock && !field) widget.set('Lock', lockDict(options.lock));
  put(widgetRef, widget);
  if (field && field.ref.num !== widgetRef.num) {
    put(field.ref, field.dict.clone().set('V', sigRef));
  }

  // Page /Annots and the AcroForm, for a new field.
  if (!field) {
    addToPageAnnots(doc, page, widgetRef, put);
    addToAcroForm(doc, widgetRef, put, alloc);
  } else {
    setSigFlags(doc, put);
    if (!pageHasAnnot(doc, page, widgetRef)) addToPageAnnots(doc, page, widgetRef, put);
  }

  // The signature dictionary with its placeholders (§12.8.1, Table 255).
  const contentsCapacity = options.contentsSize ?? (estimateContentsSize({
    certificate: options.certificate,
    chain: options.chain ?? [],
    algorithm,
    subFilter,
    withTimestamp: level !== 'B-B',
  }));
  const sig = dict({
    Type: name('Sig'),
    Filter: name('Adobe.PPKLite'),
    SubFilter: name(subFilter),
  });
  const reference: PdfValue[] = [];
  // The catalog as this update rewrites it (earlier steps may already have).
  const updatedCatalog = (): PdfDict => {
    const current = updates.get(doc.rootRef.num)?.value;
    const cat = current instanceof PdfDict ? current : doc.catalog().clone();
    put(doc.rootRef, cat);
    return cat;
  };
  if (options.certify) {
    reference.push(transformRef('DocMDP', dict({ Type: name('TransformParams'), P: options.certify, V: name('1.2') })));
    const cat = updatedCatalog();
    const perms = doc.dictOf(cat.get('Perms'))?.clone() ?? new PdfDict();
    perms.set('DocMDP', sigRef);
    cat.set('Perms', perms);
  }
  if (options.lock) {
    const params = dict({ Type: name('TransformParams'), Action: name(options.lock.action), V: name('1.2') });
    if (options.lock.action !== 'All') params.set('Fields', options.lock.fields.map((f) => textString(f)));
    // ISO 32000-1 Table 253: /Data is required with FieldMDP (deprecated in PDF 2.0, harmless there).
    reference.push(transformRef('FieldMDP', params).set('Data', doc.rootRef));
  }
  if (subFilter === 'ETSI.CAdES.detached' && Number(doc.version) < 2 && !hasEsic(doc)) {
    // A PDF 1.x file with ETSI.CAdES.detached declares the ETSI developer extension, level 2
    // (ETSI TS 102 778-3; ISO 32000-1 §7.12.3); PDF 2.0 defines the SubFilter itself.
    const cat = updatedCatalog();
    const ext = doc.dictOf(cat.get('Extensions'))?.clone() ?? new PdfDict();
    ext.set('ESIC', dict({ BaseVersion: name('1.7'), ExtensionLevel: 2 }));
    cat.set('Extensions', ext);
  }
  if (reference.length) sig.set('Reference', reference);
  sig.set('M', pdfDate(signingTime));
  if (signerName) sig.set('Name', textString(signerName));
  if (options.reason) sig.set('Reason', textString(options.reason));
  if (options.location) sig.set('Location', textString(options.location));
  if (options.contactInfo) sig.set('ContactInfo', textString(options.contactInfo));
  sig.set('Prop_Build', dict({ App: dict({ Name: name('kyso') }) }));

  // Serialise: the signature dictionary is written by hand so the
  // placeholders have fixed, known widths.
  // Its strings are encrypted like any other object's, but /Contents (added
  // below, in the clear) never is (ISO 32000-2 §7.6.2).
  const sigOut = doc.encryption ? (doc.encryption.encryptObject(sigRef.num, sigRef.gen, sig) as PdfDict) : sig;
  const sigBody = serializeSigDict(sigOut, contentsCapacity);
  updates.set(sigRef.num, { num: sigRef.num, body: sigBody });

  const fp = inputFingerprint(source);
  const newId = digestOf('SHA-256', ascii(`${fp.headSha256}${fp.tailSha256}${source.length}${signingTime.toISOString()}`)).subarray(0, 16);
  const lastByte = source.length ? source.read(source.length - 1, 1)[0]! : 0;
  const inc = buildIncrement(doc, [...updates.values()], { newId, lastByte });
  const bytes = inc.bytes;

  // Locate the placeholders in the update and fill in the ByteRange (§12.8.1).
  const sigStart = inc.bodyOffsets.get(sigRef.num)!;
  const contentsRel = indexOfBytes(bytes, ascii('/Contents <'), sigStart) + '/Contents '.length;
  const brRel = indexOfBytes(bytes, ascii('/ByteRange ['), sigStart) + '/ByteRange ['.length;
  const base = source.length;
  const a = base + contentsRel; // offset of '<'
  const b = a + 2 + contentsCapacity * 2; // just after '>'
  const total = base + bytes.length;
  const byteRange: [number, number, number, number] = [0, a, b, total - b];
  const brText = `0 ${a} ${b} ${total - b}`;
  if (brText.length > BYTERANGE_WIDTH) throw kysoError('ERR_PDF_LIMIT', 'file too large for the ByteRange placeholder');
  bytes.set(ascii(brText.padEnd(BYTERANGE_WIDTH, ' ')), brRel);

  // Hash the covered bytes in place: the input, then the update around /Contents.
  const engine = createHashEngine(hash);
  const covered = source.length + bytes.length - (b - a);
  const report = progressReporter(options.onProgress, 'hash', covered);
  await streamRanges(source, [0, source.length], (chunk) => engine.update(chunk), { signal, onBytes: report });
  engine.update(bytes.subarray(0, a - base));
  engine.update(bytes.subarray(b - base));
  report(covered);
  const documentDigest = engine.digest();

  const signedAttributes = await buildSignedAttributes({
    digestAlgorithm: hash,
    contentDigest: documentDigest,
    signerCertificate: options.certificate,
    subFilter,
    signingTime: subFilter === 'adbe.pkcs7.detached' ? signingTime : undefined,
  });
  const toBeSignedDigest = digestOf(hash, signedAttributes);

  return {
    kind: 'kyso.prepared-signature',
    version: 1,
    input: { length: source.length, headSha256: fp.headSha256, tailSha256: fp.tailSha256 },
    increment: toBase64(bytes),
    contentsOffset: a + 1,
    contentsCapacity,
    byteRange,
    level,
    subFilter,
    hash,
    scheme: algorithm.scheme,
    documentDigest: toBase64(documentDigest),
    toBeSigned: toBase64(signedAttributes),
    toBeSignedDigest: toBase64(toBeSignedDigest),
    certificate: toBase64(options.certificate),
    chain: (options.chain ?? []).map(toBase64),
    signingTime: signingTime.toISOString(),
    fieldName,
    tsaUrl: options.timestamp?.url,
  };
}

function checkOptions(o: PrepareOptions): void {
  if (!o || typeof o !== 'object') throw kysoError('ERR_INVALID_ARGUMENT', 'options are required');
  if (!(o.certificate instanceof Uint8Array) || o.certificate.length === 0) throw kysoError('ERR_INVALID_ARGUMENT', 'options.certificate must be DER bytes');
  if (o.hash !== undefined && !(o.hash in HASH_LENGTH)) throw kysoError('ERR_SIG_ALGORITHM_UNSUPPORTED', `hash ${String(o.hash)}`);
  if (o.certify !== undefined && ![1, 2, 3].includes(o.certify)) throw kysoError('ERR_INVALID_ARGUMENT', 'certify must be 1, 2 or 3');
  if (o.contentsSize !== undefined && (!Number.isInteger(o.contentsSize) || o.contentsSize < 256 || o.contentsSize > 1 << 20)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'contentsSize must be an integer between 256 and 1 MiB');
  }
  const r = o.placement?.rect;
  if (r !== undefined && (r.length !== 4 || !r.every(Number.isFinite) || r[2]! <= 0 || r[3]! <= 0)) {
    throw kysoError('ERR_INVALID_ARGUMENT', 'placement.rect must be [x, y, width, height] with a positive size');
  }
  const p = o.placement?.page;
  if (p !== undefined && (!Number.isInteger(p) || p < 1)) throw kysoError('ERR_INVALID_ARGUMENT', 'placement.page must be a positive integer');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function nextFieldName(names: Set<string>): string {
  for (let i = 1; ; i++) if (!names.has(`Signature${i}`)) return `Signature${i}`;
}

/** Whether the catalog already declares the ETSI extension at level 2 or more. */
function hasEsic(doc: PdfDocument): boolean {
  const ext = doc.dictOf(doc.catalog().get('Extensions'));
  const esic = ext ? doc.dictOf(ext.get('ESIC')) : null;
  const level = esic ? doc.resolve(esic.get('ExtensionLevel')) : null;
  return typeof level === 'number' && level >= 2;
}

function transformRef(method: 'DocMDP' | 'FieldMDP', params: PdfDict): PdfDict {
  return dict({ Type: name('SigRef'), TransformMethod: name(method), TransformParams: params });
}

function lockDict(lock: NonNullable<PrepareOptions['lock']>): PdfDict {
  const d = dict({ Type: name('SigFieldLock'), Action: name(lock.action) });
  if (lock.action !== 'All') d.set('Fields', lock.fields.map((f) => textString(f)));
  return d;
}

/** `D:YYYYMMDDHHmmSSZ` (ISO 32000-2 §7.9.4), in UTC so the value is unambiguous. */
export function pdfDate(d: Date): PdfString {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return new PdfString(ascii(`D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`));
}

function serializeSigDict(sig: PdfDict, capacity: number): Uint8Array {
  // Write the normal entries with the generic serialiser, then the two
  // placeholders, so their offsets can be found and patched.
  const head = new TextDecoder('latin1').decode(serializeValueBytes(sig));
  const inner = head.slice(2, -2);
  const text = `<<${inner}/ByteRange [${' '.repeat(BYTERANGE_WIDTH)}]/Contents <${'0'.repeat(capacity * 2)}>>>`;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}


