/**
 * Preloaded (`node -r`) into a process that does not watch its supervisor by itself (the
 * development broker): when the IPC channel to the chaos stack closes, because the stack ended
 * even by SIGKILL, the process gets SIGTERM and stops as it would on Ctrl-C, instead of living on
 * as an orphan that holds its port and data folder.
 */
if (typeof process.send === 'function') {
  process.channel?.unref();
  process.once('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
export {};
