export { TokenAgentAdapter, type TokenAgentAdapterOptions, type TokenAgentCertificate, type TokenAgentSignRequest, type SignDigestsRequest, type WebSocketLike, type WebSocketConstructor } from './token-agent-adapter.js';
export { TOKEN_AGENT_PROTOCOL_VERSIONS, parseAgentReply, type AgentCertificateInfo, type AgentDocumentInfo, type AgentReply, type PageRequest } from './protocol.js';
