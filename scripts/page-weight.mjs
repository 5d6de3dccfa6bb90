#!/usr/bin/env node
/**
 * The login page's JavaScript weight: the scripts and module preloads in dist/web/index.html
 * (the login and setup screens are in the entry chunk) plus every chunk they import statically,
 * gzipped at level 9, against a budget of 150 KB. `--build` rebuilds first (also done when no
 * build exists). Exits 1 over budget, or when the map code (d3-geo) leaks into the login page.
 *
 * `--page /daftar` measures a lazily loaded page opened directly instead: the same first download
 * plus that page's chunk and everything it imports statically (the public member registration
 * page must stay within the same 150 KB).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { buildWebApp } from './lib/web-build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'dist', 'web');
const BUDGET_KB = Number(process.env.SIMPUL_LOGIN_JS_BUDGET_KB ?? 150);
const KB = 1024;

if (process.argv.includes('--build') || !fs.existsSync(path.join(WEB, 'index.html'))) {
  const code = buildWebApp();
  if (code !== 0) process.exit(code);
}

const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
const attr = (tag, name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i'))?.[1];
const tags = html.match(/<(script|link)\b[^>]*>/gi) ?? [];
const fromHtml = [];
for (const tag of tags) {
  if (/^<script/i.test(tag) && attr(tag, 'src')) fromHtml.push(attr(tag, 'src'));
  if (/^<link/i.test(tag) && /modulepreload/i.test(attr(tag, 'rel') ?? '') && attr(tag, 'href')) fromHtml.push(attr(tag, 'href'));
}
if (fromHtml.some((src) => /^(https?:)?\/\//.test(src))) {
  console.error('index.html loads a script from another origin: everything must ship with the app.');
  process.exit(1);
}
// Pages that are their own chunk, by the address a visitor opens.
const LAZY_PAGES = {
  '/daftar': 'routes/register/RegisterPage.tsx',
  '/daftar/komunitas': 'routes/register/CommunityRegisterPage.tsx',
  '/perbarui': 'routes/self/UpdateLinkPage.tsx',
  '/statistik': 'routes/dashboard/StatsPage.tsx',
};
const pageArg = (() => {
  const i = process.argv.indexOf('--page');
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith('--page='))?.slice('--page='.length);
})();
if (pageArg && !LAZY_PAGES[pageArg]) {
  console.error(`Unknown page ${pageArg}; known: ${Object.keys(LAZY_PAGES).join(', ')}`);
  process.exit(2);
}
const toFile = (url) => url.replace(/^\//, '').split(/[?#]/)[0];

// Follow static imports: through the Vite manifest when present, else by reading the chunks.
const manifestPath = path.join(WEB, '.vite', 'manifest.json');
const manifest = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : null;
const byFile = new Map(manifest ? Object.values(manifest).map((c) => [c.file, c]) : []);

function staticImports(file) {
  if (manifest) {
    const chunk = byFile.get(file);
    return (chunk?.imports ?? []).map((key) => manifest[key]?.file).filter(Boolean);
  }
  const code = fs.readFileSync(path.join(WEB, file), 'utf8');
  const found = [];
  for (const m of code.matchAll(/(?:^|[^.\w$])import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+\.js)["']/g)) {
    found.push(path.posix.join(path.posix.dirname(file), m[1]));
  }
  return found;
}

const loaded = new Set();
const queue = fromHtml.map(toFile).filter((f) => f.endsWith('.js'));
if (pageArg) {
  if (!manifest) {
    console.error('--page needs the Vite manifest (dist/web/.vite/manifest.json).');
    process.exit(1);
  }
  const entry = Object.values(manifest).find((c) => c.src && c.src.replace(/^src\/web\//, '') === LAZY_PAGES[pageArg]);
  if (!entry) {
    console.error(`No chunk for ${LAZY_PAGES[pageArg]} in the manifest.`);
    process.exit(1);
  }
  queue.push(entry.file);
}
while (queue.length) {
  const file = queue.shift();
  if (loaded.has(file)) continue;
  loaded.add(file);
  queue.push(...staticImports(file));
}

let total = 0;
let mapCodeLeaked = false;
const rows = [...loaded].map((file) => {
  const data = fs.readFileSync(path.join(WEB, file));
  const gz = zlib.gzipSync(data, { level: 9 }).length;
  total += gz;
  // Only d3-geo's stream code names this geometry type.
  if (data.includes('MultiLineString')) mapCodeLeaked = true;
  return { file, raw: data.length, gz };
});
rows.sort((a, b) => b.gz - a.gz);

const fmt = (n) => (n / KB).toFixed(1).padStart(7);
console.log(`${pageArg ? `Page ${pageArg}` : 'Login page'} JavaScript (gzip -9):`);
for (const r of rows) console.log(`  ${fmt(r.gz)} KB  (${fmt(r.raw)} KB raw)  ${r.file}`);
const css = tags
  .filter((t) => /^<link/i.test(t) && /stylesheet/i.test(attr(t, 'rel') ?? ''))
  .map((t) => toFile(attr(t, 'href')))
  .map((f) => zlib.gzipSync(fs.readFileSync(path.join(WEB, f)), { level: 9 }).length)
  .reduce((a, b) => a + b, 0);
console.log(`  total ${(total / KB).toFixed(1)} KB of ${BUDGET_KB} KB budget (CSS, not counted: ${(css / KB).toFixed(1)} KB)`);

let ok = true;
if (total > BUDGET_KB * KB) {
  console.error(`Over budget by ${((total - BUDGET_KB * KB) / KB).toFixed(1)} KB.`);
  ok = false;
}
if (mapCodeLeaked) {
  console.error(`The map code (d3-geo) is in the ${pageArg ?? 'login'} page: it belongs in the map chunks only.`);
  ok = false;
}
process.exit(ok ? 0 : 1);
