/**
 * Structural verification of a signed PDF: its revisions, its signatures and
 * their byte ranges (ISO 32000-2 §7.5.6, §12.8.1), and the digest of the bytes
 * each signature covers. No cryptography beyond hashing.
 */
export { readRevisions, prefixSource, REVISION_LIMITS } from './revisions.js';
export { findSignatures, type FoundSignature, type FindSignaturesOptions } from './signatures.js';
export { checkByteRange, contentsToken, derElementLength, type ByteRangeCheck, type DictLocation } from './byte-range.js';
export { createOpenings, type DocumentOpenings } from './openings.js';
export { hashByteRange } from './hash-byte-range.js';
export { parsePdfDate } from './pdf-date.js';
