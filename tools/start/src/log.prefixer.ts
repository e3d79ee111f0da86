const COLOURS = [36, 32, 35, 33, 34, 96, 92];
const RESET = '\u001b[0m';

export interface PrefixOptions {
  width: number;
  colour: boolean;
  /** Picks a colour per name; the same name keeps its colour. */
  colourIndex?: number;
}

/** `contacts | ` padded to a common width, coloured on a terminal. */
export function linePrefix(name: string, options: PrefixOptions): string {
  const label = `${name.padEnd(options.width)} |`;
  if (!options.colour) return `${label} `;
  const code = COLOURS[(options.colourIndex ?? 0) % COLOURS.length];

  return `\u001b[${code}m${label}${RESET} `;
}

/**
 * Cuts a stream of chunks into whole lines and hands each on with a prefix. A line split across
 * chunks is joined first; a last line without a line end is written on `flush`.
 */
export class LinePrefixer {
  private pending = '';

  constructor(
    private readonly prefix: string,
    private readonly write: (text: string) => void,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + chunk.toString();
    const lines = text.split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    if (lines.length > 0) this.write(lines.map((line) => `${this.prefix}${line}\n`).join(''));
  }

  flush(): void {
    if (this.pending !== '') this.write(`${this.prefix}${this.pending}\n`);
    this.pending = '';
  }
}
