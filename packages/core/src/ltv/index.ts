/** Long-term validation: /DSS, document timestamps, extending signatures to B-LT and B-LTA. */
export { extend, extendIncrement, type ExtendOptions, type ExtendResult, type LtvLevel } from './extend.js';
export { collectLtvEvidence, type EvidenceOptions, type LtvEvidence } from './evidence.js';
export { buildDssUpdate, type DssEntry, type DssUpdate } from './dss-writer.js';
export { documentTimestampIncrement, type DocumentTimestampOptions } from './document-timestamp.js';
export { appendedSource } from '../pdf/appended-source.js';
