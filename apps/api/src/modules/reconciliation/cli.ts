import { parseArgs } from 'node:util';
import { fenToYuan } from '@shop/alipay';
import { RECONCILIATION_KINDS } from '@shop/contract';
import { closeDb, describeLocation, migrationStatus } from '@shop/db';
import pino from 'pino';
import { createDeps } from '../../deps';
import type { Env } from '../../env';
import { AppError } from '../../errors';
import { REDACT_PATHS } from '../../http/logger';
import { yesterday } from './report.service';
import { billDateRange, runReconciliation, type RunResult } from './run.service';

/**
 * `pnpm reconcile [--date yyyy-MM-dd]`: reconciles one China day (default: yesterday) with the API's own
 * configuration (database, Alipay gateway and keys), so it works against the sandbox and against real Alipay alike.
 * Prints each step as it happens, then a summary table. Exit codes: 0 a report was made (clean or with
 * differences), 1 no report (the bill could not be had, another run is in progress, an error), 2 bad usage.
 */

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: pnpm reconcile [--date yyyy-MM-dd]

Reconciles Alipay's trade bill for a China calendar day (default: yesterday) against the shop's ledger, stores the
report and the day's settlement, and prints a summary. Uses the API's environment (DATABASE_URL or DATABASE_FILE, ALIPAY_GATEWAY,
ALIPAY_* keys; see apps/api/.env.example).

Exit codes: 0 report made (CLEAN or DIFFERENCES), 1 no report, 2 bad usage.
`;

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value.padStart(valueWidth)}\n`).join('');
}

async function summary(result: RunResult, countKinds: () => Promise<Map<string, number>>): Promise<string> {
  const { run, settlement } = result;
  let text = `\n${run.billDate}: ${run.status}`;
  if (run.status === 'FAILED') return `${text}\n  ${run.error ?? ''}\n`;
  text += ` (${run.billLineCount} bill rows, ${run.matchedCount} matched, ${run.differenceCount} differences)\n\n`;
  const counts = await countKinds();
  text += table([
    ['class', 'lines'],
    ...RECONCILIATION_KINDS.map((kind) => [kind, String(counts.get(kind) ?? 0)] as const),
    ['total', String([...counts.values()].reduce((sum, n) => sum + n, 0))],
  ]);
  if (settlement) {
    const yuan = (fen: bigint) => fenToYuan(Number(fen));
    text += `\n${table([
      ['settlement', 'yuan'],
      ['trades', String(settlement.tradeCount)],
      ['refunds', String(settlement.refundCount)],
      ['gross paid', yuan(settlement.grossFen)],
      ['refunded', yuan(-settlement.refundFen)],
      ['service fees', yuan(-settlement.feeFen)],
      ['net owed', yuan(settlement.netFen)],
    ])}`;
  }
  text += `\n  report sha256  ${run.reportHash}\n  bill sha256    ${run.billSha256}\n`;
  return text;
}

/** Runs the command; returns the exit code. `loadEnv` is called only once the arguments are valid. */
export async function reconcileCli(
  argv: readonly string[],
  loadEnv: () => Env,
  io: CliOutput,
): Promise<number> {
  let date: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv.filter((arg, i) => !(i === 0 && arg === '--')),
      options: { date: { type: 'string', short: 'd' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    date = values.date;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const billDate = date ?? yesterday();
  try {
    billDateRange(billDate);
  } catch (error) {
    io.err(`--date: ${(error as Error).message}\n`);
    return 2;
  }

  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  const where = describeLocation(env.DATABASE);
  const status = await migrationStatus(env.DATABASE).catch((error: unknown) => {
    io.err(`Cannot reach the database at ${where}: ${(error as Error).message}\n`);
    return null;
  });
  if (!status) return 1;
  if (status.applied.length === 0 || status.pending.length > 0) {
    io.err(`No migrated database at ${where}: start the API once or run pnpm db:migrate.\n`);
    return 1;
  }
  // Logs go to stderr so they never mix with the table.
  const logger = pino(
    {
      name: 'reconcile',
      level: env.LOG_LEVEL,
      redact: { paths: REDACT_PATHS },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination(2),
  );
  const deps = createDeps(env, env.API_PUBLIC_URL ?? `http://${env.API_HOST}:${env.API_PORT}`, logger);
  io.out(`Reconciling ${billDate} (China time) against ${env.ALIPAY_GATEWAY}\n`);
  let last = performance.now();
  try {
    const result = await runReconciliation(deps, billDate, {
      onProgress: ({ step, message }) => {
        const now = performance.now();
        io.out(`  ✓ ${step.padEnd(8)} ${message} (${Math.round(now - last)} ms)\n`);
        last = now;
      },
    });
    io.out(
      await summary(result, async () => {
        const groups = await deps.db.reconciliationLine.groupBy({
          by: ['kind'],
          where: { runId: result.run.id },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.kind, group._count._all]));
      }),
    );
    if (result.failure && result.run.status !== 'FAILED') {
      io.err(`\nThis attempt failed: ${result.failure}\nThe earlier report above is kept.\n`);
    }
    return result.failure ? 1 : 0;
  } catch (error) {
    io.err(`\n${error instanceof AppError ? error.message : String((error as Error).stack ?? error)}\n`);
    return 1;
  } finally {
    await closeDb(deps.db);
  }
}
