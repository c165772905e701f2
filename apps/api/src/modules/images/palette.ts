/**
 * Colours for the generated images: a theme per category (background tint, accent, a few product colours) and the
 * usual Chinese colour words on spec values mapped to flat swatches, so a "雾霾蓝" T-shirt is drawn blue.
 */

export interface Theme {
  background: string;
  accent: string;
  ink: string;
  /** Product colours used when a product has no colour spec. */
  swatches: readonly string[];
}

const THEMES: Record<string, Theme> = {
  apparel: {
    background: '#F6EFE9',
    accent: '#E07A5F',
    ink: '#3B2F2A',
    swatches: ['#E07A5F', '#3D405B', '#81B29A', '#F2CC8F'],
  },
  shoes: {
    background: '#EAF1F7',
    accent: '#3D5A80',
    ink: '#1F2B3A',
    swatches: ['#3D5A80', '#EE6C4D', '#98C1D9', '#293241'],
  },
  digital: {
    background: '#ECEFF6',
    accent: '#4F6BED',
    ink: '#1C2333',
    swatches: ['#4F6BED', '#2D2F33', '#A9ADB3', '#7FB7BE'],
  },
  food: {
    background: '#FFF4E2',
    accent: '#E9A23B',
    ink: '#4A3220',
    swatches: ['#E9A23B', '#C8553D', '#8C6A43', '#6A994E'],
  },
  home: {
    background: '#EEF5EE',
    accent: '#6A9F6E',
    ink: '#263A2A',
    swatches: ['#6A9F6E', '#D9C4A3', '#E5989B', '#5E7CA3'],
  },
  beauty: {
    background: '#FCEEF2',
    accent: '#D46A8C',
    ink: '#4A2432',
    swatches: ['#D46A8C', '#F2A5B8', '#B5838D', '#F6BD60'],
  },
  sports: {
    background: '#E9F6F4',
    accent: '#2A9D8F',
    ink: '#163B36',
    swatches: ['#2A9D8F', '#E76F51', '#264653', '#E9C46A'],
  },
};

const DEFAULT_THEME: Theme = {
  background: '#F1F1F4',
  accent: '#7B7F9E',
  ink: '#24263A',
  swatches: ['#7B7F9E', '#E07A5F', '#81B29A', '#F2CC8F'],
};

export function themeFor(categorySlug: string): Theme {
  return THEMES[categorySlug] ?? DEFAULT_THEME;
}

/** Checked in order: specific words before the general ones they contain (藏青 before 青, 酒红 before 红). */
const COLOUR_WORDS: ReadonlyArray<readonly [readonly string[], string]> = [
  [['藏青', '海军', '深蓝', '午夜蓝'], '#28406B'],
  [['酒红', '勃艮第'], '#8E2C3A'],
  [['雾霾蓝', '冰川蓝', '天蓝', '浅蓝'], '#8FB3D9'],
  [['黑', '曜石', '午夜', '石墨'], '#2D2F33'],
  [['白', '雪', '象牙', '珍珠'], '#FBFAF7'],
  [['灰', '银', '钛', '太空'], '#A9ADB3'],
  [['粉', '樱', '玫瑰', '蜜桃'], '#F2A5B8'],
  [['红', '朱', '番茄'], '#D2483F'],
  [['橙', '橘', '珊瑚'], '#F28C38'],
  [['金', '香槟'], '#D4AF37'],
  [['黄', '柠檬', '奶油'], '#F0C04B'],
  [['薄荷', '抹茶', '橄榄', '军绿', '绿', '青'], '#5FAE7B'],
  [['蓝', '海'], '#3F7FD9'],
  [['紫', '薰衣草', '丁香'], '#8F6FD0'],
  [['棕', '咖', '驼', '栗', '焦糖', '巧克力', '摩卡'], '#9A6A44'],
  [['米', '杏', '卡其', '燕麦', '原木', '沙'], '#D9C4A3'],
];

/** The swatch for a colour name, or null when it names no colour we know. */
export function colourFromName(name: string): string | null {
  for (const [words, hex] of COLOUR_WORDS) if (words.some((w) => name.includes(w))) return hex;
  return null;
}

/** Mixes a hex colour toward black (amount < 0) or white (amount > 0); amount in [-1, 1]. */
export function shade(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channels = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) =>
    Math.round(amount < 0 ? c * (1 + amount) : c + (255 - c) * amount),
  );
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

/** Perceived lightness in [0, 1], to pick a contrasting outline for very light products. */
export function lightness(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
}

/** FNV-1a: a stable small hash so the same product always gets the same picks. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
