export default definePageConfig({ navigationBarTitleText: '员工 · 商家后台', usingWindowScroll: true });
