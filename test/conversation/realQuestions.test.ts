import { expect } from 'chai';
import { join } from 'node:path';
import type { Reply } from '../../src/core/answer.js';
import { ESCALATION_ORDER, type Escalation } from '../../src/core/types.js';
import { FALLBACK, outcomeFigures, parseRealQuestions, type RealQuestion } from '../../src/nlu/evaluate.js';
import { sharedDir } from '../../src/paths.js';
import { readSharedFile } from '../helpers/shared.js';
import { testCore } from '../helpers/testBot.js';

/**
 * The targets on questions real patients wrote (../shared/eval/real-questions.jsonl, a test set never trained
 * on): every "urgent" row gets urgent or emergency advice, at least 85% of "dermatologist" rows get a
 * dermatologist recommendation or higher, at most 15% of "none" rows are escalated; at least 80% of rows get an
 * accepted outcome and at least 80% of the rows that must be declined are.
 */
describe('real patient questions', function () {
  const file = join(sharedDir, 'eval', 'real-questions.jsonl');
  let rows: RealQuestion[] = [];
  let replies: Reply[] = [];

  // Each row is answered once, by the bot's own pipeline as a patient meets it (triage, decision,
  // dermatologist rule); the eval prints the same figures ("through the whole bot").
  before(function () {
    rows = parseRealQuestions(readSharedFile(this, file, 'real-question checks'));
    const { answerer } = testCore();
    replies = rows.map((r) => answerer.answer(r.text));
  });

  const share = (kind: string, test: (level: number) => boolean) => {
    const of = rows.flatMap((r, i) => (r.escalate === kind ? [ESCALATION_ORDER.indexOf(replies[i]!.escalation as Escalation)] : []));
    return { hit: of.filter(test).length, of: of.length };
  };
  const figures = () => outcomeFigures(rows, replies.map((r) => ({ outcome: r.intent ?? FALLBACK, declined: r.kind === 'decline' })));

  it('tells every "urgent" row to get urgent or emergency care', () => {
    const { hit, of } = share('urgent', (l) => l >= ESCALATION_ORDER.indexOf('urgent'));
    expect(of).to.be.greaterThan(0);
    expect(hit).to.equal(of);
  });

  it('recommends a dermatologist (or more) for at least 85% of "dermatologist" rows', () => {
    const { hit, of } = share('dermatologist', (l) => l >= ESCALATION_ORDER.indexOf('dermatologist'));
    expect(hit / of).to.be.at.least(0.85);
  });

  it('escalates at most 15% of "none" rows', () => {
    const { hit, of } = share('none', (l) => l > 0);
    expect(hit / of).to.be.at.most(0.15);
  });

  // A row is right when the intent the reply answers with (or "fallback" when it answers none) is accepted.
  it('answers at least 80% of the rows with an intent the row accepts', () => {
    expect(figures().accuracy).to.be.at.least(0.8);
  });

  it('answers none of at least 80% of the rows that only accept declining', () => {
    const f = figures();
    expect(f.fallbackOnly).to.be.greaterThan(0);
    expect(f.fallbackRecall).to.be.at.least(0.8);
  });
});
