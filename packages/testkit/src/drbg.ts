import { createHash } from 'node:crypto';

/**
 * A deterministic byte source: SHA-256(seed ‖ counter) blocks, concatenated.
 * Not a secure DRBG and never meant to be one: it exists so that test keys
 * come out byte-identical on every machine.
 */
export class HashDrbg {
  private counter = 0;
  private pool: Buffer = Buffer.alloc(0);

  constructor(private readonly seed: string) {}

  /** `n` bytes. */
  bytes(n: number): Buffer {
    const parts: Buffer[] = [this.pool];
    let have = this.pool.length;
    while (have < n) {
      const ctr = Buffer.alloc(8);
      ctr.writeBigUInt64BE(BigInt(this.counter++));
      const block = createHash('sha256').update(this.seed, 'utf8').update(ctr).digest();
      parts.push(block);
      have += block.length;
    }
    const all = Buffer.concat(parts);
    this.pool = all.subarray(n);
    return all.subarray(0, n);
  }

  /** The interface node-forge expects of `prng`: a binary string of `n` bytes. */
  getBytesSync(n: number): string {
    return this.bytes(n).toString('binary');
  }
}
