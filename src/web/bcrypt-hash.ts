/**
 * The shape check Go's `bcrypt.Cost` makes of a stored hash (`$2y$10$<53 characters>`), so that a
 * web configuration Prometheus rejects is rejected here too, with the same reasons.
 */

const MIN_HASH_SIZE = 59;
const MIN_COST = 4;
const MAX_COST = 31;

/** Why `hash` is not a bcrypt hash Go would accept, or undefined when it is one. */
export function bcryptHashError(hash: string): string | undefined {
  if (hash.length < MIN_HASH_SIZE) return 'bcrypt hash too short to be a bcrypted password';
  if (hash[0] !== '$') return `bcrypt hashes must start with '$', but the hash started with '${hash[0]}'`;
  if (hash[1] > '2')
    return `bcrypt algorithm version '${hash[1]}' requested is newer than current version '2'`;
  // `$2$` has no minor version letter; `$2a$`, `$2b$`, `$2y$` have one.
  const costAt = hash[2] === '$' ? 3 : 4;
  const costText = hash.slice(costAt, costAt + 2);
  if (!/^[+-]?\d+$/.test(costText)) return `bcrypt cost ${JSON.stringify(costText)} is not a number`;
  const cost = Number(costText);
  if (cost < MIN_COST || cost > MAX_COST)
    return `bcrypt cost ${cost} is outside allowed range (${MIN_COST},${MAX_COST})`;
  return undefined;
}
