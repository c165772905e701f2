// The first page is the entry (`/` redirects to it); src/lib/paths.ts maps each page to its clean URL.
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/login/index'],
  window: {
    navigationBarTitleText: '商家后台',
  },
});
