/**
 * The kyso reference token agent (issue 6): a PKCS#11 layer over pkcs11js
 * and a WebSocket server on 127.0.0.1 that lets allowed web pages sign
 * digests with USB tokens, the agent itself asking the user for the PIN.
 * Protocol: docs/agent-protocol.md.
 * @packageDocumentation
 */
export {
  Pkcs11Module, type Pkcs11Token, type Pkcs11Certificate, type TokenSelector, type SignDigestRequest,
  type SignDigestsRequest, type Pkcs11OpenOptions,
} from './pkcs11/module.js';
export * from './protocol.js';
export { startAgent, originAllowed, AGENT_VERSION, type AgentOptions, type RunningAgent, type AgentStats } from './server.js';
export { ConfigPrompter, TtyPrompter, describeDocuments, type Prompter, type PinPrompt, type ConsentPrompt, type ConfigPrompterOptions } from './prompter.js';
export { ConsentStore, DEFAULT_REFUSAL_COOLDOWN_MS } from './consent.js';
export { PinFailureStore } from './pin-failures.js';
export { createLogger, digestPrefix, type Logger, type LogLevel, type LogFields } from './log.js';
export { loadAgentConfig, agentOptionsFrom, renewAgentCertificate, type AgentConfigFile, type PinSource } from './config.js';
export { generateLocalCertificate, type LocalCertificate, type LocalCertificateOptions } from './tls.js';
