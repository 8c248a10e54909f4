/** Build information, read once from the package manifest. */
import { readFileSync } from 'node:fs';

interface PackageManifest {
  version: string;
}

const manifest = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as PackageManifest;

/** Vigil's version, as in package.json. */
export const VERSION: string = manifest.version;
