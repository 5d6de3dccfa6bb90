/**
 * The foundation, end to end in a real browser on a phone-sized screen (360×740): first-run
 * setup, login (with server errors in the chosen language), user and role administration by the
 * national admin, and a regency coordinator who sees only their own region.
 *
 * Starts the real server as a child process on a free port with a fresh data folder. Needs a
 * build in dist/web (scripts/e2e.mjs builds first) and Chromium (/usr/bin/chromium or SIMPUL_CHROMIUM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForReady } from '../../scripts/lib/net.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB_DIR = path.join(ROOT, 'dist', 'web');
const SHOTS = path.join(ROOT, 'test-results');
const CHROMIUM = process.env.SIMPUL_CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 360, height: 740 };
const LOGIN_JS_BUDGET = 150 * 1024;

const admin = { name: 'Ratna Admin Nasional', email: 'admin@simpul.test', password: 'sandi-admin-nasional-1' };
const coordinator = { name: 'Budi Koordinator Bandung', email: 'budi.bandung@simpul.test', password: 'sandi-koordinator-1' };
const bandungMember = { name: 'Sari Anggota Bandung', email: 'sari.bandung@simpul.test', password: 'sandi-anggota-bdg-1' };
const malangMember = { name: 'Joko Warga Malang', email: 'joko.malang@simpul.test', password: 'sandi-warga-malang-1' };

let server: ChildProcess;
let serverLog = '';
let baseUrl = '';
let dataDir = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Phones first: nothing may scroll sideways. */
async function expectNoHorizontalScroll(): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page is ${scrollWidth}px wide on a ${clientWidth}px screen (${page.url()})`).toBeLessThanOrEqual(clientWidth);
}

async function logIn(email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe('/');
  await page.getByRole('heading', { level: 1, name: /^Halo,/ }).waitFor();
}

async function logOut(): Promise<void> {
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
}

/** Types into a region autocomplete and picks the option whose name matches. */
async function pickRegion(label: RegExp, typed: string, option: RegExp): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
  await expect.poll(() => box.inputValue()).toMatch(option);
}

async function createUser(
  user: { name: string; email: string; password: string },
  home: { typed: string; option: RegExp },
  grant?: { role: string; scope: string; typed: string; option: RegExp },
): Promise<void> {
  await page.goto(`${baseUrl}/pengguna/baru`);
  await page.getByRole('heading', { level: 1, name: 'Tambah pengguna' }).waitFor();
  await page.getByLabel('Nama', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Kata sandi awal').fill(user.password);
  await pickRegion(/Wilayah domisili/, home.typed, home.option);
  if (grant) {
    await page.getByLabel('Peran', { exact: true }).selectOption({ label: grant.role });
    await page.getByLabel('Cakupan', { exact: true }).selectOption({ label: grant.scope });
    await pickRegion(/Wilayah cakupan/, grant.typed, grant.option);
  }
  await page.getByRole('button', { name: 'Simpan pengguna' }).click();
  await page.getByRole('heading', { level: 1, name: user.name }).waitFor();
  await page.getByText(`Pengguna ${user.name} telah dibuat.`).waitFor();
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(WEB_DIR, 'index.html'))) {
    throw new Error('dist/web is missing: build the web app first (npm run test:e2e does).');
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium).`);
  fs.mkdirSync(SHOTS, { recursive: true });

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simpul-e2e-'));
  const startScript = path.join(ROOT, 'scripts', 'start.mjs');
  const [cmd, args] = fs.existsSync(startScript)
    ? [process.execPath, [startScript]]
    : [path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'server', 'main.ts')]];
  server = spawn(cmd, args, {
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
  server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  await waitForReady(baseUrl, { timeoutMs: 180_000, proc: server, output: () => serverLog, intervalMs: 250 });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'id-ID' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('foundation on a 360×740 phone', () => {
  it('the first visit runs first-run setup and creates the national admin', async () => {
    await page.goto(baseUrl);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/siapkan');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await page.getByRole('heading', { level: 1, name: 'Penyiapan awal' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('01-setup');

    await page.getByLabel('Nama lengkap').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill(admin.password);
    await page.getByLabel('Ulangi kata sandi').fill(`${admin.password}x`);
    await page.getByRole('button', { name: 'Buat Admin Nasional' }).click();
    await page.getByText('Kedua kata sandi tidak sama.').waitFor();
    await page.getByLabel('Ulangi kata sandi').fill(admin.password);
    await page.getByRole('button', { name: 'Buat Admin Nasional' }).click();

    await page.getByRole('heading', { level: 1, name: `Halo, ${admin.name}` }).waitFor();
    await page.getByText('Admin Nasional — seluruh Indonesia').waitFor();
    await page.getByRole('link', { name: /Pengguna & peran/ }).waitFor();
    await page.getByRole('link', { name: /Dokumentasi API/ }).first().waitFor();
    await expectNoHorizontalScroll();
    await shot('02-home-national-admin');
  });

  it('login errors show the server detail in the chosen language, and the language switch persists', async () => {
    await logOut();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/masuk');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Kata sandi').fill('bukan-sandi-yang-benar');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('alert').getByText('Email atau kata sandi salah.').waitFor();
    await shot('03-login-error-id');

    // English once: the UI changes, <html lang> follows, and the server answers in English.
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
    await expectNoHorizontalScroll();
    await shot('04-login-error-en');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('simpul.lang'))).toBe('en');

    await page.getByRole('button', { name: /^ID/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await logIn(admin.email, admin.password);
  });

  it('the national admin creates a Kota Bandung coordinator, a Bandung member and a Kota Malang member', async () => {
    await createUser(
      coordinator,
      // A typo on purpose: the region search forgives it.
      { typed: 'kota bandng', option: /^Kota Bandung/ },
      { role: 'Koordinator Wilayah', scope: 'Kabupaten/Kota', typed: 'kota bandung', option: /^Kota Bandung/ },
    );
    await page.getByText('Koordinator Wilayah — Kota Bandung').waitFor();
    await expectNoHorizontalScroll();
    await shot('05-user-created-coordinator');

    await createUser(
      bandungMember,
      { typed: 'kota bandung', option: /^Kota Bandung/ },
      { role: 'Anggota', scope: 'Kabupaten/Kota', typed: 'bandung', option: /^Kota Bandung/ },
    );
    await createUser(malangMember, { typed: 'kota malang', option: /^Kota Malang/ });

    await page.goto(`${baseUrl}/pengguna`);
    await page.getByRole('heading', { level: 1, name: 'Pengguna & peran' }).waitFor();
    for (const u of [admin, coordinator, bandungMember, malangMember]) await page.getByText(u.name).waitFor();
    await page.getByRole('searchbox', { name: 'Cari nama atau email' }).fill('malang');
    await expect.poll(() => page.getByText(coordinator.name).count()).toBe(0);
    await page.getByText(malangMember.name).waitFor();
    await expectNoHorizontalScroll();
    await shot('06-users-national-admin');
  });

  it('the coordinator sees only Kota Bandung: home names the region, the list has no Malang user', async () => {
    await page.goto(baseUrl);
    await logOut();
    await logIn(coordinator.email, coordinator.password);
    await page.getByText('Wilayah kerja Anda: Kota Bandung').waitFor();
    await page.getByText('Koordinator Wilayah — Kota Bandung').waitFor();
    await expectNoHorizontalScroll();
    await shot('07-home-coordinator');

    await page.getByRole('link', { name: 'Pengguna', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Pengguna di Kota Bandung' }).waitFor();
    await page.getByText(coordinator.name).waitFor();
    await page.getByText(bandungMember.name).waitFor();
    expect(await page.getByText(malangMember.name).count()).toBe(0);
    expect(await page.getByText(admin.name).count()).toBe(0);
    await expectNoHorizontalScroll();
    await shot('08-users-coordinator');
  });

  it('the region browser opens on the coordinator’s province with their regency highlighted', async () => {
    await page.getByRole('link', { name: 'Wilayah', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/wilayah/32');
    await page.getByRole('heading', { level: 1, name: 'Jawa Barat' }).waitFor();
    const bandung = page.locator('svg.region-map path[data-code="32.73"]');
    await bandung.waitFor();
    expect(await bandung.getAttribute('class')).toContain('is-mine');
    expect(await page.locator('svg.region-map path').count()).toBeGreaterThan(20);
    await page.getByText('Batas wilayah: cahyadsn/wilayah_boundaries (MIT). Data wilayah: idn-area-data (ODbL).').waitFor();
    await expectNoHorizontalScroll();
    await shot('09-regions-coordinator');

    // The list is the keyboard and screen-reader way in: open Kota Bandung and see its districts.
    // (The name may carry the member count of the registry dashboard between the two.)
    await page.getByRole('link', { name: /^Kota Bandung\b.*32\.73$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Kota Bandung' }).waitFor();
    await page.getByRole('heading', { name: 'Kecamatan di Kota Bandung' }).waitFor();
    await page.getByRole('navigation', { name: 'Jejak wilayah' }).getByRole('link', { name: 'Jawa Barat' }).waitFor();
    await expectNoHorizontalScroll();
    await shot('10-region-kota-bandung');
  });

  it('unknown addresses get the 404 page', async () => {
    await page.goto(`${baseUrl}/tidak-ada-di-sini`);
    await page.getByRole('heading', { level: 1, name: 'Halaman tidak ditemukan' }).waitFor();
    await shot('11-not-found');
  });

  it('the login page loads at most 150 KB of JavaScript (gzip) and no map code', async () => {
    const fresh = await browser.newContext({ viewport: VIEWPORT });
    const p = await fresh.newPage();
    const scripts: string[] = [];
    p.on('response', (res) => {
      if (res.request().resourceType() === 'script') scripts.push(new URL(res.url()).pathname);
    });
    await p.goto(`${baseUrl}/masuk`, { waitUntil: 'networkidle' });
    await p.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
    await fresh.close();

    expect(scripts.length).toBeGreaterThan(0);
    let total = 0;
    for (const s of scripts) {
      const file = fs.readFileSync(path.join(WEB_DIR, s));
      total += zlib.gzipSync(file, { level: 9 }).length;
      expect(file.includes('MultiLineString'), `${s} carries d3-geo`).toBe(false);
    }
    expect(total).toBeLessThanOrEqual(LOGIN_JS_BUDGET);
  });
});
