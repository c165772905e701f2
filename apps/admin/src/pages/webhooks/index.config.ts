export default definePageConfig({ navigationBarTitleText: '消息推送 · 商家后台', usingWindowScroll: true });
