/**
 * The VGCA Sign Service (Ban Cơ yếu Chính phủ) as a whole-document signer:
 * the page half ({@link VgcaAdapter}), the wire contract, and the checks that
 * a signed file is the original plus one valid signature. The integrator's
 * Node handler is `@kyso/adapters/vgca-handler`.
 *
 * @module
 */
export { VgcaAdapter, type VgcaAdapterOptions, type VgcaSocket, type VgcaSocketFactory } from './vgca-adapter.js';
export {
  VGCA_ENDPOINTS, buildVgcaRequest, parseVgcaReply, interpretVgcaReply, roleOfEndpoint, formatVietnamIso,
  type VgcaSignEndpoint, type VgcaRequest, type VgcaReply, type ReplyInterpretation,
} from './protocol.js';
export { checkSignedSuccessor, RefusedStepChanges, DEFAULT_CLOCK_SKEW_MS, type SuccessorCheck, type SuccessorCheckOptions } from './check.js';
export { signDocumentVerified, type VerifiedSigningOptions, type VerifiedSigning } from './verified.js';
