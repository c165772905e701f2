export default definePageConfig({ navigationBarTitleText: '仪表盘 · 商家后台', usingWindowScroll: true });
