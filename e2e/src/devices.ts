/** A phone-sized viewport for the shop's H5 pages (the mini-program's world). */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};
