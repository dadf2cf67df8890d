import * as pkijs from 'pkijs';

/**
 * Builds a PKCS#12 file from the SafeContents of other files made with the
 * same password, re-MACed by pkijs (an independent implementation of the
 * RFC 7292 App. B KDF). This makes files openssl refuses to write, such as a
 * key with somebody else's certificate.
 *
 * `parts` lists, per source file, which of its AuthenticatedSafe entries to
 * take (OpenSSL writes the certificates first, then the key).
 */
export async function splicePkcs12(
  parts: readonly { readonly file: Uint8Array; readonly take: readonly number[] }[], password: string,
): Promise<Uint8Array> {
  const safeContents: pkijs.ContentInfo[] = [];
  for (const part of parts) {
    const pfx = pkijs.PFX.fromBER(part.file.slice().buffer);
    const content = pfx.authSafe.content as { getValue(): ArrayBuffer };
    const authSafe = pkijs.AuthenticatedSafe.fromBER(content.getValue());
    for (const index of part.take) safeContents.push(authSafe.safeContents[index]);
  }
  const pfx = new pkijs.PFX({
    parsedValue: { integrityMode: 0, authenticatedSafe: new pkijs.AuthenticatedSafe({ safeContents }) },
  });
  await pfx.makeInternalValues({
    password: new TextEncoder().encode(password).buffer,
    iterations: 2048,
    pbkdf2HashAlgorithm: 'SHA-256',
    hmacHashAlgorithm: 'SHA-256',
  });
  return new Uint8Array(pfx.toSchema().toBER(false));
}
