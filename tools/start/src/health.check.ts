/** Polls an HTTP endpoint until it answers 2xx; false when time is up or `cancelled` says so. */
export async function waitForHealthy(
  url: string,
  options: { timeoutMs: number; intervalMs?: number; cancelled?: () => boolean },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline && !options.cancelled?.()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Not listening yet: the service is still compiling or connecting.
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }

  return false;
}
