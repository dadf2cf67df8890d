import { describe, expect, it } from 'vitest';
import { coreSources, staticallyReached } from '../architecture/source-files.js';

// `@kyso/core/node` is imported by every Node process that reads PDF files, `kyso verify` and the verification
// service included: its static imports must not reach the signing code, which `signFile` loads on first use
// (docs/decisions/0033-cli-start-up-per-verb.md).

describe('@kyso/core/node', () => {
  it('reaches no signing, LTV or appearance-building module through its static imports', () => {
    const reached = [...staticallyReached(coreSources(), 'node/index.ts')];
    expect(reached).toContain('node/file-source.ts');
    expect(reached.filter((p) => p.startsWith('sign/') || p.startsWith('ltv/') || p.startsWith('verify/') || p === 'pdf/appearance/build.ts')).toEqual([]);
  });

  it('the walk can fail: the signing entry reaches the signing modules', () => {
    const reached = staticallyReached(coreSources(), 'entries/sign.ts');
    expect(reached.has('sign/prepare.ts') && reached.has('ltv/sign-long-term.ts')).toBe(true);
  });
});
