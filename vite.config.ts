import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
// SIMPUL_WEB_OUT_DIR: a separate build (e.g. for one browser-test run beside another).
const outDir = process.env.SIMPUL_WEB_OUT_DIR ? path.resolve(process.env.SIMPUL_WEB_OUT_DIR) : path.resolve(here, 'dist/web');
const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

/**
 * Writes `.gz` and `.br` next to every text asset so the server (preCompressed static files)
 * sends phones the smallest copy without compressing on each request.
 */
function precompress(): Plugin {
  return {
    name: 'simpul-precompress',
    apply: 'build',
    async closeBundle() {
      const files = await listFiles(outDir);
      await Promise.all(
        files
          .filter((f) => COMPRESSIBLE.test(f) && !f.includes(`${path.sep}.vite${path.sep}`))
          .map(async (file) => {
            const data = await fs.readFile(file);
            if (data.length < 512) return;
            const [gz, br] = await Promise.all([
              gzip(data, { level: 9 }),
              brotli(data, {
                params: {
                  [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
                },
              }),
            ]);
            await Promise.all([fs.writeFile(`${file}.gz`, gz), fs.writeFile(`${file}.br`, br)]);
          }),
      );
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : Promise.resolve([path.join(dir, e.name)]))),
  );
  return nested.flat();
}

export default defineConfig({
  root: path.resolve(here, 'src/web'),
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // Used by scripts/page-weight.mjs to follow what the first page loads.
    manifest: true,
    target: 'es2020',
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 350,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React, router and i18n change rarely: one long-cached chunk. d3 stays with the map page.
            { name: 'vendor', test: /node_modules[\\/](?!d3-)/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/readyz': 'http://localhost:3000',
    },
  },
  preview: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
});
