export default definePageConfig({ navigationBarTitleText: '审计日志 · 商家后台', usingWindowScroll: true });
