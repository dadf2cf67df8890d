/**
 * `@kyso/core/ltv`: long-term validation (ETSI EN 319 142-1 §6.2.3–4):
 * `extend` raises signatures to B-LT (a /DSS with the validation data) or
 * B-LTA (then a document timestamp), and the steps it is made of, for
 * integrators who gather evidence or add document timestamps themselves.
 * The heavy parts (verifier, TSA client) load on first call.
 * @packageDocumentation
 */
export { extend, extendIncrement, collectLtvEvidence, documentTimestampIncrement } from './_validation.js';
export type { ExtendOptions, ExtendResult, LtvLevel } from '../ltv/extend.js';
export type { EvidenceOptions, LtvEvidence } from '../ltv/evidence.js';
export type { DocumentTimestampOptions } from '../ltv/document-timestamp.js';
export { buildDssUpdate, type DssEntry, type DssUpdate } from '../ltv/dss-writer.js';
export { appendedSource } from '../pdf/appended-source.js';
export type { SignatureEvidence } from '../verify/facts.js';
export type { FetchLike, NetworkOptions, NetworkService, ServiceTimeouts } from '../options.js';
export { memorySource, type ByteSource } from '../pdf/byte-source.js';
