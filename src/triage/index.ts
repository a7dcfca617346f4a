/**
 * Red-flag triage: runs on the raw patient text before any classifier, so no stop-word list, stemmer or
 * confidence threshold can hide an emergency. The rules are data (data/red-flags.yaml); this module only
 * loads them and applies them.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { dataDir } from '../paths.js';
import { analyse, ruleMatch, type Compiled, type RuleMatch } from './matcher.js';
import { fileSchema, loadRuleFile, ruleCommon, type RuleProblem } from './ruleFile.js';

export type TriageLevel = 'emergency' | 'urgent';

export interface TriageResult {
  level: TriageLevel;
  ruleId: string;
  /** One patient-facing sentence saying why, e.g. "Swelling of the face or throat can be a severe allergic reaction." */
  reason: string;
  /**
   * Whether the message also asks something (a question mark, or a sentence or clause opening with a question word): only
   * then may an answer follow urgent advice. "my child has eczema herpeticum" is a report, and an answer the
   * classifier picked for it (about children and asthma) would only distract.
   */
  asks: boolean;
  /** The words of the message that matched, so a clinician can see why the rule fired. */
  matched: string;
}

/** A message read for red flags: the one happening now, and, when none is, one told as history. */
export interface RedFlagReading {
  now: TriageResult | null;
  /** A red flag the message tells as a past or family event, or an ability ("can't swallow tablets"). */
  history: TriageResult | null;
}

const redFlagRule = z
  .object({
    ...ruleCommon,
    level: z.enum(['emergency', 'urgent']),
    // Safety first: unless a rule says otherwise, a red flag fires even inside a general question.
    inGeneralQuestion: z.enum(['fire', 'urgent', 'skip']).default('fire'),
  })
  .strict();

export type RedFlagRule = z.infer<typeof redFlagRule>;

/** Compiled red-flag rules: build once at start-up with loadRedFlagRules() and pass to every triage() call. */
export type RedFlagRules = Compiled<RedFlagRule>;

export const DEFAULT_RED_FLAGS_FILE = join(dataDir, 'red-flags.yaml');

/**
 * The red flags the product promises to catch (trouble breathing, a swelling face or throat, signs of infection,
 * eczema herpeticum, clot symptoms on a JAK inhibitor), by the rule that catches each. A clinician may reword
 * their patterns and examples; deleting one, or lowering its level, would silently stop the bot from giving that
 * advice, so start-up refuses it.
 */
export const REQUIRED_RED_FLAGS: readonly { id: string; level: TriageLevel; catches: string }[] = [
  { id: 'breathing-difficulty', level: 'emergency', catches: 'trouble breathing' },
  { id: 'face-throat-swelling', level: 'emergency', catches: 'swelling of the lips, tongue, face or throat' },
  { id: 'throat-closing', level: 'emergency', catches: 'a throat that is closing' },
  { id: 'severe-allergic-reaction', level: 'emergency', catches: 'a severe allergic reaction' },
  { id: 'adrenaline-used', level: 'emergency', catches: 'an adrenaline pen (EpiPen) that had to be used' },
  { id: 'chest-pain', level: 'emergency', catches: 'chest pain, which may be a clot in the lungs' },
  { id: 'leg-blood-clot', level: 'emergency', catches: 'a swollen, painful leg on a JAK inhibitor (a clot)' },
  { id: 'infection-pus', level: 'urgent', catches: 'pus and yellow crusts (infection)' },
  { id: 'infection-spreading', level: 'urgent', catches: 'spreading redness and red streaks (infection)' },
  { id: 'eczema-herpeticum', level: 'urgent', catches: 'eczema herpeticum' },
];

/** What the rule schema cannot say: an option that makes no sense at the rule's level, and the required rules. */
function checkRedFlags(rules: readonly RedFlagRule[], written: ReadonlySet<string>): RuleProblem[] {
  const problems: RuleProblem[] = rules
    .filter((rule) => rule.level === 'urgent' && rule.inGeneralQuestion === 'urgent')
    .map((rule) => ({
      entry: rule.id,
      field: 'inGeneralQuestion',
      problem: '"urgent" lowers an emergency rule in general questions; this rule is already urgent, use "fire" or "skip"',
    }));
  for (const required of REQUIRED_RED_FLAGS) {
    const rule = rules.find((r) => r.id === required.id);
    if (!rule && !written.has(required.id)) {
      problems.push({
        entry: required.id,
        field: 'id',
        problem: `is required: it catches ${required.catches}, which the bot must always answer with ${required.level} advice; change its patterns or examples instead of removing it`,
      });
    } else if (rule && rule.level !== required.level) {
      problems.push({ entry: required.id, field: 'level', problem: `must stay "${required.level}": it catches ${required.catches}` });
    }
  }
  return problems;
}

export function loadRedFlagRules(file: string = DEFAULT_RED_FLAGS_FILE): RedFlagRules {
  return loadRuleFile(file, fileSchema(redFlagRule), checkRedFlags);
}

/**
 * The most urgent red flag happening now in the message, or null. Emergencies win over urgent flags; among rules of
 * the same level the first in the file wins. An emergency rule matched only inside a general question ("can
 * dupilumab cause throat swelling?") comes back as urgent when the rule says so, and only if no urgent rule fired
 * on a described symptom, whose reason is more useful to the patient. A match told as history ("my throat used to
 * swell as a kid") is not a red flag now: readRedFlags() reports it separately.
 */
export function triage(text: string, rules: RedFlagRules): TriageResult | null {
  return readRedFlags(text, rules).now;
}

export function readRedFlags(text: string, rules: RedFlagRules): RedFlagReading {
  const a = analyse(text, rules.matcher);
  if (a.ids.length === 0) return { now: null, history: null };
  const asks = text.includes('?') || a.asks;
  const result = (rule: RedFlagRule, level: TriageLevel, match: RuleMatch): TriageResult => ({ level, ruleId: rule.id, reason: rule.reason, asks, matched: match.matched });
  let capped: TriageResult | null = null;
  let history: TriageResult | null = null;
  const remember = (rule: RedFlagRule, match: RuleMatch): void => {
    if (match.fit === 'history') history ??= result(rule, rule.level, match);
  };
  for (const rule of rules.rules) {
    if (rule.spec.level !== 'emergency') continue;
    const match = ruleMatch(rule, a, rules.matcher);
    if (!match) continue;
    if (match.fit === 'full') return { now: result(rule.spec, 'emergency', match), history };
    if (match.fit === 'general-question') capped ??= result(rule.spec, 'urgent', match);
    remember(rule.spec, match);
  }
  for (const rule of rules.rules) {
    if (rule.spec.level !== 'urgent') continue;
    const match = ruleMatch(rule, a, rules.matcher);
    if (!match) continue;
    if (match.fit === 'full') return { now: result(rule.spec, 'urgent', match), history };
    remember(rule.spec, match);
  }
  return { now: capped, history };
}
