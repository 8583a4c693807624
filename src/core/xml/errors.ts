/**
 * The one error type the XML core throws for bad input: what went wrong and where. `line` and
 * `column` are 1-based (columns count UTF-16 code units of the decoded text); they are absent for
 * refusals that concern the whole file (too large, binary, unsupported encoding without position).
 */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
    readonly fileName?: string,
  ) {
    super(formatWhere(fileName, line, column) + reason);
  }

  /** The same error, naming the file it came from. */
  inFile(fileName: string): XmlError {
    return new XmlError(this.reason, this.line, this.column, fileName);
  }
}

function formatWhere(fileName: string | undefined, line: number | undefined, column: number | undefined): string {
  const file = fileName ? fileName : '';
  const pos = line !== undefined ? `${line}:${column ?? 1}` : '';
  if (file && pos) return `${file}:${pos}: `;
  if (file || pos) return `${file || pos}: `;
  return '';
}
