import { CardFactory, type Attachment } from 'botbuilder';
import type { ClinicInfo, IntentLink, Reply } from '../core/answer.js';
import type { Choice } from './choices.js';

/**
 * Reply → what a channel shows. Adaptive Cards (1.5, the highest Teams renders) where the channel renders them,
 * numbered plain text elsewhere. Each rendering also returns the choices in order, so a typed "2" can be
 * routed like a pressed button.
 */
export interface Rendered {
  /** Messages in the order they are sent; an emergency message is always the first and only one. */
  messages: Array<{ text?: string; attachments?: Attachment[] }>;
  choices: Choice[];
}

interface Button {
  title: string;
  choice: Choice;
}

const CARD_VERSION = '1.5';

export function renderReply(reply: Reply, clinic: ClinicInfo, useCards: boolean): Rendered {
  switch (reply.kind) {
    case 'emergency':
      return { messages: [{ text: emergencyText(reply, clinic) }], choices: [] };
    case 'empty':
      return { messages: [{ text: 'Please type a question about eczema, for example "What is eczema?".' }], choices: [] };
    case 'too-long':
      return {
        messages: [{ text: 'Sorry, that message is too long for me to read. Could you ask your question in a sentence or two?' }],
        choices: [],
      };
    default:
      break;
  }

  const blocks: Block[] = [];
  const buttons: Button[] = [];
  const messages: Rendered['messages'] = [];

  if (reply.kind === 'urgent') messages.push({ text: urgentText(reply, clinic) });

  if (reply.entry) {
    blocks.push({ heading: reply.entry.title }, { text: reply.entry.answer });
  } else if (reply.kind === 'clarify') {
    blocks.push({ text: "I'm not sure I understood. Did you mean one of these?" });
    for (const s of reply.suggestions) buttons.push({ title: s.title, choice: { action: 'choose', intent: s.intent } });
    buttons.push({ title: 'None of these', choice: { action: 'none' } });
  } else if (reply.kind === 'decline') {
    blocks.push({ text: declineText(clinic) });
  }

  if (reply.escalation === 'dermatologist') {
    blocks.push({ heading: 'We recommend seeing a dermatologist' }, { text: `${reply.escalationReason} You can book a visit at ${clinic.bookingUrl} or call ${clinic.name} on ${clinic.phone}.` });
  }

  if (reply.kind === 'handoff') {
    blocks.push({ text: `Phone: ${clinic.phone}\nBook online: ${clinic.bookingUrl}` });
  }

  if (reply.sources.length > 0 && reply.entry) {
    blocks.push({ subheading: 'Sources' });
    for (const s of reply.sources) blocks.push({ small: sourceLine(s) });
    blocks.push({ small: `Last reviewed: ${reply.entry.reviewed}` });
  }

  const followUps = reply.followUps.slice(0, 3);
  const feedback = reply.entry?.kind === 'faq' && reply.intent ? reply.intent : undefined;
  for (const f of followUps) buttons.push({ title: f.title, choice: { action: 'ask', intent: f.intent } });
  if (feedback) {
    buttons.push({ title: 'Yes, this helped', choice: { action: 'feedback', intent: feedback, helpful: true } });
    buttons.push({ title: 'No, it did not help', choice: { action: 'feedback', intent: feedback, helpful: false } });
  }

  const links = reply.kind === 'decline' || reply.kind === 'handoff' || reply.escalation === 'dermatologist' ? [{ title: 'Book an appointment', url: clinic.bookingUrl }] : [];
  // An urgent warning with no answer behind it stands alone: an empty card would be an empty bubble (or refused).
  if (blocks.length > 0 || buttons.length > 0 || links.length > 0) {
    messages.push(useCards ? { attachments: [toCard(blocks, buttons, links, followUps.length > 0, Boolean(feedback))] } : { text: toText(blocks, buttons, links) });
  }
  return { messages, choices: buttons.map((b) => b.choice) };
}

export function renderWelcome(clinic: ClinicInfo, examples: IntentLink[], useCards: boolean): Rendered {
  const intro =
    `Hello! I'm the automated eczema information assistant of ${clinic.name}. I give general information about ` +
    'atopic dermatitis (eczema) from our clinic, with its sources. I am not a doctor, I cannot diagnose, and I am ' +
    `not for emergencies: if you have trouble breathing or swelling of your face or throat, call ${clinic.emergencyNumber} now.`;
  const blocks: Block[] = [{ text: intro }, { text: 'You can ask, for example:' }];
  const buttons = examples.map((e) => ({ title: e.title, choice: { action: 'ask', intent: e.intent } as Choice }));
  return {
    // "You can ask, for example:" already introduces the buttons; no "Related questions" heading here.
    messages: [useCards ? { attachments: [toCard(blocks, buttons, [], false, false)] } : { text: toText(blocks, buttons, []) }],
    choices: buttons.map((b) => b.choice),
  };
}

/** "Title. Citation", without doubling the title's own closing punctuation. */
export function sourceLine(source: { title: string; citation: string }): string {
  return `${/[.?!]$/.test(source.title) ? source.title : `${source.title}.`} ${source.citation}`;
}

function emergencyText(reply: Reply, clinic: ClinicInfo): string {
  return `EMERGENCY: call ${clinic.emergencyNumber} now, or go to the nearest emergency department. ${reply.escalationReason} Do not wait for an answer from this chat.`;
}

function urgentText(reply: Reply, clinic: ClinicInfo): string {
  return `Please get medical care today: call ${clinic.name} on ${clinic.phone} or see an urgent care service. ${reply.escalationReason} If it gets worse quickly, call ${clinic.emergencyNumber}.`;
}

function declineText(clinic: ClinicInfo): string {
  return (
    "Sorry, I can't answer that. I can only give general information about atopic dermatitis (eczema): what it is, " +
    'why it happens, what triggers it, and the treatments dermatologists use, from moisturizers to biologics and JAK ' +
    `inhibitors. For anything else, please contact ${clinic.name} on ${clinic.phone}.`
  );
}

type Block = { heading: string } | { subheading: string } | { text: string } | { small: string };

function toCard(blocks: Block[], buttons: Button[], links: Array<{ title: string; url: string }>, hasFollowUps: boolean, hasFeedback: boolean): Attachment {
  const body: Record<string, unknown>[] = blocks.map((b) => {
    if ('heading' in b) return { type: 'TextBlock', text: b.heading, weight: 'Bolder', size: 'Medium', wrap: true };
    if ('subheading' in b) return { type: 'TextBlock', text: b.subheading, weight: 'Bolder', spacing: 'Medium', wrap: true };
    if ('small' in b) return { type: 'TextBlock', text: b.small, size: 'Small', isSubtle: true, wrap: true, spacing: 'Small' };
    return { type: 'TextBlock', text: b.text, wrap: true };
  });
  const asks = buttons.filter((b) => b.choice.action !== 'feedback');
  const votes = buttons.filter((b) => b.choice.action === 'feedback');
  if (asks.length > 0) {
    if (hasFollowUps) body.push({ type: 'TextBlock', text: 'Related questions', weight: 'Bolder', spacing: 'Medium', wrap: true });
    body.push({ type: 'ActionSet', actions: asks.map(submit) });
  }
  if (hasFeedback && votes.length > 0) {
    body.push({ type: 'TextBlock', text: 'Was this helpful?', weight: 'Bolder', spacing: 'Medium', wrap: true });
    body.push({ type: 'ActionSet', actions: votes.map(submit) });
  }
  if (links.length > 0) body.push({ type: 'ActionSet', actions: links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url })) });
  return CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: CARD_VERSION, body });
}

function submit(button: Button): Record<string, unknown> {
  return { type: 'Action.Submit', title: button.title, data: button.choice };
}

function toText(blocks: Block[], buttons: Button[], links: Array<{ title: string; url: string }>): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if ('heading' in b) lines.push(...(lines.length > 0 ? [''] : []), b.heading.toUpperCase());
    else if ('subheading' in b) lines.push('', `${b.subheading}:`);
    else if ('small' in b) lines.push(`- ${b.small}`);
    else lines.push(b.text);
  }
  if (buttons.length > 0) {
    lines.push('', 'Reply with a number:');
    buttons.forEach((b, i) => lines.push(`${i + 1}. ${b.title}`));
  }
  for (const l of links) lines.push(`${l.title}: ${l.url}`);
  return lines.join('\n');
}
