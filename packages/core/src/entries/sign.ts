/**
 * `@kyso/core/sign`: signing in steps and in one call (PAdES B-B to B-LTA,
 * ETSI EN 319 142-1). `prepare` → the key signs the digest → `finish` for keys
 * behind a network (tokens, remote HSMs, a server that holds the document);
 * `sign` when an adapter holds the key. The `*Increment` forms return only the
 * bytes to append. Importing this entry never loads the verifier: B-LT and
 * B-LTA load it on first use (docs/decisions/0013, 0032).
 * @packageDocumentation
 */
export { prepare } from '../sign/prepare.js';
export { finish, finishIncrement, type FinishOptions } from '../sign/finish.js';
export { sign, signIncrement } from '../ltv/sign-long-term.js';
export type { PreparedSignature } from '../sign/prepared.js';
export type {
  PrepareOptions, SignOptions, LtvSignOptions, PadesLevel, TimestampOptions, Placement, DocMdpPermission, FieldLock,
} from '../sign/options.js';
export type {
  FetchLike, SubFilter, HashAlgorithm, SignatureScheme, SignatureAlgorithm, NetworkOptions, NetworkService, ServiceTimeouts,
} from '../options.js';
export type { SigningAdapter, CertificateEntry, SignRequest, AdapterCapabilities } from '../adapter.js';
export { memorySource, type ByteSource } from '../pdf/byte-source.js';
