/**
 * The headless Chromium of the browser tests, from the project's own install:
 * the devDependency @sparticuz/chromium ships a brotli-packed Chromium
 * (headless shell), its fonts and the NSS libraries it links against, so
 * `npm ci` is all a machine needs; no system browser, no apt-get.
 *
 * The package unpacks itself into os.tmpdir() under fixed names
 * (/tmp/chromium, /tmp/fonts, ...) and reuses whatever it finds there, even a
 * half-written file or another version's binary. So it is pointed at a
 * staging directory of its own, and the finished directory is renamed into
 * place in one step, keyed by the package's version:
 *
 *   node_modules/.cache/iommu-stress-chromium/<version>/
 *     chromium, locales/, lib*.so   the browser (executablePath())
 *     fonts/                        the fonts it ships (Open Sans)
 *     al2023/lib/                   the NSS libraries it ships (libnss3, ...)
 *     fonts.conf                    ours: those fonts, this directory's paths
 *
 * The browser then runs with LD_LIBRARY_PATH at those libraries and
 * FONTCONFIG_FILE at that fonts.conf, so it needs nothing from the system
 * but glibc, and draws text the same wherever it runs.
 */
import Chromium from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';
import { beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

const PACKAGE = '@sparticuz/chromium';
const PACKAGE_DIR = fileURLToPath(new URL('../node_modules/@sparticuz/chromium/', import.meta.url));
const CACHE = fileURLToPath(new URL('../node_modules/.cache/iommu-stress-chromium/', import.meta.url));
/** Written last, so a directory with it is complete. */
const DONE = '.unpacked';

/**
 * What the tests ask of the browser. Of the package's own `Chromium.args`
 * none is needed here: --single-process and --no-zygote are for AWS Lambda,
 * and --disable-web-security or --allow-running-insecure-content would weaken
 * what the tests check (that a page loads nothing but itself).
 */
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string') throw new Error(`${PACKAGE}: no version in its package.json`);
  return version;
}

/** Run the package's own unpacking with os.tmpdir() pointed at `dir`; returns the binary's path. */
async function unpackChromium(dir: string): Promise<string> {
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = dir;
  try {
    return await Chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
}

/** A staging directory this old was left by a run that died unpacking (it takes seconds): ~200 MB to give back. */
const STALE_MS = 10 * 60_000;

function removeStaleStaging(): void {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (name.includes('.tmp-') && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** Unpack everything into a fresh staging directory, then rename it to `dir` (another process may have won: then use its). */
async function unpackInto(dir: string): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  removeStaleStaging();
  const staging = mkdtempSync(`${dir}.tmp-`);
  try {
    const exe = await unpackChromium(staging);
    if (exe !== join(staging, 'chromium')) throw new Error(`${PACKAGE} unpacked to ${exe}, not into ${staging}`);
    // The libraries the package only unpacks on Amazon Linux: a plain tar, brotli-compressed.
    const libs = join(staging, 'al2023');
    mkdirSync(libs);
    const tar = spawnSync('tar', ['-x', '-C', libs], { input: brotliDecompressSync(readFileSync(join(PACKAGE_DIR, 'bin', 'al2023.tar.br'))) });
    if (tar.status !== 0) throw new Error(`unpacking ${PACKAGE}'s al2023.tar.br: ${tar.error?.message ?? tar.stderr.toString()}`);
    // The package's fonts.conf names /tmp/fonts; ours names where the fonts are after the rename.
    const xml = (path: string): string => path.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    writeFileSync(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${xml(join(dir, 'fonts'))}</dir>\n  <cachedir>${xml(join(dir, 'fontconfig-cache'))}</cachedir>\n</fontconfig>\n`,
    );
    writeFileSync(join(staging, DONE), '');
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(join(dir, DONE))) return;
    throw e;
  }
}

/** The unpacked browser's directory, unpacking it on first use. */
export async function chromiumDir(): Promise<string> {
  const dir = join(CACHE, packageVersion());
  if (!existsSync(join(dir, DONE))) await unpackInto(dir);
  return dir;
}

/** Launch headless Chromium; fails naming the package (and what went wrong) when it cannot start. */
export async function launchBrowser(): Promise<Browser> {
  let where = `${PACKAGE} (a devDependency: npm ci installs it)`;
  try {
    const dir = await chromiumDir();
    where = `${PACKAGE} ${packageVersion()}, unpacked in ${dir}`;
    const libs = join(dir, 'al2023', 'lib');
    const ldPath = process.env['LD_LIBRARY_PATH'];
    return await chromium.launch({
      executablePath: join(dir, 'chromium'),
      args: BROWSER_ARGS,
      env: { ...process.env, LD_LIBRARY_PATH: ldPath ? `${libs}:${ldPath}` : libs, FONTCONFIG_FILE: join(dir, 'fonts.conf') },
      timeout: 60_000,
    });
  } catch (e) {
    throw new Error(`headless Chromium from ${where} could not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * A beforeAll that keeps its failure for the tests to throw, returning the
 * function that throws it: a hook that throws makes vitest count the tests
 * as skipped, and a browser test must fail instead (with the reason).
 */
export function setUpOnce(work: () => Promise<void>, timeout: number): () => void {
  let error: unknown;
  beforeAll(async () => {
    try {
      await work();
    } catch (e) {
      error = e ?? new Error('set-up failed');
    }
  }, timeout);
  return () => {
    if (error !== undefined) throw error;
  };
}
