import { expect } from 'chai';
import { monthsBetween } from '../../src/admin/contentReview.js';
import type { InboxItem } from '../../src/admin/inbox.js';
import { PASSWORD, signIn, startConsole, type Console, type Staff } from './harness.js';

/** The inbox, its marks, content gaps, exports, usage figures and content review, over the console's API. */
describe('staff console: inbox, marks, exports and figures', function () {
  this.timeout(60_000);
  let c: Console;
  let staff: Staff;

  const open = { status: 'open' };
  async function seed() {
    const r = c.store.records;
    return {
      declined: await r.append('unanswered', { channel: 'webchat', intent: null, text: 'can I get a tattoo with eczema', reason: 'out-of-scope', inbox: 'declined', confidence: 0.91, ...open }),
      clarify: await r.append('unanswered', { channel: 'msteams', intent: null, text: 'itchy at night what helps', reason: 'did-you-mean', inbox: 'did-you-mean', confidence: 0.41, suggestions: ['itch-scratch-cycle', 'moisturizers'], ...open }),
      lowAnswer: await r.append('unanswered', { channel: 'webchat', intent: 'triggers', text: 'does the weather matter', reason: 'low-confidence-answer', inbox: 'low-confidence', confidence: 0.77, ...open }),
      notHelpful: await r.append('feedback', { channel: 'webchat', intent: 'dupilumab', helpful: false, comment: 'it did not say how long it takes', inbox: 'not-helpful', ...open }),
      helpful: await r.append('feedback', { channel: 'webchat', intent: 'dupilumab', helpful: true }),
      handoff: await r.append('handoffs', { channel: 'webchat', intent: 'talk-to-human', inbox: 'handoff', ...open }),
      escalation: await r.append('escalations', { channel: 'webchat', intent: null, level: 'urgent', reason: 'Pus can mean an infection.', text: 'yellow crust and pus on my arm', inbox: 'escalation', ...open }),
      xss: await r.append('unanswered', { channel: 'webchat', intent: null, text: '<img src=x onerror=alert(1)> =HYPERLINK("http://x")', reason: 'no-known-word', inbox: 'declined', ...open }),
      legacy: await r.append('unanswered', { channel: 'webchat', intent: null, text: 'written before the console', reason: 'out-of-scope' }),
    };
  }
  let ids: Awaited<ReturnType<typeof seed>>;

  before(async () => {
    c = await startConsole();
    await c.admin.accounts.add('alice', PASSWORD);
    c.admin.accountsChanged();
    staff = await signIn(c.url, 'alice');
    ids = await seed();
  });
  after(async () => {
    await c.close();
  });

  async function inbox(query = ''): Promise<{ items: InboxItem[]; next?: string }> {
    const res = await staff.get(`/admin/api/inbox${query}`);
    expect(res.status).to.equal(200);
    return res.json() as Promise<{ items: InboxItem[]; next?: string }>;
  }

  it('lists open items newest first, each with its reason, text as stored, and the model in force\'s guesses', async () => {
    const { items } = await inbox();
    expect(items.map((i) => i.id)).to.deep.equal([ids.xss, ids.escalation, ids.handoff, ids.notHelpful, ids.lowAnswer, ids.clarify, ids.declined].map((r) => r.id));
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(ids.clarify.id)).to.include({ reason: 'did-you-mean', channel: 'msteams', confidence: 0.41 });
    expect(byId.get(ids.clarify.id)!.suggestions).to.deep.equal(['itch-scratch-cycle', 'moisturizers']);
    expect(byId.get(ids.notHelpful.id)).to.include({ reason: 'not-helpful', comment: 'it did not say how long it takes', intent: 'dupilumab', text: '' });
    expect(byId.get(ids.escalation.id)).to.include({ reason: 'escalation', level: 'urgent' });
    // Stored markup is data: the API hands it back verbatim (JSON), and the page puts it in textContent.
    expect(byId.get(ids.xss.id)!.text).to.equal('<img src=x onerror=alert(1)> =HYPERLINK("http://x")');
    const guesses = byId.get(ids.clarify.id)!.guesses;
    expect(guesses).to.have.length(3);
    expect(guesses[0]!.confidence).to.be.within(0, 1);
    expect(guesses[0]!.intent).to.equal(c.core.live.model.classify('itchy at night what helps')[0]!.intent);
    expect(guesses[0]!.confidence).to.be.at.least(guesses[1]!.confidence);
    expect(byId.get(ids.handoff.id)!.guesses).to.deep.equal([]);
  });

  it('filters by reason, intent, date and state, and pages with a cursor', async () => {
    expect((await inbox('?reason=did-you-mean')).items.map((i) => i.id)).to.deep.equal([ids.clarify.id]);
    expect((await inbox('?reason=not-helpful')).items.map((i) => i.id)).to.deep.equal([ids.notHelpful.id]);
    expect((await inbox('?intent=triggers')).items.map((i) => i.id)).to.deep.equal([ids.lowAnswer.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await inbox(`?from=${today}&to=${today}`)).items).to.have.length(7);
    expect((await inbox('?to=2020-01-01')).items).to.have.length(0);
    // "All" shows records written before the bot marked them open too; a positive vote is never an item.
    const all = (await inbox('?status=all')).items.map((i) => i.id);
    expect(all).to.include(ids.legacy.id);
    expect(all).not.to.include(ids.helpful.id);
    const first = await inbox('?limit=3');
    expect(first.items).to.have.length(3);
    expect(first.next).to.be.a('string');
    const second = await inbox(`?limit=3&cursor=${encodeURIComponent(first.next!)}`);
    expect(second.items.map((i) => i.id)).not.to.include.members(first.items.map((i) => i.id));
  });

  it('marks items dismissed, needing content (with a note) or open again, and logs each in the audit log', async () => {
    let res = await staff.post(`/admin/api/inbox/${ids.handoff.id}/dismiss`);
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { item: InboxItem }).item.status).to.equal('dismissed');
    res = await staff.post(`/admin/api/inbox/${ids.declined.id}/needs-content`, { note: 'tattoos: ask Dr Lee' });
    expect(((await res.json()) as { item: InboxItem }).item).to.deep.include({ status: 'needs-content' });
    expect((await inbox()).items.map((i) => i.id)).not.to.include.members([ids.handoff.id, ids.declined.id]);
    expect((await inbox('?status=dismissed')).items.map((i) => i.id)).to.deep.equal([ids.handoff.id]);
    res = await staff.post(`/admin/api/inbox/${ids.handoff.id}/reopen`);
    expect(((await res.json()) as { item: InboxItem }).item.status).to.equal('open');

    const audit = (await (await staff.get('/admin/api/audit')).json()) as { items: { who: string; action: string; target: string; detail: string | null }[] };
    expect(audit.items.slice(0, 3).map((a) => [a.who, a.action, a.target])).to.deep.equal([
      ['alice', 'reopened', ids.handoff.id],
      ['alice', 'needs-content', ids.declined.id],
      ['alice', 'dismissed', ids.handoff.id],
    ]);
    expect(audit.items[1]!.detail).to.equal('tattoos: ask Dr Lee');
  });

  it('lists content gaps and exports them as CSV, formulas neutralised', async () => {
    await staff.post(`/admin/api/inbox/${ids.xss.id}/needs-content`);
    const gaps = (await (await staff.get('/admin/api/content-gaps')).json()) as { items: InboxItem[] };
    expect(gaps.items.map((i) => i.id)).to.deep.equal([ids.xss.id, ids.declined.id]);
    const csv = await staff.get('/admin/api/content-gaps.csv');
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).to.match(/attachment; filename="content-gaps.csv"/);
    const text = await csv.text();
    expect(text.split('\n')[0]).to.equal('time,channel,reason,question (redacted),comment (redacted),note,marked by');
    expect(text).to.include('can I get a tattoo with eczema');
    expect(text).to.include('tattoos: ask Dr Lee');
    // A cell that starts with "=" would run as a formula in a spreadsheet.
    expect(text).not.to.match(/(^|,)"?=HYPERLINK/m);
  });

  it('exports records of a date range as CSV', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await staff.get(`/admin/api/export.csv?from=${today}&to=${today}&kinds=unanswered,feedback`);
    expect(res.status).to.equal(200);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).to.match(/^id,kind,time,channel,intent/);
    // Five unanswered (the one written before the console included) and two votes, under the header.
    expect(lines).to.have.length(1 + 7);
    expect((await staff.get(`/admin/api/export.csv?from=${today}&to=${today}&kinds=audit`)).status).to.equal(400);
  });

  it('shows every knowledge-base entry with its review date and sources, stale ones flagged', async () => {
    const body = (await (await staff.get('/admin/api/content')).json()) as { entries: { intent: string; reviewed: string; stale: boolean; monthsSince: number; sources: { title: string }[] }[] };
    expect(body.entries.length).to.equal(c.core.content.entries.size);
    const dupilumab = body.entries.find((e) => e.intent === 'dupilumab')!;
    expect(dupilumab.sources.length).to.be.greaterThan(0);
    for (const e of body.entries) expect(e.stale).to.equal(e.monthsSince >= 12);
    expect(monthsBetween('2025-03-15', '2026-03-14')).to.equal(11);
    expect(monthsBetween('2025-03-15', '2026-03-15')).to.equal(12);
  });
});

describe('staff console: usage figures', function () {
  this.timeout(60_000);
  let c: Console;
  let staff: Staff;

  before(async () => {
    c = await startConsole();
    await c.admin.accounts.add('alice', PASSWORD);
    c.admin.accountsChanged();
    staff = await signIn(c.url, 'alice');
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const q = (at: string, conversation: string, outcome: string, intent: string | null, channel = 'webchat') =>
      c.store.records.append('questions', { at, channel, conversation, outcome, intent, confidence: 0.9, escalation: 'none' });
    await q(day(0), 'a', 'answer', 'dupilumab');
    await q(day(0), 'a', 'answer', 'dupilumab');
    await q(day(0), 'b', 'clarify', null, 'msteams');
    await q(day(0), 'b', 'decline', null, 'msteams');
    await q(day(1), 'c', 'answer', 'triggers');
    await q(day(1), 'c', 'emergency', null);
    await q(day(40), 'd', 'answer', 'triggers');
    await c.store.records.append('escalations', { at: day(1), channel: 'webchat', intent: null, level: 'emergency', reason: 'x', text: 'y' });
    await c.store.records.append('escalations', { at: day(0), channel: 'webchat', intent: 'dupilumab', level: 'dermatologist', reason: 'x', text: 'y' });
    await c.store.records.append('feedback', { at: day(0), channel: 'webchat', intent: 'dupilumab', helpful: true });
    await c.store.records.append('feedback', { at: day(0), channel: 'webchat', intent: 'dupilumab', helpful: false });
    await c.store.records.append('handoffs', { at: day(1), channel: 'webchat', intent: 'talk-to-human' });
  });
  after(async () => {
    await c.close();
  });

  it('counts questions, conversations, outcomes, escalations, feedback, handoffs, intents and channels per day', async () => {
    const res = await staff.get('/admin/api/stats?days=7');
    expect(res.status).to.equal(200);
    const s = await res.json();
    expect(s.perDay).to.have.length(7);
    const today = s.perDay[6];
    expect(today).to.deep.include({ questions: 4, conversations: 2, helpful: 1, notHelpful: 1, handoffs: 0 });
    expect(today.outcomes).to.deep.equal({ answered: 2, 'did-you-mean': 1, declined: 1, 'red-flag': 0 });
    expect(s.perDay[5]).to.deep.include({ questions: 2, conversations: 1, handoffs: 1 });
    expect(s.perDay[5].outcomes['red-flag']).to.equal(1);
    expect(s.totals).to.deep.include({ questions: 6, conversations: 3, helpful: 1, notHelpful: 1, handoffs: 1 });
    expect(s.totals.escalations).to.deep.equal({ emergency: 1, dermatologist: 1 });
    expect(s.totals.unrecognisedRatio).to.be.closeTo(2 / 6, 1e-9);
    expect(s.topIntents[0]).to.deep.include({ intent: 'dupilumab', count: 2 });
    expect(s.topIntents[0].title).to.be.a('string').and.not.equal('dupilumab');
    expect(s.channels).to.deep.equal([{ channel: 'webchat', questions: 4 }, { channel: 'msteams', questions: 2 }]);
    // 40 days ago is outside 7 days and inside 90.
    expect((await (await staff.get('/admin/api/stats?days=90')).json()).totals.questions).to.equal(7);
  });
});
