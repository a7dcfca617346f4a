import {
  closeSync,
  copyFileSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from '../../logger.js';

/**
 * The append-only journal under the embedded store: numbered segment files of lines, each line one change, so a
 * turn appends one line (one write system call) whatever the store holds. Lines are
 *
 *     <crc32, 8 hex> <header JSON>\t<value JSON>\n
 *
 * The header is small (operation, key or record id, sequence number) and is all that start-up parses; the value
 * stays on disk and is read with one positioned read when asked for. A kill -9 can only cut the last line of the
 * file being appended to, and that line was never acknowledged: start-up drops it. Sealed segments are compacted in
 * the background, in bounded steps: their live lines are copied to a new file, which replaces them only once it
 * is complete (written, flushed, renamed), so a crash at any point leaves either the old files or the new one.
 */

export type Header =
  | { s: number; op: 'segment'; id: number; gen: number; replaces: string[] }
  /** A document written: key, eTag, written-at (ms). */
  | { s: number; op: 'put'; k: string; e: string; w: number }
  | { s: number; op: 'del'; k: string }
  /** A record appended, or amended (then `o` is the sequence number it was first appended with, which names it). */
  | { s: number; op: 'rec'; kind: string; at: string; o?: number }
  | { s: number; op: 'unrec'; id: string };

/** A sequence number is given by the journal. */
export type NewHeader = Header extends infer H ? (H extends { s: number } ? Omit<H, 's'> : never) : never;

export interface Segment {
  readonly name: string;
  readonly id: number;
  readonly gen: number;
  fd: number;
  size: number;
  /** Bytes of lines that are still current (the rest is garbage that compaction drops). */
  live: number;
}

/** Where a value is: its segment, the byte range of the value, and the whole line's length (for accounting). */
export interface Loc {
  seg: Segment;
  off: number;
  len: number;
  line: number;
}

/** What owns the current version of a line: an index entry whose `loc` compaction may move. */
export interface Holder {
  loc: Loc;
}

export interface JournalOptions {
  /** A segment is sealed and a new one started past this size. */
  segmentBytes: number;
  /** Compaction starts when sealed segments hold at least this much garbage, and at least as much as live data. */
  compactGarbageBytes: number;
  /** Bytes copied per compaction step before yielding to turns. */
  compactStepBytes: number;
}

export const DEFAULT_JOURNAL_OPTIONS: JournalOptions = {
  segmentBytes: 32 * 1024 * 1024,
  compactGarbageBytes: 16 * 1024 * 1024,
  compactStepBytes: 512 * 1024,
};

const SEGMENT_FILE = /^(\d{8})-(\d{4})\.jsonl$/;
const PREFIX_BYTES = 9; // 8 hex digits and a space
const READ_CHUNK = 4 * 1024 * 1024;

function segmentName(id: number, gen: number): string {
  return `${String(id).padStart(8, '0')}-${String(gen).padStart(4, '0')}.jsonl`;
}

/** One encoded line and where its value sits inside it. */
function encode(header: Header, value: string): { buf: Buffer; valueOff: number; valueLen: number } {
  const head = JSON.stringify(header);
  const body = Buffer.from(`${head}\t${value}`, 'utf8');
  const prefix = `${crc32(body).toString(16).padStart(8, '0')} `;
  const buf = Buffer.allocUnsafe(PREFIX_BYTES + body.length + 1);
  buf.write(prefix, 0, 'latin1');
  body.copy(buf, PREFIX_BYTES);
  buf[buf.length - 1] = 0x0a;
  const headBytes = Buffer.byteLength(head, 'utf8');
  return { buf, valueOff: PREFIX_BYTES + headBytes + 1, valueLen: body.length - headBytes - 1 };
}

/** A line's header when the line is whole and its checksum right, else undefined. `line` excludes the newline. */
function decode(line: Buffer): { header: Header; valueOff: number; valueLen: number } | undefined {
  if (line.length < PREFIX_BYTES + 3 || line[8] !== 0x20) return undefined;
  const body = line.subarray(PREFIX_BYTES);
  if (Number.parseInt(line.toString('latin1', 0, 8), 16) !== crc32(body)) return undefined;
  const tab = body.indexOf(0x09);
  if (tab < 0) return undefined;
  try {
    const header = JSON.parse(body.toString('utf8', 0, tab)) as Header;
    if (typeof header !== 'object' || header === null || typeof header.s !== 'number' || typeof header.op !== 'string') return undefined;
    return { header, valueOff: PREFIX_BYTES + tab + 1, valueLen: body.length - tab - 1 };
  } catch {
    return undefined;
  }
}

/** Calls `each` for every line of `fd` from `start` to `end`: its bytes (without newline) and offset. */
function scanLines(fd: number, start: number, end: number, each: (line: Buffer, off: number) => void): { lastEnd: number } {
  // No bigger than the range: a compaction step reads half a megabyte, and a 4 MB buffer per step would pile up.
  let buf = Buffer.allocUnsafe(Math.max(1024, Math.min(READ_CHUNK, end - start)));
  let pos = start;
  let lastEnd = start;
  while (pos < end) {
    const want = Math.min(buf.length, end - pos);
    const got = readSync(fd, buf, 0, want, pos);
    if (got <= 0) break;
    let lineStart = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, lineStart);
      if (nl < 0 || nl >= got) break;
      each(buf.subarray(lineStart, nl), pos + lineStart);
      lineStart = nl + 1;
      lastEnd = pos + lineStart;
    }
    if (lineStart === 0 && got === buf.length) {
      // One line longer than the buffer: read it with a bigger one.
      buf = Buffer.allocUnsafe(buf.length * 2);
      continue;
    }
    if (lineStart === 0) break; // an unfinished last line
    pos += lineStart;
  }
  return { lastEnd };
}

export interface ReplayReport {
  /** Lines whose checksum or shape was wrong, skipped (a copy of each such file is kept). */
  unreadable: number;
  /** Where those copies went. */
  copies: string[];
  /** Bytes of an unfinished last write dropped from the end of the newest segment. */
  truncatedBytes: number;
}

export class Journal {
  private segments: Segment[] = [];
  private seq = 0;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private syncDir: () => void;

  private constructor(
    readonly dir: string,
    private readonly options: JournalOptions,
    private readonly logger: Logger,
  ) {
    this.syncDir = () => {
      const fd = openSync(dir, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    };
  }

  /**
   * Opens the journal in `dir` (which the caller has locked), replaying every line through `visit` in the order
   * the changes were made. The caller then reports the lines it kept as current through `retain`.
   */
  static open(dir: string, options: JournalOptions, logger: Logger, visit: (header: Header, loc: Loc) => void): { journal: Journal; report: ReplayReport } {
    const journal = new Journal(dir, options, logger);
    const report = journal.load(visit);
    return { journal, report };
  }

  private load(visit: (header: Header, loc: Loc) => void): ReplayReport {
    const report: ReplayReport = { unreadable: 0, copies: [], truncatedBytes: 0 };
    const names = readdirSync(this.dir);
    // An unfinished compaction output is dropped: the files it was copying from are all still there.
    for (const name of names) if (name.endsWith('.jsonl.tmp')) unlinkSync(join(this.dir, name));
    const found = names
      .map((name) => ({ name, m: SEGMENT_FILE.exec(name) }))
      .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
      .map((f) => ({ name: f.name, id: Number(f.m[1]), gen: Number(f.m[2]) }))
      .sort((a, b) => a.id - b.id || a.gen - b.gen);

    // A finished compaction output replaces files that a crash may have left behind: remove those first.
    const replaced = new Set<string>();
    for (const f of found) {
      const fd = openSync(join(this.dir, f.name), 'r');
      try {
        const first = this.firstHeader(fd);
        if (first?.op === 'segment') for (const r of first.replaces) replaced.add(r);
      } finally {
        closeSync(fd);
      }
    }
    const live = found.filter((f) => !replaced.has(f.name));
    for (const r of replaced) if (found.some((f) => f.name === r)) unlinkSync(join(this.dir, r));

    live.forEach((f, i) => {
      const last = i === live.length - 1;
      const fd = openSync(join(this.dir, f.name), last ? 'r+' : 'r');
      const seg: Segment = { name: f.name, id: f.id, gen: f.gen, fd, size: 0, live: 0 };
      const size = fstatSync(fd).size;
      let bad = 0;
      const { lastEnd } = scanLines(fd, 0, size, (line, off) => {
        const decoded = decode(line);
        if (!decoded) {
          bad += 1;
          return;
        }
        this.seq = Math.max(this.seq, decoded.header.s);
        if (decoded.header.op === 'segment') return;
        visit(decoded.header, { seg, off: off + decoded.valueOff, len: decoded.valueLen, line: line.length + 1 });
      });
      seg.size = lastEnd;
      if (lastEnd < size) {
        // Only the newest file is ever appended to; an unfinished line anywhere else is damage, kept as a copy.
        if (last) {
          ftruncateSync(fd, lastEnd);
          report.truncatedBytes += size - lastEnd;
        } else bad += 1;
      }
      if (bad > 0) {
        const copy = join(this.dir, `${f.name}.corrupt-${stamp()}`);
        copyFileSync(join(this.dir, f.name), copy);
        report.unreadable += bad;
        report.copies.push(copy);
      }
      this.segments.push(seg);
    });
    if (this.segments.length === 0) this.segments.push(this.createSegment(1, 0, []));
    return report;
  }

  private firstHeader(fd: number): Header | undefined {
    const buf = Buffer.allocUnsafe(64 * 1024);
    const got = readSync(fd, buf, 0, buf.length, 0);
    const nl = buf.indexOf(0x0a);
    if (nl < 0 || nl >= got) return undefined;
    return decode(buf.subarray(0, nl))?.header;
  }

  private createSegment(id: number, gen: number, replaces: string[], suffix = ''): Segment {
    const name = segmentName(id, gen);
    const fd = openSync(join(this.dir, name + suffix), 'wx+');
    const { buf } = encode({ s: this.seq, op: 'segment', id, gen, replaces }, '');
    writeAll(fd, buf, 0);
    if (!suffix) this.syncDir();
    return { name, id, gen, fd, size: buf.length, live: 0 };
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Counts a line as current after start-up (the owner calls it for each holder it kept). */
  retain(loc: Loc): void {
    loc.seg.live += loc.line;
  }

  /** The line at `loc` is no longer current (overwritten or deleted). */
  release(loc: Loc): void {
    loc.seg.live -= loc.line;
  }

  /**
   * Appends the lines in one write. Returns each line's place once the kernel has them: from then on they survive
   * the process being killed. On a failed write the file is cut back, so no partial line is left behind.
   */
  append(entries: ReadonlyArray<{ header: NewHeader; value?: string }>): Loc[] {
    if (this.closed) throw new Error('journal closed');
    const encoded = entries.map((e) => encode({ ...e.header, s: ++this.seq } as Header, e.value ?? ''));
    const total = encoded.reduce((n, e) => n + e.buf.length, 0);
    if (this.active.size + total > this.options.segmentBytes && this.active.size > 4096) {
      this.segments.push(this.createSegment(this.active.id + 1, 0, []));
    }
    const seg = this.active;
    const start = seg.size;
    const buf = encoded.length === 1 ? encoded[0]!.buf : Buffer.concat(encoded.map((e) => e.buf), total);
    try {
      writeAll(seg.fd, buf, start);
    } catch (err) {
      try {
        ftruncateSync(seg.fd, start);
      } catch {
        // the write error is the one worth reporting
      }
      throw err;
    }
    seg.size += total;
    let off = start;
    return encoded.map((e) => {
      const loc = { seg, off: off + e.valueOff, len: e.valueLen, line: e.buf.length };
      seg.live += e.buf.length;
      off += e.buf.length;
      return loc;
    });
  }

  /** The sequence number of the last line appended. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Flushes the file being appended to onto the disk (beyond what a kill -9 needs: for a power cut). */
  flush(): void {
    fsyncSync(this.active.fd);
  }

  /** The value at `loc`, as written. */
  read(loc: Loc): string {
    if (loc.len === 0) return '';
    const buf = Buffer.allocUnsafe(loc.len);
    const got = readSync(loc.seg.fd, buf, 0, loc.len, loc.off);
    if (got !== loc.len) throw new Error(`journal ${loc.seg.name}: short read at ${loc.off}`);
    return buf.toString('utf8');
  }

  /** Sealed segments, oldest first, when they hold enough garbage to be worth rewriting. */
  private compactionCandidates(): Segment[] | undefined {
    const sealed = this.segments.slice(0, -1);
    if (sealed.length === 0) return undefined;
    const size = sealed.reduce((n, s) => n + s.size, 0);
    const live = sealed.reduce((n, s) => n + s.live, 0);
    const garbage = size - live;
    return garbage >= this.options.compactGarbageBytes && garbage >= live ? sealed : undefined;
  }

  /** Starts a compaction when one is due and none is running; resolves when it ends. */
  maybeCompact(current: (header: Header) => Holder | undefined): Promise<void> | undefined {
    if (this.compacting || this.closed) return this.compacting;
    const candidates = this.compactionCandidates();
    if (!candidates) return undefined;
    this.compacting = this.compact(candidates, current)
      .catch((err: Error) => this.logger.error({ err: err.message, dir: this.dir }, 'store compaction failed; the journal is unchanged and will be compacted later'))
      .finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  /** True while a compaction runs (tests and the bench wait on it). */
  get compactionRunning(): boolean {
    return this.compacting !== undefined;
  }

  private async compact(sources: Segment[], current: (header: Header) => Holder | undefined): Promise<void> {
    const started = performance.now();
    const last = sources[sources.length - 1]!;
    const out = this.createSegment(last.id, last.gen + 1, sources.map((s) => s.name), '.tmp');
    const moved: Array<{ holder: Holder; from: Loc }> = [];
    let copiedBytes = 0;
    try {
      for (const seg of sources) {
        let pos = 0;
        while (pos < seg.size) {
          const end = Math.min(seg.size, pos + this.options.compactStepBytes);
          const chunks: Buffer[] = [];
          let outOff = out.size;
          const pending: Array<{ holder: Holder; loc: Loc }> = [];
          const { lastEnd } = scanLines(seg.fd, pos, end, (line, off) => {
            const decoded = decode(line);
            if (!decoded || decoded.header.op === 'segment') return;
            const holder = current(decoded.header);
            const valueOff = off + decoded.valueOff;
            if (!holder || holder.loc.seg !== seg || holder.loc.off !== valueOff) return;
            const copy = Buffer.concat([line, Buffer.from([0x0a])]);
            chunks.push(copy);
            pending.push({ holder, loc: { seg: out, off: outOff + decoded.valueOff, len: decoded.valueLen, line: copy.length } });
            outOff += copy.length;
          });
          // A line longer than a step: take it whole in the next read.
          pos = lastEnd > pos ? lastEnd : Math.min(seg.size, pos + this.options.compactStepBytes * 4);
          if (chunks.length > 0) {
            const buf = Buffer.concat(chunks);
            writeAll(out.fd, buf, out.size);
            out.size += buf.length;
            copiedBytes += buf.length;
            // Lines overwritten while this step was reading are no longer current: leave them where they are.
            for (const p of pending) {
              if (p.holder.loc.seg !== seg) continue;
              moved.push({ holder: p.holder, from: p.holder.loc });
              seg.live -= p.holder.loc.line;
              out.live += p.loc.line;
              p.holder.loc = p.loc;
            }
          }
          await new Promise((resolve) => setImmediate(resolve));
          if (this.closed) throw new Error('store closed during compaction');
        }
      }
      fsyncSync(out.fd);
      renameSync(join(this.dir, `${out.name}.tmp`), join(this.dir, out.name));
      this.syncDir();
    } catch (err) {
      // Put back what moved, and drop the unfinished copy: the sources are intact.
      for (const m of moved) {
        if (m.holder.loc.seg === out) {
          out.live -= m.holder.loc.line;
          m.from.seg.live += m.from.line;
          m.holder.loc = m.from;
        }
      }
      closeSync(out.fd);
      try {
        unlinkSync(join(this.dir, `${out.name}.tmp`));
      } catch {
        // already gone
      }
      throw err;
    }
    const before = sources.reduce((n, s) => n + s.size, 0);
    this.segments.splice(0, sources.length, out);
    for (const seg of sources) {
      closeSync(seg.fd);
      unlinkSync(join(this.dir, seg.name));
    }
    this.logger.info(
      { dir: this.dir, segments: sources.length, beforeBytes: before, afterBytes: out.size, copiedBytes, ms: Math.round(performance.now() - started) },
      'store compacted',
    );
  }

  /** Figures for the bench and tests. */
  stats(): { segments: number; bytes: number; liveBytes: number } {
    return {
      segments: this.segments.length,
      bytes: this.segments.reduce((n, s) => n + s.size, 0),
      liveBytes: this.segments.reduce((n, s) => n + s.live, 0),
    };
  }

  /** Waits for a compaction in progress to stop, then closes every file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compacting;
    for (const seg of this.segments) {
      try {
        closeSync(seg.fd);
      } catch {
        // already closed
      }
    }
  }
}

function writeAll(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
}

export function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
