import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'acorn';
import { beforeAll, describe, expect, it } from 'vitest';

// Builds the Alipay mini-program package the way `pnpm build:alipay` does and checks what the Alipay IDE and
// the platform need from it: every page complete, the project file present, and the main package under 2 MB.
const appDir = path.resolve(import.meta.dirname, '..');
const outDir = path.join(appDir, 'dist', 'alipay');
const MAIN_PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024;
const BUILD_TIMEOUT_MS = 300_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(outDir, file), 'utf8'));
}

describe('alipay build', () => {
  beforeAll(async () => {
    const started = Date.now();
    // NODE_ENV=production: Vitest sets NODE_ENV=test, which Taro would take as the build mode (no minifying).
    await promisify(execFile)('pnpm', ['run', 'build:alipay'], {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    console.log(`alipay build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, BUILD_TIMEOUT_MS);

  it('gives every page in app.json its .axml, .js, .json and .acss', () => {
    const app = readJson('app.json') as { pages?: unknown };
    expect(Array.isArray(app.pages) && app.pages.length > 0).toBe(true);
    const missing = (app.pages as string[]).flatMap((page) =>
      ['.axml', '.js', '.json', '.acss']
        .map((ext) => `${page}${ext}`)
        .filter((file) => !existsSync(path.join(outDir, file))),
    );
    expect(missing).toEqual([]);
  });

  it('ships the project file the Alipay IDE opens', () => {
    expect(readJson('mini.project.json')).toMatchObject({
      format: 2,
      compileType: 'mini',
      miniprogramRoot: './',
      compileOptions: { component2: true },
    });
    for (const file of ['app.js', 'app.json', 'app.acss'])
      expect(existsSync(path.join(outDir, file))).toBe(true);
  });

  it('emits only ES5 scripts, which every Alipay engine and the IDE parse', () => {
    // babel.config.js targets ES5 for alipay and config/index.ts sends modern dependencies through Babel.
    const failures = filesUnder(outDir)
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => {
        try {
          parse(readFileSync(file, 'utf8'), { ecmaVersion: 5, sourceType: 'script' });
          return [];
        } catch (error) {
          return [`${path.relative(outDir, file)}: ${(error as Error).message}`];
        }
      });
    expect(failures).toEqual([]);
  });

  it('keeps the whole package under the 2 MB main-package limit', () => {
    const bytes = filesUnder(outDir).reduce((sum, file) => sum + statSync(file).size, 0);
    console.log(
      `alipay package: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB) of ${MAIN_PACKAGE_LIMIT_BYTES}`,
    );
    expect(bytes).toBeLessThan(MAIN_PACKAGE_LIMIT_BYTES);
  });
});
