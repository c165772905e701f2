export default definePageConfig({ navigationBarTitleText: '对账 · 商家后台', usingWindowScroll: true });
