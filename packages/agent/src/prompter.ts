/**
 * Who the agent asks for the PIN and for per-origin consent. The page never
 * sends a PIN (issue 6 §1): the agent asks the user on a channel the page
 * cannot read: its own terminal, its own local page, or (tests, kiosks) its
 * configuration.
 */
import { open } from 'node:fs/promises';
import { kysoError } from '@kyso/core';
import type { DocumentInfo } from './protocol.js';

/** What the user is shown when asked for a PIN. Never document content. */
export interface PinPrompt {
  readonly origin: string;
  readonly tokenLabel: string;
  readonly certificateLabel: string;
  /** How many signatures the PIN unlocks (1, or a batch). */
  readonly count: number;
  /**
   * What the page declared about each document (name, digest prefix), one entry per digest when given.
   * Declared, not proven: the agent only sees digests of signed attributes.
   */
  readonly documents?: readonly DocumentInfo[];
  /** 1 for the first ask in this request, 2… after a wrong PIN. */
  readonly attempt: number;
  /** From the token's flags (PKCS#11 CK_TOKEN_INFO): few tries or the final try left. */
  readonly warning?: 'few-tries-left' | 'final-try';
  readonly signal: AbortSignal;
}

/** What the user is shown when an origin asks for the first time. */
export interface ConsentPrompt {
  readonly origin: string;
  readonly signal: AbortSignal;
}

/**
 * The agent's way to reach the user. `askPin` resolves with the PIN or null
 * when the user cancels; it must reject or resolve promptly once `signal`
 * aborts.
 */
export interface Prompter {
  /** Interactive prompters let the user retry after a wrong PIN within one request. */
  readonly interactive: boolean;
  askPin(prompt: PinPrompt): Promise<string | null>;
  askConsent(prompt: ConsentPrompt): Promise<boolean>;
  close?(): Promise<void>;
}

/** Waits `ms`, or rejects with ERR_AGENT_CANCELLED when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(kysoError('ERR_AGENT_CANCELLED'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(kysoError('ERR_AGENT_CANCELLED'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of {@link ConfigPrompter}. */
export interface ConfigPrompterOptions {
  /** The PIN to answer with; null answers "cancel". */
  readonly pin: string | null;
  /** Answer to consent questions (default true). */
  readonly consent?: boolean;
  /** Wait this long before answering, standing in for a user typing (tests of time-outs and kills). */
  readonly delayMs?: number;
}

/**
 * A non-interactive prompter answering from configuration (tests, unattended
 * seal signing). Being non-interactive, the agent never retries its PIN within
 * a request and never uses it on a token at its final try.
 */
export class ConfigPrompter implements Prompter {
  readonly interactive = false;
  readonly #o: ConfigPrompterOptions;
  /** How many times a PIN was asked for (tests check "one PIN entry per batch"). */
  pinRequests = 0;
  consentRequests = 0;
  /** The last PIN prompt's content (without its signal), as a user would have seen it. */
  lastPinPrompt: Omit<PinPrompt, 'signal'> | undefined;

  constructor(options: ConfigPrompterOptions) {
    this.#o = options;
  }

  async askPin(prompt: PinPrompt): Promise<string | null> {
    this.pinRequests++;
    const { signal: _signal, ...shown } = prompt;
    this.lastPinPrompt = shown;
    if (this.#o.delayMs) await delay(this.#o.delayMs, prompt.signal);
    return this.#o.pin;
  }

  async askConsent(prompt: ConsentPrompt): Promise<boolean> {
    this.consentRequests++;
    if (this.#o.delayMs) await delay(this.#o.delayMs, prompt.signal);
    return this.#o.consent ?? true;
  }
}

/** The documents' lines of a PIN prompt: at most 5 listed, the rest counted; "declared by the page" because the agent cannot check them. */
export function describeDocuments(p: Pick<PinPrompt, 'count' | 'documents'>): string {
  const docs = p.documents ?? [];
  if (docs.length === 0 || docs.every((d) => !d.name && !d.digestPrefix)) {
    return 'Trang không khai báo tên tài liệu / the page declared no document name.\n';
  }
  const lines = docs.slice(0, 5).map((d, i) => `  ${i + 1}. ${d.name ? `"${d.name}"` : '(không tên / unnamed)'}${d.digestPrefix ? `  SHA ${d.digestPrefix}…` : ''}\n`);
  if (docs.length > 5) lines.push(`  … và ${docs.length - 5} tài liệu khác / and ${docs.length - 5} more\n`);
  return 'Tài liệu (do trang khai báo) / documents (as declared by the page):\n' + lines.join('');
}

/**
 * Asks on the agent's controlling terminal (`/dev/tty`), echo off, so the PIN
 * goes neither through the page nor through stdin pipes or logs.
 */
export class TtyPrompter implements Prompter {
  readonly interactive = true;
  #queue: Promise<unknown> = Promise.resolve();

  askPin(p: PinPrompt): Promise<string | null> {
    const warn = p.warning === 'final-try' ? ' [LẦN THỬ CUỐI / FINAL TRY]' : p.warning === 'few-tries-left' ? ' [còn ít lần thử / few tries left]' : '';
    const line =
      `\n${p.origin} yêu cầu ký ${p.count} tài liệu bằng "${p.certificateLabel}" (${p.tokenLabel}).\n` +
      `${p.origin} asks to sign ${p.count} document(s) with "${p.certificateLabel}" (${p.tokenLabel}).${warn}\n` +
      describeDocuments(p) +
      `PIN (để trống để hủy / empty to cancel): `;
    return this.#serial(() => this.#read(line, true, p.signal)).then((s) => (s ? s : null));
  }

  askConsent(p: ConsentPrompt): Promise<boolean> {
    const line = `\nCho phép ${p.origin} dùng thiết bị ký số? / Allow ${p.origin} to use your signing token? [y/N] `;
    return this.#serial(() => this.#read(line, false, p.signal)).then((s) => /^(y|yes|c|có|co)$/i.test(s.trim()));
  }

  #serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(f, f);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(question: string, secret: boolean, signal: AbortSignal): Promise<string> {
    const { ReadStream, WriteStream } = await import('node:tty');
    const fd = await open('/dev/tty', 'r+');
    const input = new ReadStream(fd.fd);
    const output = new WriteStream(fd.fd);
    try {
      // Echo goes off before the question appears: a PIN typed the moment the prompt shows must never reach the screen.
      if (secret) input.setRawMode(true);
      output.write(question);
      return await new Promise<string>((resolve, reject) => {
        let buf = '';
        const done = (err: unknown, value?: string) => {
          input.off('data', onData);
          signal.removeEventListener('abort', onAbort);
          output.write('\n');
          if (err) reject(err);
          else resolve(value ?? '');
        };
        const onAbort = () => done(kysoError('ERR_AGENT_CANCELLED'));
        const onData = (chunk: Buffer) => {
          for (const ch of chunk.toString('utf8')) {
            if (ch === '\r' || ch === '\n') return done(null, buf);
            if (ch === '\u0003') return done(null, ''); // Ctrl-C cancels the prompt, not the agent
            if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
            else buf += ch;
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        input.on('data', onData);
      });
    } finally {
      if (secret) input.setRawMode(false);
      input.destroy();
      await fd.close().catch(() => undefined);
    }
  }
}
