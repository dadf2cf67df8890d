/**
 * The agent's side of the token agent protocol (docs/agent-protocol.md). The protocol is defined once, in
 * `@kyso/adapters/token-agent-protocol`, which the page's adapter uses too: the two sides cannot drift apart.
 */
export {
  MAX_BATCH,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSIONS,
  ProtocolViolation,
  parseRequest,
  type AgentCertificate,
  type AgentMessage,
  type AgentRequest,
  type CancelRequest,
  type DocumentInfo,
  type ErrorMessage,
  type HelloRequest,
  type HelloResult,
  type ListCertificatesRequest,
  type ProtocolVersion,
  type ResultMessage,
  type ResultOf,
  type SignBatchRequest,
  type SignRequestMessage,
  type WaitingForUserMessage,
} from '@kyso/adapters/token-agent-protocol';
