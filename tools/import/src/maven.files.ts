import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { readCsvTable } from './csv.parser';
import { MAVEN_FILES, MavenFile, MavenTables } from './import.plan';

/** Reads the four CSV files of the maven-crm layout from one folder. */
export async function readMavenTables(folder: string): Promise<MavenTables> {
  const files = Object.keys(MAVEN_FILES) as MavenFile[];
  const tables = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(folder, MAVEN_FILES[file]), 'utf8');

      return [file, readCsvTable(text)] as const;
    }),
  );

  return Object.fromEntries(tables) as MavenTables;
}
