export default definePageConfig({ navigationBarTitleText: '推送记录 · 商家后台', usingWindowScroll: true });
