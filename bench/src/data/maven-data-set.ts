import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { MavenTables } from '../../../tools/import/src/import.plan';
import { readMavenTables } from '../../../tools/import/src/maven.files';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The real data set sits beside the repository on machines that have it; it is not committed. */
export const MAVEN_DATA_SET = join(REPO_ROOT, '..', 'shared', 'data', 'maven-crm');
/** The committed excerpt the import's specs use: a model for generated data on any clone. */
export const MAVEN_FIXTURE = join(REPO_ROOT, 'tools', 'import', 'fixtures', 'maven-crm-small');

export function mavenDataSetExists(): boolean {
  return existsSync(join(MAVEN_DATA_SET, 'sales_pipeline.csv'));
}

/** The Maven files generated data is shaped after: the whole data set where it exists. */
export async function readMavenModel(): Promise<{ folder: string; tables: MavenTables }> {
  const folder = mavenDataSetExists() ? MAVEN_DATA_SET : MAVEN_FIXTURE;

  return { folder, tables: await readMavenTables(folder) };
}
