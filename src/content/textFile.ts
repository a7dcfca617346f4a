import { readFileSync } from 'node:fs';
import { ContentError, WHOLE_FILE } from './errors.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A content file's text, as its editor meant it. Clinicians edit these files on Windows too: a file saved as
 * UTF-16 ("Unicode" in Notepad) or in the old ANSI code page would otherwise reach patients as "caf�" or stop
 * start-up with a misleading message about the file's first line. Those are reported as what they are. A byte
 * order mark is dropped and Windows line endings become plain ones, so no "\r" ends up in an answer.
 */
export function readTextFile(path: string, file: string, entry: string, problems: ContentError[]): string | undefined {
  const bytes = readFileSync(path);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0);
  if (utf16) {
    problems.push(new ContentError(file, entry, WHOLE_FILE, 'is saved as UTF-16 ("Unicode") text; save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)'));
    return undefined;
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const line = firstInvalidLine(bytes);
    problems.push(
      new ContentError(file, entry, WHOLE_FILE, `line ${line} has characters that are not UTF-8 (the file was probably saved as ANSI); save it as UTF-8`),
    );
    return undefined;
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** The 1-based line of the first byte sequence that is not valid UTF-8. */
function firstInvalidLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        UTF8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}
