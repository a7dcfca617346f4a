/**
 * The decision rule, separate from the classifier so it can be read (and tested) on its own:
 * answer when the top intent is confident and clearly ahead, offer the closest intents when it is not,
 * decline when nothing fits.
 */
import type { NluConfig } from './config.js';

export interface IntentScore {
  intent: string;
  confidence: number;
}

export type DeclineReason = 'no-known-word' | 'out-of-scope' | 'low-confidence';

export type Decision =
  | { kind: 'answer'; intent: string; confidence: number; ranking: IntentScore[] }
  | { kind: 'clarify'; suggestions: string[]; confidence: number; ranking: IntentScore[] }
  | { kind: 'decline'; reason: DeclineReason; confidence: number; ranking: IntentScore[] };

/** What the model found in one question. */
export interface Analysis {
  /** Every intent, best first, confidences summing to 1. */
  ranking: IntentScore[];
  /** Whether the question shares a word with the training data. */
  hasKnownWord: boolean;
  /** The intent of the training utterance this question repeats word for word (after preparation), if any. */
  memorised?: string;
}

export function decide({ ranking, hasKnownWord, memorised }: Analysis, rule: NluConfig['decision']): Decision {
  const top = ranking[0] ?? { intent: rule.outOfScopeLabel, confidence: 0 };
  const confidence = top.confidence;
  if (!hasKnownWord) return { kind: 'decline', reason: 'no-known-word', confidence, ranking };
  // A question that is one of the training utterances is answered as taught, even when its words are common
  // enough elsewhere that the model's confidence is low ("what is eczema").
  if (memorised !== undefined && rule.answerMemorised) {
    const own = ranking.find((r) => r.intent === memorised)?.confidence ?? 0;
    if (memorised === rule.outOfScopeLabel) return { kind: 'decline', reason: 'out-of-scope', confidence: own, ranking };
    return { kind: 'answer', intent: memorised, confidence: own, ranking };
  }
  if (top.intent === rule.outOfScopeLabel) return { kind: 'decline', reason: 'out-of-scope', confidence, ranking };

  const runnerUp = ranking[1]?.confidence ?? 0;
  if (confidence >= rule.threshold && confidence - runnerUp >= rule.margin) {
    return { kind: 'answer', intent: top.intent, confidence, ranking };
  }

  // Conversation intents (greeting, thanks...) make poor "did you mean" offers, so they are offered only when
  // they are the closest match of all; out-of-scope is never offered.
  const suggestions: string[] = [];
  for (const [i, s] of ranking.entries()) {
    if (suggestions.length >= rule.maxSuggestions || s.confidence < rule.suggestionFloor) break;
    if (s.intent === rule.outOfScopeLabel) continue;
    if (i > 0 && rule.neverSuggest.includes(s.intent)) continue;
    suggestions.push(s.intent);
  }
  if (suggestions.length === 0) return { kind: 'decline', reason: 'low-confidence', confidence, ranking };
  return { kind: 'clarify', suggestions, confidence, ranking };
}
