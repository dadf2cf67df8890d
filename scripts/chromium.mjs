// Debian's Chromium and the flags that keep it quiet and offline on these machines
// (see ../shared/design/toolchain.md): no sandbox inside containers, no GPU, no background
// networking, and a resolver rule so the only names that resolve are localhost ones (127.0.0.1 must be
// excluded by name too: without it the MAP rule also sends that literal to NOTFOUND, and the local test
// servers, which listen on 127.0.0.1, become unreachable from pages).
export const CHROMIUM_PATH = process.env.KYSO_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
]);
