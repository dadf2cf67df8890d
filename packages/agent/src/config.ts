/**
 * `agent.json`, the configuration `kyso-agent --config agent.json` reads.
 * Paths are resolved against the file's folder.
 *
 * ```json
 * { "module": "/usr/lib/vendor/libtoken.so", "port": 8940,
 *   "allowedOrigins": ["https://qlvb.example.gov.vn"],
 *   "pin": { "source": "tty" }, "consentFile": "consent.json",
 *   "tls": { "generate": true }, "pinFailureLimit": 2, "log": "stderr" }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { kysoError } from '@kyso/core';
import { ConsentStore } from './consent.js';
import { createLogger } from './log.js';
import { ConfigPrompter, TtyPrompter, type Prompter } from './prompter.js';
import type { AgentOptions } from './server.js';
import { generateLocalCertificate } from './tls.js';

/** Where the PIN comes from. `config` and `env` are for tests and unattended seals only. */
export type PinSource =
  | { readonly source: 'tty' }
  | { readonly source: 'config'; readonly value: string; readonly delayMs?: number }
  | { readonly source: 'env'; readonly name: string; readonly delayMs?: number };

/** The file's shape. */
export interface AgentConfigFile {
  readonly module: string;
  readonly allowedOrigins: readonly string[];
  readonly port?: number;
  readonly pin?: PinSource;
  /** Remembered consents; absent: consent asked once per origin and agent run. `false`: no consent step. */
  readonly consentFile?: string | false;
  /** `{generate: true}` makes a certificate beside the config; or PEM file paths. */
  readonly tls?: { readonly generate: true; readonly dir?: string } | { readonly cert: string; readonly key: string };
  readonly pinFailureLimit?: number;
  readonly userTimeoutMs?: number;
  /** `stderr` (default), `off`, or a file path. */
  readonly log?: string;
  /** Environment for the PKCS#11 module (e.g. SOFTHSM2_CONF), set before it loads. */
  readonly env?: Readonly<Record<string, string>>;
}

const fail = (what: string) => kysoError('ERR_INVALID_ARGUMENT', `agent config: ${what}`);

/** Reads and checks a config file; returns {@link AgentOptions} for `startAgent`. */
export async function loadAgentConfig(file: string): Promise<AgentOptions> {
  const base = dirname(resolve(file));
  let c: AgentConfigFile;
  try {
    c = JSON.parse(await readFile(file, 'utf8')) as AgentConfigFile;
  } catch (err) {
    throw kysoError('ERR_INVALID_ARGUMENT', `agent config: cannot read ${file}`, err);
  }
  return agentOptionsFrom(c, base);
}

/** Checks a parsed config; `base` resolves relative paths. */
export async function agentOptionsFrom(c: AgentConfigFile, base: string): Promise<AgentOptions> {
  if (typeof c !== 'object' || c === null) throw fail('not an object');
  if (typeof c.module !== 'string' || !c.module) throw fail('module: the PKCS#11 library path');
  if (!Array.isArray(c.allowedOrigins) || !c.allowedOrigins.every((o) => typeof o === 'string' && /^https?:\/\/[^/]+$/.test(o))) {
    throw fail('allowedOrigins: origins like "https://host[:port]"');
  }
  if (c.port !== undefined && !(Number.isInteger(c.port) && c.port >= 0 && c.port < 65536)) throw fail('port');
  for (const [k, v] of Object.entries(c.env ?? {})) process.env[k] = resolve(base, v);
  const pin = c.pin ?? { source: 'tty' };
  let prompter: Prompter;
  if (pin.source === 'tty') prompter = new TtyPrompter();
  else if (pin.source === 'config' && typeof pin.value === 'string') prompter = new ConfigPrompter({ pin: pin.value, delayMs: pin.delayMs });
  else if (pin.source === 'env' && typeof pin.name === 'string') {
    const value = process.env[pin.name];
    if (value === undefined) throw fail(`pin: environment variable ${pin.name} is not set`);
    prompter = new ConfigPrompter({ pin: value, delayMs: pin.delayMs });
  } else throw fail('pin: {"source": "tty" | "config" | "env"}');
  let tls: AgentOptions['tls'];
  if (c.tls && 'generate' in c.tls) tls = await generateLocalCertificate(resolve(base, c.tls.dir ?? '.'));
  else if (c.tls) tls = { cert: await readFile(resolve(base, c.tls.cert), 'utf8'), key: await readFile(resolve(base, c.tls.key), 'utf8') };
  const log = c.log ?? 'stderr';
  return {
    module: c.module,
    allowedOrigins: c.allowedOrigins,
    prompter,
    ...(c.port !== undefined ? { port: c.port } : {}),
    ...(tls ? { tls } : {}),
    consent: c.consentFile === false ? false : new ConsentStore(c.consentFile ? resolve(base, c.consentFile) : undefined),
    ...(c.pinFailureLimit !== undefined ? { pinFailureLimit: c.pinFailureLimit } : {}),
    ...(c.userTimeoutMs !== undefined ? { userTimeoutMs: c.userTimeoutMs } : {}),
    logger: createLogger(log === 'stderr' || log === 'off' ? log : { file: resolve(base, log) }),
  };
}
