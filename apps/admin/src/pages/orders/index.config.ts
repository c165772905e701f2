export default definePageConfig({ navigationBarTitleText: '订单 · 商家后台', usingWindowScroll: true });
