import type { Content } from '../core/types.js';

export interface ReviewedEntry {
  intent: string;
  title: string;
  kind: string;
  /** YYYY-MM-DD. */
  reviewed: string;
  /** Whole months since the review. */
  monthsSince: number;
  /** Not reviewed in the last 12 months. */
  stale: boolean;
  file: string;
  sources: { id: string; title: string; citation: string; url: string | null }[];
}

/** Whole calendar months from `from` to `to` (both YYYY-MM-DD), counting a month only once its day is reached. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

export const STALE_AFTER_MONTHS = 12;

/** Every knowledge-base entry, the longest unreviewed first. */
export function contentReview(content: Pick<Content, 'entries' | 'sources'>, today: string): ReviewedEntry[] {
  return [...content.entries.values()]
    .map((entry) => {
      const monthsSince = monthsBetween(entry.reviewed, today);
      return {
        intent: entry.intent,
        title: entry.title,
        kind: entry.kind,
        reviewed: entry.reviewed,
        monthsSince,
        stale: monthsSince >= STALE_AFTER_MONTHS,
        file: entry.file,
        sources: entry.sources.map((id) => {
          const source = content.sources.get(id);
          return { id, title: source?.title ?? id, citation: source?.citation ?? '', url: source?.url ?? null };
        }),
      };
    })
    .sort((a, b) => (a.reviewed < b.reviewed ? -1 : a.reviewed > b.reviewed ? 1 : a.intent.localeCompare(b.intent)));
}
