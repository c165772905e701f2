/**
 * Service fees (服务费) in integer fen. The rule, documented in the README:
 * - a trade's fee is `round(total × rate)`, rounded half up to the fen (rate in basis points);
 * - refunds return the fee in proportion, computed on the cumulative refunded amount so that the parts add up to the
 *   whole: a refund returns `round(fee × refundedAfter / total) − round(fee × refundedBefore / total)`, and a full
 *   refund (in one or many parts) returns exactly the trade's fee.
 * BigInt keeps the products exact (fen × fen can pass 2^53).
 */

/** round(a × b / c), half up, for non-negative safe integers a, b and positive c. */
export function mulDivRoundHalfUp(a: number, b: number, c: number): number {
  if (
    !Number.isSafeInteger(a) ||
    !Number.isSafeInteger(b) ||
    !Number.isSafeInteger(c) ||
    a < 0 ||
    b < 0 ||
    c <= 0
  ) {
    throw new RangeError(
      `mulDivRoundHalfUp needs non-negative integers and a positive divisor, got ${a}, ${b}, ${c}`,
    );
  }
  const numerator = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  return Number((numerator * 2n + divisor) / (divisor * 2n));
}

export function serviceFeeFen(totalFen: number, rateBps: number): number {
  return mulDivRoundHalfUp(totalFen, rateBps, 10_000);
}

/** The part of a trade's fee a refund gives back, given what had been refunded before it. */
export function refundedFeeFen(
  feeFen: number,
  totalFen: number,
  refundedBeforeFen: number,
  refundFen: number,
): number {
  if (refundedBeforeFen + refundFen > totalFen) {
    throw new RangeError(`refunds (${refundedBeforeFen} + ${refundFen}) exceed the trade total ${totalFen}`);
  }
  return (
    mulDivRoundHalfUp(feeFen, refundedBeforeFen + refundFen, totalFen) -
    mulDivRoundHalfUp(feeFen, refundedBeforeFen, totalFen)
  );
}
