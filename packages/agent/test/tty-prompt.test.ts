/**
 * The person's side of issue 12 §5, through a real pseudo-terminal
 * (util-linux `script`): the agent asks on its terminal, and the PIN prompt
 * shows the origin, the certificate, the count, and the document name and
 * digest prefix the page declared; the PIN typed is not echoed. Then a
 * refusal is remembered: the page's next request raises no prompt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePki, repoRoot, type SoftHsm, type TestPki } from '@kyso/testkit';
import { buildAgent, RawClient, signOnce } from './helpers/agent-process.js';
import { openTokenWork } from './helpers/token-work.js';

const PAGE = 'https://qlvb.test';
let work: string;
let hsm: SoftHsm;
let pki: TestPki;
let child: ChildProcess | undefined;
let screen = '';

beforeAll(async () => {
  buildAgent();
  pki = await ensurePki();
  ({ work, hsm } = await openTokenWork('kyso-agent-tty-'));
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((r) => (child!.once('exit', () => r()), child!.kill('SIGKILL')));
  }
  rmSync(work, { recursive: true, force: true });
});

/** Waits until the terminal shows text matching `re` after position `from`; returns the new position. */
async function shown(re: RegExp, from: number): Promise<number> {
  for (;;) {
    const m = re.exec(screen.slice(from));
    if (m) return from + m.index + m[0].length;
    if (child!.exitCode !== null) throw new Error(`agent exited: ${screen}`);
    await new Promise((r) => child!.stdout!.once('data', r));
  }
}

describe('the agent prompts on its own terminal', () => {
  it('consent, then a PIN prompt naming the declared document and digest prefix; the PIN is not echoed; a "no" is remembered', async () => {
    const cfg = join(work, 'agent.json');
    writeFileSync(cfg, JSON.stringify({
      module: hsm.module, allowedOrigins: [PAGE, 'https://other.test'], port: 0, pin: { source: 'tty' }, log: 'off',
      env: { SOFTHSM2_CONF: hsm.conf },
    }));
    const cmd = `exec '${process.execPath}' '${join(repoRoot(), 'packages/agent/bin/kyso-agent.js')}' --config '${cfg}'`;
    child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (screen += d.toString('utf8')));
    let at = await shown(/\{"event":"listening"[^\n]*\}/, 0);
    const url = (JSON.parse(/\{"event":"listening"[^\n]*\}/.exec(screen)![0]) as { url: string }).url;

    const c = await RawClient.open(url, PAGE);
    await c.call({ action: 'kyso.hello', id: 'h', versions: [1] });
    const digest = createHash('sha256').update('signed attributes').digest();
    const result = signOnce(c, 'leader', digest, { document: { name: 'Công văn 45/UBND\u001b[31m.pdf', digestPrefix: '9f86d081884c7d65' } });
    at = await shown(/\[y\/N\] /, at);
    expect(screen).toContain(`Allow ${PAGE} to use your signing token?`);
    child.stdin!.write('y\r');
    at = await shown(/PIN \(để trống để hủy \/ empty to cancel\): /, at);
    const prompt = screen.slice(0, at);
    expect(prompt).toContain(`${PAGE} asks to sign 1 document(s) with "leader" (kyso-leader)`);
    expect(prompt).toContain('documents (as declared by the page)');
    expect(prompt).toContain('1. "Công văn 45/UBND[31m.pdf"  SHA 9f86d081884c7d65…');
    expect(prompt).not.toContain('\u001b[31m');
    child.stdin!.write('123456\r');
    const r = await result;
    expect(r.action).toBe('kyso.result');
    const spki = createPublicKey({ key: pki.entity('leader').certPem, format: 'pem' });
    expect(nodeVerify('sha256', Buffer.from('signed attributes'), spki, Buffer.from(r.result!.signature as string, 'base64'))).toBe(true);
    expect(screen.slice(at)).not.toContain('123456');
    c.close();

    // Another page: the user says no once; its next requests raise no prompt.
    const other = await RawClient.open(url, 'https://other.test');
    await other.call({ action: 'kyso.hello', id: 'h', versions: [1] });
    const first = other.call({ action: 'kyso.list-certificates', id: 'o1' });
    at = await shown(/Allow https:\/\/other\.test to use your signing token\? \[y\/N\] /, at);
    child.stdin!.write('n\r');
    expect((await first).error?.code).toBe('ERR_AGENT_CONSENT_DENIED');
    const mark = screen.length;
    for (let i = 2; i < 6; i++) expect((await other.call({ action: 'kyso.list-certificates', id: `o${i}` })).error?.code).toBe('ERR_AGENT_CONSENT_DENIED');
    expect(screen.slice(mark)).not.toMatch(/\[y\/N\]/);
    other.close();
  });
});
