import { categoryIcon, drawIcon, iconFor, type IconColours } from './icons';
import { colourFromName, hashString, lightness, shade, themeFor } from './palette';

/**
 * Product and category pictures, drawn as SVG from the catalog rows. The shop runs where remote images cannot load
 * (the sandboxed H5 pages, the Alipay IDE offline), so the API serves its own; SVG keeps them small, sharp at any
 * density and deterministic (the same row always gives the same bytes, which makes ETags meaningful). Plain string
 * templates are enough for a handful of shapes: every text value goes through `escapeXml`.
 */

export const PRODUCT_IMAGE_SIZE = 750;
export const CATEGORY_ICON_SIZE = 240;

const FONT = `'PingFang SC','Hiragino Sans GB','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif`;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Display width in ems: CJK and full-width characters are square, Latin letters and digits about half. */
function widthEm(ch: string): number {
  return /[\u2E80-\uFFEF]/.test(ch) ? 1 : 0.58;
}

/** Breaks text into at most `maxLines` lines of `maxEm` ems; the last line ends with … when text is left over. */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  const chars = [...text.trim()];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const w = widthEm(ch);
    if (width + w > maxEm) {
      if (lines.length === maxLines - 1) {
        lines.push(`${[...line].slice(0, -1).join('')}…`);
        return lines;
      }
      lines.push(line.trimEnd());
      line = '';
      width = 0;
      if (ch === ' ') continue;
    }
    line += ch;
    width += w;
  }
  if (line) lines.push(line);
  return lines;
}

function coloursFor(main: string): IconColours {
  const veryLight = lightness(main) > 0.88;
  return {
    main,
    dark: veryLight ? '#C9C4BA' : shade(main, -0.3),
    light: veryLight ? '#FFFFFF' : shade(main, 0.7),
    stroke: veryLight ? '#BDB7AC' : 'none',
  };
}

export interface ProductImageInput {
  title: string;
  subtitle: string;
  categorySlug: string;
  categoryName: string;
  /** The product's colour spec values (颜色 / 色号), if any; image i shows colour i. */
  colourNames: readonly string[];
  index: number;
}

/** The colour image `index` shows: the index-th colour value when it names a colour, else a theme swatch. */
function productColour(input: ProductImageInput, seed: number): string {
  const swatches = input.colourNames.map(colourFromName).filter((c): c is string => c !== null);
  if (swatches.length > 0) return swatches[input.index % swatches.length]!;
  const theme = themeFor(input.categorySlug);
  return theme.swatches[(seed + input.index) % theme.swatches.length]!;
}

/** A 750 x 750 product picture: the illustration on a themed backdrop, the category tag, the title below. */
export function renderProductImage(input: ProductImageInput): string {
  const theme = themeFor(input.categorySlug);
  const seed = hashString(input.title);
  const main = productColour(input, seed);
  const colours = coloursFor(main);
  const icon = drawIcon(iconFor(input.title, input.categorySlug), colours);
  const variant = input.index % 3;
  const backdrop = [
    theme.background,
    shade(theme.accent, 0.8),
    shade(main, lightness(main) > 0.85 ? -0.1 : 0.82),
  ][variant]!;

  // A few soft circles placed from the title's hash: each product gets its own, stable composition.
  const dots = Array.from({ length: 5 }, (_, i) => {
    const h = hashString(`${input.title}#${input.index}#${i}`);
    const r = 14 + (h % 46);
    return `<circle cx="${40 + ((h >>> 8) % 670)}" cy="${40 + ((h >>> 16) % 470)}" r="${r}" fill="${i % 2 ? theme.accent : '#FFFFFF'}" opacity="${i % 2 ? 0.14 : 0.5}"/>`;
  }).join('');

  const stage = [
    // Front view, centred.
    `<circle cx="375" cy="300" r="225" fill="#FFFFFF" opacity="0.55"/>` +
      `<ellipse cx="375" cy="500" rx="170" ry="20" fill="${theme.ink}" opacity="0.08"/>` +
      `<g transform="translate(175 95)">${icon}</g>`,
    // Off-centre with the colour swatches: "which colours are there".
    `<rect x="90" y="80" width="570" height="440" rx="48" fill="#FFFFFF" opacity="0.5"/>` +
      `<g transform="translate(150 110) scale(0.9)">${icon}</g>` +
      swatchColumn(input.colourNames, theme.ink),
    // Close-up: the illustration enlarged inside a card, as a detail shot.
    `<clipPath id="detail"><rect x="70" y="60" width="610" height="470" rx="56"/></clipPath>` +
      `<rect x="70" y="60" width="610" height="470" rx="56" fill="#FFFFFF" opacity="0.7"/>` +
      `<g clip-path="url(#detail)"><g transform="translate(75 15) scale(1.5)">${icon}</g></g>`,
  ][variant]!;

  const titleLines = wrapText(input.title, 15, 2);
  const titleY = titleLines.length === 1 ? 628 : 608;
  const title = titleLines
    .map(
      (line, i) =>
        `<text x="375" y="${titleY + i * 50}" text-anchor="middle" font-family="${FONT}" font-size="40" font-weight="700" fill="${theme.ink}">${escapeXml(line)}</text>`,
    )
    .join('');
  const subtitleLine = wrapText(input.subtitle, 23, 1)[0];
  const subtitle = subtitleLine
    ? `<text x="375" y="${titleY + titleLines.length * 50 + 4}" text-anchor="middle" font-family="${FONT}" font-size="26" fill="${shade(theme.ink, 0.4)}">${escapeXml(subtitleLine)}</text>`
    : '';
  const tagWidth = 44 + [...input.categoryName].reduce((sum, ch) => sum + widthEm(ch) * 26, 0);

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PRODUCT_IMAGE_SIZE}" height="${PRODUCT_IMAGE_SIZE}" viewBox="0 0 750 750" role="img" aria-label="${escapeXml(input.title)}">` +
    `<title>${escapeXml(input.title)}</title>` +
    `<rect width="750" height="750" fill="${backdrop}"/>` +
    dots +
    stage +
    `<rect x="36" y="36" width="${Math.round(tagWidth)}" height="48" rx="24" fill="${theme.accent}"/>` +
    `<text x="${36 + Math.round(tagWidth) / 2}" y="68" text-anchor="middle" font-family="${FONT}" font-size="26" font-weight="600" fill="#FFFFFF">${escapeXml(input.categoryName)}</text>` +
    `<rect x="40" y="556" width="670" height="160" rx="32" fill="#FFFFFF" opacity="0.88"/>` +
    title +
    subtitle +
    `</svg>`
  );
}

/** Round swatches down the right edge, one per colour value that names a colour. */
function swatchColumn(colourNames: readonly string[], ink: string): string {
  const swatches = colourNames
    .map(colourFromName)
    .filter((c): c is string => c !== null)
    .slice(0, 6);
  return swatches
    .map(
      (hex, i) =>
        `<circle cx="610" cy="${140 + i * 62}" r="22" fill="${hex}" stroke="${ink}" stroke-opacity="0.15" stroke-width="3"/>`,
    )
    .join('');
}

/** A 240 x 240 category icon: the category's illustration in its accent colour on its tint. */
export function renderCategoryIcon(input: { slug: string; name: string }): string {
  const theme = themeFor(input.slug);
  const icon = drawIcon(categoryIcon(input.slug), coloursFor(theme.accent));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CATEGORY_ICON_SIZE}" height="${CATEGORY_ICON_SIZE}" viewBox="0 0 240 240" role="img" aria-label="${escapeXml(input.name)}">` +
    `<title>${escapeXml(input.name)}</title>` +
    `<rect width="240" height="240" rx="56" fill="${theme.background}"/>` +
    `<circle cx="120" cy="120" r="92" fill="${theme.accent}" opacity="0.12"/>` +
    `<g transform="translate(36 36) scale(0.42)">${icon}</g>` +
    `</svg>`
  );
}
