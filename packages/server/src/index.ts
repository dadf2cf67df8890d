/**
 * kyso as a service: `kyso serve` (a stateless HTTP verification service) and the distributed audit
 * (`kyso audit --queue`, `kyso worker`) on BullMQ over Redis.
 */
export { ROUTES, routeOf, startService, type KysoService, type RouteSpec, type ServiceOptions } from './service.js';
export {
  createAuditService, type AuditJobStatus, type AuditReporter, type AuditReportFormat, type AuditRequest, type AuditResultEntry,
  type AuditService, type AuditServiceConfig,
} from './audit-service.js';
export { httpStatusOf, errorBody, type ErrorBody } from './errors.js';
export { jsonLogger, silentLogger, type Logger, type LogFields } from './log.js';
export { readVerifyQuery, verifyOptionsOf, type VerifyQuery } from './verify-options.js';
export { connectRedis, checkRedisUrl, redisAnswers } from './redis.js';
export { serveCommand, startServeCommand, SERVE_USAGE, type ServeHooks } from './serve-command.js';
export {
  AUDIT_QUEUE, assertQueueReachable, canonicalJson, distributeFiles, enqueueFileJobs, fileJobId, openAuditQueue, planFileJobs, redactUrl,
  runFileWorker, settledResult, sha256File, type DistributeOptions, type FileJobPlan, type FileJobData, type FileJobResult, type FileWorker, type FileWorkerOptions, type QueuedFile, type QueueTuning,
} from './queue.js';
export {
  runSignWorker, signFilesOnQueue, signQueueName, SIGN_QUEUE_PREFIX,
  type BatchFile, type BatchSignOptions, type SignedOutput, type SignWorker,
} from './sign-queue.js';
export { openPkcs11Key, type Pkcs11Key, type Pkcs11KeyOptions } from './pkcs11-key.js';
export { crlNextUpdate, sharedRevocationFetch, type SharedFetchOptions, type SharedFetchStats } from './revocation-cache.js';
export { ocspResponseFreshness, shareableOcspRequest } from './ocsp-share.js';
export { takeHostTurn, type CaRate } from './ca-rate-limit.js';
export { handleFinish, handlePrepare, type SigningConfig, type SigningRequest } from './signing.js';
export { handleExtend, type ExtendConfig } from './extend.js';
export { isPrivateAddress, publicNetworkFetch, type PublicFetchOptions } from './public-fetch.js';
