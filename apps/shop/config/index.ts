import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

import devConfig from './dev';
import prodConfig from './prod';

// Taro compiles only src/ and node_modules paths containing "taro" with Babel. Workspace packages ship
// TypeScript source (`"exports": { ".": "./src/index.ts" }`) and resolve to their real path outside
// node_modules, so each one this app imports is listed here to be transpiled for both targets.
const workspaceSources = [path.resolve(__dirname, '../../../packages/contract/src')];

// Dependencies that ship syntax newer than ES2015 (zod 4 uses `?.` and `??`). Taro's own runtime is ES2015; the
// Alipay IDE fails on newer syntax in node_modules code ("Unexpected token", NervJS/taro#18606, #14781), so the
// mini build runs these through Babel too, down to the browserslist targets in package.json.
const modernDependencies = [
  (file: string) => /[\\/]node_modules[\\/]zod[\\/]/.test(file),
  // The 省市区 data (src/lib/region.ts) is an ES module with `const` and arrow functions.
  (file: string) => /[\\/]node_modules[\\/]@vant[\\/]area-data[\\/]/.test(file),
  // The QR code page's encoder (qrcode and its dijkstrajs) is CommonJS with `const` and arrow functions.
  (file: string) => /[\\/]node_modules[\\/](qrcode|dijkstrajs)[\\/]/.test(file),
];

// Public build-time settings (Taro inlines them as `process.env.TARO_APP_*`; never put a secret here). Taro
// reads TARO_APP_* only from .env files, so the process environment is forwarded here with local defaults.
const publicEnv = {
  TARO_APP_API_URL: process.env.TARO_APP_API_URL ?? 'http://127.0.0.1:3000',
  TARO_APP_SANDBOX_URL: process.env.TARO_APP_SANDBOX_URL ?? 'http://127.0.0.1:3100',
  // The development app id (@shop/dev-identity's DEV_APP_ID); the H5 sign-in page is asked for it.
  TARO_APP_ALIPAY_APP_ID: process.env.TARO_APP_ALIPAY_APP_ID ?? '9021000000000001',
};

const h5Port = Number(process.env.SHOP_H5_PORT ?? 10086);

// Taro's API loader adds the page hooks (useDidShow, useReachBottom, ...) to `@tarojs/taro` by importing
// `@tarojs/plugin-framework-react/dist/runtime` from wherever @tarojs/taro lives. pnpm keeps several copies of that
// package (one per set of peers), and the one found from there is whichever pnpm hoisted, not necessarily the one the
// app entry's createReactApp uses; then the hooks read a React that was never set ("useContext is not a function").
// One copy for both (the admin does the same; scripts/src/h5-builds.test.ts checks both):
const frameworkRuntime = require.resolve('@tarojs/plugin-framework-react/dist/runtime', {
  paths: [__dirname],
});

// The H5 build's JS is minified by esbuild rather than Taro's default terser: the shop's H5 build took 63 s and 86 CPU-s
// with terser and 24 s and 32 CPU-s with esbuild, for 2% more JS (6.75 MB against 6.64), and e2e builds both apps on
// every run. Its target is the browserslist above ("fully supports es6-module" is ES2017 and later). CSS stays with
// csso: Taro 4.2 passes csso's `preset` option to esbuild's CSS minifier, which refuses it ("Invalid option in
// transform() call"). The Alipay build keeps terser: its package must be ES5 and fit Alipay's size limit
// (build.int.test.ts checks both).
const h5Minimizers = {
  jsMinimizer: 'esbuild',
  esbuild: { minify: { enable: true, config: { target: 'es2017' } } },
} satisfies UserConfigExport<'webpack5'>;

export default defineConfig<'webpack5'>((merge) => {
  const platform = process.env.TARO_ENV ?? 'h5';
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'shop',
    date: '2026-11-21',
    // Our styles are written for a 750 px wide design; NutUI's for 375 px (its setup guide).
    designWidth: (input?: string | number | { file?: string }) =>
      typeof input === 'object' && input.file?.replace(/\\/g, '/').includes('@nutui/') ? 375 : 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    plugins: [],
    env: Object.fromEntries(Object.entries(publicEnv).map(([key, value]) => [key, JSON.stringify(value)])),
    defineConstants: {},
    alias: { '@tarojs/plugin-framework-react/dist/runtime': frameworkRuntime },
    copy: {
      // The H5 build ships a default runtime config so that the static build works by itself; whoever
      // serves it can answer /runtime-config.js dynamically instead (see README, "Runtime configuration").
      patterns:
        platform === 'h5' ? [{ from: 'public/runtime-config.js', to: `dist/h5/runtime-config.js` }] : [],
      options: {},
    },
    framework: 'react',
    // Dependency prebundling (dev only) crashes the H5 dev server here: webpack-virtual-modules 0.6 under
    // @tarojs/webpack5-prebundle 4.2.0 throws "finalInputFileSystem._writeVirtualFile is not a function".
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    ...(platform === 'h5' ? h5Minimizers : {}),
    mini: {
      compile: { include: [...workspaceSources, ...modernDependencies] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      compile: { include: workspaceSources },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
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
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        // webpack's 244 KiB hint is about first loads on the public web; the H5 build serves the browser
        // tests and local development. The size that matters is the Alipay package (build.int.test.ts).
        chain.performance.hints(false);
        // Taro splits off only what the entry shares (`chunks: 'initial'`), so each page's lazily loaded chunk
        // carried its own copy of the Taro components and NutUI parts it uses: 6.75 MB of JS over the 18 pages. With
        // `chunks: 'all'` what several pages use goes into shared chunks (at least 20 KB each, not dozens of
        // slivers), downloaded once however many pages a shopper opens: 1.32 MB over the 18 pages, the first page's
        // load the same (927 KB against 923 KB for the home page), and the build 23 s instead of 33 s.
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
