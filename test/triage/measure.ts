/**
 * Prints the safety rules' figures: recall on the phrasing tables, false positives on the negated and general
 * ones and on every training utterance of the project, the cost of one call, and the words a rule word would
 * swallow as a "typo". Not a test (no pass/fail, timings vary by machine): run it after changing a rule file.
 *
 *   npx tsx test/triage/measure.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { intentsDir, sharedDir } from '../../src/paths.js';
import { redact } from '../../src/privacy/redact.js';
import { dermatologistCue, loadDermatologistCues } from '../../src/triage/dermatologist.js';
import { loadRedFlagRules, readRedFlags, triage } from '../../src/triage/index.js';
import { loadDangerTopics, readDangerTopics } from '../../src/triage/dangerTopics.js';
import { loadKnowledgeBase } from '../../src/content/load.js';
import type { Compiled, RuleSpec } from '../../src/triage/matcher.js';
import {
  DERMATOLOGIST_CUES,
  GENERAL_EMERGENCY_QUESTIONS,
  GENERAL_QUESTIONS,
  NOT_DERMATOLOGIST,
  HISTORY,
  NOT_RED_FLAGS,
  NOW_DESPITE_HISTORY,
  RED_FLAGS,
} from './cases.js';
import { DANGER_TOPIC_QUESTIONS, NOT_DANGER_TOPICS } from './topicCases.js';

function time<T>(label: string, fn: () => T): T {
  const start = process.hrtime.bigint();
  const value = fn();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`);
  return value;
}

const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / d).toFixed(1)}%)`;

const rules = time('load data/red-flags.yaml (validate, compile, run examples)', () => loadRedFlagRules());
const cues = time('load data/dermatologist-cues.yaml', () => loadDermatologistCues());
const topics = time('load data/danger-topics.yaml', () => loadDangerTopics(loadKnowledgeBase()));

console.log('\n## Red flags');
const exact = RED_FLAGS.filter(([t, level]) => triage(t, rules)?.level === level).length;
const any = RED_FLAGS.filter(([t]) => triage(t, rules) !== null).length;
console.log(`recall, right level: ${pct(exact, RED_FLAGS.length)}; flagged at any level: ${pct(any, RED_FLAGS.length)}`);
for (const [t, level] of RED_FLAGS) {
  const got = triage(t, rules);
  if (got?.level !== level) console.log(`  missed (${level}): ${t} → ${got?.level ?? 'nothing'}`);
}
const fp = NOT_RED_FLAGS.filter((t) => triage(t, rules) !== null);
console.log(`false positives on negated/benign: ${pct(fp.length, NOT_RED_FLAGS.length)}`);
for (const t of fp) console.log(`  fired: ${t}`);
const capped = GENERAL_EMERGENCY_QUESTIONS.filter((t) => triage(t, rules)?.level === 'urgent').length;
console.log(`general questions about an emergency symptom answered as urgent: ${pct(capped, GENERAL_EMERGENCY_QUESTIONS.length)}`);

console.log('\n## Now or history');
const toldAsHistory = HISTORY.filter(([t, id]) => readRedFlags(t, rules).now === null && readRedFlags(t, rules).history?.ruleId === id).length;
console.log(`red flags told as history, read as history of the right rule: ${pct(toldAsHistory, HISTORY.length)}`);
const stillNow = NOW_DESPITE_HISTORY.filter(([t, level]) => triage(t, rules)?.level === level).length;
console.log(`a red flag now beside a history one, still flagged at its level: ${pct(stillNow, NOW_DESPITE_HISTORY.length)}`);

console.log('\n## Danger topics');
const topicHits = DANGER_TOPIC_QUESTIONS.filter(([t, id]) => readDangerTopics(t, topics).now?.topicId === id).length;
console.log(`questions about a danger topic given that topic's card: ${pct(topicHits, DANGER_TOPIC_QUESTIONS.length)}`);
for (const [t, id] of DANGER_TOPIC_QUESTIONS) {
  const got = readDangerTopics(t, topics).now?.topicId;
  if (got !== id) console.log(`  missed (${id}): ${t} → ${got ?? 'nothing'}`);
}
const topicFp = NOT_DANGER_TOPICS.filter((t) => readDangerTopics(t, topics).now !== null);
console.log(`cards on general questions: ${pct(topicFp.length, NOT_DANGER_TOPICS.length)}`);
for (const t of topicFp) console.log(`  fired: ${t} → ${readDangerTopics(t, topics).now?.topicId}`);

console.log('\n## Dermatologist cues');
const cueHits = DERMATOLOGIST_CUES.filter(([t]) => dermatologistCue(t, cues) !== null).length;
const cueExact = DERMATOLOGIST_CUES.filter(([t, id]) => dermatologistCue(t, cues)?.cueId === id).length;
console.log(`recall: ${pct(cueHits, DERMATOLOGIST_CUES.length)} (expected cue: ${cueExact})`);
const cueFp = [...GENERAL_QUESTIONS, ...NOT_DERMATOLOGIST].filter((t) => dermatologistCue(t, cues) !== null);
console.log(`false positives on general questions and fine descriptions: ${pct(cueFp.length, GENERAL_QUESTIONS.length + NOT_DERMATOLOGIST.length)}`);
for (const t of cueFp) console.log(`  fired: ${t}`);

// The project's own training utterances: mostly general questions, some personal ones on purpose.
const utterances: { intent: string; text: string }[] = [];
for (const dir of [intentsDir, join(intentsDir, 'held-out')]) {
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.trim() && !line.startsWith('#')) utterances.push({ intent: f.replace(/\.txt$/, ''), text: line.trim() });
    }
  }
}
if (utterances.length > 0) {
  console.log(`\n## On the ${utterances.length} utterances in intents/ (what fires, for review)`);
  const flagged = utterances.filter((u) => triage(u.text, rules));
  console.log(`red flag: ${pct(flagged.length, utterances.length)}`);
  for (const u of flagged) console.log(`  ${triage(u.text, rules)?.ruleId} ← [${u.intent}] ${u.text}`);
  const carded = utterances.filter((u) => readDangerTopics(u.text, topics).now);
  console.log(`danger topic card: ${pct(carded.length, utterances.length)}`);
  for (const u of carded) console.log(`  ${readDangerTopics(u.text, topics).now?.topicId} ← [${u.intent}] ${u.text}`);
  const cued = utterances.filter((u) => dermatologistCue(u.text, cues));
  const outsideDerm = cued.filter((u) => u.intent !== 'see-a-dermatologist').length;
  const dermIntent = utterances.filter((u) => u.intent === 'see-a-dermatologist');
  console.log(`dermatologist cue: ${pct(cued.length, utterances.length)}; on see-a-dermatologist utterances: ` +
    `${pct(dermIntent.filter((u) => dermatologistCue(u.text, cues)).length, dermIntent.length)}; elsewhere: ${outsideDerm}`);
}

// The evaluation set: read for figures only, never copied.
const evalFile = join(sharedDir, 'eval', 'real-questions.jsonl');
if (existsSync(evalFile)) {
  const rows = readFileSync(evalFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; escalate: string });
  const urgent = rows.filter((r) => r.escalate === 'urgent');
  const none = rows.filter((r) => r.escalate === 'none');
  const derm = rows.filter((r) => r.escalate === 'dermatologist');
  console.log(`\n## Evaluation set (${rows.length} real questions)`);
  console.log(`"urgent" rows flagged: ${pct(urgent.filter((r) => triage(r.text, rules)).length, urgent.length)}`);
  console.log(`"dermatologist" rows with a cue or a flag: ${pct(derm.filter((r) => dermatologistCue(r.text, cues) || triage(r.text, rules)).length, derm.length)}`);
  console.log(`"none" rows escalated by these rules: ${pct(none.filter((r) => dermatologistCue(r.text, cues) || triage(r.text, rules)).length, none.length)}`);
}

console.log('\n## Cost per call');
const texts = [...RED_FLAGS.map(([t]) => t), ...NOT_RED_FLAGS, ...GENERAL_QUESTIONS, ...DERMATOLOGIST_CUES.map(([t]) => t)];
const long = 'Hello, my daughter is four and has had eczema on her arms and behind her knees since she was a baby. '.repeat(4) +
  'We use a thick moisturizer twice a day and hydrocortisone when it flares. What else can we do?';
function perCall(label: string, fn: (t: string) => unknown, inputs: readonly string[]): void {
  for (let i = 0; i < 3; i++) inputs.forEach(fn); // warm up the JIT and the typo memo, as a running bot would be
  const rounds = 200;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const t of inputs) fn(t);
  const us = Number(process.hrtime.bigint() - start) / 1e3 / (rounds * inputs.length);
  console.log(`${label}: ${us.toFixed(1)} µs per call`);
}
perCall(`triage, ${texts.length} table phrasings`, (t) => triage(t, rules), texts);
perCall('triage, a 560-character message', (t) => triage(t, rules), [long]);
perCall('dermatologistCue, table phrasings', (t) => dermatologistCue(t, cues), texts);
perCall('readDangerTopics, table phrasings', (t) => readDangerTopics(t, topics), texts);
perCall('redact, table phrasings', (t) => redact(t), texts);
perCall('redact, a 560-character message', (t) => redact(t), [long]);
const coldWords = Array.from({ length: 2000 }, (_, i) => `zq${i.toString(36)}lmnop`);
const start = process.hrtime.bigint();
for (const w of coldWords) triage(`my ${w} is itchy`, rules);
console.log(`triage with an unseen word (typo search, first time): ${(Number(process.hrtime.bigint() - start) / 1e3 / coldWords.length).toFixed(1)} µs per call`);

console.log('\n## Words of the project\'s texts read as typos of a rule word (check none is an everyday word)');
function swallowed(compiled: Compiled<RuleSpec>, label: string): void {
  const words = new Set<string>();
  for (const u of utterances) for (const w of u.text.toLowerCase().match(/[a-z]+/g) ?? []) words.add(w);
  const byId = new Map([...compiled.matcher.vocabulary].map(([w, id]) => [id, w]));
  const pairs = [...words].filter((w) => !compiled.matcher.vocabulary.has(w)).map((w) => [w, compiled.matcher.fuzzy.lookup(w)] as const);
  console.log(`${label}: ${pairs.filter(([, id]) => id >= 0).map(([w, id]) => `${w}→${byId.get(id)}`).join(', ') || 'none'}`);
}
swallowed(rules, 'red flags');
swallowed(cues, 'cues');
swallowed(topics, 'danger topics');
