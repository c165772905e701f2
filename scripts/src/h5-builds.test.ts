import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '../..');
const PAGE_HOOKS_RUNTIME = '@tarojs/plugin-framework-react/dist/runtime';

type ConfigFn = (
  merge: (...parts: object[]) => object,
  env: { command: string; mode: string },
) => Promise<{ alias?: Record<string, string> }>;

/**
 * Taro adds the page hooks (useDidShow, usePageNotFound, ...) by importing its React runtime from wherever
 * @tarojs/taro lives, which finds the copy pnpm hoisted. The shop and the admin have one copy each (their peers
 * differ) and pnpm may hoist either, so a build without the alias works on one install and renders blank pages on
 * another. Each app's config must pin the copy its own entry uses.
 */
describe.each(['shop', 'admin'])('the %s H5 build', (app) => {
  it("resolves Taro's page-hook runtime to the app's own copy, whichever copy pnpm hoisted", async () => {
    const appDir = join(REPO_ROOT, 'apps', app);
    const module = (await import(join(appDir, 'config/index.ts'))) as { default: ConfigFn };
    const config = await module.default((...parts) => Object.assign({}, ...parts) as object, {
      command: 'build',
      mode: 'production',
    });
    const own = createRequire(join(appDir, 'package.json')).resolve(PAGE_HOOKS_RUNTIME);
    const aliased = config.alias?.[PAGE_HOOKS_RUNTIME];
    expect(aliased, `${app}/config/index.ts sets no alias for ${PAGE_HOOKS_RUNTIME}`).toBeDefined();
    expect(realpathSync(aliased ?? '')).toBe(realpathSync(own));
    // Loading the config loads Taro's build tooling, seconds of work on a busy machine: a deadline, not a measurement.
  }, 60_000);
});
