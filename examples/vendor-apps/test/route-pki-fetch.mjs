/**
 * Preloaded (`node --import`) into the packed `kyso` CLI by packed-apps.test.ts:
 * the test PKI's fixed `http://pki.kyso.test/...` URLs go to the local servers
 * named in KYSO_PKI_ROUTES (JSON, URL → URL on 127.0.0.1), and any other URL
 * fails as an unreachable host would, so the CLI never reaches the network.
 * Chromium gets the same from --host-resolver-rules.
 */
const routes = JSON.parse(process.env.KYSO_PKI_ROUTES ?? '{}');
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const target = routes[url];
  if (!target) return Promise.reject(new TypeError(`fetch failed: ${url} is not routed to a local server`));
  return realFetch(target, init);
};
