import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Writes `name.br` and `name.gz` beside each compressible file of the client build, at the
 * strongest settings, once per build; the server sends the one the browser accepts
 * (docs/reference.md#compression). Run by `npm run build` after `vite build`.
 */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

export function precompress(dir: string): { files: number; bytes: number; brotliBytes: number } {
  const totals = { files: 0, bytes: 0, brotliBytes: 0 };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const sub = precompress(path);
      totals.files += sub.files;
      totals.bytes += sub.bytes;
      totals.brotliBytes += sub.brotliBytes;
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const data = readFileSync(path);
    const br = brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    totals.files += 1;
    totals.bytes += data.length;
    totals.brotliBytes += br.length;
  }
  return totals;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'dist/client';
  const { files, bytes, brotliBytes } = precompress(dir);
  console.log(`precompressed ${files} files in ${dir}: ${(bytes / 1024).toFixed(1)} KiB → ${(brotliBytes / 1024).toFixed(1)} KiB brotli`);
}
