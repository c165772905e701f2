// Outline icons for the sidebar and the top bar (24 px grid, drawn here: a few paths do not justify an icon package).
const PATHS = {
  dashboard: 'M4 13h6V4H4v9zm0 7h6v-5H4v5zm10 0h6v-9h-6v9zm0-16v5h6V4h-6z',
  orders: 'M7 4h10l3 3v13H4V7l3-3zm0 0v3H4m13-3v3h3M8 11h8M8 15h5',
  products: 'M12 3l8 4.5v9L12 21l-8-4.5v-9L12 3zm0 0v18M4 7.5l8 4.5 8-4.5',
  afterSales: 'M4 12a8 8 0 0113.7-5.6L20 8.5M20 4v4.5h-4.5M20 12a8 8 0 01-13.7 5.6L4 15.5M4 20v-4.5h4.5',
  reconciliation: 'M5 4h14v16H5V4zm3 4h8M8 12h8M8 16h4m3 0l1.5 1.5L19 15',
  audit: 'M12 3l7 3v5c0 4.5-3 8.5-7 10-4-1.5-7-5.5-7-10V6l7-3zm-3 9l2 2 4-4',
  staff:
    'M9 11a3.5 3.5 0 100-7 3.5 3.5 0 000 7zm-6 9c0-3.3 2.7-6 6-6s6 2.7 6 6m1-9a3 3 0 100-6m2 15c0-2.5-1-4.5-3-5.5',
  settings: 'M8 11V7a4 4 0 118 0v4M6 11h12v9H6v-9zm6 4v2',
  webhooks: 'M4 12h5l2-5 3 10 2-5h4M4 5v14M20 5v14',
  bell: 'M6 17V11a6 6 0 1112 0v6l1.5 2h-15L6 17zm4 4h4',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.7"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
