/**
 * The validation half of the public API (verification, long-term validation
 * data, document timestamps), loaded on first use. A process or a page that
 * only signs never compiles it: about 40 modules and, in Node, a few MB of
 * memory (docs/decisions/0013). Each function is bound to its implementation
 * by {@link lazyExport}, so it has that implementation's exact type; its
 * documentation is the implementation's.
 *
 * `_`-prefixed: an internal module of the entry layer, never an entry itself
 * (docs/decisions/0032).
 */
import { lazyExport, onFirstUse } from '../util/lazy-export.js';

const verifyModule = onFirstUse(() => import('../verify/verify.js'));
const ltvModule = onFirstUse(() => import('../ltv/index.js'));
const stepRulesModule = onFirstUse(() => import('../verify/modifications/step-rules.js'));

/** {@inheritDoc verify/verify!verify} */
export const verify = lazyExport(verifyModule, 'verify');
/** {@inheritDoc verify/verify!gatherFacts} */
export const gatherFacts = lazyExport(verifyModule, 'gatherFacts');
/** {@inheritDoc verify/revocation/supplied!readRevocationData} */
export const readRevocationData = lazyExport(verifyModule, 'readRevocationData');
/** {@inheritDoc verify/modifications/step-rules!analyseAppendedRevisions} */
export const analyseAppendedRevisions = lazyExport(stepRulesModule, 'analyseAppendedRevisions');
/** {@inheritDoc ltv/extend!extend} */
export const extend = lazyExport(ltvModule, 'extend');
/** {@inheritDoc ltv/extend!extendIncrement} */
export const extendIncrement = lazyExport(ltvModule, 'extendIncrement');
/** {@inheritDoc ltv/evidence!collectLtvEvidence} */
export const collectLtvEvidence = lazyExport(ltvModule, 'collectLtvEvidence');
/** {@inheritDoc ltv/document-timestamp!documentTimestampIncrement} */
export const documentTimestampIncrement = lazyExport(ltvModule, 'documentTimestampIncrement');
