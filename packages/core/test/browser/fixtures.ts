import { commands } from 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    readFixture(path: string): Promise<string>;
    readFixtureText(path: string): Promise<string>;
    fixturesRoot(): Promise<string>;
  }
}

/** The bytes of a generated fixture (`.fixtures/<path>`), read by the Node side. */
export async function fixture(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const b64 = await commands.readFixture(path);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** The text of a generated fixture. */
export function fixtureText(path: string): Promise<string> {
  return commands.readFixtureText(path);
}
