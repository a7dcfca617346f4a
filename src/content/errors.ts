/**
 * A content file a clinician edited is wrong. The message names the file, the entry and the field so the
 * clinician can fix it without reading code; start-up stops on it.
 */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: entry "${entry}", field "${field}": ${problem}`);
    this.name = 'ContentError';
  }
}
