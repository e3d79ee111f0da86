import { open } from 'node:fs/promises';

/** Makes a folder's new or renamed entries durable (a file's fsync does not cover its name). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
