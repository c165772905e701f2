/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** The Taro target being built; inlined by Taro. */
    TARO_ENV?: 'alipay' | 'h5';
    /** Public settings inlined by Taro (config/index.ts). */
    TARO_APP_API_URL?: string;
    TARO_APP_SANDBOX_URL?: string;
  }
}
