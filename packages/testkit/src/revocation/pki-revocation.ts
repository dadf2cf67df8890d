import type { TestPki } from '../pki/generate.js';
import { routeFetch, pkiRoutes, type RoutedFetch } from './route-fetch.js';
import { startCrlServer, startOcspResponder, type CrlServer, type OcspResponder } from './servers.js';

/** The test PKI's OCSP responder and CRL server, both answering normally, and the fetch that reaches them. */
export interface PkiRevocation {
  readonly ocsp: OcspResponder;
  readonly crl: CrlServer;
  /** Routes the PKI's fixed URLs to the two servers (for `verify`'s `fetch` with `revocation: 'online'`). */
  readonly fetch: RoutedFetch;
  close(): Promise<void>;
}

/** Starts the test PKI's revocation services on 127.0.0.1 (online revocation without the network). */
export async function startPkiRevocation(pki: TestPki): Promise<PkiRevocation> {
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki }).catch(async (err: unknown) => {
    await ocsp.close();
    throw err;
  });
  return {
    ocsp, crl,
    fetch: routeFetch(pkiRoutes({ ocsp, crl })),
    close: async () => {
      await ocsp.close();
      await crl.close();
    },
  };
}
