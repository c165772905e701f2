export default definePageConfig({ navigationBarTitleText: '设置 · 商家后台', usingWindowScroll: true });
