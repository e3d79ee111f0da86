/** `10k`, `100k`, `1M` or a plain number of deals. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`not a data size: "${text}" (e.g. 10k, 100k, 1M)`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase() as '' | 'k' | 'm'];

  return Math.round(Number(match[1]) * factor);
}

/**
 * Data sizes of a measurement: from an environment variable such as `RELATE_BENCH_QUERY_SIZES=
 * 10k,100k` when set (to run a full measurement at the sizes that fit a machine), else the
 * defaults; ascending, since the data grows from one size to the next.
 */
export function sizesFrom(variable: string, defaults: readonly number[]): number[] {
  const text = process.env[variable];
  const sizes = text ? text.split(',').map(parseSize) : [...defaults];

  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function sizeLabel(size: number): string {
  if (size >= 1_000_000 && size % 100_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1_000 && size % 100 === 0) return `${size / 1_000}k`;

  return String(size);
}
