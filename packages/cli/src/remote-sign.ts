import { kysoError, type SignRequest, type SigningAdapter } from '@kyso/core';
import { RemoteSigningAdapter } from '@kyso/adapters';

/** What `kyso sign --remote` needs to sign through the integrator's back end. */
export interface RemoteSignArgs {
  /** The back end with `@kyso/adapters/remote-handler` mounted, e.g. `https://qlvb.example/api/kyso-remote`. */
  readonly endpoint: string;
  /** `Name: value` headers the back end knows the signer by (its session cookie, a bearer token). */
  readonly headers: readonly string[];
  readonly lang: 'vi' | 'en';
  /** Where the wait is told (stderr). */
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly signal: AbortSignal;
}

const TEXT = {
  vi: { confirm: 'Xác nhận trên điện thoại…', left: (time: string) => `còn ${time}`, cancel: 'Ctrl-C để hủy.' },
  en: { confirm: 'Confirm on your phone…', left: (time: string) => `${time} left`, cancel: 'Ctrl-C cancels.' },
} as const;

/** `Name: value` → a header entry; `ERR_INVALID_ARGUMENT` otherwise. */
function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!m || /[\r\n]/.test(m[2]!)) throw kysoError('ERR_INVALID_ARGUMENT', '--remote-header must be "Name: value"');
    headers[m[1]!] = m[2]!;
  }
  return headers;
}

/**
 * The adapter of `kyso sign --remote`: the integrator back end's
 * {@link RemoteSigningAdapter}, signing in two steps so the terminal can show
 * the wait: once the transaction is started, "confirm on your phone" and the
 * time left to the service's window end on `out` (redrawn each second on a
 * terminal, one line otherwise); when `signal` aborts (Ctrl-C) while the
 * phone is asked, the transaction is cancelled at the service too.
 */
export function remoteSigningAdapter(args: RemoteSignArgs): SigningAdapter {
  const remote = new RemoteSigningAdapter({ endpoint: args.endpoint, headers: parseHeaders(args.headers), name: 'remote' });
  const t = TEXT[args.lang];
  return {
    name: remote.name,
    listCertificates: (signal) => remote.listCertificates(signal),
    capabilities: () => remote.capabilities(),
    async sign(request: SignRequest): Promise<Uint8Array> {
      const signal = request.signal ?? args.signal;
      // Not aborted half-way: once the back end has the digest the phone may be asked, so a Ctrl-C during the
      // start waits for the transaction (one request, with its time-out) and cancels it.
      const transaction = await remote.start({
        certificateId: request.certificateId, digests: [request.digest], hash: request.algorithm.hash,
        scheme: request.algorithm.scheme,
      });
      if (signal.aborted) {
        await remote.cancel(transaction).catch(() => undefined);
        throw kysoError('ERR_ABORTED', 'interrupted while the transaction was started');
      }
      const end = Date.parse(transaction.expiresAt);
      const left = () => {
        const s = Math.max(0, Math.ceil((end - Date.now()) / 1000));
        return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      };
      // A transaction the service settled when it started (no window: VNPT SmartCA TH, a synchronous signHash)
      // asks nobody for anything: no "confirm on your phone".
      const asks = end > Date.parse(transaction.startedAt);
      const tty = asks && args.out.isTTY === true;
      const line = () => `${t.confirm} (${t.left(left())}) ${t.cancel}`;
      if (asks) args.out.write(tty ? `\r${line()}` : `${line()}\n`);
      const clock = tty ? setInterval(() => args.out.write(`\r${line()}`), 1000) : undefined;
      try {
        const [signature, ...rest] = await remote.awaitTransaction(transaction, signal);
        if (!signature || rest.length) throw kysoError('ERR_REMOTE_BAD_RESPONSE', 'expected one signature value');
        return signature;
      } catch (error) {
        // Awaited (the process ends right after) but its failure not reported: the run already ends with
        // ERR_ABORTED, and a transaction the service did not drop ends at its window without a signature anyone takes.
        if (signal.aborted) await remote.cancel(transaction).catch(() => undefined);
        throw error;
      } finally {
        if (clock) clearInterval(clock);
        if (tty) args.out.write('\n');
      }
    },
  };
}
