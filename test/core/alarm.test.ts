import { expect } from 'chai';
import { followAlarm } from '../../src/core/alarm.js';

describe('the reminder of a recent red flag', () => {
  const t0 = Date.parse('2026-11-26T10:00:00Z');
  const minutes = (n: number) => t0 + n * 60_000;

  it('reminds of an emergency before a calmer reply, and not before another emergency', () => {
    const { alarm } = followAlarm(undefined, 'emergency', true, t0);
    expect(followAlarm(alarm, 'none', false, minutes(5)).remind).to.equal('emergency');
    expect(followAlarm(alarm, 'urgent', true, minutes(5)).remind).to.equal('emergency');
    expect(followAlarm(alarm, 'emergency', true, minutes(5)).remind).to.equal(undefined);
  });

  it('keeps reminding when the clock is stepped back, and stops after half an hour', () => {
    const { alarm } = followAlarm(undefined, 'urgent', true, t0);
    expect(followAlarm(alarm, 'none', false, minutes(-1)).remind).to.equal('urgent');
    expect(followAlarm(alarm, 'none', false, minutes(30)).remind).to.equal('urgent');
    expect(followAlarm(alarm, 'none', false, minutes(31))).to.deep.equal({ alarm: undefined, remind: undefined });
  });

  it('starts only from a red flag the patient described, not from an answer a clinician marked urgent', () => {
    const { alarm } = followAlarm(undefined, 'urgent', false, t0);
    expect(alarm).to.equal(undefined);
    expect(followAlarm(alarm, 'none', false, minutes(1)).remind).to.equal(undefined);
  });
});
