import { render, unknownPlaceholders } from './rule-definition';

describe('placeholders', () => {
  it('finds and fills {{name}} with blanks around the name trimmed', () => {
    const values = { 'deal.title': 'Big one', 'deal.value': 1500 };

    expect(unknownPlaceholders('{{deal.title}} {{ deal.value }} {{ nope }}')).toEqual(['nope']);
    expect(render('About {{ deal.title }}: {{deal.value}}{{deal.id}}', values)).toBe(
      'About Big one: 1500',
    );
    expect(render('{{{deal.title}}}', values)).toBe('{Big one}');
  });

  it('reads a 20,000-character template of openings without a closing in one pass', () => {
    // The former pattern backtracked cubically here: about 3 s at 2,000 characters, hours at
    // 20,000, all of it blocking the automation service's event loop (a template body may
    // hold 20,000 characters).
    const openings = `{{${' '.repeat(19_998)}`;
    const braces = '{{'.repeat(10_000);

    expect(unknownPlaceholders(openings)).toEqual([]);
    expect(unknownPlaceholders(braces)).toEqual([]);
    expect(render(openings, {})).toBe(openings);
  });
});
