export default definePageConfig({ navigationBarTitleText: '商品 · 商家后台', usingWindowScroll: true });
