import { LinePrefixer, linePrefix } from './log.prefixer';

describe(LinePrefixer.name, () => {
  it('prefixes whole lines and joins a line split across chunks', () => {
    const written: string[] = [];
    const prefixer = new LinePrefixer('api | ', (text) => written.push(text));

    prefixer.push('first\nsec');
    prefixer.push('ond\r\nthi');
    prefixer.flush();

    expect(written.join('')).toBe('api | first\napi | second\napi | thi\n');
  });
});

describe('linePrefix', () => {
  it('pads names to one width, and colours only when asked', () => {
    expect(linePrefix('gateway', { width: 8, colour: false })).toBe('gateway  | ');
    expect(linePrefix('gateway', { width: 8, colour: true, colourIndex: 0 })).toBe(
      '\u001b[36mgateway  |\u001b[0m ',
    );
  });
});
