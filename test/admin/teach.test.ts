import { expect } from 'chai';
import { LearnedUtterances } from '../../src/admin/learned.js';
import { utteranceKey } from '../../src/content/text.js';
import type { RetrainJob } from '../../src/admin/retrain/trainer.js';
import { PASSWORD, restoreModel, signIn, startConsole, type Console, type Staff } from './harness.js';

/**
 * Teaching the running bot through the console's API: the question the bot declined is answered after the
 * assignment, without a restart, and a change that would make the model worse is refused with its reason while
 * the model in force stays. Real training and cross-validation in the worker thread: seconds per change.
 */

async function finished(staff: Staff, job: RetrainJob): Promise<RetrainJob> {
  for (let i = 0; i < 240; i++) {
    const body = (await (await staff.get(`/admin/api/jobs/${job.id}`)).json()) as { job: RetrainJob };
    if (body.job.status !== 'queued' && body.job.status !== 'training') return body.job;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the retrain did not finish in a minute');
}

/**
 * Forty questions of our own about Dupixent: what a hurried "select all, assign" would send to the wrong biologic.
 * They share the drug's name with the trusted dupilumab utterances, so the mistake pulls those away too.
 */
function dupixentQuestions(): string[] {
  const names = ['dupilumab', 'dupixent'];
  const forms = [
    'what is {d}', 'how does {d} work', 'is {d} safe', 'side effects of {d}', 'how often do i inject {d}',
    'can children take {d}', 'how long until {d} works', 'does {d} cause eye problems', 'is {d} a steroid', 'who can get {d}',
    'can i stop {d}', 'does {d} weaken the immune system', 'what dose of {d}', 'is {d} an injection', 'how is {d} given',
    'can i drink alcohol on {d}', 'does {d} cure eczema', 'is {d} expensive', 'how good is {d} for eczema', 'tell me about {d}',
  ];
  return forms.flatMap((f) => names.map((d) => f.replace('{d}', d)));
}

describe('staff console: teaching the running bot', function () {
  this.timeout(240_000);
  let c: Console;
  let staff: Staff;
  let snapshot: { model: Console['core']['live']['model']; training: Console['core']['live']['training'] };

  before(async () => {
    c = await startConsole();
    snapshot = { model: c.core.live.model, training: c.core.live.training };
    await c.admin.accounts.add('alice', PASSWORD);
    c.admin.accountsChanged();
    staff = await signIn(c.url, 'alice');
  });
  after(async () => {
    restoreModel(c.core, snapshot);
    await c.close();
  });

  it('assigns a declined question to an intent: retrained, swapped in, answered, marked, audited', async () => {
    const question = 'how do wet wraps work';
    expect(c.core.answerer.answer(question).kind).to.equal('decline');
    const record = await c.store.records.append('unanswered', { channel: 'webchat', intent: null, text: question, reason: 'out-of-scope', inbox: 'declined', status: 'open' });
    const version = c.core.live.version;

    const res = await staff.post(`/admin/api/inbox/${record.id}/assign`, { intent: 'moisturizers' });
    expect(res.status).to.equal(202);
    const job = await finished(staff, ((await res.json()) as { job: RetrainJob }).job);
    expect(job.status, job.reasons.join('; ')).to.equal('swapped');
    expect(job.ms).to.be.a('number');

    // The same answerer object the bot holds now answers with the taught intent: no restart.
    const reply = c.core.answerer.answer(question);
    expect(reply.kind).to.equal('answer');
    expect(reply.intent).to.equal('moisturizers');
    expect(c.core.live.version).to.equal(version + 1);

    const marked = await c.store.records.get(record.id);
    expect(marked?.status).to.equal('assigned');
    expect((marked?.review as { by: string; intent: string }).by).to.equal('alice');
    const learned = await new LearnedUtterances(c.store.documents).all();
    expect(learned.map((l) => [l.text, l.intent, l.by])).to.deep.include([question, 'moisturizers', 'alice']);
    const audit = (await (await staff.get('/admin/api/audit')).json()) as { items: { action: string; who: string; detail: string }[] };
    expect(audit.items[0]).to.include({ action: 'assigned', who: 'alice' });
    expect(audit.items[0]!.detail).to.match(/intent moisturizers; model v\d+ in force/);

    // Teaching the same wording again changes nothing.
    const again = await c.store.records.append('unanswered', { channel: 'webchat', intent: null, text: question, reason: 'out-of-scope', inbox: 'declined', status: 'open' });
    const second = await finished(staff, ((await (await staff.post(`/admin/api/inbox/${again.id}/assign`, { intent: 'moisturizers' })).json()) as { job: RetrainJob }).job);
    expect(second.status).to.equal('unchanged');
    expect(c.core.live.version).to.equal(version + 1);
  });

  it('refuses a change that lowers accuracy by more than 1 point, says why, and keeps the model in force', async () => {
    // Wordings intents/ has already are refused for another reason (tested below); leave them out here.
    const known = new Set([...c.core.live.training.values()].flat().map(utteranceKey));
    const questions = dupixentQuestions().filter((q) => !known.has(utteranceKey(q)));
    expect(questions.length).to.be.greaterThan(30);
    const ids: string[] = [];
    for (const text of questions) ids.push((await c.store.records.append('unanswered', { channel: 'webchat', intent: null, text, reason: 'low-confidence', inbox: 'declined', status: 'open' })).id);
    const version = c.core.live.version;
    const model = c.core.live.model;
    const before = c.core.answerer.answer('what is dupixent used for');

    const res = await staff.post('/admin/api/inbox/assign', { ids, intent: 'tralokinumab' });
    expect(res.status).to.equal(202);
    const job = await finished(staff, ((await res.json()) as { job: RetrainJob }).job);

    expect(job.status, JSON.stringify([job.before, job.after])).to.equal('refused');
    expect(job.reasons.join(' ')).to.match(/accuracy would drop from \d+\.\d % to \d+\.\d % \(more than 1\.0 point\)/);
    const drops = [job.before!.crossValidation - job.after!.crossValidation, job.before!.heldOut! - job.after!.heldOut!];
    expect(Math.max(...drops), JSON.stringify(drops)).to.be.greaterThan(0.01);
    expect(c.core.live.version).to.equal(version);
    expect(c.core.live.model).to.equal(model);
    expect(c.core.answerer.answer('what is dupixent used for').intent).to.equal(before.intent);

    // The items stay open with the reason, nothing was learned, and the refusal is in the audit log.
    const item = await c.store.records.get(ids[0]!);
    expect(item?.status).to.equal('open');
    expect(String(item?.refused)).to.match(/accuracy would drop/);
    const learned = await new LearnedUtterances(c.store.documents).all();
    expect(learned.some((l) => l.intent === 'tralokinumab')).to.equal(false);
    const audit = (await (await staff.get('/admin/api/audit')).json()) as { items: { action: string; detail: string }[] };
    expect(audit.items[0]!.action).to.equal('assign-refused');
    expect(audit.items[0]!.detail).to.match(/intent tralokinumab \(\d+ wordings\): .*accuracy would drop/);
  });

  it('refuses a wording that already teaches another intent, without training', async () => {
    const taken = c.core.content.training.get('dupilumab')![0]!;
    const record = await c.store.records.append('unanswered', { channel: 'webchat', intent: null, text: taken, reason: 'low-confidence', inbox: 'declined', status: 'open' });
    const job = await finished(staff, ((await (await staff.post(`/admin/api/inbox/${record.id}/assign`, { intent: 'moisturizers' })).json()) as { job: RetrainJob }).job);
    expect(job.status).to.equal('refused');
    expect(job.reasons[0]).to.match(/already teaches "dupilumab"/);
  });

  it('answers 409 for an item without text and 400 for an intent the knowledge base does not have', async () => {
    const handoff = await c.store.records.append('handoffs', { channel: 'webchat', intent: 'talk-to-human', inbox: 'handoff', status: 'open' });
    expect((await staff.post(`/admin/api/inbox/${handoff.id}/assign`, { intent: 'moisturizers' })).status).to.equal(409);
    const record = await c.store.records.append('unanswered', { channel: 'webchat', intent: null, text: 'what about bleach baths', reason: 'out-of-scope', inbox: 'declined', status: 'open' });
    const res = await staff.post(`/admin/api/inbox/${record.id}/assign`, { intent: 'bleach' });
    expect(res.status).to.equal(400);
    expect((await res.json()).error).to.match(/not an intent/);
  });
});
