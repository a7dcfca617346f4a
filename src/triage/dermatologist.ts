/**
 * "See a dermatologist" cues: the patient describes their own (or their child's) eczema as severe, widespread,
 * keeping them awake or not controlled by first-line care, or asks a personal prescription decision. General
 * questions must not fire: escalating too often teaches patients to ignore it. The cues are data
 * (data/dermatologist-cues.yaml) on the same engine as the red flags.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { dataDir } from '../paths.js';
import { analyse, ruleMatch, whatItAsks, type Asking, type Compiled } from './matcher.js';
import { fileSchema, loadRuleFile, ruleCommon } from './ruleFile.js';

const cueRule = z
  .object({
    ...ruleCommon,
    // Over-escalation is the risk here, so by default a cue stays quiet in general questions.
    inGeneralQuestion: z.enum(['fire', 'skip']).default('skip'),
  })
  .strict();

export type DermatologistCueRule = z.infer<typeof cueRule>;
export type DermatologistCues = Compiled<DermatologistCueRule>;

export interface DermatologistCue {
  /** One patient-facing sentence saying why a dermatologist should see them. */
  reason: string;
  cueId: string;
  /** The words of the message that matched. */
  matched: string;
}

export const DEFAULT_CUES_FILE = join(dataDir, 'dermatologist-cues.yaml');

export function loadDermatologistCues(file: string = DEFAULT_CUES_FILE): DermatologistCues {
  return loadRuleFile(file, fileSchema(cueRule));
}

/** The first cue (in file order) that the message gives, or null. */
export function dermatologistCue(text: string, cues: DermatologistCues): DermatologistCue | null {
  const a = analyse(text, cues.matcher);
  if (a.ids.length === 0) return null;
  for (const rule of cues.rules) {
    const match = ruleMatch(rule, a, cues.matcher);
    if (match?.fit === 'full') return { reason: rule.spec.reason, cueId: rule.spec.id, matched: match.matched };
  }
  return null;
}

/**
 * Whether the message asks about the person (their treatment, their risk) or only in general, read with the cue
 * file's personal words and question words. A past event followed by a general question ("I had cellulitis years
 * ago. How does methotrexate work?") is not a decision about the person.
 */
export function whatTheMessageAsks(text: string, cues: DermatologistCues): Asking {
  return whatItAsks(analyse(text, cues.matcher), cues.matcher);
}
