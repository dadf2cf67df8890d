import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreSources, layerViolations, LAYERS, SRC, staticallyReached, staticImports, type SourceFile } from './source-files.js';

const all = coreSources();
const imports = staticImports;

describe('core architecture invariants', () => {
  it('runs in a Web Worker: no Node built-ins outside src/node/ and the Node hash engine', () => {
    const offenders = all.filter((f) => !f.path.startsWith('node/') && f.path !== 'crypto/hash-engine-node.ts')
      .filter((f) => imports(f.text).some((i) => i.startsWith('node:') || ['fs', 'path', 'crypto', 'zlib', 'os'].includes(i)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('never touches the DOM, and reaches the network only through a fetch the caller can inject', () => {
    const dom = all.filter((f) => /\bwindow\.|\bdocument\.(createElement|body|querySelector|getElementById)|\blocalStorage\b|\bXMLHttpRequest\b/.test(f.text));
    expect(dom.map((f) => f.path)).toEqual([]);
    // The only default is in finish.ts: globalThis.fetch when the caller injects none. The worker's files name
    // `fetch` as the method that forwards a request to the caller's side (protocol.ts, wire-fetch.ts), and the
    // worker loads its own bundled font asset (api.ts): no OCSP, CRL or TSA request starts there.
    const allowed = new Set(['sign/finish.ts', 'crypto/timestamp-client.ts', 'worker/api.ts', 'worker/protocol.ts', 'worker/wire-fetch.ts']);
    const globalFetch = all.filter((f) => /globalThis\.fetch|(^|[^.\w])fetch\(/m.test(f.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')));
    expect(globalFetch.map((f) => f.path).filter((p) => !allowed.has(p))).toEqual([]);
    // ...and the font loader is the worker's only direct fetch: a same-origin asset URL given by the page.
    expect(all.find((f) => f.path === 'worker/api.ts')!.text.match(/(^|[^.\w])fetch\(/gm)).toHaveLength(1);
  });

  it('the pdf layer knows no cryptography, and nothing in core imports adapters or elements', () => {
    const pdfToCrypto = all.filter((f) => f.path.startsWith('pdf/') && imports(f.text).some((i) => i.includes('/crypto/') || i.startsWith('pkijs') || i.startsWith('asn1js')));
    expect(pdfToCrypto.map((f) => f.path)).toEqual([]);
    const outward = all.filter((f) => imports(f.text).some((i) => i.startsWith('@kyso/')));
    expect(outward.map((f) => f.path)).toEqual([]);
  });

  it('has no eval or Function constructor (strict CSP)', () => {
    expect(all.filter((f) => /\beval\(|new Function\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('signing never loads the validation code: the static imports of the public entry reach no verifier or LTV module', () => {
    // `import('./x.js')` is the lazy edge this test is about.
    const reached = staticallyReached(all, 'index.ts', 'node/index.ts', 'entries/sign.ts', 'entries/appearance.ts');
    // What validation code the entry may hold: the pure policy and its messages, trust stores, the /DSS writer, the
    // modification policy's rule objects (plain data and predicates, no parser or crypto: integrators compose
    // their policy synchronously), and the one-call `sign` of every level (it loads `extend` on first use).
    const allowed = /^(verify\/(policy|messages|report|facts)\.ts|verify\/trust\/|ltv\/(dss-writer|sign-long-term)\.ts|verify\/modifications\/(policy|permissions|flags|step-context)\.ts)/;
    const heavy = [...reached].filter((p) => (p.startsWith('verify/') || p.startsWith('ltv/')) && !allowed.test(p));
    expect(heavy).toEqual([]);
    expect(reached.has('sign/sign.ts')).toBe(true);
  });
});

describe('core layers (docs/decisions/0032): ' + LAYERS.map((parts) => parts.join(' ')).join(' → '), () => {
  it('no module imports a higher layer or an independent folder of its own layer, type imports and import() included', () => {
    expect(layerViolations(all)).toEqual([]);
  });

  it('every source file belongs to a layer', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(layerViolations(all).filter((v) => v.why === 'no-layer')).toEqual([]);
  });

  describe('the checker finds what it is meant to find', () => {
    const file = (path: string, ...lines: string[]): SourceFile => ({ path, text: lines.join('\n') });

    it('an upward import, a type import and a lazy import() each count', () => {
      expect(layerViolations([
        file('crypto/x.ts', "import { sign } from '../sign/sign.js';"),
        file('verify/y.ts', "import type { SignOptions } from '../sign/options.js';"),
        file('sign/z.ts', "const m = await import('../ltv/extend.js');"),
        file('pdf/w.ts', "export { buildDssUpdate } from '../ltv/dss-writer.js';"),
      ])).toEqual([
        { from: 'crypto/x.ts', to: 'sign/sign.ts', why: 'upward' },
        { from: 'verify/y.ts', to: 'sign/options.ts', why: 'sideways' },
        { from: 'sign/z.ts', to: 'ltv/extend.ts', why: 'upward' },
        { from: 'pdf/w.ts', to: 'ltv/dss-writer.ts', why: 'upward' },
      ]);
    });

    it('sideways between independent folders counts; downward, within a folder, and within the open layers do not', () => {
      expect(layerViolations([
        file('pdf/a.ts', "import { digest } from '../crypto/digest.js';"),
        file('sign/b.ts', "import { parse } from '../pdf/parser.js';", "import type { FetchLike } from '../options.js';", "import { c } from './c.js';"),
        file('util/d.ts', "import { kysoError } from '../errors/index.js';"),
        file('worker/e.ts', "import { sign } from '../entries/sign.js';"),
        file('index.ts', "export * from './entries/verify.js';"),
      ])).toEqual([{ from: 'pdf/a.ts', to: 'crypto/digest.ts', why: 'sideways' }]);
    });

    it('a file or an import outside every layer counts; prose about imports does not', () => {
      expect(layerViolations([
        file('stray.ts', ''),
        file('ltv/f.ts', "import { x } from '../newfolder/x.js';"),
        file('crypto/g.ts', "/**", " * Like `import('../verify/verify.js')` in prose.", " */", "// import { y } from '../sign/y.js';"),
      ])).toEqual([
        { from: 'stray.ts', to: 'stray.ts', why: 'no-layer' },
        { from: 'ltv/f.ts', to: 'newfolder/x.ts', why: 'no-layer' },
      ]);
    });
  });
});

describe('entries (docs/decisions/0032)', () => {
  const manifest = JSON.parse(readFileSync(`${SRC}../package.json`, 'utf8')) as { exports: Record<string, { types?: string; default?: string } | string> };

  it('every un-prefixed module of src/entries/ is a subpath of the exports map, and no `_`-prefixed one is', () => {
    const modules = readdirSync(`${SRC}entries`).filter((n) => n.endsWith('.ts'));
    const exported = Object.values(manifest.exports)
      .map((e) => (typeof e === 'string' ? e : e.default ?? ''))
      .filter((p) => p.startsWith('./dist/entries/'))
      .map((p) => p.slice('./dist/entries/'.length).replace(/\.js$/, '.ts'));
    expect(exported.sort()).toEqual(modules.filter((n) => !n.startsWith('_')).sort());
    expect(exported.sort()).toEqual(['appearance.ts', 'ltv.ts', 'sign.ts', 'verify.ts']);
  });

  it('each subpath gives its types beside its code', () => {
    for (const [key, e] of Object.entries(manifest.exports)) {
      if (typeof e === 'string') continue;
      expect(e.types, key).toBe(e.default!.replace(/\.js$/, '.d.ts'));
    }
  });
});
