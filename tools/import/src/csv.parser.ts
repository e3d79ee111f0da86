/** One data record of a CSV file, with the physical line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

/** A record that could not be read as a row of the header's shape. */
export interface CsvDefect {
  line: number;
  reason: string;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
  defects: CsvDefect[];
}

interface RawRow {
  line: number;
  fields: string[];
}

/**
 * Splits RFC 4180 text into rows of fields: comma separators, CRLF or LF record ends, fields in
 * double quotes may hold commas, line breaks and doubled quotes. A lone quote inside an unquoted
 * field is kept as text, as spreadsheets write it. Throws on a quoted field left open at the end.
 */
export function parseCsvRows(text: string): RawRow[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: RawRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let index = 0;

  const endRow = () => {
    fields.push(field);
    rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };

  while (index < source.length) {
    const char = source[index];
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') {
        quoted = false;
      } else {
        field += char;
        if (char === '\n') line += 1;
      }
      index += 1;
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || (char === '\r' && source[index + 1] === '\n')) {
      endRow();
      index += char === '\r' ? 1 : 0;
      line += 1;
      rowLine = line;
    } else {
      field += char;
    }
    index += 1;
  }
  if (quoted) {
    throw new Error(`a quoted field that starts on line ${rowLine} is never closed`);
  }
  if (field !== '' || fields.length > 0) {
    endRow();
  }

  return rows;
}

/**
 * Reads a CSV file whose first row names the columns. Blank lines are not records. A record with
 * more or fewer fields than the header is reported as a defect, never dropped silently.
 */
export function readCsvTable(text: string): CsvTable {
  const [headerRow, ...rows] = parseCsvRows(text);
  if (!headerRow) {
    return { header: [], records: [], defects: [] };
  }
  const header = headerRow.fields.map((name) => name.trim());
  const records: CsvRecord[] = [];
  const defects: CsvDefect[] = [];

  for (const row of rows) {
    if (row.fields.length === 1 && row.fields[0].trim() === '') continue;
    if (row.fields.length !== header.length) {
      const reason = `has ${row.fields.length} fields, the header has ${header.length}`;
      defects.push({ line: row.line, reason });
      continue;
    }
    const values = Object.fromEntries(header.map((name, i) => [name, row.fields[i]]));
    records.push({ line: row.line, values });
  }

  return { header, records, defects };
}
