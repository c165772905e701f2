export default definePageConfig({ navigationBarTitleText: '售后详情 · 商家后台', usingWindowScroll: true });
