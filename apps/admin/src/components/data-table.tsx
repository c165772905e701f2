import { type ColumnDef, tableFeatures, useTable } from '@tanstack/react-table';

import './data-table.css';

// Tables are TanStack Table (headless: state and row models) rendering a plain semantic <table> (README, "Tables").
export const basicFeatures = tableFeatures({});
export type BasicFeatures = typeof basicFeatures;

export interface DataTableProps<TData extends object> {
  /** Keep `columns` and `data` stable (module scope, state or memo): a new array rebuilds the row model. */
  columns: ColumnDef<BasicFeatures, TData>[];
  data: TData[];
  caption?: string;
}

export function DataTable<TData extends object>({ columns, data, caption }: DataTableProps<TData>) {
  const table = useTable({ features: basicFeatures, columns, data });
  return (
    <table className="data-table">
      {caption === undefined ? null : <caption>{caption}</caption>}
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id}>{header.isPlaceholder ? null : <table.FlexRender header={header} />}</th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
