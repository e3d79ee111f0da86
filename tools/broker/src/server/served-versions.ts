/** One (API key, version) pair the broker answered, and how often. */
export interface ServedVersion {
  apiKey: number;
  version: number;
  count: number;
}

/** Counts the request versions the broker served, so tests can see what clients negotiated. */
export class ServedVersions {
  private readonly counts = new Map<number, number>();

  record(apiKey: number, version: number): void {
    const key = apiKey * 0x10000 + version;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Every pair served so far, by API key then version. */
  list(): ServedVersion[] {
    return [...this.counts.entries()]
      .map(([key, count]) => ({ apiKey: Math.floor(key / 0x10000), version: key % 0x10000, count }))
      .sort((a, b) => a.apiKey - b.apiKey || a.version - b.version);
  }
}
