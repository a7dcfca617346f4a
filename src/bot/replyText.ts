import type { AlarmLevel } from '../core/alarm.js';
import type { ClinicInfo, Reply } from '../core/answer.js';
import type { SafetyCard } from '../core/types.js';
import { listed, type CoverageGap } from '../core/context/coverage.js';
import type { Choice } from './choices.js';

/**
 * What the bot says for a Reply, laid out once for every channel. No botbuilder here, so `npm run ask` prints
 * the very text a patient reads without loading the SDK; src/bot/cards.ts turns the same layout into Adaptive
 * Cards.
 */

export interface Button {
  title: string;
  choice: Choice;
}

/** A cited source: a link where it has a web address (cards), its address after it in plain text. */
export interface SourceRef {
  title: string;
  citation: string;
  url?: string;
}

export type Block = { heading: string } | { subheading: string } | { text: string } | { small: string } | { source: SourceRef };

export interface Link {
  title: string;
  url: string;
}

/** The part of a reply a card or a numbered text shows. */
export interface Body {
  blocks: Block[];
  buttons: Button[];
  links: Link[];
  /** Whether the ask buttons are an answer's follow-ups (headed "Related questions"), not did-you-mean choices. */
  hasFollowUps: boolean;
  /** Numbers to call from the reply: `tel:` buttons in cards, "Call …: number" lines in text. */
  calls?: Call[];
}

/** A phone number the patient can call from the reply (a `tel:` button in cards, the number in text). */
export interface Call {
  title: string;
  /** As configured, for people to read. */
  number: string;
}

/**
 * Urgent or emergency advice, first in every channel: its own card (coloured, with an icon and the word
 * "Urgent" or "Emergency" as text) with buttons that call and book where cards render, plain text elsewhere.
 */
export interface Alert {
  level: 'urgent' | 'emergency';
  /** "Urgent" or "Emergency", as text, so a screen reader says it first. */
  label: string;
  /** The advice, one paragraph, starting with what to do now (lower-case start: it follows "EMERGENCY:" in text). */
  lead: string;
  /** What a danger topic's safety card adds: the condition, its signs and what to do. */
  blocks: Block[];
  calls: Call[];
  booking?: Link;
}

export interface Layout {
  /** The urgent or emergency advice, always first. */
  alert?: Alert;
  /** Plain messages sent after the alert in every channel: a short notice. */
  texts: string[];
  /** Absent when nothing follows the texts. */
  body?: Body;
}

export function layoutReply(reply: Reply, clinic: ClinicInfo): Layout {
  switch (reply.kind) {
    case 'emergency':
      return { alert: emergencyAlert(reply, clinic), texts: [] };
    default:
      break;
  }
  // Another language: its approved sentence alone (an emergency in it was answered above, in that language).
  if (reply.language) return { texts: [reply.language.notice] };
  switch (reply.kind) {
    case 'empty':
      return { texts: ['Please type a question about eczema, for example "What is eczema?".'] };
    case 'too-long':
      return { texts: ['Sorry, that message is too long for me to read. Could you ask your question in a sentence or two?'] };
    case 'acknowledge':
      return reply.offerClinic ? { texts: [], body: clinicOffer(reply.message ?? '', clinic) } : { texts: [reply.message ?? ''] };
    default:
      break;
  }

  const blocks: Block[] = [];
  const buttons: Button[] = [];
  const texts: string[] = [];

  // A danger from an earlier turn that this reply carries on (core/context): the reminder in the alarm's words
  // first. Otherwise same-day advice (a red flag, an entry marked urgent, or a question about a danger topic) comes
  // first, as an alert; a danger topic's signs go with it: they are what the patient most needs.
  const carried = reply.trigger?.step === 'context' && (reply.escalation === 'urgent' || reply.escalation === 'emergency');
  if (carried) texts.push(reminderText(reply.escalation === 'emergency' ? 'emergency' : 'urgent', clinic));
  const alert = !carried && (reply.kind === 'urgent' || reply.escalation === 'urgent') ? urgentAlert(reply, clinic) : undefined;
  if (reply.safety && !alert) blocks.push(...safetyBlocks(reply.safety));

  // What the clinic's information does not cover comes under the title, before the answer, so the patient does not
  // read the answer as one to what they asked.
  if (reply.entry) {
    blocks.push({ heading: reply.entry.title });
    if (reply.coverage) blocks.push({ text: coverageText(reply.coverage, clinic) });
    blocks.push({ text: reply.entry.answer });
  } else if (reply.kind === 'clarify') {
    blocks.push({ text: "I'm not sure I understood. Did you mean one of these?" });
    for (const s of reply.suggestions) buttons.push({ title: s.title, choice: { action: 'choose', intent: s.intent } });
    buttons.push({ title: 'None of these', choice: { action: 'none' } });
  } else if (reply.kind === 'decline') {
    blocks.push({ text: declineText(clinic) }, { text: safetyNetText(clinic) });
  }

  if (reply.escalation === 'dermatologist') {
    blocks.push(
      { heading: 'We recommend seeing a dermatologist' },
      { text: `${reply.escalationReason} You can book a visit at ${clinic.bookingUrl} or call ${clinic.name} on ${clinic.phone}.` },
    );
    // A declined answer already carries the safety net; a dermatologist answer gets it here.
    if (reply.kind !== 'decline') blocks.push({ text: safetyNetText(clinic) });
  }

  if (reply.kind === 'handoff') {
    blocks.push({ text: `Phone: ${clinic.phone}\nBook online: ${clinic.bookingUrl}` });
  }

  const cited = [...reply.sources, ...(reply.safety?.sources ?? []).filter((s) => !reply.sources.some((r) => r.id === s.id))];
  if (cited.length > 0 && (reply.entry || reply.safety)) {
    blocks.push({ subheading: 'Sources' });
    for (const s of cited) blocks.push({ source: { title: s.title, citation: s.citation, ...(s.url ? { url: s.url } : {}) } });
    if (reply.entry) blocks.push({ small: `Last reviewed: ${reply.entry.reviewed}` });
    if (reply.safety) blocks.push({ small: `Safety advice last reviewed: ${reply.safety.reviewed}` });
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
  const withAlert = alert ? { alert } : {};
  if (blocks.length === 0 && buttons.length === 0 && links.length === 0) return { ...withAlert, texts };
  return { ...withAlert, texts, body: { blocks, buttons, links, hasFollowUps: followUps.length > 0 } };
}

/** A short message with the clinic to call and book, as the escalation replies offer it. */
function clinicOffer(message: string, clinic: ClinicInfo): Body {
  return {
    blocks: [{ text: message }],
    buttons: [],
    calls: [{ title: `Call ${clinic.name}`, number: clinic.phone }],
    links: clinic.bookingUrl ? [{ title: 'Book a visit', url: clinic.bookingUrl }] : [],
    hasFollowUps: false,
  };
}

/** The messages a plain-text channel (the terminal chat) sends for this reply, in order. */
export function replyTexts(reply: Reply, clinic: ClinicInfo): string[] {
  const { alert, texts, body } = layoutReply(reply, clinic);
  return [...(alert ? [alertText(alert)] : []), ...texts, ...(body ? [toText(body)] : [])];
}

/** An alert as plain text: "EMERGENCY: call 911 now, …", the safety card, then the numbers and the booking page. */
export function alertText(alert: Alert): string {
  const lines = [`${alert.label.toUpperCase()}: ${alert.lead}`];
  if (alert.blocks.length > 0) lines.push('', toText({ blocks: alert.blocks, buttons: [], links: [] }));
  if (alert.level === 'urgent') {
    lines.push('', ...alert.calls.map((c) => `${c.title}: ${c.number}`));
    if (alert.booking) lines.push(`${alert.booking.title}: ${alert.booking.url}`);
  }
  return lines.join('\n');
}

function emergencyAlert(reply: Reply, clinic: ClinicInfo): Alert {
  const other = reply.language?.emergency;
  if (other) return { level: 'emergency', label: other.label, lead: other.advice, blocks: [], calls: [{ title: other.call, number: clinic.emergencyNumber }] };
  return {
    level: 'emergency',
    label: 'Emergency',
    lead: `call ${clinic.emergencyNumber} now, or go to the nearest emergency department. ${reply.escalationReason} Do not wait for an answer from this chat.`,
    blocks: [],
    calls: [{ title: `Call ${clinic.emergencyNumber}`, number: clinic.emergencyNumber }],
  };
}

function urgentAlert(reply: Reply, clinic: ClinicInfo): Alert {
  // A danger topic asked about (no red flag now): its card's own action ("If you notice …, call … today") is the
  // advice, and the card's signs follow it.
  const topicOnly = reply.safety !== undefined && reply.redFlag === undefined && reply.trigger?.step === 'danger-topic';
  const lead =
    topicOnly && reply.safety
      ? lowerFirst(reply.safety.action)
      : `please get medical care today: call ${clinic.name} on ${clinic.phone} or see an urgent care service. ${reply.escalationReason} If it gets worse quickly, call ${clinic.emergencyNumber}.`;
  return {
    level: 'urgent',
    label: 'Urgent',
    lead,
    blocks: reply.safety ? safetyBlocks(reply.safety, topicOnly) : [],
    calls: [
      { title: `Call ${clinic.name}`, number: clinic.phone },
      { title: `Call ${clinic.emergencyNumber}`, number: clinic.emergencyNumber },
    ],
    ...(clinic.bookingUrl ? { booking: { title: 'Book a visit', url: clinic.bookingUrl } } : {}),
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "The clinic's information on dupilumab (Dupixent) doesn't cover eye problems. It covers what it is, ..." */
export function coverageText(gap: CoverageGap, clinic: ClinicInfo): string {
  const missing = listed(gap.missing);
  const covered = gap.covered.length > 0 ? ` It covers ${listed(gap.covered)}, below.` : '';
  return `The clinic's information on ${gap.topic} doesn't cover ${missing}.${covered} For ${missing}, please ask ${clinic.name} on ${clinic.phone} or book a visit at ${clinic.bookingUrl}.`;
}

/**
 * A danger topic's card: what it is, the signs as a list, and what to do (its clinic details already filled in).
 * Without the action when the alert's lead already says it.
 */
function safetyBlocks(card: SafetyCard, actionInLead = false): Block[] {
  return [
    { heading: card.title },
    { text: card.reason },
    { text: card.signs.map((sign) => `- ${sign}`).join('\n') },
    ...(actionInLead ? [] : [{ text: card.action }]),
    ...(card.note ? [{ text: card.note }] : []),
  ];
}

/** "Title." without doubling the title's own closing punctuation. */
export function sourceTitle(source: SourceRef): string {
  return /[.?!]$/.test(source.title) ? source.title : `${source.title}.`;
}

/** "Title. Citation" */
export function sourceLine(source: SourceRef): string {
  return `${sourceTitle(source)} ${source.citation}`;
}

function declineText(clinic: ClinicInfo): string {
  return (
    "Sorry, I can't answer that. I can only give general information about atopic dermatitis (eczema): what it is, " +
    'why it happens, what triggers it, and the treatments dermatologists use, from moisturizers to biologics and JAK ' +
    `inhibitors. For anything else, please contact ${clinic.name} on ${clinic.phone}.`
  );
}

/** Sent before any reply that follows a red flag without repeating it (see core/alarm.ts). */
export function reminderText(level: AlarmLevel, clinic: ClinicInfo): string {
  return level === 'emergency'
    ? `Earlier you described something that may be an emergency. If it is still happening, or you are not sure, call ${clinic.emergencyNumber} now or go to the nearest emergency department. Do not wait for an answer from this chat.`
    : `Earlier you described something that needs medical care today. If you have not done so yet, call ${clinic.name} on ${clinic.phone} or see an urgent care service. If it gets worse quickly, call ${clinic.emergencyNumber}.`;
}

/**
 * When the bot could not answer, or sends the patient to a dermatologist, it may have missed a red flag phrased
 * in a way triage does not know (or in another language): say plainly when not to wait.
 */
function safetyNetText(clinic: ClinicInfo): string {
  return (
    `If you have trouble breathing, swelling of your face, lips or throat, chest pain, or you faint, call ${clinic.emergencyNumber} now. ` +
    `If your eczema suddenly becomes painful, blistered or oozing, or you have a fever, contact ${clinic.name} today.`
  );
}

/** Numbered plain text: headings in capitals, choices as "1. …" so a typed number can stand for a button. */
export function toText({ blocks, buttons, links, calls = [] }: Pick<Body, 'blocks' | 'buttons' | 'links' | 'calls'>): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if ('heading' in b) lines.push(...(lines.length > 0 ? [''] : []), b.heading.toUpperCase());
    else if ('subheading' in b) lines.push('', `${b.subheading}:`);
    else if ('small' in b) lines.push(`- ${b.small}`);
    else if ('source' in b) lines.push(`- ${sourceLine(b.source)}${b.source.url ? ` ${b.source.url}` : ''}`);
    else lines.push(b.text);
  }
  if (buttons.length > 0) {
    lines.push('', 'Reply with a number:');
    buttons.forEach((b, i) => lines.push(`${i + 1}. ${b.title}`));
  }
  if (calls.length > 0 && lines.length > 0) lines.push('');
  for (const c of calls) lines.push(`${c.title}: ${c.number}`);
  for (const l of links) lines.push(`${l.title}: ${l.url}`);
  return lines.join('\n');
}
