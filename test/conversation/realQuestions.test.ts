import { expect } from 'chai';
import { join } from 'node:path';
import { ESCALATION_ORDER, type Escalation } from '../../src/core/types.js';
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
  type Row = { text: string; accept: string[]; escalate: 'urgent' | 'dermatologist' | 'none' | 'any' };
  let rows: Row[] = [];

  before(function () {
    rows = readSharedFile(this, file, 'real-question checks').trim().split('\n').map((l) => JSON.parse(l) as Row);
  });

  const level = (text: string): number => ESCALATION_ORDER.indexOf(testCore().answerer.answer(text).escalation as Escalation);
  const share = (kind: Row['escalate'], test: (lvl: number) => boolean) => {
    const of = rows.filter((r) => r.escalate === kind);
    return { hit: of.filter((r) => test(level(r.text))).length, of: of.length };
  };

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

  // The intent targets, through the whole bot as a patient meets it: a row is right when the intent the reply
  // answers with (or "fallback" when it answers none) is in the row's accept list.
  const outcome = (text: string) => testCore().answerer.answer(text).intent ?? 'fallback';

  it('answers at least 80% of the rows with an intent the row accepts', () => {
    const right = rows.filter((r) => r.accept.includes(outcome(r.text))).length;
    expect(right / rows.length, `${right} of ${rows.length}`).to.be.at.least(0.8);
  });

  it('answers none of at least 80% of the rows that only accept declining', () => {
    const declineOnly = rows.filter((r) => r.accept.length === 1 && r.accept[0] === 'fallback');
    const declined = declineOnly.filter((r) => outcome(r.text) === 'fallback').length;
    expect(declineOnly.length).to.be.greaterThan(0);
    expect(declined / declineOnly.length, `${declined} of ${declineOnly.length}`).to.be.at.least(0.8);
  });
});
