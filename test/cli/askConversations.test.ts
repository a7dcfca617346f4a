import { expect } from 'chai';
import { runCli } from '../helpers/runCli.js';

const run = (script: string, args: string[], input: string) => runCli(script, args, input, { DOTENV_CONFIG_QUIET: 'true' });

describe('npm run ask -- --json --conversation', () => {
  it('prints one JSON line per turn with the fields of ask --json; a blank line starts a fresh conversation', () => {
    const input = ['what is dupixent', 'can kids have it?', "I'm pregnant", '', "I'm pregnant", '', '', 'what are topical steroids', 'ok', 'no', ''].join('\n');
    const result = run('src/cli/ask.ts', ['--json', '--conversation'], input);
    expect(result.status, result.stderr).to.equal(0);
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.text)).to.deep.equal(['what is dupixent', 'can kids have it?', "I'm pregnant", "I'm pregnant", 'what are topical steroids', 'ok', 'no']);
    for (const r of rows) expect(Object.keys(r)).to.include.members(['text', 'kind', 'intent', 'confidence', 'escalation', 'suggestions', 'reply', 'why']);
    expect(rows.map((r) => r.intent)).to.deep.equal(['dupilumab', 'dupilumab', 'dupilumab', rows[3]!.intent, 'topical-steroids', null, 'goodbye']);
    expect(rows[1]!.reply).to.match(/doesn't cover use in children/);
    expect(rows[2]).to.include({ escalation: 'dermatologist' });
    // The same "I'm pregnant" in a fresh conversation has no medicine to be about.
    expect(rows[3]!.intent).to.not.equal('dupilumab');
    expect(rows[5]).to.include({ kind: 'acknowledge' });
  });

  it('npm run chat keeps context the same way', () => {
    const result = run('src/cli/chat.ts', [], 'what is tacrolimus\ndoes it burn?\nquit\n');
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/calcineurin inhibitors \(tacrolimus, pimecrolimus\) doesn't cover burning or stinging/);
  });
});
