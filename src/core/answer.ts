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
import type { ContextLexicon } from './context/lexicon.js';
import { followUpOf, readMessage, type FollowUp, type MessageReading } from './context/followUp.js';
import { coverageGap, type CoverageGap } from './context/coverage.js';
import { CONTEXT_TURNS, liveDanger, liveTopic, type ConversationMemory } from './context/memory.js';
import { readOwnReply, type OwnReply } from './context/replies.js';
import { readWhatWasMissing } from './context/missing.js';

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
  /** Topics, sites and aspects a follow-up is read with (data/context.yaml). */
  context: ContextLexicon;
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

export type ReplyKind = 'emergency' | 'urgent' | 'answer' | 'handoff' | 'clarify' | 'decline' | 'too-long' | 'empty' | 'acknowledge';

/** Which step of answer() set the reply's escalation, and on which words, so a clinician can see why. */
export interface EscalationTrigger {
  step: 'red-flag' | 'danger-topic' | 'history' | 'dermatologist-cue' | 'entry' | 'context';
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
  /** What the entry shown does not cover of what the patient asked (see core/context/coverage.ts). */
  coverage?: CoverageGap;
  /** The remembered topic (intent) the message was read against, when it was a follow-up. */
  followUpOf?: string;
  /** The bot's short answer to a reply to its own question ("Thank you, glad it helped. ..."), kind acknowledge. */
  message?: string;
  /** The acknowledgement offers the clinic: a button (or line) to call it and one to book (after "what was missing"). */
  offerClinic?: boolean;
}

/** One turn of a conversation: the reply, what the conversation remembers next, and the reply to the bot's own
 * question the message was read as (its records are the conversation's to write). */
export interface Turn {
  reply: Reply;
  memory: ConversationMemory;
  own?: OwnReply;
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
const PERSONAL_FOLLOW_UP = 'Whether a medicine suits you, with your health history or plans for a baby, is a decision to make with your dermatologist.';
const CHILD_FOLLOW_UP = "Decisions about a child's eczema treatment should be made with their doctor or dermatologist.";
const ANYTHING_ELSE = 'Is there anything else you would like to know about eczema?';
export const ACKNOWLEDGEMENTS = {
  helped: `Thank you, glad it helped. ${ANYTHING_ELSE}`,
  notHelped: `Thank you for telling us. The clinic reviews this feedback to improve the answers. ${ANYTHING_ELSE}`,
  whatWasMissing:
    'Thank you for telling us. What was missing from the answer? Tell me in your own words what you were looking for, and the ' +
    'clinic will read it to improve its answers. Please leave out names and contact details.',
  missingNoted: `Thank you, the clinic will read this to improve its answers. If you would like to talk it through with someone at {clinicName}, call or book a visit. ${ANYTHING_ELSE}`,
  missingSkipped: `All right. If you would like to talk to someone at {clinicName}, call or book a visit. ${ANYTHING_ELSE}`,
  ok: `All right. ${ANYTHING_ELSE}`,
  goAhead: 'Go ahead: type your question about eczema.',
} as const;

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

  /**
   * A question typed by the patient. `memory` is what the conversation remembers (see core/context): without it,
   * every message is read on its own.
   */
  function answer(rawText: string, memory?: ConversationMemory): Reply {
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
    const clean = withoutPersonalDetails(text);
    const standalone = model.decide(clean);

    // 3b. Context: a follow-up that names no topic of its own ("is it safe?", "I'm pregnant") is read against the
    // topic of the last answer; a topic named in the message wins (src/core/context/followUp.ts).
    const message = readMessage(text, deps.context);
    const follow = followUpOf(clean, message, standalone, memory, deps.context, isFaq);
    const decision = follow ? inContext(standalone, follow, message) : standalone;

    // 4. Danger topics: a question about infected eczema, eczema herpeticum, cellulitis, a fever with a rash, a
    // clot on a JAK inhibitor, eye pain on treatment or erythroderma gets the signs and what to do, today. The
    // message is read first; a follow-up is read again with the medicine it is about ("symptoms of a clot?").
    const topics = readDangerTopics(text, deps.dangerTopics);
    const topicNow = topics.now ?? (follow && !topics.history ? readDangerTopics(follow.cueText, deps.dangerTopics).now : null);

    // 5. Now or history: a red flag or topic told as a past or family event is a question for the dermatologist,
    // unless the message then asks only a general question.
    const past = pastEvent(flags, topics, () => whatTheMessageAsks(text, deps.dermatologistCues));

    // 6. The dermatologist rule's text cues: severity, treatment failure, side effects now, suitability, choices;
    // for a follow-up, on the message with the medicine it is about ("I'm pregnant" after an answer on Dupixent).
    const cue = dermatologistCue(text, deps.dermatologistCues) ?? (follow ? dermatologistCue(follow.cueText, deps.dermatologistCues) : null);

    // 7. Escalate: the most urgent of what the steps found, with the reason and the words that set it; a danger
    // from an earlier turn keeps its level on the turns that follow it (context never lowers an escalation).
    // A red flag now is answered at its own level (the bot's alarm reminds of a higher earlier one).
    const found = atLeast(escalation(flag, topicNow, past, cue), personalFollowUp(follow, message));
    const escalated = flag ? found : atLeast(found, carriedDanger(memory, message));

    if (flag) {
      // Urgent advice comes first; a confident answer may follow it when the patient asked something, a
      // doubtful one, or one to a message that only reports the red flag, does not.
      const base = flag.asks && decision.kind === 'answer' && isFaq(decision.intent) ? grounded(decision.intent, decision.confidence) : bare('urgent', decision.confidence);
      return withSafetyCard({ ...base, kind: 'urgent', ...escalatedAs(escalated), redFlag: flag.ruleId }, topicNow);
    }

    // 8. Ground the decision in the knowledge base; a danger topic's safety card goes with it, and what the entry
    // does not cover of the question is said plainly.
    const reply = withCoverage(withSafetyCard(decide(decision, escalated), topicNow), message);
    return follow ? { ...reply, followUpOf: follow.topic.intent } : reply;
  }

  /**
   * The decision for a follow-up: the classifier reads the message with the remembered topic's words. An answer
   * about that topic or one of its own follow-ups is taken; otherwise a message that asks about an aspect, speaks
   * of the patient or points back ("it") is about the remembered topic itself, and one that does none of these
   * keeps the model's reading.
   */
  function inContext(standalone: Decision, follow: FollowUp, message: MessageReading): Decision {
    const combined = model.decide(follow.classifyText);
    const related = new Set([follow.topic.intent, ...(content.entries.get(follow.topic.intent)?.followUps ?? [])]);
    if (combined.kind === 'answer' && related.has(combined.intent) && isFaq(combined.intent)) return combined;
    if (standalone.kind === 'answer' && related.has(standalone.intent)) return standalone;
    if (message.aspects.length === 0 && !message.personal && !message.refersBack) return combined;
    const confidence = combined.ranking.find((r) => r.intent === follow.topic.intent)?.confidence ?? 0;
    return { kind: 'answer', intent: follow.topic.intent, confidence, ranking: combined.ranking };
  }

  /** What the entry shown does not cover of the aspects asked about ("doesn't cover eye problems"). */
  function withCoverage(reply: Reply, message: MessageReading): Reply {
    if (!reply.entry || reply.entry.kind !== 'faq') return reply;
    const gap = coverageGap(reply.entry, message.aspects, deps.context);
    return gap ? { ...reply, coverage: gap } : reply;
  }

  /**
   * One turn of a conversation: a reply to the bot's own question (did-you-mean, was this helpful, anything else)
   * is answered as such; anything else is a question, answered in context. Returns what to remember next.
   */
  function converse(text: string, memory: ConversationMemory = {}): Turn {
    if (memory.asked?.kind === 'missing') {
      const missing = whatWasMissing(text, memory, memory.asked.intent);
      if (missing) return missing;
    }
    const own = readOwnReply(text, memory.asked, (intent) => link(intent).title);
    if (own) return { ...ownReply(own, memory), own };
    const reply = answer(text, memory);
    return { reply, memory: remember(memory, reply, readMessage(text, deps.context)) };
  }

  /**
   * The reply to "What was missing?" (core/context/missing.ts): triage reads it first, as every message; a red flag
   * gets its advice, a question the bot can answer is answered (undefined: an ordinary turn), anything else is the
   * comment, thanked with the clinic offered.
   */
  function whatWasMissing(text: string, memory: ConversationMemory, intent: string): Turn | undefined {
    const reply = answer(text, memory);
    const asks = text.includes('?') || whatTheMessageAsks(text, deps.dermatologistCues) !== 'nothing';
    const reading = readWhatWasMissing(text, reply, intent, asks, isFaq);
    switch (reading) {
      case 'question':
        return undefined;
      case 'red-flag':
        return { reply, memory: remember(memory, reply, readMessage(text, deps.context)), own: { kind: 'missing', intent, comment: true } };
      case 'comment':
      case 'skip': {
        const message = fillClinicDetails(reading === 'comment' ? ACKNOWLEDGEMENTS.missingNoted : ACKNOWLEDGEMENTS.missingSkipped, clinic);
        return {
          reply: { ...bare('acknowledge', 1), message, offerClinic: true },
          memory: { ...remember(memory, bare('acknowledge', 1)), asked: { kind: 'anything-else' } },
          own: { kind: 'missing', intent, comment: reading === 'comment' },
        };
      }
    }
  }

  /** The bot's reply to an answer to its own question, typed or pressed, and what the conversation remembers. */
  function ownReply(own: OwnReply, memory: ConversationMemory = {}): Turn {
    const acknowledged = (message: string, asked?: ConversationMemory['asked']): Turn => ({
      reply: { ...bare('acknowledge', 1), message },
      memory: { ...remember(memory, bare('acknowledge', 1)), ...(asked ? { asked } : {}) },
    });
    switch (own.kind) {
      case 'choose':
        return pressed(own.intent, memory);
      case 'none':
        return { reply: bare('decline', 0), memory: remember(memory, bare('decline', 0)) };
      case 'feedback':
        if (own.helpful) return acknowledged(ACKNOWLEDGEMENTS.helped, { kind: 'anything-else' });
        // A "no" on a real answer asks what was missing; the next message is read as the reply (whatWasMissing).
        return isFaq(own.intent) ? acknowledged(ACKNOWLEDGEMENTS.whatWasMissing, { kind: 'missing', intent: own.intent }) : acknowledged(ACKNOWLEDGEMENTS.notHelped, { kind: 'anything-else' });
      case 'missing':
        // Only whatWasMissing reads a message as this reply; a pressed button never is one.
        return acknowledged(fillClinicDetails(ACKNOWLEDGEMENTS.missingSkipped, clinic), { kind: 'anything-else' });
      case 'ok':
        return acknowledged(ACKNOWLEDGEMENTS.ok, { kind: 'anything-else' });
      case 'more':
        return own.wants ? acknowledged(ACKNOWLEDGEMENTS.goAhead) : pressed('goodbye', memory);
    }
  }

  /** A button press (or a choice typed) in a conversation: the intent's answer, remembered as its topic. */
  function pressed(intent: string, memory: ConversationMemory = {}): Turn {
    const reply = answerIntent(intent);
    return { reply, memory: remember(memory, reply) };
  }

  /**
   * What the conversation remembers after a reply: the topic of an answer about one (with the child and the body
   * site asked about), a danger raised now, the bot's own question; everything else fades by one turn.
   */
  function remember(memory: ConversationMemory, reply: Reply, message?: MessageReading): ConversationMemory {
    const next: ConversationMemory = {};
    const previous = liveTopic(memory);
    const child = message?.child === true || previous?.child === true;
    if (reply.intent && isFaq(reply.intent) && deps.context.topics.has(reply.intent)) {
      const site = message?.site ?? (previous?.intent === reply.intent ? previous.site : undefined);
      next.topic = { intent: reply.intent, turnsLeft: CONTEXT_TURNS, ...(site ? { site } : {}), ...(child ? { child } : {}) };
    } else if (previous && previous.turnsLeft > 1) {
      next.topic = { ...previous, turnsLeft: previous.turnsLeft - 1, ...(child ? { child } : {}) };
    }
    const danger = liveDanger(memory);
    const raised = reply.trigger && (reply.trigger.step === 'red-flag' || reply.trigger.step === 'danger-topic');
    if (raised && (reply.escalation === 'urgent' || reply.escalation === 'emergency')) {
      // Something happening now is kept for a few turns; a danger asked about, for the one question after it.
      const turnsLeft = reply.trigger!.step === 'red-flag' ? CONTEXT_TURNS : 1;
      next.danger = { level: reply.escalation, id: reply.trigger!.id, reason: reply.escalationReason, turnsLeft };
    } else if (danger && danger.turnsLeft > 1) {
      next.danger = { ...danger, turnsLeft: danger.turnsLeft - 1 };
    }
    if (reply.kind === 'clarify' && reply.suggestions.length > 0) next.asked = { kind: 'did-you-mean', suggestions: reply.suggestions.map((s) => s.intent) };
    else if (reply.entry?.kind === 'faq' && reply.intent) next.asked = { kind: 'feedback', intent: reply.intent };
    return next;
  }

  /**
   * A danger raised in an earlier turn keeps its level on the turns that follow it ("my eczema is weeping with
   * yellow crusts" → "what should I do?"), unless the patient moved on to a topic of their own.
   */
  function carriedDanger(memory: ConversationMemory | undefined, message: MessageReading): Escalated {
    const danger = liveDanger(memory);
    if (!danger || message.ownTopic) return CALM;
    return { level: danger.level, reason: danger.reason, trigger: { step: 'context', id: danger.id, matched: '' } };
  }

  /**
   * The policy's suitability rule for follow-ups: "I'm pregnant" or "I had a clot, is it ok for me?" after an
   * answer about a treatment asks whether that treatment suits the patient, which is the dermatologist's to judge.
   */
  function personalFollowUp(follow: FollowUp | null, message: MessageReading): Escalated {
    if (!follow?.topic.treatment || !message.personal) return CALM;
    // "my grandson is 4, could he get it?": a treatment decision for the patient's own child is personal too.
    const asked = message.aspects.find((a) => a.personal) ?? (message.child && follow.topic.rx ? message.aspects.find((a) => a.id === 'children') : undefined);
    if (!asked) return CALM;
    const reason = asked.id === 'children' ? CHILD_FOLLOW_UP : PERSONAL_FOLLOW_UP;
    return { level: 'dermatologist', reason, trigger: { step: 'context', id: `${follow.topic.intent}/${asked.id}`, matched: '' } };
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

  return { answer, answerIntent, converse, ownReply, pressed, link, canBeRated };
}

export type Answerer = ReturnType<typeof createAnswerer>;

function bare(kind: ReplyKind, confidence: number): Reply {
  return { kind, intent: null, confidence, sources: [], followUps: [], suggestions: [], escalation: 'none', escalationReason: '' };
}

function rank(level: Escalation): number {
  return ESCALATION_ORDER.indexOf(level);
}

/** The higher of two escalations; the first when they are level. */
function atLeast(a: Escalated, b: Escalated): Escalated {
  return rank(b.level) > rank(a.level) ? b : a;
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
