import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESCALATION_ORDER, type Escalation } from '../../src/core/types.js';
import { sharedDir } from '../../src/paths.js';
import { testCore } from '../helpers/testBot.js';

/**
 * The escalation targets on questions real patients wrote (../shared/eval/real-questions.jsonl, a test set
 * never trained on): every "urgent" row gets urgent or emergency advice, at least 85% of "dermatologist" rows
 * get a dermatologist recommendation or higher, and at most 15% of "none" rows are escalated.
 */
describe('escalation on real patient questions', function () {
  const file = join(sharedDir, 'eval', 'real-questions.jsonl');
  type Row = { text: string; escalate: 'urgent' | 'dermatologist' | 'none' | 'any' };
  let rows: Row[] = [];

  before(function () {
    if (!existsSync(file)) {
      console.log(`    real-question escalation skipped: ${file} is not here (it is beside the checkout for developers and CI)`);
      this.skip();
    }
    rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
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
});
