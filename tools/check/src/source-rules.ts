import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const MAX_LINE_LENGTH = 100;

export interface RuleViolation {
  file: string;
  line: number;
  rule: 'line-length' | 'untracked-todo' | 'focused-or-skipped-test';
  text: string;
}

// Bracketed letters keep this file from matching its own rules.
const SHORTCOMING_MARK = /\b(T[O]DO|F[I]XME|X[X]X|H[A]CK)\b/;
const TRACKED_MARK = /T[O]DO\(#\d+\)/;
const FOCUSED_OR_SKIPPED = /\b(it|describe|test)\.(skip|only)\(|\bx(it|describe)\(/;

/** Checks one file's text against the project's cheap mechanical rules. */
export function checkSource(file: string, text: string): RuleViolation[] {
  const violations: RuleViolation[] = [];
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    if (content.length > MAX_LINE_LENGTH) {
      violations.push({ file, line, rule: 'line-length', text: `${content.length} characters` });
    }
    if (SHORTCOMING_MARK.test(content) && !TRACKED_MARK.test(content)) {
      violations.push({ file, line, rule: 'untracked-todo', text: content.trim() });
    }
    if (FOCUSED_OR_SKIPPED.test(content)) {
      violations.push({ file, line, rule: 'focused-or-skipped-test', text: content.trim() });
    }
  });

  return violations;
}

/** Every TypeScript file below the given folders, skipping dependencies and build output. */
export function listSourceFiles(root: string, folders: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) {
        continue;
      }
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (name.endsWith('.ts')) {
        files.push(relative(root, path));
      }
    }
  };
  for (const folder of folders) {
    const path = join(root, folder);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      walk(path);
    }
  }

  return files.sort();
}

export function checkTree(root: string, folders: string[]): RuleViolation[] {
  return listSourceFiles(root, folders).flatMap((file) =>
    checkSource(file, readFileSync(join(root, file), 'utf8')),
  );
}
