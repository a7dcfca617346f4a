import type { DermatologistCues } from '../triage/dermatologist.js';
import { dermatologistCue } from '../triage/dermatologist.js';
import type { RedFlagRules } from '../triage/index.js';
import { triage } from '../triage/index.js';
import type { Decision, IntentModel } from '../nlu/index.js';
import { isAboutOwnSkin } from './escalation.js';
import { withoutPersonalDetails } from '../privacy/redact.js';
import { FAQ_FOLLOW_UPS } from '../content/limits.js';
import { ESCALATION_ORDER, SEE_A_DERMATOLOGIST, type Content, type Escalation, type KbEntry, type Source } from './types.js';

export interface ClinicInfo {
  name: string;
  phone: string;
  bookingUrl: string;
  emergencyNumber: string;
}

export interface AnswerDeps {
  content: Content;
  model: IntentModel;
  redFlags: RedFlagRules;
  dermatologistCues: DermatologistCues;
  clinic: ClinicInfo;
  /** Messages longer than this are not classified; the bot asks for a shorter one. */
  maxChars: number;
}

export interface IntentLink {
  intent: string;
  title: string;
}

export type ReplyKind = 'emergency' | 'urgent' | 'answer' | 'handoff' | 'clarify' | 'decline' | 'too-long' | 'empty';

/** Everything a channel needs to render the bot's reply; no botbuilder types, so any SDK can render it. */
export interface Reply {
  kind: ReplyKind;
  /** The intent answered (also alongside an urgent warning), or null when the bot did not answer one. */
  intent: string | null;
  confidence: number;
  /** The knowledge-base entry shown, with its answer text already filled with the clinic's details. */
  entry?: KbEntry;
  sources: Source[];
  followUps: IntentLink[];
  /** Did-you-mean choices. */
  suggestions: IntentLink[];
  escalation: Escalation;
  /** One patient-facing sentence saying why the bot escalates (empty when it does not). */
  escalationReason: string;
  /** Why the bot declined, for the clinic's review list. */
  declineReason?: string;
  /** The red-flag rule that fired on the patient's message, when triage did (not an entry marked urgent). */
  redFlag?: string;
}

const DERMATOLOGIST_FOR_OWN_SKIN = 'I could not answer this question about your own skin, and a dermatologist can look at it properly.';
const DERMATOLOGIST_FOR_LEVEL = 'A dermatologist can look at your situation and advise you personally.';
const URGENT_FOR_LEVEL = 'This needs to be looked at by a doctor today.';

/**
 * The use case, read top to bottom: triage the raw text, classify, decide, ground in the knowledge base,
 * escalate. The bot, the terminal chat and `npm run ask` all call this one function.
 */
export function createAnswerer(deps: AnswerDeps) {
  const { content, model, clinic } = deps;

  function link(intent: string): IntentLink {
    return { intent, title: content.entries.get(intent)?.title ?? intent };
  }

  function grounded(intent: string, confidence: number, escalation: Escalation = 'none', escalationReason = ''): Reply {
    const entry = content.entries.get(intent);
    if (!entry) throw new Error(`no knowledge-base entry for intent "${intent}"`);
    const filled = { ...entry, answer: fillClinicDetails(entry.answer, clinic) };
    const entryLevel = entry.escalation;
    const level = higher(escalation, entryLevel);
    const reason =
      level === escalation && escalationReason ? escalationReason
      : level === 'urgent' ? URGENT_FOR_LEVEL
      : level !== 'none' ? DERMATOLOGIST_FOR_LEVEL
      : '';
    return {
      // An entry a clinician marked urgent is rendered like a red flag: the advice to get care comes first.
      kind: level === 'urgent' ? 'urgent' : intent === 'talk-to-human' ? 'handoff' : 'answer',
      intent,
      confidence,
      entry: filled,
      sources: entry.sources.map((id) => content.sources.get(id)).filter((s): s is Source => s !== undefined),
      followUps: entry.followUps.map(link),
      suggestions: [],
      escalation: level,
      escalationReason: reason,
    };
  }

  /** A question typed (or pressed) by the patient. */
  function answer(rawText: string): Reply {
    const text = rawText.trim();
    if (text === '') return bare('empty', 0);

    // 1. Triage first, on the raw text, so no stemmer, stop list, threshold or length limit can hide a red flag.
    const flag = triage(text, deps.redFlags);
    if (flag?.level === 'emergency') return { ...bare('emergency', 1), escalation: 'emergency', escalationReason: flag.reason, redFlag: flag.ruleId };
    if (text.length > deps.maxChars) {
      return flag ? { ...bare('urgent', 0), escalation: 'urgent', escalationReason: flag.reason, redFlag: flag.ruleId } : bare('too-long', 0);
    }

    // 2–3. Classify and decide, on the text without personal details: an email address or a phone number says
    // nothing about the question, but its pieces ("example", "com", digits) would pull it towards out-of-scope.
    const decision = model.decide(withoutPersonalDetails(text));

    // 5. The dermatologist rule's text cues: severity, treatment failure, personal prescription decisions.
    const cue = dermatologistCue(text, deps.dermatologistCues);
    const [level, reason] = flag
      ? (['urgent', flag.reason] as const)
      : cue
        ? (['dermatologist', cue.reason] as const)
        : (['none', ''] as const);

    if (flag) {
      // Urgent advice comes first; a confident answer may follow it when the patient asked something, a
      // doubtful one, or one to a message that only reports the red flag, does not.
      const base = flag.asks && decision.kind === 'answer' && isFaq(decision.intent) ? grounded(decision.intent, decision.confidence) : bare('urgent', decision.confidence);
      return { ...base, kind: 'urgent', escalation: 'urgent', escalationReason: reason, redFlag: flag.ruleId };
    }

    // 4. Ground the decision in the knowledge base.
    return decide(decision, text, level, reason);
  }

  /**
   * The dermatologist rule when the bot is unsure: a message that describes severe or uncontrolled eczema, or a
   * personal treatment decision, but matches no question confidently gets the approved "when to see a
   * dermatologist" answer, with the topics it might have meant as follow-ups, rather than a bare "I am not sure".
   * A question the model judged out of scope, or that shares no word with the training data, is still declined.
   */
  function visitAdvice(decision: Decision, level: Escalation, reason: string): Reply | undefined {
    if (level !== 'dermatologist' || !content.entries.has(SEE_A_DERMATOLOGIST)) return undefined;
    const unsure = decision.kind === 'clarify' || (decision.kind === 'decline' && decision.reason === 'low-confidence');
    if (!unsure) return undefined;
    const reply = grounded(SEE_A_DERMATOLOGIST, decision.confidence, level, reason);
    // The topics the patient may have meant come first, then the entry's own follow-ups (which offer a person
    // at the clinic), three at most like every answer.
    const mentioned = decision.kind === 'clarify' ? decision.suggestions.filter((s) => s !== SEE_A_DERMATOLOGIST && isFaq(s)).slice(0, 2) : [];
    const own = reply.followUps.map((f) => f.intent);
    const followUps = [...new Set([...mentioned, ...own])].slice(0, FAQ_FOLLOW_UPS.max);
    return { ...reply, followUps: followUps.map(link) };
  }

  function decide(decision: Decision, text: string, level: Escalation, reason: string): Reply {
    const visit = visitAdvice(decision, level, reason);
    if (visit) return visit;
    // The switch is exhaustive over Decision's kinds; TypeScript checks that through the return type.
    switch (decision.kind) {
      case 'answer':
        return grounded(decision.intent, decision.confidence, level, reason);
      case 'clarify': {
        const own = level === 'none' && isAboutOwnSkin(text);
        return {
          ...bare('clarify', decision.confidence),
          suggestions: decision.suggestions.filter((s) => content.entries.has(s)).map(link),
          ...(own ? { escalation: 'dermatologist' as const, escalationReason: DERMATOLOGIST_FOR_OWN_SKIN } : { escalation: level, escalationReason: reason }),
        };
      }
      case 'decline': {
        const own = level === 'none' && isAboutOwnSkin(text);
        return {
          ...bare('decline', decision.confidence),
          declineReason: decision.reason,
          ...(own ? { escalation: 'dermatologist' as const, escalationReason: DERMATOLOGIST_FOR_OWN_SKIN } : { escalation: level, escalationReason: reason }),
        };
      }
    }
  }

  /** A button press: a follow-up or a did-you-mean choice names the intent, so no classification is needed. */
  function answerIntent(intent: string): Reply {
    if (!content.entries.has(intent)) return bare('decline', 0);
    return grounded(intent, 1);
  }

  function isFaq(intent: string): boolean {
    return content.entries.get(intent)?.kind === 'faq';
  }

  /** Whether an answer the patient votes on exists: a stale or forged button must not add records about nothing. */
  function canBeRated(intent: string): boolean {
    return isFaq(intent);
  }

  return { answer, answerIntent, link, canBeRated };
}

export type Answerer = ReturnType<typeof createAnswerer>;

function bare(kind: ReplyKind, confidence: number): Reply {
  return { kind, intent: null, confidence, sources: [], followUps: [], suggestions: [], escalation: 'none', escalationReason: '' };
}

function higher(a: Escalation, b: Escalation): Escalation {
  return ESCALATION_ORDER.indexOf(a) >= ESCALATION_ORDER.indexOf(b) ? a : b;
}

/** Conversation answers name the clinic with placeholders so clinicians never hard-code a phone number. */
export function fillClinicDetails(text: string, clinic: ClinicInfo): string {
  return text
    .replaceAll('{clinicName}', clinic.name)
    .replaceAll('{clinicPhone}', clinic.phone)
    .replaceAll('{bookingUrl}', clinic.bookingUrl)
    .replaceAll('{emergencyNumber}', clinic.emergencyNumber);
}
