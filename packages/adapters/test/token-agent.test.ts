/**
 * TokenAgentAdapter ↔ kyso agent ↔ SoftHSM2, all real: PDFs signed with core
 * `sign` through the WebSocket verify with pdfsig and core `verify`; the
 * failure table checks each typed error, no hang, no output written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { finish, prepare, sign, verify, fromBase64 } from '@kyso/core';
import { signFile } from '@kyso/core/node';
import { TokenAgentAdapter, type WebSocketConstructor } from '@kyso/adapters';
import { ConfigPrompter, describeDocuments, Pkcs11Module, startAgent, type ConsentPrompt, type PinPrompt, type Prompter, type RunningAgent } from '@kyso/agent';
import { copySoftHsm, ensurePki, ensureSamples, fixturesDir, type SoftHsm, type TestPki } from '@kyso/testkit';
import { pdfsig } from './helpers/agent.js';
import { failure } from './helpers/failure.js';

const ORIGIN = 'https://qlvb.test';
/** The agents below take their PIN from configuration: they serve ORIGIN as an unattended client with this credential. */
const CLIENT_TOKEN = 'token-agent-test-client-credential-0123456789';
/** `ws` with the page's Origin header, as a browser would send it (RFC 6455 §4.1). */
const wsFrom = (origin: string | undefined): WebSocketConstructor =>
  class extends WebSocket {
    constructor(url: string) {
      super(url, origin ? { origin } : {});
    }
  } as unknown as WebSocketConstructor;

let hsm: SoftHsm;
let mod: Pkcs11Module;
let pki: TestPki;
let work: string;
let pdf: Uint8Array;
const agents: RunningAgent[] = [];

async function agent(options: Partial<Parameters<typeof startAgent>[0]> = {}): Promise<RunningAgent> {
  const a = await startAgent({
    module: mod, allowedOrigins: [ORIGIN], prompter: new ConfigPrompter({ pin: '123456' }), consent: false,
    unattended: { origins: [ORIGIN], clientToken: CLIENT_TOKEN }, ...options,
  });
  agents.push(a);
  return a;
}
const adapterFor = (a: RunningAgent, extra: Partial<ConstructorParameters<typeof TokenAgentAdapter>[0]> = {}) =>
  new TokenAgentAdapter({ url: a.url, WebSocket: wsFrom(ORIGIN), connectTimeoutMs: 3000, answerTimeoutMs: 3000, userTimeoutMs: 5000, clientToken: CLIENT_TOKEN, ...extra });

/** A person at the agent's keyboard, scripted: answers consent with `consent`, the PIN with `pin`; counts the prompts. */
class ScriptedUser implements Prompter {
  readonly interactive = true;
  consentRequests = 0;
  pinPrompts: Omit<PinPrompt, 'signal'>[] = [];
  constructor(private readonly answers: { consent: boolean; pin: string | null }) {}
  async askConsent(_p: ConsentPrompt): Promise<boolean> {
    this.consentRequests++;
    return this.answers.consent;
  }
  async askPin({ signal: _s, ...shown }: PinPrompt): Promise<string | null> {
    this.pinPrompts.push(shown);
    return this.answers.pin;
  }
}

beforeAll(async () => {
  pki = await ensurePki();
  await ensureSamples();
  work = mkdtempSync(join(tmpdir(), 'kyso-token-agent-'));
  // A private copy of the tokens: this file removes one.
  hsm = await copySoftHsm(join(work, 'softhsm'));
  process.env.SOFTHSM2_CONF = hsm.conf;
  mod = Pkcs11Module.open(hsm.module);
  pdf = new Uint8Array(readFileSync(join(fixturesDir(), 'samples/simple.pdf')));
});
afterAll(async () => {
  for (const a of agents) await a.close();
  mod?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('signing a PDF through the agent', () => {
  const cases = [
    { label: 'leader', token: 'kyso-leader', scheme: undefined, what: 'RSA-2048 PKCS#1 v1.5' },
    { label: 'rsa3072', token: 'kyso-seal', scheme: 'RSA-PSS' as const, what: 'RSA-3072 PSS' },
    { label: 'p256', token: 'kyso-leader', scheme: undefined, what: 'ECDSA P-256' },
  ];
  for (const c of cases) {
    it(`${c.what}: pdfsig valid, core verify intact and chained to the test root`, async () => {
      const a = await agent();
      const adapter = adapterFor(a);
      const certs = await adapter.listCertificates();
      // The four leaf certificates, not the intermediate stored beside them.
      expect(certs.map((x) => x.label).sort()).toEqual(['leader (kyso-leader)', 'p256 (kyso-leader)', 'rsa3072 (kyso-seal)', 'seal (kyso-seal)']);
      const entry = certs.find((x) => x.label === `${c.label} (${c.token})`)!;
      expect(entry).toBeDefined();
      expect(entry.chain.length).toBe(1); // the intermediate stored on the token
      const signed = await sign(pdf, { adapter, certificateId: entry.id, level: 'B-B', ...(c.scheme ? { scheme: c.scheme } : {}) });
      adapter.close();
      const out = join(work, `${c.label}.pdf`);
      writeFileSync(out, signed);
      expect(pdfsig(out, pki.nssDir)).toEqual([{ field: 'Signature1', valid: true, totalDocument: true }]);
      const report = await verify(signed, { trust: [pki.rootDer], revocation: 'off' });
      const s = report.signatures[0]!;
      expect(s).toMatchObject({ integrity: 'intact', cryptoValid: true, coversWholeFile: true, chain: { status: 'trusted' } });
      expect(s.signer?.serialNumber).toBe(pki.entity(c.label as 'leader').serialHex.toLowerCase());
      // Revocation is off here, so the verdict stops at INDETERMINATE/TRY_LATER, never FAILED.
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    });
  }

  it('batch: three documents, one PIN prompt, three signatures that each verify', async () => {
    const prompter = new ConfigPrompter({ pin: '123456' });
    const a = await agent({ prompter });
    const adapter = adapterFor(a);
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('seal '))!;
    const docs = [pdf, new Uint8Array(readFileSync(join(fixturesDir(), 'samples/vietnamese.pdf'))), new Uint8Array(readFileSync(join(fixturesDir(), 'samples/classic-xref.pdf')))];
    const prepared = await Promise.all(docs.map((d) => prepare(d, { certificate: entry.certificate, chain: entry.chain, level: 'B-B' })));
    const sigs = await adapter.signDigests({
      certificateId: entry.id,
      algorithm: { scheme: prepared[0]!.scheme, hash: prepared[0]!.hash },
      digests: prepared.map((p) => fromBase64(p.toBeSignedDigest)!),
    });
    expect(prompter.pinRequests).toBe(1);
    expect(new Set(sigs.map((s) => Buffer.from(s).toString('hex'))).size).toBe(3);
    for (const [i, p] of prepared.entries()) {
      const signed = await finish(p, sigs[i]!, { pdf: docs[i]! });
      const out = join(work, `batch-${i}.pdf`);
      writeFileSync(out, signed);
      expect(pdfsig(out, pki.nssDir).map((x) => x.valid)).toEqual([true]);
    }
    adapter.close();
  });
});

describe('the PIN prompt shows what is being signed (issue 12 §5)', () => {
  it('core sign(): the prompt names the document and the first digits of its digest (the CMS messageDigest)', async () => {
    const user = new ScriptedUser({ consent: true, pin: '123456' });
    const a = await agent({ prompter: user, unattended: undefined });
    const adapter = adapterFor(a, { clientToken: undefined, describeDocument: () => ({ name: 'Quyết định 12/QĐ-UBND.pdf' }) });
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    const signed = await sign(pdf, { adapter, certificateId: entry.id, level: 'B-B' });
    adapter.close();
    // The digest a verifier recomputes: SHA-256 over the signed byte ranges (ISO 32000-2 §12.8.1).
    const [b0, l0, b1, l1] = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(Buffer.from(signed).toString('latin1'))!.slice(1).map(Number) as [number, number, number, number];
    const md = createHash('sha256').update(signed.subarray(b0, b0 + l0)).update(signed.subarray(b1, b1 + l1)).digest('hex');
    expect(user.pinPrompts).toHaveLength(1);
    expect(user.pinPrompts[0]).toMatchObject({ origin: ORIGIN, count: 1, documents: [{ name: 'Quyết định 12/QĐ-UBND.pdf', digestPrefix: md.slice(0, 16) }] });
    const text = describeDocuments(user.pinPrompts[0]!);
    expect(text).toContain('"Quyết định 12/QĐ-UBND.pdf"');
    expect(text).toContain(md.slice(0, 16));
  });

  it('a batch lists each document; a name cannot smuggle terminal escapes or bidi overrides into the prompt', async () => {
    const user = new ScriptedUser({ consent: true, pin: '123456' });
    const a = await agent({ prompter: user, unattended: undefined, consent: false });
    const adapter = adapterFor(a, { clientToken: undefined });
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    await adapter.signDigests({
      certificateId: entry.id, algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, digests: [new Uint8Array(32), new Uint8Array(32).fill(1)],
      documents: [{ name: 'a.pdf', digestPrefix: '00112233aabbccdd' }, { name: 'hoá đơn\u001b[2J\u202egpj.exe' }],
    });
    adapter.close();
    expect(user.pinPrompts[0]).toMatchObject({ count: 2, documents: [{ name: 'a.pdf', digestPrefix: '00112233aabbccdd' }, { name: 'hoá đơn[2Jgpj.exe' }] });
    expect(describeDocuments(user.pinPrompts[0]!)).not.toMatch(/[\u001b\u202e]/);
  });
});

describe('failure table: typed errors, no hang, no output', () => {
  it('agent not running → ERR_AGENT_UNREACHABLE, no output file', async () => {
    const a = await agent();
    const url = a.url;
    await a.close();
    agents.splice(agents.indexOf(a), 1);
    const adapter = new TokenAgentAdapter({ url, WebSocket: wsFrom(ORIGIN), connectTimeoutMs: 2000 });
    const out = join(work, 'never.pdf');
    const input = join(fixturesDir(), 'samples/simple.pdf');
    const err = await failure(signFile(input, out, { adapter, level: 'B-B' }));
    expect(err.code).toBe('ERR_AGENT_UNREACHABLE');
    expect(err.localized('vi')).toMatch(/phần mềm ký số/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith('never'))).toEqual([]);
  });

  it('origin not allowed → ERR_AGENT_ORIGIN_DENIED (and a missing Origin too)', async () => {
    const a = await agent();
    for (const origin of ['https://evil.test', undefined]) {
      const adapter = new TokenAgentAdapter({ url: a.url, WebSocket: wsFrom(origin), connectTimeoutMs: 2000 });
      expect((await failure(adapter.listCertificates())).code).toBe('ERR_AGENT_ORIGIN_DENIED');
    }
  });

  it('agent with a configured PIN: an adapter without the client credential → ERR_AGENT_CLIENT_DENIED, a wrong one too', async () => {
    const a = await agent();
    expect((await failure(adapterFor(a, { clientToken: undefined }).listCertificates())).code).toBe('ERR_AGENT_CLIENT_DENIED');
    const wrong = await failure(adapterFor(a, { clientToken: CLIENT_TOKEN.replace(/.$/, '!') }).listCertificates());
    expect(wrong.code).toBe('ERR_AGENT_CLIENT_DENIED');
    expect(wrong.localized('vi')).toMatch(/ký tự động/);
  });

  it('agent at its caps → ERR_AGENT_OVERLOADED for a new connection (close 1013) and for a request beyond the pending limit', async () => {
    const a = await agent({ maxConnections: 1, prompter: new ConfigPrompter({ pin: '123456', delayMs: 1500 }) });
    const holder = new WebSocket(a.url, { origin: ORIGIN });
    await new Promise((r) => holder.once('open', r));
    const refused = await failure(adapterFor(a).listCertificates());
    expect(refused.code).toBe('ERR_AGENT_OVERLOADED');
    expect(refused.localized('vi')).toMatch(/quá nhiều kết nối/);
    holder.close();
    await new Promise((r) => holder.once('close', r));
    expect(a.stats().refusedConnections).toBe(1);

    const b = await agent({ maxPendingRequests: 1, prompter: new ConfigPrompter({ pin: '123456', delayMs: 1500 }) });
    const first = adapterFor(b);
    const entry = (await first.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    const req = { certificateId: entry.id, algorithm: { scheme: 'ECDSA' as const, hash: 'SHA-256' as const }, data: new Uint8Array(1), digest: new Uint8Array(32) };
    let waiting!: () => void;
    const asked = new Promise<void>((resolve) => (waiting = resolve));
    const other = adapterFor(b, { onWaitingForUser: () => waiting() });
    const inFlight = other.sign(req);
    await asked;
    expect((await failure(first.listCertificates())).code).toBe('ERR_AGENT_OVERLOADED');
    expect(b.stats().refusedRequests).toBe(1);
    expect((await inFlight).length).toBe(64);
    other.close();
    first.close();
  });

  it('user does not finish the PIN in time → ERR_AGENT_USER_TIMEOUT; the agent stays usable', async () => {
    const a = await agent({ prompter: new ConfigPrompter({ pin: '123456', delayMs: 4000 }) });
    const adapter = adapterFor(a, { userTimeoutMs: 400 });
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    const t0 = Date.now();
    const err = await failure(adapter.sign({ certificateId: entry.id, algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, data: new Uint8Array(1), digest: new Uint8Array(32) }));
    expect(err.code).toBe('ERR_AGENT_USER_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(3000);
    // The cancel reached the agent: the token is free again at once (no ERR_AGENT_BUSY).
    const again = adapterFor(a, { userTimeoutMs: 8000 });
    expect((await again.sign({ certificateId: entry.id, algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, data: new Uint8Array(1), digest: new Uint8Array(32) })).length).toBe(64);
  });

  it('abort signal → ERR_ABORTED and a cancel message', async () => {
    const a = await agent({ prompter: new ConfigPrompter({ pin: '123456', delayMs: 4000 }) });
    const adapter = adapterFor(a);
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    const ac = new AbortController();
    const p = adapter.sign({ certificateId: entry.id, algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, data: new Uint8Array(1), digest: new Uint8Array(32), signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    expect((await failure(p)).code).toBe('ERR_ABORTED');
  });

  it('user cancels the PIN prompt → ERR_AGENT_CANCELLED; consent refused → ERR_AGENT_CONSENT_DENIED', async () => {
    const a = await agent({ prompter: new ConfigPrompter({ pin: null }) });
    const adapter = adapterFor(a);
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    expect((await failure(adapter.sign({ certificateId: entry.id, algorithm: { scheme: 'ECDSA', hash: 'SHA-256' }, data: new Uint8Array(1), digest: new Uint8Array(32) }))).code).toBe('ERR_AGENT_CANCELLED');
    const b = await agent({ prompter: new ScriptedUser({ pin: '123456', consent: false }), consent: undefined, unattended: undefined });
    expect((await failure(adapterFor(b).listCertificates())).code).toBe('ERR_AGENT_CONSENT_DENIED');
  });

  it('consent is asked once per origin and remembered', async () => {
    const prompter = new ScriptedUser({ pin: '123456', consent: true });
    const a = await agent({ prompter, consent: undefined, unattended: undefined });
    await adapterFor(a).listCertificates();
    await adapterFor(a).listCertificates();
    expect(prompter.consentRequests).toBe(1);
  });

  it('a second call in flight → ERR_AGENT_BUSY (adapter) and from another page (agent, same token)', async () => {
    const a = await agent({ prompter: new ConfigPrompter({ pin: '123456', delayMs: 800 }) });
    const adapter = adapterFor(a);
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('p256'))!;
    const req = { certificateId: entry.id, algorithm: { scheme: 'ECDSA' as const, hash: 'SHA-256' as const }, data: new Uint8Array(1), digest: new Uint8Array(32) };
    const first = adapter.sign(req);
    expect((await failure(adapter.sign(req))).code).toBe('ERR_AGENT_BUSY');
    await new Promise((r) => setTimeout(r, 150));
    const other = adapterFor(a);
    expect((await failure(other.sign(req))).code).toBe('ERR_AGENT_BUSY');
    expect((await first).length).toBe(64);
  });

  it('wrong PIN until the agent limit → ERR_TOKEN_PIN_INCORRECT ×2, then ERR_TOKEN_PIN_LIMIT; the token is not locked', async () => {
    const a = await agent({ prompter: new ConfigPrompter({ pin: '999999' }), pinFailureLimit: 2 });
    const adapter = adapterFor(a);
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('leader'))!;
    const req = { certificateId: entry.id, algorithm: { scheme: 'RSASSA-PKCS1-v1_5' as const, hash: 'SHA-256' as const }, data: new Uint8Array(1), digest: new Uint8Array(32) };
    const e1 = await failure(adapter.sign(req));
    expect(e1.code).toBe('ERR_TOKEN_PIN_INCORRECT');
    expect(e1.detail).toMatch(/1 of 2/);
    expect(e1.message).not.toContain('999999');
    expect((await failure(adapter.sign(req))).code).toBe('ERR_TOKEN_PIN_INCORRECT');
    expect((await failure(adapter.sign(req))).code).toBe('ERR_TOKEN_PIN_LIMIT');
    const token = mod.tokens().find((t) => t.label === 'kyso-leader')!;
    expect(token.pinLocked).toBe(false);
    const keyId = entry.id.split(':')[1]!;
    expect(mod.signDigest({ tokenLabel: 'kyso-leader', keyId, pin: '123456', scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', digest: new Uint8Array(32) }).length).toBe(256);
  });

  it('malformed and fuzzed frames → ERR_AGENT_PROTOCOL answers; the agent survives', async () => {
    const a = await agent();
    const ws = new WebSocket(a.url, { origin: ORIGIN });
    const replies: { action: string; id: string | null; error?: { code: string } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    const frames: (string | Buffer)[] = [
      'not json', '[]', '{}', 'null', '{"action":"kyso.sign","id":"x1"}', '{"action":"kyso.hello","id":"h","versions":"1"}',
      '{"action":"eval","id":"e1","code":"process.exit()"}', '{"action":"kyso.list-certificates","id":"before-hello"}',
      JSON.stringify({ action: 'kyso.sign', id: 'x2', certificateId: 'a:01', scheme: 'RSA', hash: 'SHA-256', digest: 'AA==' }),
      JSON.stringify({ action: 'kyso.sign-batch', id: 'x3', certificateId: 'a:01', scheme: 'ECDSA', hash: 'SHA-256', digests: [] }),
      JSON.stringify({ action: 'kyso.sign', id: 'x'.repeat(500), certificateId: 'a:01', scheme: 'ECDSA', hash: 'SHA-256', digest: 'AA==' }),
      Buffer.from([0, 1, 2, 3]),
    ];
    for (let i = 0; i < 20; i++) frames.push(Buffer.from(Array.from({ length: 40 }, (_, j) => (i * 31 + j * 7) % 256)).toString('latin1'));
    for (const f of frames.slice(0, 16)) ws.send(f);
    await new Promise((r) => setTimeout(r, 300));
    expect(replies.length).toBe(16);
    expect(replies.every((r) => r.action === 'kyso.error' && r.error?.code === 'ERR_AGENT_PROTOCOL')).toBe(true);
    expect(replies.find((r) => r.id === 'before-hello')?.error?.code).toBe('ERR_AGENT_PROTOCOL');
    ws.close();
    // Too-large frame: ws closes that connection (1009), the agent goes on.
    const big = new WebSocket(a.url, { origin: ORIGIN });
    await new Promise((r) => big.once('open', r));
    const closed = new Promise<number>((r) => big.once('close', (code) => r(code)));
    big.send('x'.repeat(200_000));
    expect(await closed).toBe(1009);
    expect((await adapterFor(a).listCertificates()).length).toBeGreaterThan(0);
  });

  it('a malformed certificate entry from the agent (label an object, serial or schemes missing) → ERR_AGENT_PROTOCOL', async () => {
    const { WebSocketServer } = await import('ws');
    const entry = { id: 'c1', certificate: 'MIIBAA==', chain: ['MIIBAA=='], label: 'L', token: { label: 'T', serial: '1' }, schemes: ['ECDSA'] };
    const bad = [{ ...entry, label: { toString: 1 } }, { ...entry, token: { label: 'T' } }, { ...entry, schemes: undefined }];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    let next = 0;
    wss.on('connection', (ws) => ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { action: string; id: string };
      const result = m.action === 'kyso.hello' ? { version: 1, agent: 'kyso-agent', agentVersion: '0' } : { certificates: [bad[next++]] };
      ws.send(JSON.stringify({ action: 'kyso.result', id: m.id, result }));
    }));
    try {
      const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
      for (let i = 0; i < bad.length; i++) {
        const adapter = new TokenAgentAdapter({ url, WebSocket: wsFrom(ORIGIN), connectTimeoutMs: 3000 });
        expect((await failure(adapter.listCertificates())).code).toBe('ERR_AGENT_PROTOCOL');
        adapter.close();
      }
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  });

  it('protocol version mismatch → ERR_AGENT_VERSION', async () => {
    const a = await agent();
    const ws = new WebSocket(a.url, { origin: ORIGIN });
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise<{ error: { code: string } }>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ action: 'kyso.hello', id: 'h1', versions: [99] }));
    expect((await reply).error.code).toBe('ERR_AGENT_VERSION');
    ws.close();
  });

  it('token removed while the PIN prompt is open → ERR_TOKEN_REMOVED, no output file', async () => {
    const a = await agent({ prompter: new ConfigPrompter({ pin: '123456', delayMs: 300 }) });
    // Pull the token out when the agent asks for the PIN: SoftHSM2 keeps each token in its own folder under tokendir.
    const pull = (reason: string) => {
      if (reason !== 'pin') return;
      const tokensDir = join(hsm.dir, 'tokens');
      for (const d of readdirSync(tokensDir)) {
        if (readFileSync(join(tokensDir, d, 'token.object')).includes('kyso-seal')) rmSync(join(tokensDir, d), { recursive: true });
      }
    };
    const adapter = adapterFor(a, { onWaitingForUser: pull });
    const entry = (await adapter.listCertificates()).find((x) => x.label.startsWith('seal '))!;
    const out = join(work, 'removed.pdf');
    const err = await failure(signFile(join(fixturesDir(), 'samples/simple.pdf'), out, { adapter, certificateId: entry.id, level: 'B-B' }));
    expect(err.code).toBe('ERR_TOKEN_REMOVED');
    expect(existsSync(out)).toBe(false);
    expect((await adapter.listCertificates()).some((x) => x.token.label === 'kyso-seal')).toBe(false);
  });
});
