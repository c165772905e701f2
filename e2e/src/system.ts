/** The URLs of the system under test, published by global setup through the environment. */
export interface E2eUrls {
  api: string;
  sandbox: string;
  shop: string;
  admin: string;
}

export const URLS_ENV = 'E2E_SYSTEM_URLS';

export function systemUrls(): E2eUrls {
  const raw = process.env[URLS_ENV];
  if (!raw)
    throw new Error(`${URLS_ENV} is not set: run through playwright test (global setup starts the system)`);
  return JSON.parse(raw) as E2eUrls;
}
