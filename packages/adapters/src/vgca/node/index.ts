/**
 * @packageDocumentation
 * `@kyso/adapters/vgca-handler`: the integrator's server half of the VGCA Sign
 * Service, for Node (`node:http` request handler, files). The page half,
 * {@link VgcaAdapter}, is in `@kyso/adapters`.
 */
export {
  createVgcaUploadHandler, VGCA_UPLOAD_FIELD,
  type VgcaUploadHandlerOptions, type VgcaUploadTarget, type VgcaUploadEvent, type VgcaUploadAnswer,
} from './handler.js';
export { parseMultipart, multipartBoundary, type FormPart } from './multipart.js';
export { checkSignedSuccessor, RefusedStepChanges, DEFAULT_CLOCK_SKEW_MS, type SuccessorCheck, type SuccessorCheckOptions } from '../check.js';
