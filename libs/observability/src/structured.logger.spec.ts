import { formatFields, StructuredLogger } from './structured.logger';

describe(StructuredLogger.name, () => {
  function capture(json: boolean): { sut: StructuredLogger; lines: string[] } {
    const lines: string[] = [];
    const sut = new StructuredLogger({ json, colors: false });
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));

      return true;
    });

    return { sut, lines };
  }

  afterEach(() => jest.restoreAllMocks());

  it('folds the fields into the message line in text mode', () => {
    const { sut, lines } = capture(false);

    sut.log('relay published batch', { events: 500, topic: 'crm.pipeline.events' }, 'Relay');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      '[Relay] relay published batch events=500 topic=crm.pipeline.events',
    );
  });

  it('writes one JSON object with the fields beside the message in json mode', () => {
    const { sut, lines } = capture(true);

    sut.warn('slow request', { ms: 1200 }, 'Timing');

    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'warn', context: 'Timing' });
    expect(entry.message).toEqual({ msg: 'slow request', ms: 1200 });
  });
});

describe(formatFields.name, () => {
  it('quotes strings with spaces and renders objects as JSON', () => {
    expect(formatFields({ a: 'x y', b: { c: 1 }, d: undefined, e: 'plain' })).toBe(
      'a="x y" b={"c":1} e=plain',
    );
  });
});
