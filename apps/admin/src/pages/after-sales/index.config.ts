export default definePageConfig({ navigationBarTitleText: '售后 · 商家后台', usingWindowScroll: true });
