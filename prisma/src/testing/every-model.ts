// Every row of every model, read through the Prisma client, for tests that compare two databases field for field.
import type { Db } from '../client';
import { Prisma } from '../../generated/sqlite/client';

/** The models of schema.prisma, by name (from the generated client, so a new model is in the list by itself). */
export const MODEL_NAMES: readonly string[] = Object.values(Prisma.ModelName).sort();

type FindMany = (args?: object) => Promise<Array<Record<string, unknown>>>;

/**
 * Each model's rows as Prisma reads them (Dates, booleans, bigints as their types), sorted by their JSON text so
 * two databases' rows compare regardless of the order each engine returns them in.
 */
export async function rowsOfEveryModel(db: Db): Promise<Record<string, Array<Record<string, unknown>>>> {
  const result: Record<string, Array<Record<string, unknown>>> = {};
  for (const model of MODEL_NAMES) {
    const delegate = (db as unknown as Record<string, { findMany: FindMany }>)[
      model.charAt(0).toLowerCase() + model.slice(1)
    ];
    if (!delegate) throw new Error(`the client has no delegate for the model ${model}`);
    const rows = await delegate.findMany();
    const key = (row: Record<string, unknown>) =>
      JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    result[model] = rows
      .map((row) => ({ row, text: key(row) }))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .map((entry) => entry.row);
  }
  return result;
}
