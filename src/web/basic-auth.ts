/**
 * HTTP basic authentication against `basic_auth_users` (bcrypt hashes), as exporter-toolkit does it:
 * an unknown user is checked against a fixed hash so timing does not reveal which users exist, and
 * successful checks are cached so a dashboard's requests do not each pay for bcrypt (tens of ms).
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** A bcrypt hash of "fakepassword" (exporter-toolkit's), checked when the user does not exist. */
const FAKE_HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';

/** Successful checks remembered; the oldest is forgotten first. */
const CACHE_SIZE = 100;

/** The user name and password of an `Authorization: Basic …` header, as Go's `Request.BasicAuth`. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ')
    return undefined;
  const encoded = header.slice(6);
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks credentials against a user table; one instance per server, shared by every request. */
export class BasicAuthenticator {
  /** sha256(user, hash, password) of successful checks: no plaintext password is kept. */
  readonly #cache = new Map<string, true>();
  /** Checks under way, so concurrent requests with the same credentials share one bcrypt run. */
  readonly #pending = new Map<string, Promise<boolean>>();

  /**
   * Whether `header` carries the credentials of one of `users`. The hash comparison is bcryptjs'
   * constant-time one; a changed hash for a user (a new file) misses the cache.
   */
  async check(users: ReadonlyMap<string, string>, header: string | undefined): Promise<boolean> {
    const creds = parseBasicAuth(header);
    if (creds === undefined) return false;
    const known = users.get(creds.user);
    const hash = known ?? FAKE_HASH;
    const key = cacheKey(creds.user, hash, creds.password);
    if (known !== undefined && this.#cache.has(key)) return true;
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = compare(creds.password, hash).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    const ok = (await pending) && known !== undefined;
    if (ok) this.#remember(key);
    return ok;
  }

  #remember(key: string): void {
    if (this.#cache.has(key)) return;
    if (this.#cache.size >= CACHE_SIZE) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(key, true);
  }
}

async function compare(password: string, hash: string): Promise<boolean> {
  try {
    // The async form works in slices between event-loop turns instead of blocking it.
    return await bcrypt.compare(password, hash);
  } catch {
    // A hash bcryptjs cannot read (such as Go's `$2x$`) matches nothing.
    return false;
  }
}

function cacheKey(user: string, hash: string, password: string): string {
  return createHash('sha256')
    .update(`${Buffer.byteLength(user)}:${user}${Buffer.byteLength(hash)}:${hash}${password}`)
    .digest('base64');
}
