import './explainStartupErrors.js';
import 'dotenv/config';
import { createInterface } from 'node:readline';
import { loadCoreConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { loadCore } from '../core/loadCore.js';
import type { Reply } from '../core/answer.js';
import { replyTexts } from '../bot/replyText.js';
import { askConversations } from './askConversations.js';

/**
 * `npm run ask -- "question"` prints the bot's decision and then the reply a patient reads, in the plain text of
 * `npm run chat`; `npm run --silent ask -- --json` reads questions from stdin, one per line, and prints one JSON
 * object per line. Both call the bot's own answer() — triage, model, decision and escalation — so what this prints
 * is what a patient would get.
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
const conversation = args.includes('--conversation');
const questions = args.filter((a) => a !== '--json' && a !== '--conversation');

const config = loadCoreConfig();
const core = loadCore(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, true));

export interface AskResult {
  text: string;
  /** What kind of reply the patient got (answer, clarify, decline, urgent, emergency, empty, ...). */
  kind: Reply['kind'];
  intent: string | null;
  confidence: number;
  escalation: Reply['escalation'];
  suggestions: string[];
  /** The text the patient reads, every message of the reply in order, as the terminal chat words it. */
  reply: string;
  /** What set the escalation: the step (red-flag, danger-topic, history, dermatologist-cue, entry), the rule,
   * topic, cue or entry id, and the words of the message that matched; null when the reply does not escalate. */
  why: Reply['trigger'] | null;
}

function toResult(text: string, reply: Reply): AskResult {
  return {
    text,
    kind: reply.kind,
    intent: reply.intent,
    confidence: Number(reply.confidence.toFixed(4)),
    escalation: reply.escalation,
    suggestions: reply.suggestions.map((s) => s.intent),
    reply: replyTexts(reply, core.clinic).join('\n\n'),
    why: reply.trigger ?? null,
  };
}

function readable(text: string, reply: Reply): string {
  const lines = [`Q: ${text}`, `→ ${reply.kind}${reply.intent ? ` (${reply.intent}, confidence ${reply.confidence.toFixed(2)})` : ''}`];
  if (reply.escalation !== 'none') lines.push(`Escalation: ${reply.escalation} — ${reply.escalationReason}`);
  if (reply.trigger) lines.push(`Why: ${explain(reply.trigger)}`);
  if (reply.suggestions.length) lines.push(`Suggestions: ${reply.suggestions.map((s) => s.intent).join(', ')}`);
  // The reply itself, built by the same code as the terminal chat's, so a reviewer sees exactly what a patient would.
  for (const message of replyTexts(reply, core.clinic)) lines.push('', `bot> ${message.replaceAll('\n', '\n     ')}`);
  return lines.join('\n');
}

const STEPS: Record<NonNullable<Reply['trigger']>['step'], string> = {
  'red-flag': 'red flag',
  'danger-topic': 'danger topic',
  history: 'told as history (at most a dermatologist)',
  'dermatologist-cue': 'dermatologist cue',
  entry: "the answer's own level, entry",
  context: 'kept from earlier in the conversation',
};

/** For a clinician reviewing: which rule, topic, cue or entry set the level, and on which of the patient's words. */
function explain(trigger: NonNullable<Reply['trigger']>): string {
  return `${STEPS[trigger.step]} "${trigger.id}"${trigger.matched ? `, matched "${trigger.matched}"` : ''}`;
}

if (json && conversation && questions.length === 0) {
  // Conversations: a blank line starts a new one; no output line for it.
  await askConversations(createInterface({ input: process.stdin, crlfDelay: Infinity }), core.answerer, toResult, (r) => process.stdout.write(`${JSON.stringify(r)}\n`));
} else if (json && questions.length === 0) {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // One output line per input line, blank ones included (they come back as kind "empty"), so a caller can
  // pair answers with questions by line number.
  for await (const line of rl) {
    process.stdout.write(`${JSON.stringify(toResult(line, core.answerer.answer(line)))}\n`);
  }
} else if (questions.length > 0) {
  for (const q of questions) {
    const reply = core.answerer.answer(q);
    console.log(json ? JSON.stringify(toResult(q, reply)) : `${readable(q, reply)}\n`);
  }
} else {
  console.error('usage: npm run ask -- "question" ...   |   npm run --silent ask -- --json [--conversation] < questions.txt');
  process.exit(2);
}
