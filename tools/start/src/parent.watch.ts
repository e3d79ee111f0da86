/**
 * Calls `onGone` once when the process that started this one has ended. `npm start` runs the
 * supervisor under npm (and a shell); a SIGTERM to npm ends npm without passing the signal on,
 * and the supervisor would keep the whole stack running as an orphan. An orphan is adopted by
 * another process, so its parent id changes: that is what this watches.
 */
export function watchParent(
  onGone: () => void,
  options: { intervalMs?: number; parentId?: () => number } = {},
): () => void {
  const parentId = options.parentId ?? (() => process.ppid);
  const original = parentId();
  const timer = setInterval(() => {
    if (parentId() !== original) {
      clearInterval(timer);
      onGone();
    }
  }, options.intervalMs ?? 1_000);
  // Watching must never keep the supervisor alive by itself.
  timer.unref();

  return () => clearInterval(timer);
}
