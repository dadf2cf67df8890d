/**
 * Key sources for the signing stories, built from the real software adapter
 * (`Pkcs12Adapter` of @kyso/adapters) and the test PKI's PKCS#12 files. They
 * add only what a story needs to hold a state still: several keys in one
 * source, a key store opened on first use, and a gate that keeps a call
 * waiting (as a token does while its owner types the PIN on the device).
 */
import type { AdapterCapabilities, CertificateEntry, SigningAdapter, SignRequest } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';
import { STORY_P12_PASSWORD, testKey } from './fixtures.js';

type KeyName = Parameters<typeof testKey>[0];

/** The test PKCS#12 file of `who`, opened with its (published, test-only) password. */
export async function softwareKey(who: KeyName): Promise<Pkcs12Adapter> {
  return Pkcs12Adapter.open(await testKey(who), STORY_P12_PASSWORD);
}

/** Several key sources shown as one, as a token holding several certificates would be. */
export class KeyRing implements SigningAdapter {
  readonly name = 'story-key-ring';
  readonly #members: readonly { readonly prefix: string; readonly adapter: SigningAdapter }[];

  constructor(members: Readonly<Record<string, SigningAdapter>>) {
    this.#members = Object.entries(members).map(([prefix, adapter]) => ({ prefix, adapter }));
  }

  /** A ring of the named test keys. */
  static async of(...who: KeyName[]): Promise<KeyRing> {
    const entries = await Promise.all(who.map(async (w) => [w, await softwareKey(w)] as const));
    return new KeyRing(Object.fromEntries(entries));
  }

  async listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    const lists = await Promise.all(this.#members.map(async (m) =>
      (await m.adapter.listCertificates(signal)).map((e) => ({ ...e, id: `${m.prefix}/${e.id}`, label: e.label ?? m.prefix }))));
    return lists.flat();
  }

  capabilities(): AdapterCapabilities {
    // What every member can do (the ring signs with whichever member holds the chosen key).
    const all = this.#members.map((m) => m.adapter.capabilities());
    return {
      schemes: all[0]!.schemes.filter((s) => all.every((c) => c.schemes.includes(s))),
      hashes: all[0]!.hashes.filter((h) => all.every((c) => c.hashes.includes(h))),
    };
  }

  async sign(request: SignRequest): Promise<Uint8Array> {
    const slash = request.certificateId.indexOf('/');
    const member = this.#members.find((m) => m.prefix === request.certificateId.slice(0, slash));
    if (!member) throw new Error(`no key ${request.certificateId}`);
    return member.adapter.sign({ ...request, certificateId: request.certificateId.slice(slash + 1) });
  }
}

/**
 * A PKCS#12 key store opened when its certificates are first asked for, with
 * the password it was given: with a wrong one, listing fails with the real
 * `ERR_KEY_PASSWORD` of the software adapter.
 */
export class LazyKeyStore implements SigningAdapter {
  readonly name = 'story-lazy-pkcs12';
  #opened: Promise<Pkcs12Adapter> | undefined;

  constructor(private readonly who: KeyName, private readonly password: string) {}

  #open(): Promise<Pkcs12Adapter> {
    return (this.#opened ??= testKey(this.who).then((bytes) => Pkcs12Adapter.open(bytes, this.password)));
  }

  async listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    return (await this.#open()).listCertificates(signal);
  }

  capabilities(): AdapterCapabilities {
    return { schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] };
  }

  async sign(request: SignRequest): Promise<Uint8Array> {
    return (await this.#open()).sign(request);
  }
}

/** A promise the story resolves when it wants the waiting call to go on. */
export class Gate {
  #open!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.#open = resolve));
  /** Lets every waiting call through. */
  open(): void {
    this.#open();
  }
}

/**
 * Wraps a key source so that listing and/or signing wait for a {@link Gate}:
 * a token reading its certificates, or waiting for the PIN on its keypad.
 */
export class GatedAdapter implements SigningAdapter {
  readonly name = 'story-gated';
  /** How many signing calls reached the key source (a pending element must not make a second one). */
  signCalls = 0;

  constructor(
    private readonly inner: SigningAdapter,
    private readonly gates: { readonly list?: Gate; readonly sign?: Gate },
  ) {}

  async listCertificates(signal?: AbortSignal): Promise<readonly CertificateEntry[]> {
    await this.gates.list?.opened;
    return this.inner.listCertificates(signal);
  }

  capabilities(): AdapterCapabilities {
    return this.inner.capabilities();
  }

  async sign(request: SignRequest): Promise<Uint8Array> {
    this.signCalls++;
    await this.gates.sign?.opened;
    return this.inner.sign(request);
  }
}

/** A key source with no certificate at all (an empty token). */
export const emptyKeySource: SigningAdapter = {
  name: 'story-empty',
  listCertificates: async () => [],
  capabilities: () => ({ schemes: ['RSASSA-PKCS1-v1_5'], hashes: ['SHA-256'] }),
  sign: async () => {
    throw new Error('an empty key source cannot sign');
  },
};
