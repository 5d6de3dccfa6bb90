/**
 * Shared setup of the browser tests: the real server as a child process on a free port with a
 * fresh data folder, a build in dist/web (scripts/e2e.mjs builds first), Chromium on a 360×740
 * phone (/usr/bin/chromium or SIMPUL_CHROMIUM), and the helpers every journey uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { freePort, waitForReady } from '../../scripts/lib/net.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const WEB_DIR = process.env.SIMPUL_WEB_OUT_DIR ? path.resolve(process.env.SIMPUL_WEB_OUT_DIR) : path.join(ROOT, 'dist', 'web');
export const SHOTS = path.join(ROOT, 'test-results');
export const CHROMIUM = process.env.SIMPUL_CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 360, height: 740 };

export const admin = { name: 'Ratna Admin Nasional', email: 'admin@simpul.test', password: 'sandi-admin-nasional-1' };
export const coordinator = { name: 'Budi Koordinator Bandung', email: 'budi.bandung@simpul.test', password: 'sandi-koordinator-1' };

export interface E2E {
  /** Set in beforeAll. */
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  shot(name: string): Promise<void>;
  /** Phones first: nothing may scroll sideways. */
  expectNoHorizontalScroll(): Promise<void>;
  logIn(email: string, password: string): Promise<void>;
  logOut(): Promise<void>;
  /** Follows a main-navigation link, opening the "Lainnya"/"More" menu when the link lives there. */
  navigate(label: string): Promise<void>;
  /** Types into a region autocomplete and picks the option whose name matches. */
  pickRegion(label: RegExp, typed: string, option: RegExp): Promise<void>;
  /** Paths of the scripts a fresh browser context loads for `pathname` (until `heading` shows). */
  scriptsLoadedBy(pathname: string, heading: string): Promise<string[]>;
  /** Gzip size (level 9) of the scripts; none may carry the map code (d3-geo). */
  gzipSizeWithoutMapCode(scripts: string[]): number;
}

/**
 * Registers beforeAll/afterAll that start the server and the browser (data folder under
 * `dataDirPrefix` in the temp dir) and stop them again; returns the environment and its helpers.
 */
export function setupE2E(dataDirPrefix: string): E2E {
  let server: ChildProcess | undefined;
  let serverLog = '';
  let dataDir = '';

  const env: E2E = {
    baseUrl: '',
    browser: undefined as unknown as Browser,
    context: undefined as unknown as BrowserContext,
    page: undefined as unknown as Page,

    async navigate(label) {
      const nav = env.page.getByRole('navigation', { name: /Navigasi utama|Main navigation/ });
      const link = nav.getByRole('link', { name: label, exact: true });
      if (!(await link.isVisible())) await nav.getByRole('button', { name: /^(Lainnya|More)/ }).click();
      await link.click();
    },

    async shot(name) {
      await env.page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    },

    async expectNoHorizontalScroll() {
      const page = env.page;
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth, `page is ${scrollWidth}px wide on a ${clientWidth}px screen (${page.url()})`).toBeLessThanOrEqual(clientWidth);
    },

    async logIn(email, password) {
      const page = env.page;
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Kata sandi').fill(password);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
      await page.getByRole('heading', { level: 1, name: /^Halo,/ }).waitFor();
    },

    async logOut() {
      await env.page.getByRole('button', { name: 'Keluar' }).click();
      await env.page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
    },

    async pickRegion(label, typed, option) {
      const page = env.page;
      const box = page.getByRole('combobox', { name: label });
      await box.fill(typed);
      await page.getByRole('option', { name: option }).first().click();
      await expect.poll(() => box.inputValue()).toMatch(option);
    },

    async scriptsLoadedBy(pathname, heading) {
      const fresh = await env.browser.newContext({ viewport: VIEWPORT });
      const p = await fresh.newPage();
      const scripts: string[] = [];
      p.on('response', (res) => {
        if (res.request().resourceType() === 'script') scripts.push(new URL(res.url()).pathname);
      });
      await p.goto(`${env.baseUrl}${pathname}`, { waitUntil: 'networkidle' });
      await p.getByRole('heading', { level: 1, name: heading }).waitFor();
      await fresh.close();
      return scripts;
    },

    gzipSizeWithoutMapCode(scripts) {
      let total = 0;
      for (const s of scripts) {
        const file = fs.readFileSync(path.join(WEB_DIR, s));
        total += zlib.gzipSync(file, { level: 9 }).length;
        expect(file.includes('MultiLineString'), `${s} carries d3-geo`).toBe(false);
      }
      return total;
    },
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIR, 'index.html'))) {
      throw new Error('dist/web is missing: build the web app first (npm run test:e2e does).');
    }
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium).`);
    fs.mkdirSync(SHOTS, { recursive: true });

    const port = await freePort();
    env.baseUrl = `http://127.0.0.1:${port}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), dataDirPrefix));
    const startScript = path.join(ROOT, 'scripts', 'start.mjs');
    const [cmd, args] = fs.existsSync(startScript)
      ? [process.execPath, [startScript]]
      : [path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'server', 'main.ts')]];
    const proc = spawn(cmd, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SIMPUL_DATA_DIR: dataDir,
        SIMPUL_WEB_DIR: WEB_DIR,
        SIMPUL_SKIP_WEB_BUILD: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = proc;
    proc.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForReady(env.baseUrl, { timeoutMs: 180_000, proc, output: () => serverLog, intervalMs: 250 });

    env.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    env.context = await env.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'id-ID' });
    env.page = await env.context.newPage();
    env.page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await env.browser?.close();
    const proc = server;
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return env;
}
