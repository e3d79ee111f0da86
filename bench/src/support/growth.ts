/**
 * How a latency grows with the data: the slope of log(latency) over log(size) between two
 * sizes (0: flat, 1: linear), and the factor per tenfold of data it means (10^slope).
 */
export function logLogSlope(
  small: { size: number; value: number },
  large: { size: number; value: number },
): number {
  return Math.log(large.value / small.value) / Math.log(large.size / small.size);
}

export function perTenfold(slope: number): number {
  return 10 ** slope;
}
