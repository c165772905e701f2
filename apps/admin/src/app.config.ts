export default defineAppConfig({
  pages: ['pages/index/index'],
  window: {
    navigationBarTitleText: '商家后台',
  },
});
