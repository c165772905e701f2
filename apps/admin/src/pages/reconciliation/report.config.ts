export default definePageConfig({ navigationBarTitleText: '对账报告 · 商家后台', usingWindowScroll: true });
