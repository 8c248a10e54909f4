/** ULIDs for block directories: 48-bit millisecond time and 80 random bits, Crockford base32. */

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new 26-character ULID for time `ms` (default: now). Sorts by time as a string. */
export function ulid(ms: number = Date.now()): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48)
    throw new RangeError(`ulid time out of range: ${ms}`);
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 80 random bits are 16 base32 digits: take 5 bits from each of 16 bytes' worth of a bit stream.
  const r = randomBytes(10);
  let rand = '';
  let acc = 0;
  let bits = 0;
  for (const b of r) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand;
}

/** The millisecond time of a ULID string, or `undefined` when it is not a valid ULID. */
export function ulidTime(id: string): number | undefined {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(id)) return undefined;
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(id[i]);
  return t;
}
