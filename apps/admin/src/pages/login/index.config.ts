export default definePageConfig({ navigationBarTitleText: '登录 · 商家后台', usingWindowScroll: true });
