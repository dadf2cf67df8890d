/**
 * Issue 12 §4, as the attack: the user trusted the agent's generated
 * certificate in the OS store and its key lies beside the config. Before the
 * fix that certificate was a CA (openssl's default v3_ca: CA:TRUE, no name
 * constraints), so whoever read the key could issue a certificate for any web
 * site that the user's browser would trust. Now it is a leaf: CA:FALSE, SAN
 * IP:127.0.0.1 and DNS:localhost, serverAuth, 90 days, key mode 0600; a
 * certificate "issued" with its key does not verify; an old CA-style
 * certificate found on start is replaced.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigPrompter, generateLocalCertificate, Pkcs11Module, renewAgentCertificate, startAgent, type RunningAgent } from '@kyso/agent';
import { repoRoot, type SoftHsm } from '@kyso/testkit';
import { RawClient } from './helpers/agent-process.js';
import { openInProcessToken } from './helpers/token-work.js';

let work: string;
let hsm: SoftHsm;
let mod: Pkcs11Module;
const agents: RunningAgent[] = [];

beforeAll(async () => {
  ({ work, hsm, mod } = await openInProcessToken('kyso-agent-tls-'));
});
afterAll(async () => {
  for (const a of agents) await a.close();
  mod?.close();
  rmSync(work, { recursive: true, force: true });
});

const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });

/** What the agent generated before issue 12: `openssl req -x509` with the default config, a CA. */
function oldStyleCertificate(dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '825',
    '-subj', '/CN=kyso-agent 127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext', 'extendedKeyUsage=serverAuth', '-keyout', join(dir, 'agent-tls.key.pem'), '-out', join(dir, 'agent-tls.cert.pem'),
  ], { stdio: 'ignore' });
}

/**
 * Debian's Chromium, with a private NSS database under its own HOME holding `cert` with NSS trust flags `trust`
 * ("C,," trusted issuer of server certificates, "P,," trusted peer), loads the agent's https:// URL. Resolves with
 * the page text: the agent's "WebSocket only" answer when TLS was accepted, Chromium's error page otherwise.
 */
async function chromiumFetch(url: string, cert: string, trust: 'C,,' | 'P,,'): Promise<string> {
  const { CHROMIUM_ARGS, CHROMIUM_PATH } = (await import(join(repoRoot(), 'scripts/chromium.mjs'))) as { CHROMIUM_ARGS: string[]; CHROMIUM_PATH: string };
  const home = mkdtempSync(join(work, 'chromium-'));
  try {
    const db = join(home, '.pki/nssdb');
    mkdirSync(db, { recursive: true });
    writeFileSync(join(home, 'cert.pem'), cert);
    execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'kyso-agent', '-t', trust, '-i', join(home, 'cert.pem')]);
    // Asynchronously: the agent answering Chromium runs in this process.
    const child = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, `--user-data-dir=${join(home, 'profile')}`, '--dump-dom', url], {
      env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.once('close', resolve));
    return out;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A TLS handshake with the agent that trusts only `ca`: resolves true when the server certificate verifies. */
function handshake(port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('the generated TLS certificate is a leaf', () => {
  it('CA:FALSE, SAN 127.0.0.1 and localhost, serverAuth only, at most 90 days; key file 0600', async () => {
    const dir = join(work, 'fresh');
    const made = await generateLocalCertificate(dir);
    expect(made.renewed).toBe('absent');
    const text = openssl('x509', '-in', made.certPath, '-noout', '-text').stdout;
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/IP Address:127\.0\.0\.1/);
    expect(text).toMatch(/DNS:localhost/);
    expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    const x = new X509Certificate(made.cert);
    expect(x.ca).toBe(false);
    expect(Date.parse(x.validTo) - Date.parse(x.validFrom)).toBeLessThanOrEqual(90 * 86_400_000);
    expect(statSync(made.keyPath).mode & 0o777).toBe(0o600);
    // Kept on the next start: same certificate.
    const again = await generateLocalCertificate(dir);
    expect(again.renewed).toBeUndefined();
    expect(again.cert).toBe(made.cert);
  });

  it('a certificate signed with the leaf key does not verify against the leaf (it cannot act as an issuer)', async () => {
    const dir = join(work, 'issuer');
    const made = await generateLocalCertificate(dir);
    const key = join(dir, 'victim.key');
    const csr = join(dir, 'victim.csr');
    const forged = join(dir, 'victim.pem');
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=bank.example', '-keyout', key, '-out', csr], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', made.certPath, '-CAkey', made.keyPath, '-days', '30', '-out', forged], { stdio: 'ignore' });
    const r = openssl('verify', '-CAfile', made.certPath, forged);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/invalid CA certificate|not a CA|unsuitable certificate purpose/i);
    // The leaf itself verifies as its own trust anchor (what a browser that trusts it does).
    expect(openssl('verify', '-CAfile', made.certPath, made.certPath).status).toBe(0);
  });

  it('an old CA-style certificate is replaced on start: a client trusting it is refused, one trusting the new leaf connects', async () => {
    const dir = join(work, 'old');
    oldStyleCertificate(dir);
    const oldCert = readFileSync(join(dir, 'agent-tls.cert.pem'), 'utf8');
    expect(new X509Certificate(oldCert).ca).toBe(true);
    const made = await generateLocalCertificate(dir);
    expect(made.renewed).toBe('ca-certificate');
    expect(new X509Certificate(made.cert).ca).toBe(false);
    const a = await startAgent({ module: mod, allowedOrigins: ['https://qlvb.test'], prompter: new ConfigPrompter({ pin: null }), consent: false, tls: made });
    agents.push(a);
    expect(await handshake(a.port, oldCert)).toBe(false);
    expect(await handshake(a.port, made.cert)).toBe(true);
    // And the protocol runs over wss:// for a client trusting the leaf.
    const c = await RawClient.open(a.url, 'https://qlvb.test', { ca: made.cert });
    expect((await c.call({ action: 'kyso.hello', id: 'h', versions: [1] })).action).toBe('kyso.result');
    c.close();
  });

  it('Chromium: a page trusting the old CA-style certificate is refused by the new agent; trusting the leaf (as a peer, not an issuer) it connects', async () => {
    const dir = join(work, 'chromium');
    oldStyleCertificate(dir);
    const oldCert = readFileSync(join(dir, 'agent-tls.cert.pem'), 'utf8');
    const start = async (tls: { cert: string; key: string }) => {
      const a = await startAgent({ module: mod, allowedOrigins: ['https://qlvb.test'], prompter: new ConfigPrompter({ pin: null }), consent: false, tls });
      agents.push(a);
      return `https://127.0.0.1:${a.port}/`;
    };
    // Before: the old certificate served by an agent, trusted as an issuer, is accepted (it was a CA: the attack).
    const before = await start({ cert: oldCert, key: readFileSync(join(dir, 'agent-tls.key.pem'), 'utf8') });
    expect(await chromiumFetch(before, oldCert, 'C,,')).toContain('WebSocket only');
    const made = await generateLocalCertificate(dir);
    const after = await start(made);
    expect(await chromiumFetch(after, oldCert, 'C,,')).not.toContain('WebSocket only');
    // A leaf is no issuer, even when the user marks it as one; trusted for identifying this server, it works.
    expect(await chromiumFetch(after, made.cert, 'C,,')).not.toContain('WebSocket only');
    expect(await chromiumFetch(after, made.cert, 'P,,')).toContain('WebSocket only');
  });

  it('renewal: near expiry on start, and on command (kyso-agent --renew-tls); a loose key mode is tightened', async () => {
    const dir = join(work, 'renew');
    const short = await generateLocalCertificate(dir, { validityDays: 10 });
    const next = await generateLocalCertificate(dir);
    expect(next.renewed).toBe('expiring');
    expect(next.cert).not.toBe(short.cert);
    const cfg = join(dir, 'agent.json');
    writeFileSync(cfg, JSON.stringify({ module: hsm.module, allowedOrigins: ['https://qlvb.test'], tls: { generate: true } }));
    const renewed = await renewAgentCertificate(cfg);
    expect(renewed.renewed).toBe('requested');
    expect(renewed.cert).not.toBe(next.cert);
    execFileSync('chmod', ['644', renewed.keyPath]);
    await generateLocalCertificate(dir);
    expect(statSync(renewed.keyPath).mode & 0o777).toBe(0o600);
  });
});
