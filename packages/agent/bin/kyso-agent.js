#!/usr/bin/env node
// kyso-agent --config agent.json : starts the reference token agent (packages/agent/dist).
// kyso-agent --renew-tls --config agent.json : makes a new generated TLS certificate now and exits.
import { parseArgs } from 'node:util';

const usage = 'usage: kyso-agent [--renew-tls] --config agent.json';
let values;
try {
  ({ values } = parseArgs({ options: { config: { type: 'string', short: 'c' }, 'renew-tls': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
} catch (err) {
  process.stderr.write(`${err.message}\n${usage}\n`);
  process.exit(64);
}
if (values.help || !values.config) {
  process.stderr.write(`${usage}\n`);
  process.exit(values.help ? 0 : 64);
}
const { loadAgentConfig, renewAgentCertificate, startAgent } = await import(process.env.KYSO_AGENT_ENTRY ?? '../dist/index.js');
if (values['renew-tls']) {
  try {
    const made = await renewAgentCertificate(values.config);
    process.stdout.write(JSON.stringify({ event: 'tls-renewed', cert: made.certPath, notAfter: made.notAfter.toISOString() }) + '\n');
    process.exit(0);
  } catch (err) {
    process.stderr.write(`kyso-agent: ${err.code ?? 'ERROR'}: ${err.message}\n`);
    process.exit(1);
  }
}
let agent;
try {
  agent = await startAgent(await loadAgentConfig(values.config));
} catch (err) {
  process.stderr.write(`kyso-agent: ${err.code ?? 'ERROR'}: ${err.message}\n`);
  process.exit(1);
}
// One machine-readable line on stdout: where the agent listens (tests and launchers read it).
process.stdout.write(JSON.stringify({ event: 'listening', url: agent.url, port: agent.port }) + '\n');
const stop = () => agent.close().then(() => process.exit(0), () => process.exit(1));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
