import { expect } from 'chai';
import { runCli } from '../helpers/runCli.js';

const run = runCli;

describe('the command-line tools on a mistake someone can fix', () => {
  for (const script of ['src/cli/ask.ts', 'src/cli/chat.ts']) {
    it(`${script} prints the one-line message npm start prints, not a stack trace`, () => {
      const result = run(script, ['hi'], '', { MAX_MESSAGE_CHARS: '5' });
      expect(result.status).to.equal(1);
      expect(result.stderr.trim()).to.match(/^Invalid configuration: MAX_MESSAGE_CHARS must be at least 50/);
      expect(result.stderr).not.to.match(/\n\s+at /);
    });
  }
});

describe('npm run ask', () => {
  it('--json prints one object per input line, in order, from the bot’s own pipeline (triage included)', () => {
    const questions = ['what is filaggrin', "my throat is swelling and I can't breathe", 'zxqv blorp', 'should I stop my dupixent'];
    const result = run('src/cli/ask.ts', ['--json'], `${questions.join('\n')}\n`);
    expect(result.status, result.stderr).to.equal(0);
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.text)).to.deep.equal(questions);
    for (const row of rows) expect(row).to.have.all.keys('text', 'kind', 'intent', 'confidence', 'escalation', 'suggestions', 'reply', 'why');
    expect(rows[0]).to.include({ intent: 'skin-barrier', escalation: 'none' });
    expect(rows[1]).to.include({ intent: null, escalation: 'emergency' });
    expect(rows[2]).to.include({ intent: null, escalation: 'none' });
    expect(rows[3]!.escalation).to.equal('dermatologist');
    expect(rows.every((r) => typeof r.confidence === 'number' && r.confidence >= 0 && r.confidence <= 1)).to.equal(true);
    expect(rows[1]!.reply).to.match(/^EMERGENCY: call 911 now/);
    expect(rows[0]!.reply).to.match(/filaggrin/i).and.match(/Sources:/);
    // Why each reply escalated: the step, the rule or cue, and the words that set it off; null when it did not.
    expect(rows[0]!.why).to.equal(null);
    expect(rows[1]!.why).to.deep.include({ step: 'red-flag', id: 'breathing-difficulty' });
    expect(rows[3]!.why).to.deep.equal({ step: 'dermatologist-cue', id: 'prescription-decision', matched: 'stop … dupixent' });
  });

  it('shows a clinician which rule or topic set the escalation, and on which words', () => {
    const questions = ['what does infected eczema look like', 'I used my epipen as a teenager, can I have dupixent?'];
    const result = run('src/cli/ask.ts', questions, '');
    expect(result.status, result.stderr).to.equal(0);
    const [topic, history] = result.stdout.split(/^Q: /m).slice(1);
    expect(topic).to.match(/^Escalation: urgent — /m).and.match(/^Why: danger topic "infected-eczema", matched "infected … eczema"$/m);
    expect(topic).to.match(/^bot> URGENT: if you notice any of these, contact .* today on \+1 555 010 0199\. .*call 911\./m).and.match(/^\s+SIGNS THAT ECZEMA MAY BE INFECTED$/m);
    expect(history).to.match(/^Escalation: dermatologist — /m).and.match(/^Why: told as history \(at most a dermatologist\) "adrenaline-used", matched "used … epipen"$/m);
    expect(history).not.to.match(/EMERGENCY/);
  });

  it('--json keeps one output line per input line: a blank line comes back as an "empty" reply in its place', () => {
    const result = run('src/cli/ask.ts', ['--json'], 'what is eczema\n\n   \nwhat is dupixent\n');
    expect(result.status, result.stderr).to.equal(0);
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.kind)).to.deep.equal(['answer', 'empty', 'empty', 'answer']);
    expect(rows[1]).to.include({ intent: null, escalation: 'none' });
  });

  it('prints the reply the patient reads for every kind of reply, as the terminal chat words it', () => {
    const questions = ['my face is swelling and I cannot breathe', 'my eczema is oozing yellow pus', 'what is the capital of France', 'cream', 'should I stop my dupixent'];
    const result = run('src/cli/ask.ts', questions, '');
    expect(result.status, result.stderr).to.equal(0);
    const [emergency, urgent, decline, clarify, answer] = result.stdout.split(/^Q: /m).slice(1);
    expect(emergency).to.match(/^→ emergency\n/m).and.match(/^bot> EMERGENCY: call 911 now, or go to the nearest emergency department\./m);
    expect(urgent).to.match(/^→ urgent\n/m).and.match(/^bot> URGENT: please get medical care today: call .* on \+1 555 010 0199/m);
    expect(decline).to.match(/^→ decline\n/m).and.match(/^bot> Sorry, I can't answer that\./m).and.match(/Book an appointment: https:\/\//);
    expect(clarify).to.match(/^→ clarify\n/m).and.match(/^bot> I'm not sure I understood\. Did you mean one of these\?/m);
    expect(clarify).to.match(/^\s+1\. What is ruxolitinib cream/m).and.match(/^\s+\d\. None of these$/m);
    expect(answer).to.match(/^→ answer \(dupilumab, confidence \d\.\d\d\)$/m).and.match(/^bot> WHAT IS DUPILUMAB/m);
    expect(answer).to.match(/WE RECOMMEND SEEING A DERMATOLOGIST/);
  });

  it('prints a readable answer with its sources for a question given as an argument', () => {
    const result = run('src/cli/ask.ts', ['how do moisturizers help eczema'], '');
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/moisturi[sz]er/i);
    expect(result.stdout).to.match(/Sources:/);
  });
});

describe('npm run chat', () => {
  it('talks to the same bot in the terminal: welcome, an answer with numbered choices, a number pressed', () => {
    const result = run('src/cli/chat.ts', [], 'what is the atopic march\n1\nquit\n');
    expect(result.status, result.stderr).to.equal(0);
    const out = result.stdout;
    expect(out).to.match(/not a doctor/i);
    expect(out).to.match(/atopic march/i);
    expect(out).to.match(/Reply with a number:\n\s*1\. /);
    // The answer to the first follow-up: a second "Sources:" block after pressing 1.
    expect(out.split('Sources:').length - 1).to.be.at.least(2);
  });
});
