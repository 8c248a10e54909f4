// Prints the console's built assets with their gzipped sizes and fails when the JavaScript, all
// chunks together, passes the budget. `npm run build` runs it after Vite; `npm run ui:size` alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_JS_GZIP = 300 * 1024;
const assets = fileURLToPath(new URL('../../dist/ui/assets/', import.meta.url));

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
let jsRaw = 0;
let jsGzip = 0;
const rows = [];
for (const name of readdirSync(assets).sort()) {
  const body = readFileSync(join(assets, name));
  const gz = gzipSync(body, { level: 9 }).length;
  rows.push(`  ${name.padEnd(40)} ${kib(body.length)} ${kib(gz)} gzip`);
  if (name.endsWith('.js')) {
    jsRaw += body.length;
    jsGzip += gz;
  }
}
console.log(`dist/ui/assets:\n${rows.join('\n')}`);
console.log(
  `  ${'all JavaScript'.padEnd(40)} ${kib(jsRaw)} ${kib(jsGzip)} gzip (budget ${kib(BUDGET_JS_GZIP).trim()})`,
);
if (jsGzip > BUDGET_JS_GZIP) {
  console.error("The console's JavaScript is over its gzip budget.");
  process.exit(1);
}
