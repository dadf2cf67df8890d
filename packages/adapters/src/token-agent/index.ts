export { TokenAgentAdapter, type TokenAgentAdapterOptions, type TokenAgentCertificate, type SignDigestsRequest, type WebSocketLike, type WebSocketConstructor } from './token-agent-adapter.js';
export { TOKEN_AGENT_PROTOCOL_VERSIONS, parseAgentReply, type AgentCertificateInfo, type AgentReply, type PageRequest } from './protocol.js';
