import { readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, verify, type VerificationReport } from '@kyso/core';
import {
  ANNOTATION_RECT, ensurePki, ensureStoryFixtures, STORY_FIXTURES, STORY_LARGE_MIN_BYTES, type StoryFixtureName, type StoryFixturePaths,
  type TestPki,
} from '@kyso/testkit';

/**
 * Every document Storybook shows is verified here, strictly and offline (the
 * test root as the only anchor, revocation data only from the file), the way
 * a story's element verifies it in the page: each must say exactly what the
 * story claims (packages/testkit/src/stories/catalog.ts).
 */
let pki: TestPki;
let paths: StoryFixturePaths;
const read = (name: StoryFixtureName) => new Uint8Array(readFileSync(paths[name]));
const reports = new Map<StoryFixtureName, VerificationReport>();

beforeAll(async () => {
  pki = await ensurePki();
  paths = await ensureStoryFixtures();
}, 180_000);

async function strict(name: StoryFixtureName): Promise<VerificationReport> {
  let r = reports.get(name);
  if (!r) reports.set(name, (r = await verify(read(name), { trust: [pki.rootDer], revocation: 'embedded' })));
  return r;
}

const signed = Object.entries(STORY_FIXTURES).filter(([, f]) => 'signatures' in f.claim).map(([n]) => n as StoryFixtureName);
const failing = Object.entries(STORY_FIXTURES).filter(([, f]) => 'error' in f.claim).map(([n]) => n as StoryFixtureName);

describe('story documents say what their stories claim', () => {
  it.each(signed)('%s: every signature has the claimed indication, sub-indication, changes and signer', async (name) => {
    const claim = STORY_FIXTURES[name].claim as { signatures: readonly unknown[] };
    const r = await strict(name);
    expect(r.signatures.map((s) => ({
      indication: s.indication,
      subIndication: s.subIndication,
      integrity: s.integrity,
      modifications: s.modifications.verdict,
      changeKinds: [...new Set(s.modifications.changes.map((c) => c.kind))].sort(),
      signer: s.signer.commonName,
    }))).toEqual(claim.signatures);
  });

  it.each(failing)('%s: verification throws the claimed typed error', async (name) => {
    const claim = STORY_FIXTURES[name].claim as { error: string };
    const error = await verify(read(name), { trust: [pki.rootDer] }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(KysoError);
    expect((error as KysoError).code).toBe(claim.error);
  });
});

describe('what makes each state', () => {
  it('valid: revocation comes from the embedded /DSS CRLs, for the leaf and the intermediate', async () => {
    const s = (await strict('valid')).signatures[0]!;
    expect(s.chain.path).toHaveLength(3); // leader, intermediate, root: two certificates whose status the CRLs decide
    expect(s.revocation).toEqual({ status: 'good', source: ['crl-embedded'] });
    expect(s.chain.status).toBe('trusted');
  });

  it('valid: the /DSS comes before the signature, so the signature covers the whole file', async () => {
    const r = await strict('valid');
    expect(r.revisions).toBe(3); // sample, /DSS, signature
    expect(r.lastRevisionSigned).toBe(true);
    expect(r.signatures[0]!.coversWholeFile).toBe(true);
  });

  it('indeterminate: the same kind of signature without any /DSS has no revocation data', async () => {
    const r = await strict('indeterminate');
    expect(r.revisions).toBe(2);
    expect(r.signatures[0]!.revocation.status).toBe('unknown');
    expect(r.signatures[0]!.chain.status).toBe('trusted');
  });

  it('allowed changes: the annotation is a later revision the certification (P=3) permits', async () => {
    const r = await strict('allowedChanges');
    expect(r.revisions).toBe(4); // sample, /DSS, certification, annotation
    expect(r.signatures[0]!.coversWholeFile).toBe(false);
    const text = new TextDecoder('latin1').decode(read('allowedChanges'));
    expect(text).toMatch(/\/DocMDP[\s\S]*\/P 3/);
    const [x, y, w, h] = ANNOTATION_RECT;
    expect(text).toContain(`/Subtype /Square`);
    expect(text).toContain(`/Rect [ ${x} ${y} ${x + w} ${y + h} ]`);
  });

  it('modified: the valid file plus a revision that replaces page 1 content; the signed bytes are untouched', async () => {
    const valid = read('valid');
    const modified = read('modified');
    expect(modified.subarray(0, valid.length)).toEqual(valid);
    const changes = (await strict('modified')).signatures[0]!.modifications.changes;
    expect(changes.filter((c) => !c.allowed).map((c) => c.kind)).toContain('page-content-changed');
  });

  it('tampered: differs from the valid file in exactly one byte, inside the first signed range', async () => {
    const a = read('valid');
    const b = read('tampered');
    expect(b.length).toBe(a.length);
    const diff = [...a.keys()].filter((i) => a[i] !== b[i]);
    expect(diff).toHaveLength(1);
    expect(diff[0]).toBeLessThan(read('unsigned').length); // inside the original sample, covered by the signature
    expect((await strict('tampered')).signatures[0]!.integrity).toBe('broken');
  });

  it('revoked: the embedded CRL says so', async () => {
    expect((await strict('revoked')).signatures[0]!.revocation.status).toBe('revoked');
  });

  it('untrusted: trusting its own root instead makes the same chain trusted', async () => {
    const r = await verify(read('untrusted'), { trust: [pki.untrustedRootPem], revocation: 'off' });
    expect(r.signatures[0]!.chain.status).toBe('trusted');
  });

  it('large: at least 20 MB, so loading and progress can be seen', () => {
    expect(statSync(paths.large).size).toBeGreaterThanOrEqual(STORY_LARGE_MIN_BYTES);
  });

  it('trust material: the story root is the test PKI root', () => {
    expect(new Uint8Array(readFileSync(paths.trust))).toEqual(pki.rootDer);
  });

  it('a second call reuses the cached files', async () => {
    const before = statSync(paths.valid).mtimeMs;
    await ensureStoryFixtures();
    expect(statSync(paths.valid).mtimeMs).toBe(before);
  });
});
