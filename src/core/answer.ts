import type { DermatologistCue, DermatologistCues } from '../triage/dermatologist.js';
import { dermatologistCue, whatTheMessageAsks } from '../triage/dermatologist.js';
import type { RedFlagRules, TriageResult } from '../triage/index.js';
import { readRedFlags } from '../triage/index.js';
import type { DangerTopics, TopicMatch } from '../triage/dangerTopics.js';
import { readDangerTopics } from '../triage/dangerTopics.js';
import type { Decision, IntentModel } from '../nlu/index.js';
import { pastEvent, type PastEvent } from './history.js';
import { inAnotherLanguage, type ReplyLanguage } from './language.js';
import type { Languages } from '../language/index.js';
import { withoutPersonalDetails } from '../privacy/redact.js';
import { FAQ_FOLLOW_UPS } from '../content/limits.js';
import { ESCALATION_ORDER, SEE_A_DERMATOLOGIST, type Content, type Escalation, type KbEntry, type SafetyCard, type Source } from './types.js';

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
  dangerTopics: DangerTopics;
  dermatologistCues: DermatologistCues;
  clinic: ClinicInfo;
  /** Messages longer than this are not classified; the bot asks for a shorter one. */
  maxChars: number;
  /** The languages the bot tells, in their own words, that it answers in English only (none: every message is read as English). */
  languages?: Languages;
}

export interface IntentLink {
  intent: string;
  title: string;
}

export type ReplyKind = 'emergency' | 'urgent' | 'answer' | 'handoff' | 'clarify' | 'decline' | 'too-long' | 'empty';

/** Which step of answer() set the reply's escalation, and on which words, so a clinician can see why. */
export interface EscalationTrigger {
  step: 'red-flag' | 'danger-topic' | 'history' | 'dermatologist-cue' | 'entry';
  /** The red-flag rule, danger topic, cue or knowledge-base entry. */
  id: string;
  /** The words of the message that matched ('' for an entry's own level). */
  matched: string;
}

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
  /** What set the escalation (absent when there is none). */
  trigger?: EscalationTrigger;
  /** Why the bot declined, for the clinic's review list. */
  declineReason?: string;
  /** The red-flag rule that fired on the patient's message, when triage did (not an entry marked urgent). */
  redFlag?: string;
  /** The signs to look for and what to do, when the patient asked about a condition that needs the same day. */
  safety?: SafetyCard;
  /** Set when the message was in another language: the reply is that language's approved text. */
  language?: ReplyLanguage;
}

/** The escalation the steps of answer() arrive at. */
interface Escalated {
  level: Escalation;
  reason: string;
  trigger?: EscalationTrigger;
}

const CALM: Escalated = { level: 'none', reason: '' };
const DERMATOLOGIST_FOR_LEVEL = 'A dermatologist can look at your situation and advise you personally.';
const URGENT_FOR_LEVEL = 'This needs to be looked at by a doctor today.';

/**
 * The use case, read top to bottom: triage the raw text, classify, decide, read danger topics, now or history,
 * the dermatologist rule, escalate, ground in the knowledge base. The bot, the terminal chat and `npm run ask`
 * all call this one function.
 */
export function createAnswerer(deps: AnswerDeps) {
  const { content, model, clinic } = deps;

  function link(intent: string): IntentLink {
    return { intent, title: content.entries.get(intent)?.title ?? intent };
  }

  function grounded(intent: string, confidence: number, escalated: Escalated = CALM): Reply {
    const entry = content.entries.get(intent);
    if (!entry) throw new Error(`no knowledge-base entry for intent "${intent}"`);
    const filled = { ...entry, answer: fillClinicDetails(entry.answer, clinic) };
    const own: Escalated = {
      level: entry.escalation,
      reason: entry.escalation === 'urgent' ? URGENT_FOR_LEVEL : entry.escalation !== 'none' ? DERMATOLOGIST_FOR_LEVEL : '',
      ...(entry.escalation !== 'none' ? { trigger: { step: 'entry' as const, id: intent, matched: '' } } : {}),
    };
    const chosen = rank(escalated.level) >= rank(own.level) ? escalated : own;
    return {
      // An entry a clinician marked urgent is rendered like a red flag: the advice to get care comes first.
      kind: entry.escalation === 'urgent' ? 'urgent' : intent === 'talk-to-human' ? 'handoff' : 'answer',
      intent,
      confidence,
      entry: filled,
      sources: entry.sources.map((id) => content.sources.get(id)).filter((s): s is Source => s !== undefined),
      followUps: entry.followUps.map(link),
      suggestions: [],
      ...escalatedAs(chosen),
    };
  }

  /** A question typed (or pressed) by the patient. */
  function answer(rawText: string): Reply {
    const text = rawText.trim();
    if (text === '') return bare('empty', 0);

    // 1. Triage first, on the raw text, so no stemmer, stop list, threshold or length limit can hide a red flag.
    // Red flags fire on what is happening now; the same words told as history wait for step 5.
    const flags = readRedFlags(text, deps.redFlags);
    const flag = flags.now;
    if (flag?.level === 'emergency') return { ...bare('emergency', 1), ...escalatedAs(raisedBy(flag)), redFlag: flag.ruleId };
    // 1b. Language: a message in another language gets its approved sentence, or its emergency advice, in that
    // language, not an English answer its writer may not read (src/language, data/languages.yaml).
    const foreign = flag ? null : deps.languages?.read(text);
    if (foreign) return inAnotherLanguage(foreign, clinic, bare);
    if (text.length > deps.maxChars) return flag ? { ...bare('urgent', 0), ...escalatedAs(raisedBy(flag)), redFlag: flag.ruleId } : bare('too-long', 0);

    // 2–3. Classify and decide, on the text without personal details: an email address or a phone number says
    // nothing about the question, but its pieces ("example", "com", digits) would pull it towards out-of-scope.
    const decision = model.decide(withoutPersonalDetails(text));

    // 4. Danger topics: a question about infected eczema, eczema herpeticum, cellulitis, a fever with a rash, a
    // clot on a JAK inhibitor, eye pain on treatment or erythroderma gets the signs and what to do, today.
    const topics = readDangerTopics(text, deps.dangerTopics);

    // 5. Now or history: a red flag or topic told as a past or family event is a question for the dermatologist,
    // unless the message then asks only a general question.
    const past = pastEvent(flags, topics, whatTheMessageAsks(text, deps.dermatologistCues));

    // 6. The dermatologist rule's text cues: severity, treatment failure, side effects now, suitability, choices.
    const cue = dermatologistCue(text, deps.dermatologistCues);

    // 7. Escalate: the most urgent of what the steps found, with the reason and the words that set it.
    const escalated = escalation(flag, topics.now, past, cue);

    if (flag) {
      // Urgent advice comes first; a confident answer may follow it when the patient asked something, a
      // doubtful one, or one to a message that only reports the red flag, does not.
      const base = flag.asks && decision.kind === 'answer' && isFaq(decision.intent) ? grounded(decision.intent, decision.confidence) : bare('urgent', decision.confidence);
      return withSafetyCard({ ...base, kind: 'urgent', ...escalatedAs(escalated), redFlag: flag.ruleId }, topics.now);
    }

    // 8. Ground the decision in the knowledge base; a danger topic's safety card goes with it.
    return withSafetyCard(decide(decision, escalated), topics.now);
  }

  /**
   * The card of the danger topic asked about, its clinic details filled in. An answer about that topic stays with
   * it; any other (the model's nearest guess for a question it was not taught) gives way to the card alone, with
   * the topic's own answers offered to read next.
   */
  function withSafetyCard(reply: Reply, topic: TopicMatch | null): Reply {
    if (!topic) return reply;
    const safety = { ...topic.card, action: fillClinicDetails(topic.card.action, clinic) };
    if (reply.intent !== null && topic.answers.includes(reply.intent)) return { ...reply, safety };
    const alone = { ...bare(reply.kind === 'urgent' ? 'urgent' : 'answer', reply.confidence), followUps: topic.answers.slice(0, FAQ_FOLLOW_UPS.max).map(link) };
    return { ...alone, ...escalatedAs({ level: reply.escalation, reason: reply.escalationReason, trigger: reply.trigger }), ...(reply.redFlag ? { redFlag: reply.redFlag } : {}), safety };
  }

  /**
   * The dermatologist rule when the bot is unsure: a message that describes severe or uncontrolled eczema, or a
   * personal treatment decision, but matches no question confidently gets the approved "when to see a
   * dermatologist" answer, with the topics it might have meant as follow-ups, rather than a bare "I am not sure".
   * A question the model judged out of scope, or that shares no word with the training data, is still declined.
   */
  function visitAdvice(decision: Decision, escalated: Escalated): Reply | undefined {
    if (escalated.level !== 'dermatologist' || !content.entries.has(SEE_A_DERMATOLOGIST)) return undefined;
    const unsure = decision.kind === 'clarify' || (decision.kind === 'decline' && decision.reason === 'low-confidence');
    if (!unsure) return undefined;
    const reply = grounded(SEE_A_DERMATOLOGIST, decision.confidence, escalated);
    // The topics the patient may have meant come first, then the entry's own follow-ups (which offer a person
    // at the clinic), three at most like every answer.
    const mentioned = decision.kind === 'clarify' ? decision.suggestions.filter((s) => s !== SEE_A_DERMATOLOGIST && isFaq(s)).slice(0, 2) : [];
    const own = reply.followUps.map((f) => f.intent);
    const followUps = [...new Set([...mentioned, ...own])].slice(0, FAQ_FOLLOW_UPS.max);
    return { ...reply, followUps: followUps.map(link) };
  }

  function decide(decision: Decision, escalated: Escalated): Reply {
    const visit = visitAdvice(decision, escalated);
    if (visit) return visit;
    // The switch is exhaustive over Decision's kinds; TypeScript checks that through the return type.
    switch (decision.kind) {
      case 'answer':
        return grounded(decision.intent, decision.confidence, escalated);
      case 'clarify':
        return {
          ...bare('clarify', decision.confidence),
          suggestions: decision.suggestions.filter((s) => content.entries.has(s)).map(link),
          ...escalatedAs(escalated),
        };
      case 'decline':
        return { ...bare('decline', decision.confidence), declineReason: decision.reason, ...escalatedAs(escalated) };
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

function rank(level: Escalation): number {
  return ESCALATION_ORDER.indexOf(level);
}

function escalatedAs({ level, reason, trigger }: Escalated): Pick<Reply, 'escalation' | 'escalationReason' | 'trigger'> {
  return { escalation: level, escalationReason: reason, ...(trigger ? { trigger } : {}) };
}

function raisedBy(flag: TriageResult): Escalated {
  return { level: flag.level, reason: flag.reason, trigger: { step: 'red-flag', id: flag.ruleId, matched: flag.matched } };
}

/**
 * The most urgent of what the steps found: a red flag now (urgent here: emergencies have already been answered),
 * a danger topic asked about (urgent, with its card), an event told as history, a dermatologist cue (both
 * dermatologist), or nothing.
 */
function escalation(flag: TriageResult | null, topic: TopicMatch | null, past: PastEvent | null, cue: DermatologistCue | null): Escalated {
  if (flag) return raisedBy(flag);
  if (topic) return { level: 'urgent', reason: topic.card.reason, trigger: { step: 'danger-topic', id: topic.topicId, matched: topic.matched } };
  if (past) return { level: 'dermatologist', reason: past.reason, trigger: { step: 'history', id: past.id, matched: past.matched } };
  if (cue) return { level: 'dermatologist', reason: cue.reason, trigger: { step: 'dermatologist-cue', id: cue.cueId, matched: cue.matched } };
  return CALM;
}

/** Conversation answers name the clinic with placeholders so clinicians never hard-code a phone number. */
export function fillClinicDetails(text: string, clinic: ClinicInfo): string {
  return text
    .replaceAll('{clinicName}', clinic.name)
    .replaceAll('{clinicPhone}', clinic.phone)
    .replaceAll('{bookingUrl}', clinic.bookingUrl)
    .replaceAll('{emergencyNumber}', clinic.emergencyNumber);
}
