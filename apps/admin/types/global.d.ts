/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** Public settings inlined by Taro (config/index.ts). */
    TARO_APP_API_URL?: string;
  }
}
