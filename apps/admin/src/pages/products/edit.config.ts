export default definePageConfig({ navigationBarTitleText: '商品详情 · 商家后台', usingWindowScroll: true });
