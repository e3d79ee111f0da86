/**
 * The output of every process a chaos stack runs, kept in memory per process (the newest lines
 * only), so that a scenario that fails can show what each process said around the fault.
 */
export class ProcessLogs {
  private readonly lines = new Map<string, string[]>();

  constructor(private readonly keepPerProcess = 4_000) {}

  /** A writer for one process: text with whole lines, as the supervisor hands them on. */
  writer(name: string): (text: string) => void {
    return (text) => {
      for (const line of text.split('\n')) {
        if (line !== '') this.add(name, line);
      }
    };
  }

  add(name: string, line: string): void {
    const kept = this.lines.get(name) ?? [];
    kept.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (kept.length > this.keepPerProcess) kept.splice(0, kept.length - this.keepPerProcess);
    this.lines.set(name, kept);
  }

  /** The last `count` lines of one process. */
  tail(name: string, count = 50): string[] {
    return (this.lines.get(name) ?? []).slice(-count);
  }

  /** Lines of any process that match, e.g. errors after a fault. */
  grep(pattern: RegExp, name?: string): string[] {
    const names = name === undefined ? [...this.lines.keys()] : [name];

    return names.flatMap((each) => (this.lines.get(each) ?? []).filter((l) => pattern.test(l)));
  }

  /** Every process's last lines, one block each: what a failed scenario prints. */
  dump(count = 80): string {
    return [...this.lines.keys()]
      .map((name) => [`----- ${name} (last ${count} lines)`, ...this.tail(name, count)].join('\n'))
      .join('\n');
  }
}
