import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as agent from '@kyso/agent';
import * as protocol from '@kyso/adapters/token-agent-protocol';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every .ts file under a package's src/. */
function sources(pkg: string): string[] {
  const dir = join(root, pkg, 'src');
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

describe('the token agent protocol is defined once, for the agent and the page', () => {
  it('the agent validates requests with the very function the page side publishes', () => {
    expect(agent.parseRequest).toBe(protocol.parseRequest);
    expect(agent.ProtocolViolation).toBe(protocol.ProtocolViolation);
    expect(agent.PROTOCOL_VERSIONS).toBe(protocol.PROTOCOL_VERSIONS);
    expect(agent.MAX_BATCH).toBe(protocol.MAX_BATCH);
  });

  it('a request the page side builds is one the agent accepts, and the reply the agent writes is one the page accepts', () => {
    const request: protocol.AgentRequest = {
      action: 'kyso.sign', id: 'r1', certificateId: 'serial:01', scheme: 'ECDSA', hash: 'SHA-256',
      digest: Buffer.alloc(32, 7).toString('base64'), document: { name: 'Quyết định số 12', digestPrefix: 'abcdef0123' },
    };
    expect(agent.parseRequest(JSON.stringify(request))).toEqual(request);
    const reply: protocol.ResultMessage<protocol.ResultOf['kyso.sign']> = { action: 'kyso.result', id: 'r1', result: { signature: 'AAAA' } };
    expect(protocol.parseAgentReply(JSON.stringify(reply))).toEqual(reply);
  });

  it('no message shape is declared a second time in the agent or in the adapters', () => {
    const declaring = [...sources('agent'), ...sources('adapters')].filter((file) =>
      /action:\s*'kyso\.(hello|sign|sign-batch|list-certificates|cancel|result|error|waiting-for-user)'\s*;/.test(readFileSync(file, 'utf8')));
    expect(declaring.map((f) => f.slice(root.length))).toEqual(['adapters/src/token-agent/protocol.ts']);
  });
});
