import { checkSource, MAX_LINE_LENGTH } from './source-rules';

describe('checkSource', () => {
  it('accepts a tracked shortcoming and a line at the limit', () => {
    const text = ['// TODO(#2): waits for the broker', 'x'.repeat(MAX_LINE_LENGTH)].join('\n');

    expect(checkSource('a.ts', text)).toEqual([]);
  });

  it('reports an overlong line with its number', () => {
    const text = ['ok', 'y'.repeat(MAX_LINE_LENGTH + 1)].join('\n');

    expect(checkSource('a.ts', text)).toEqual([
      { file: 'a.ts', line: 2, rule: 'line-length', text: '101 characters' },
    ]);
  });

  it('reports a shortcoming mark without an issue number', () => {
    const violations = checkSource('b.ts', `// ${'FIX'}ME later`);

    expect(violations.map((v) => v.rule)).toEqual(['untracked-todo']);
  });

  it('reports focused and skipped tests', () => {
    const focused = ['it', 'only'].join('.');
    const skipped = ['describe', 'skip'].join('.');
    const text = [`${focused}('x', () => {});`, `${skipped}('y', () => {});`].join('\n');

    expect(checkSource('c.spec.ts', text).map((v) => v.line)).toEqual([1, 2]);
  });
});
