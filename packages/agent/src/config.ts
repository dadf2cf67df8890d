/**
 * `agent.json`, the configuration `kyso-agent --config agent.json` reads.
 * Paths are resolved against the file's folder.
 *
 * ```json
 * { "module": "/usr/lib/vendor/libtoken.so", "port": 8940,
 *   "allowedOrigins": ["https://qlvb.example.gov.vn"],
 *   "pin": { "source": "tty" }, "consentFile": "consent.json", "consentCooldownMinutes": 15,
 *   "tls": { "generate": true }, "pinFailureLimit": 2, "pinFailureFile": "pin-failures.json",
 *   "maxConnections": 32, "maxPendingRequests": 16, "log": "stderr" }
 * ```
 *
 * A PIN from `config` or `env` makes the agent a server-side signing service
 * (docs/security.md): it then needs `unattended`, naming the origins allowed
 * to sign without a person and the client credential they must present.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { kysoError } from '@kyso/core';
import { ConsentStore } from './consent.js';
import { PinFailureStore } from './pin-failures.js';
import { createLogger } from './log.js';
import { ConfigPrompter, TtyPrompter, type Prompter } from './prompter.js';
import type { AgentOptions } from './server.js';
import { generateLocalCertificate, type LocalCertificate } from './tls.js';

/** Where the PIN comes from. `config` and `env` need {@link AgentConfigFile.unattended}. */
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
  /** Minutes during which an origin the user refused is refused again without asking (default 15, at least 1). */
  readonly consentCooldownMinutes?: number;
  /** `{generate: true}` makes a leaf certificate beside the config (90 days, renewed near expiry); or PEM file paths. */
  readonly tls?: { readonly generate: true; readonly dir?: string; readonly validityDays?: number } | { readonly cert: string; readonly key: string };
  readonly pinFailureLimit?: number;
  /** Wrong PINs per token, kept across runs (default `pin-failures.json` beside the config, mode 0600). */
  readonly pinFailureFile?: string;
  /**
   * Unattended signing: `origins` (each also in `allowedOrigins`, exact) may sign without a person, if their
   * client presents the secret `clientToken` (or the value of the environment variable `clientTokenEnv`),
   * at least 32 characters, in `kyso.hello`. Required when the PIN comes from `config` or `env`.
   */
  readonly unattended?: { readonly origins: readonly string[]; readonly clientToken?: string; readonly clientTokenEnv?: string };
  /** Open connections at most (default 32). */
  readonly maxConnections?: number;
  /** Requests in flight at most (default 16). */
  readonly maxPendingRequests?: number;
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
  const unattended = unattendedOf(c);
  const log = c.log ?? 'stderr';
  const logger = createLogger(log === 'stderr' || log === 'off' ? log : { file: resolve(base, log) });
  // A PIN in a file answers for nobody: without named unattended origins and a credential it would sign for
  // any local process that sets an allowed Origin header (issue 12 §5).
  if (pin.source !== 'tty' && !unattended) throw fail('pin from "config" or "env" needs "unattended": {"origins": [...], "clientToken": "..."}');
  for (const k of ['maxConnections', 'maxPendingRequests', 'pinFailureLimit', 'consentCooldownMinutes'] as const) {
    const v = c[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 100_000)) throw fail(`${k}: a whole number from 1`);
  }
  let tls: AgentOptions['tls'];
  if (c.tls && 'generate' in c.tls) {
    const dir = resolve(base, c.tls.dir ?? '.');
    const opts = { ...(c.tls.validityDays !== undefined ? { validityDays: c.tls.validityDays } : {}) };
    const made = await generateLocalCertificate(dir, opts);
    if (made.renewed) {
      // The user must trust the new certificate (and remove an old CA-style one from the OS store).
      logger.log('warn', 'tls-certificate-made', { reason: made.renewed, cert: made.certPath, notAfter: made.notAfter.toISOString() });
    }
    tls = { cert: made.cert, key: made.key, refresh: async () => {
      const next = await generateLocalCertificate(dir, opts);
      return next.renewed ? next : undefined;
    } };
  } else if (c.tls) tls = { cert: await readFile(resolve(base, c.tls.cert), 'utf8'), key: await readFile(resolve(base, c.tls.key), 'utf8') };
  return {
    module: c.module,
    allowedOrigins: c.allowedOrigins,
    prompter,
    ...(c.port !== undefined ? { port: c.port } : {}),
    ...(tls ? { tls } : {}),
    consent: c.consentFile === false ? false : new ConsentStore(c.consentFile ? resolve(base, c.consentFile) : undefined, {
      ...(c.consentCooldownMinutes !== undefined ? { cooldownMs: c.consentCooldownMinutes * 60_000 } : {}),
    }),
    ...(c.pinFailureLimit !== undefined ? { pinFailureLimit: c.pinFailureLimit } : {}),
    pinFailures: new PinFailureStore(resolve(base, c.pinFailureFile ?? 'pin-failures.json')),
    ...(unattended ? { unattended } : {}),
    ...(c.maxConnections !== undefined ? { maxConnections: c.maxConnections } : {}),
    ...(c.maxPendingRequests !== undefined ? { maxPendingRequests: c.maxPendingRequests } : {}),
    ...(c.userTimeoutMs !== undefined ? { userTimeoutMs: c.userTimeoutMs } : {}),
    logger,
  };
}

/** Checks `unattended`: exact origins that are also allowed, and a secret of at least 32 characters. */
function unattendedOf(c: AgentConfigFile): AgentOptions['unattended'] {
  const u = c.unattended;
  if (u === undefined) return undefined;
  if (typeof u !== 'object' || u === null || !Array.isArray(u.origins) || u.origins.length === 0) throw fail('unattended.origins: at least one origin');
  for (const o of u.origins) {
    if (typeof o !== 'string' || o.endsWith(':*') || !c.allowedOrigins.includes(o)) throw fail(`unattended.origins: ${String(o)} must be an exact entry of allowedOrigins`);
  }
  let token = u.clientToken;
  if (u.clientTokenEnv !== undefined) {
    token = process.env[u.clientTokenEnv];
    if (token === undefined) throw fail(`unattended.clientTokenEnv: environment variable ${u.clientTokenEnv} is not set`);
  }
  if (typeof token !== 'string' || token.length < 32 || token.length > 256) throw fail('unattended.clientToken: a secret of 32–256 characters');
  return { origins: u.origins, clientToken: token };
}

/** `kyso-agent --renew-tls`: makes a new generated certificate now, whatever the state of the old one. */
export async function renewAgentCertificate(file: string): Promise<LocalCertificate> {
  let c: AgentConfigFile;
  try {
    c = JSON.parse(await readFile(file, 'utf8')) as AgentConfigFile;
  } catch (err) {
    throw kysoError('ERR_INVALID_ARGUMENT', `agent config: cannot read ${file}`, err);
  }
  if (!c?.tls || !('generate' in c.tls)) throw fail('tls: {"generate": true} (the agent does not manage other certificates)');
  return generateLocalCertificate(resolve(dirname(resolve(file)), c.tls.dir ?? '.'), {
    force: true, ...(c.tls.validityDays !== undefined ? { validityDays: c.tls.validityDays } : {}),
  });
}
