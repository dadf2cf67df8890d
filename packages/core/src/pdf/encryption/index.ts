/**
 * Encrypted PDFs with the Standard security handler (ISO 32000-2 §7.6):
 * password checks, file and object keys, and the string and stream
 * transforms used when reading objects and writing an incremental update.
 */
export { aesCbcDecrypt, aesCbcEncrypt, aesCipherLoaded, loadAesCipher, withAesCipher } from './aes.js';
export { parseEncryptDict, type CryptMethod, type EncryptParams } from './encrypt-dict.js';
export {
  authenticate, authenticateOwnerR4, authenticateOwnerR6, authenticateUserR4, authenticateUserR6,
  computeFileKeyR4, computeU, hashR6, legacyPasswordBytes, objectKey, unicodePasswordBytes, PASSWORD_PAD,
  type Authentication, type PasswordKind,
} from './key-derivation.js';
export { rc4 } from './rc4.js';
export { parseObjectBody } from './reparse.js';
export { openSecurityHandler, SecurityHandler, type RandomBytes, type SecurityHandlerOptions } from './security-handler.js';
