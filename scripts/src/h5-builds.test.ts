import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '../..');
const PAGE_HOOKS_RUNTIME = '@tarojs/plugin-framework-react/dist/runtime';

type ConfigFn = (
  merge: (...parts: object[]) => object,
  env: { command: string; mode: string },
) => Promise<{ alias?: Record<string, string>; h5?: { webpackChain?: (chain: unknown) => void } }>;

interface WebpackChain {
  merge(options: object): void;
  optimization: { get(key: string): unknown };
}

/** Resolves and loads as the app itself does. */
const appRequire = (app: string) => createRequire(join(REPO_ROOT, 'apps', app, 'package.json'));

/** The app's config as Taro's CLI loads it, merged with the `merge` it passes (webpack-merge's, from @tarojs/service). */
async function loadConfig(app: string) {
  const fromApp = appRequire(app);
  const fromService = createRequire(createRequire(fromApp.resolve('@tarojs/cli')).resolve('@tarojs/service'));
  const { merge } = fromService('webpack-merge') as { merge: (...parts: object[]) => object };
  const module = (await import(join(REPO_ROOT, 'apps', app, 'config/index.ts'))) as { default: ConfigFn };
  return module.default(merge, { command: 'build', mode: 'production' });
}

/**
 * The webpack chain Taro's H5 build hands the config's webpackChain: a real webpack-chain Config (the runner's own
 * copy) holding the optimization Taro's H5Combination sets for production.
 */
function taroH5Chain(app: string): WebpackChain {
  const fromRunner = createRequire(appRequire(app).resolve('@tarojs/webpack5-runner'));
  const Chain = fromRunner('webpack-chain') as new () => WebpackChain;
  const { H5Combination } = fromRunner('./dist/webpack/H5Combination') as {
    H5Combination: { prototype: { getOptimization(this: object, mode: string): object } };
  };
  const chain = new Chain();
  chain.merge({
    optimization: H5Combination.prototype.getOptimization.call({ isBuildNativeComp: false }, 'production'),
  });
  return chain;
}

/**
 * Taro adds the page hooks (useDidShow, usePageNotFound, ...) by importing its React runtime from wherever
 * @tarojs/taro lives, which finds the copy pnpm hoisted. The shop and the admin have one copy each (their peers
 * differ) and pnpm may hoist either, so a build without the alias works on one install and renders blank pages on
 * another. Each app's config must pin the copy its own entry uses.
 */
describe.each(['shop', 'admin'])('the %s H5 build', (app) => {
  it("resolves Taro's page-hook runtime to the app's own copy, whichever copy pnpm hoisted", async () => {
    const config = await loadConfig(app);
    const own = appRequire(app).resolve(PAGE_HOOKS_RUNTIME);
    const aliased = config.alias?.[PAGE_HOOKS_RUNTIME];
    expect(aliased, `${app}/config/index.ts sets no alias for ${PAGE_HOOKS_RUNTIME}`).toBeDefined();
    expect(realpathSync(aliased ?? '')).toBe(realpathSync(own));
    // Loading the config loads Taro's build tooling, seconds of work on a busy machine: a deadline, not a measurement.
  }, 60_000);

  it("puts what several pages use into shared chunks, keeping Taro's own chunk groups", async () => {
    const chain = taroH5Chain(app);
    const taro = chain.optimization.get('splitChunks') as { chunks: string; cacheGroups: object };
    // Taro splits only what the entry shares: each lazily loaded page would carry its own copy of the rest.
    expect(taro.chunks).toBe('initial');
    const config = await loadConfig(app);
    config.h5?.webpackChain?.(chain);
    const ours = chain.optimization.get('splitChunks') as {
      chunks: string;
      minSize: number;
      cacheGroups: object;
    };
    expect(ours.chunks).toBe('all');
    expect(ours.minSize).toBeGreaterThan(0);
    expect(ours.cacheGroups).toBe(taro.cacheGroups);
  }, 60_000);
});
