import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reply } from '../../src/core/answer.js';
import { escalationFigures, ratio, type EscalationFigures } from '../../src/core/escalationFigures.js';
import { FALLBACK, outcomeFigures, parseRealQuestions, type RealQuestion } from '../../src/nlu/evaluate.js';
import { projectRoot, sharedDir } from '../../src/paths.js';
import { readSharedFile } from '../helpers/shared.js';
import { loadCore, type Core } from '../../src/core/loadCore.js';
import { silentLogger } from '../../src/logger.js';
import { testConfig, testCore } from '../helpers/testBot.js';

/**
 * The bot these targets are checked on: the shared test core (each pack's `enabled`), or, when CONTENT_PACKS is set
 * (`CONTENT_PACKS=everyday-care npx mocha test/conversation/labelledSets.test.ts`), the bot with those packs, so a
 * clinic can see whether turning a pack on keeps every target.
 */
let packsCore: Core | undefined;
function coreUnderTest(): Core {
  const packs = process.env.CONTENT_PACKS;
  if (packs === undefined || packs.trim() === '') return testCore();
  packsCore ??= loadCore(testConfig({ CONTENT_PACKS: packs, MODEL_FILE: join(testConfig().MODEL_FILE, '..', `model-${packs.replace(/[^a-z0-9-]/g, '_')}.json`) }), silentLogger);
  return packsCore;
}

/**
 * The escalation policy's targets (../shared/eval/README.md, issue 13) on every labelled set, through the bot's own
 * answer() as a patient meets it: every "urgent" row gets urgent or emergency advice, at least 95% of the rows that
 * need a doctor get a dermatologist or more, at most 10% of general questions are escalated, no row is answered
 * above its ceiling (an emergency reply to a past event), and the intent accepted is no lower than before the
 * escalation work (`floor`). The shared sets skip with one line when ../shared is absent (SHARED=required fails);
 * the sets in test/eval were written from the policy for this project, half of the first held back while the rules
 * were written, the second written after them (test/eval/README.md).
 */
// intentFloor null: the set labels escalation only (its accept lists are ["?"]).
const SETS: { name: string; file: string; shared: boolean; intentFloor: number | null }[] = [
  // Intent floors: the share accepted through the whole bot before issue 13 (36/43, 36/46, 45/62, 44/63, 34/40).
  { name: 'real patient questions', file: join(sharedDir, 'eval', 'real-questions.jsonl'), shared: true, intentFloor: 36 / 43 },
  { name: 'escalation policy examples', file: join(sharedDir, 'eval', 'safety-examples.jsonl'), shared: true, intentFloor: 36 / 46 },
  { name: 'our own set, development half', file: join(projectRoot, 'test', 'eval', 'escalation-dev.jsonl'), shared: false, intentFloor: 45 / 62 },
  { name: 'our own set, held-back half', file: join(projectRoot, 'test', 'eval', 'escalation-holdout.jsonl'), shared: false, intentFloor: 44 / 63 },
  { name: 'our own second set, written after the rules', file: join(projectRoot, 'test', 'eval', 'escalation-blind.jsonl'), shared: false, intentFloor: 34 / 40 },
  { name: 'our own third set, written blind to the rules (round two)', file: join(projectRoot, 'test', 'eval', 'escalation-blind3.jsonl'), shared: false, intentFloor: null },
  { name: 'our own fourth set, written blind to the rules (round two)', file: join(projectRoot, 'test', 'eval', 'escalation-blind4.jsonl'), shared: false, intentFloor: null },
  { name: 'our own fifth set, written blind to the rules (round two)', file: join(projectRoot, 'test', 'eval', 'escalation-blind5.jsonl'), shared: false, intentFloor: null },
];

const list = (f: EscalationFigures, kind: string) => f.misses.filter((m) => m.kind === kind).map((m) => `${m.text} → ${m.got}${m.why ? ` (${m.why.step} ${m.why.id})` : ''}`);

for (const set of SETS) {
  describe(`escalation targets: ${set.name}`, function () {
    let rows: RealQuestion[] = [];
    let replies: Reply[] = [];
    let f: EscalationFigures;

    before(function () {
      const text = set.shared ? readSharedFile(this, set.file, `${set.name} checks`) : readFileSync(set.file, 'utf8');
      rows = parseRealQuestions(text);
      const { answerer } = coreUnderTest();
      replies = rows.map((r) => answerer.answer(r.text));
      f = escalationFigures(rows, replies);
    });

    it('tells every "urgent" row to get urgent or emergency care', () => {
      expect(f.urgent.of).to.be.greaterThan(0);
      expect(list(f, 'urgent-miss')).to.deep.equal([]);
    });

    it('recommends a dermatologist or more for at least 95% of the rows that need a doctor', () => {
      expect(ratio(f.dermatologist), list(f, 'dermatologist-miss').join('; ')).to.be.at.least(0.95);
    });

    it('escalates at most 10% of the general questions', () => {
      expect(f.overEscalated.of).to.be.greaterThan(0);
      expect(ratio(f.overEscalated), list(f, 'over-escalation').join('; ')).to.be.at.most(0.1);
    });

    it('answers no row above its ceiling (no emergency for a past or family event)', () => {
      expect(list(f, 'false-alarm')).to.deep.equal([]);
    });

    const floor = set.intentFloor;
    if (floor !== null) {
      it('answers no fewer rows with an accepted intent than before', () => {
        expect(ratio(f.intent)).to.be.at.least(floor - 1e-9);
      });
    }

    if (set.file.endsWith('real-questions.jsonl')) {
      it('answers none of at least 80% of the rows that only accept declining', () => {
        const o = outcomeFigures(rows, replies.map((r) => ({ outcome: r.intent ?? FALLBACK, declined: r.kind === 'decline' })));
        expect(o.fallbackOnly).to.be.greaterThan(0);
        expect(o.fallbackRecall).to.be.at.least(0.8);
      });
    }
  });
}
