import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

import routes from '../src/routes.json';
import devConfig from './dev';
import prodConfig from './prod';

// Taro compiles only src/ and node_modules paths containing "taro" with Babel. Workspace packages ship
// TypeScript source (`"exports": { ".": "./src/index.ts" }`) and resolve to their real path outside
// node_modules, so each one this app imports is listed here to be transpiled.
const workspaceSources = [path.resolve(__dirname, '../../../packages/contract/src')];

// Public build-time settings (Taro inlines them as `process.env.TARO_APP_*`; never put a secret here). Taro
// reads TARO_APP_* only from .env files, so the process environment is forwarded here with local defaults.
const publicEnv = {
  TARO_APP_API_URL: process.env.TARO_APP_API_URL ?? 'http://127.0.0.1:3000',
};

// Clean URLs (/orders, /orders/detail?id=...) instead of /pages/orders/index; src/lib/paths.ts reads the same table.
const customRoutes = Object.fromEntries(Object.values(routes).map(([source, url]) => [`/${source}`, url]));

const h5Port = Number(process.env.ADMIN_H5_PORT ?? 10087);

// Taro's API loader adds the page hooks (useDidShow, usePageNotFound, ...) to `@tarojs/taro` by importing
// `@tarojs/plugin-framework-react/dist/runtime` from wherever @tarojs/taro lives. pnpm keeps one copy of that package
// per set of peers (the shop's and the admin's differ), and from @tarojs/taro's folder Node finds whichever copy pnpm
// hoisted, which differs between installs. When it is not the copy the app entry's createReactApp uses, the hooks read
// a React that was never set ("useContext is not a function") and every page stays blank. The admin's own copy for
// both, as in apps/shop/config/index.ts:
const frameworkRuntime = require.resolve('@tarojs/plugin-framework-react/dist/runtime', {
  paths: [__dirname],
});

// The admin is built for desktop H5 only.
export default defineConfig<'webpack5'>((merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'admin',
    date: '2026-11-21',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: 'dist/h5',
    plugins: [],
    env: Object.fromEntries(Object.entries(publicEnv).map(([key, value]) => [key, JSON.stringify(value)])),
    defineConstants: {},
    alias: { '@tarojs/plugin-framework-react/dist/runtime': frameworkRuntime },
    copy: {
      // A default runtime config so that the static build works by itself; whoever serves the build can answer
      // /runtime-config.js dynamically instead (see README, "Runtime configuration").
      patterns: [{ from: 'public/runtime-config.js', to: 'dist/h5/runtime-config.js' }],
      options: {},
    },
    framework: 'react',
    // Dependency prebundling (dev only) crashes the H5 dev server here: webpack-virtual-modules 0.6 under
    // @tarojs/webpack5-prebundle 4.2.0 throws "finalInputFileSystem._writeVirtualFile is not a function".
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    // esbuild minifies the JS, not Taro's default terser: the admin's build took 49 s and 69 CPU-s with terser and
    // 27 s and 36 CPU-s with esbuild, for 8% more JS (4.55 MB against 4.21); the shop's config says why CSS stays
    // with csso.
    jsMinimizer: 'esbuild',
    esbuild: { minify: { enable: true, config: { target: 'es2017' } } },
    cache: { enable: false },
    h5: {
      compile: { include: workspaceSources },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser', customRoutes },
      devServer: { host: '127.0.0.1', port: h5Port },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        // Desktop layout: CSS pixels stay pixels (no rem scaling from a 750 px mobile design).
        pxtransform: { enable: false, config: {} },
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        // webpack's 244 KiB hint is for public web pages; the admin is an internal desktop tool.
        chain.performance.hints(false);
        // What several pages use goes into shared chunks instead of a copy in each page's chunk (the shop's config
        // says more).
        chain.optimization.set('splitChunks', {
          ...(chain.optimization.get('splitChunks') as object),
          chunks: 'all',
          minSize: 20_000,
        });
      },
    },
  };
  return merge({}, baseConfig, process.env.NODE_ENV === 'development' ? devConfig : prodConfig);
});
