import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../exec.js';
import { listen, readBody } from '../http.js';
import { ensurePki, type TestPki } from '../pki/generate.js';
import { atFixedTime } from '../tsa/reply.js';
import { ENTITY_NAMES, profileOf, VALIDITY } from '../pki/profile.js';

/** Options of {@link startOpensslOcspResponder}. */
export interface OpensslOcspOptions {
  readonly pki?: TestPki;
  /** The responder's clock (thisUpdate); default 2026-06-01T00:00:00Z. */
  readonly time?: Date;
  /** Days until nextUpdate; default 3650. */
  readonly days?: number;
}

/** An OCSP responder answered by `openssl ocsp` itself. */
export interface OpensslOcspResponder {
  readonly url: string;
  readonly requests: number;
  close(): Promise<void>;
}

/** `YYMMDDHHMMSSZ` as openssl's CA database writes dates. */
function dbTime(d: Date): string {
  return d.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
}

/**
 * An RFC 6960 responder on 127.0.0.1 whose answers come from `openssl ocsp`
 * (an independent implementation), run under `faketime` so thisUpdate is a
 * fixed date and no test depends on the real clock. Its CA database lists every
 * leaf of the test PKI under the intermediate, with `revoked` revoked on the
 * CRL's date; the `ocsp` certificate (EKU OCSPSigning, issued by the
 * intermediate) signs the answers.
 */
export async function startOpensslOcspResponder(options: OpensslOcspOptions = {}): Promise<OpensslOcspResponder> {
  const pki = options.pki ?? (await ensurePki());
  const time = options.time ?? new Date('2026-06-01T00:00:00Z');
  const dir = await mkdtemp(join(tmpdir(), 'kyso-openssl-ocsp-'));
  const rows = ENTITY_NAMES.map((n) => profileOf(n)).filter((p) => p.role === 'leaf' && p.issuer === 'intermediate').map((p) => {
    const serial = p.serialHex.toUpperCase();
    const expiry = dbTime(new Date('2035-01-01T00:00:00Z'));
    return p.name === 'revoked'
      ? `R\t${expiry}\t${dbTime(VALIDITY.revocationDate)},keyCompromise\t${serial}\tunknown\t/CN=${p.name}`
      : `V\t${expiry}\t\t${serial}\tunknown\t/CN=${p.name}`;
  });
  const index = join(dir, 'index.txt');
  await writeFile(index, `${rows.join('\n')}\n`);
  let requests = 0;
  let serial = 0;
  const server = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const body = await readBody(req);
    const n = ++serial;
    const reqFile = join(dir, `req-${n}.der`);
    const respFile = join(dir, `resp-${n}.der`);
    await writeFile(reqFile, body);
    try {
      const [cmd, args] = atFixedTime(time, 'openssl', ['ocsp',
        '-index', index, '-CA', pki.intermediatePath, '-rsigner', pki.entity('ocsp').certPath, '-rkey', pki.entity('ocsp').keyPath,
        '-reqin', reqFile, '-respout', respFile, '-ndays', String(options.days ?? 3650)]);
      await run(cmd, args);
      const answer = await readFile(respFile);
      res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': answer.length }).end(answer);
    } finally {
      await rm(reqFile, { force: true });
      await rm(respFile, { force: true });
    }
  });
  return {
    url: `${server.base}/ocsp`,
    get requests() {
      return requests;
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
