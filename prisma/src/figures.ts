// The money figures a person checks a copy or a backup by, as the admin would: one SQL text for both engines.

/** The money figures compared between a database and its copy or backup. */
export interface MoneyFigures {
  /** Rows of "Order", whatever their status. */
  orders: bigint;
  /** What Alipay confirmed paid: the sum of "Payment"."amountFen" over payments in status PAID. */
  paidFen: bigint;
  /** What Alipay confirmed refunded: the sum of "Refund"."amountFen" over refunds in status SUCCEEDED. */
  refundedFen: bigint;
}

/** Each figure's SQL: one value named "v", the same text on SQLite and PostgreSQL. */
export const FIGURE_SQL: Record<keyof MoneyFigures, string> = {
  orders: 'SELECT count(*) AS "v" FROM "Order"',
  paidFen: `SELECT COALESCE(SUM("amountFen"), 0) AS "v" FROM "Payment" WHERE "status" = 'PAID'`,
  refundedFen: `SELECT COALESCE(SUM("amountFen"), 0) AS "v" FROM "Refund" WHERE "status" = 'SUCCEEDED'`,
};

export const FIGURE_NAMES = Object.keys(FIGURE_SQL) as Array<keyof MoneyFigures>;

export function sameFigures(a: MoneyFigures, b: MoneyFigures): boolean {
  return FIGURE_NAMES.every((name) => a[name] === b[name]);
}
