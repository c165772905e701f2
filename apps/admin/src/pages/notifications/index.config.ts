export default definePageConfig({ navigationBarTitleText: '通知 · 商家后台', usingWindowScroll: true });
