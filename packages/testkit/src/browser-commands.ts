import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fixturesDir } from './paths.js';

/** Resolves `path` inside `.fixtures/`, refusing anything that escapes it. */
function insideFixtures(path: string): string {
  const root = fixturesDir();
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`not a fixture path: ${path}`);
  return full;
}

/**
 * Vitest browser commands: the page asks the Node side for generated fixtures
 * (test PKI, signed samples), which never leave `.fixtures/`. Base64 because
 * command results cross the browser bridge as JSON.
 */
export const fixtureCommands = {
  /** The bytes of `.fixtures/<path>`, base64. */
  async readFixture(_ctx: unknown, path: string): Promise<string> {
    return (await readFile(insideFixtures(path))).toString('base64');
  },
  /** The text of `.fixtures/<path>` (PEM, JSON manifests). */
  async readFixtureText(_ctx: unknown, path: string): Promise<string> {
    return readFile(insideFixtures(path), 'utf8');
  },
  /** The absolute path of the fixtures folder, for tests that pass paths to servers. */
  async fixturesRoot(): Promise<string> {
    return join(fixturesDir());
  },
};
