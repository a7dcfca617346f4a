/** Field name used when a problem concerns a whole file rather than one of its fields. */
export const WHOLE_FILE = '(file)';

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

/** How many problems the combined message lists before summarising the rest, so a broken tree stays readable. */
const LISTED_PROBLEMS = 40;

/**
 * Every problem found in one pass over the content. A clinician fixing a batch of edits sees them all at once
 * instead of restarting once per mistake. It is itself a ContentError (carrying the first problem's fields), so
 * callers that catch ContentError keep working.
 */
export class ContentErrors extends ContentError {
  constructor(readonly problems: readonly ContentError[]) {
    const first = problems[0];
    if (!first) throw new Error('ContentErrors needs at least one problem');
    super(first.file, first.entry, first.field, first.problem);
    this.name = 'ContentErrors';
    const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `  - ${p.message}`);
    const rest = problems.length - listed.length;
    if (rest > 0) listed.push(`  … and ${rest} more`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    this.message = `${count} in the content files:\n${listed.join('\n')}`;
  }
}
