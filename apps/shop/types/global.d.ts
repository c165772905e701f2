/// <reference types="@tarojs/taro" />

declare module '*.png' {
  const src: string;
  export default src;
}
declare module '*.jpg' {
  const src: string;
  export default src;
}
declare module '*.svg' {
  const src: string;
  export default src;
}
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** The Taro target being built; inlined by Taro. */
    TARO_ENV?: 'alipay' | 'h5';
    /** Public settings inlined by Taro (config/index.ts). */
    TARO_APP_API_URL?: string;
    TARO_APP_SANDBOX_URL?: string;
    TARO_APP_ALIPAY_APP_ID?: string;
  }
}
