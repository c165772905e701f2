import { apparel } from './apparel';
import { beauty } from './beauty';
import { digital } from './digital';
import { food } from './food';
import { home } from './home';
import { shoes } from './shoes';
import { sports } from './sports';
import type { SeedCategory } from './types';

/** The demo catalog in display order (Category.sortOrder follows this list). */
export const DEMO_CATALOG: readonly SeedCategory[] = [apparel, shoes, digital, food, home, beauty, sports];

export { expandSkus, type SeedCategory, type SeedProduct } from './types';
