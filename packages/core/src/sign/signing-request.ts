import type { HashAlgorithm, SignatureAlgorithm } from '../crypto/algorithms.js';
import { HASH_LENGTH } from '../crypto/algorithms.js';
import { defaultSignatureAlgorithm, parseCertificate, type CertificateInfo } from '../crypto/certificate-info.js';
import { kysoError } from '../errors/index.js';
import { isByteSource, memorySource, type ByteSource } from '../pdf/byte-source.js';
import { PdfDocument } from '../pdf/document.js';
import { docMdpPermission, listFields, type FieldInfo } from '../pdf/fields.js';
import type { PadesLevel, PrepareOptions, SubFilter } from './options.js';

/** The checked options of one `prepare` call and the document they apply to; every step reads it. */
export interface SigningRequest {
  readonly options: PrepareOptions;
  readonly source: ByteSource;
  readonly doc: PdfDocument;
  /** The document's form fields, read once. */
  readonly fields: readonly FieldInfo[];
  readonly certificate: CertificateInfo;
  readonly hash: HashAlgorithm;
  readonly algorithm: SignatureAlgorithm;
  readonly subFilter: SubFilter;
  readonly level: PadesLevel;
  readonly signingTime: Date;
  /** `/Name` and the appearance's name: the option, else the certificate's CN; NFC so the same name is the same bytes. */
  readonly signerName: string;
  readonly organization: string | undefined;
}

/**
 * Checks the options, opens the document, and refuses what earlier signatures
 * forbid (ISO 32000-2 §12.8.2.2) before anything is written.
 */
export function openSigningRequest(pdf: Uint8Array | ByteSource, options: PrepareOptions): SigningRequest {
  checkOptions(options);
  const source = isByteSource(pdf) ? pdf : pdf instanceof Uint8Array ? memorySource(pdf) : null;
  if (!source) throw kysoError('ERR_INVALID_ARGUMENT', 'pdf must be a Uint8Array or a ByteSource');
  if (options.password !== undefined && typeof options.password !== 'string') {
    throw kysoError('ERR_INVALID_ARGUMENT', 'password must be a string');
  }
  const doc = PdfDocument.open(source, { password: options.password });
  options.signal?.throwIfAborted?.();

  const certificate = parseCertificate(options.certificate);
  const hash: HashAlgorithm = options.hash ?? 'SHA-256';
  const algorithm = options.scheme ? { scheme: options.scheme, hash } : defaultSignatureAlgorithm(certificate, hash);
  const subFilter = options.subFilter ?? 'ETSI.CAdES.detached';
  const level = options.level ?? 'B-B';
  if (level !== 'B-B' && !options.timestamp) throw kysoError('ERR_INVALID_ARGUMENT', `level ${level} needs options.timestamp`);
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw kysoError('ERR_INVALID_ARGUMENT', `unknown level ${String(level)}`);
  const signingTime = options.signingTime ?? new Date();
  if (Number.isNaN(signingTime.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'signingTime is not a valid date');

  // Rules of earlier signatures (ISO 32000-2 §12.8.2.2).
  const fields = listFields(doc);
  const signed = fields.filter((f) => f.type === 'Sig' && f.value !== undefined && f.value !== null);
  if (docMdpPermission(doc) === 1) throw kysoError('ERR_SIG_FIELD_LOCKED', 'a certification signature with DocMDP P=1 forbids any change');
  if (options.certify && signed.length) throw kysoError('ERR_SIG_CERTIFY_NOT_ALLOWED', `${signed.length} signature(s) already present`);

  return {
    options, source, doc, fields, certificate, hash, algorithm, subFilter, level, signingTime,
    signerName: (options.name ?? certificate.subjectCN ?? '').normalize('NFC'),
    organization: options.appearance?.organization ?? certificate.organization,
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
