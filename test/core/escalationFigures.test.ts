import { expect } from 'chai';
import type { Reply } from '../../src/core/answer.js';
import { escalationFigures } from '../../src/core/escalationFigures.js';
import type { Escalation } from '../../src/core/types.js';
import type { RealQuestion } from '../../src/nlu/evaluate.js';

const reply = (intent: string | null, escalation: Escalation): Reply => ({
  kind: 'answer',
  intent,
  confidence: 1,
  sources: [],
  followUps: [],
  suggestions: [],
  escalation,
  escalationReason: '',
  ...(escalation !== 'none' ? { trigger: { step: 'red-flag' as const, id: 'chest-pain', matched: 'chest … pain' } } : {}),
});

/** The figures the eval report prints and the targets are held on, on rows whose answers are known. */
describe('escalation figures of a labelled set', () => {
  const rows: RealQuestion[] = [
    { text: 'u1', accept: ['fallback'], escalate: 'urgent' },
    { text: 'u2', accept: ['fallback'], escalate: 'urgent' },
    { text: 'd1', accept: ['a'], escalate: 'dermatologist', ceiling: 'dermatologist' },
    { text: 'n1', accept: ['a'], escalate: 'none' },
    { text: 'n2', accept: ['b'], escalate: 'none' },
    { text: 'x1', accept: ['a'], escalate: 'any' },
  ];
  const replies = [reply(null, 'emergency'), reply(null, 'dermatologist'), reply('a', 'emergency'), reply('a', 'none'), reply('a', 'urgent'), reply(null, 'none')];
  const f = escalationFigures(rows, replies);

  it('counts urgent recall, dermatologist-or-higher recall (urgent rows included), over-escalation and false alarms', () => {
    expect(f.urgent).to.deep.equal({ hit: 1, of: 2 });
    expect(f.dermatologist).to.deep.equal({ hit: 3, of: 3 });
    expect(f.overEscalated).to.deep.equal({ hit: 1, of: 2 });
    expect(f.falseAlarms).to.deep.equal({ hit: 1, of: 1 });
    expect(f.intent).to.deep.equal({ hit: 4, of: 6 });
  });

  it('lists every miss with what was expected, what the bot did and what set it off', () => {
    expect(f.misses.map((m) => [m.kind, m.text, m.expected, m.got])).to.deep.equal([
      ['urgent-miss', 'u2', 'urgent', 'dermatologist'],
      ['false-alarm', 'd1', 'at most dermatologist', 'emergency'],
      ['intent', 'n2', 'b', 'a'],
      ['over-escalation', 'n2', 'none', 'urgent'],
      ['intent', 'x1', 'a', 'fallback'],
    ]);
    expect(f.misses[0]!.why).to.deep.equal({ step: 'red-flag', id: 'chest-pain', matched: 'chest … pain' });
  });
});
