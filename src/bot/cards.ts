import type { ClinicInfo, IntentLink, Reply } from '../core/answer.js';
import type { Choice } from './choices.js';
import type { CardAttachment, OutgoingMessage } from './turn.js';
import { alertText, layoutReply, sourceLine, sourceTitle, toText, type Alert, type Block, type Body, type Button, type Call, type SourceRef } from './replyText.js';

/**
 * Reply → what a channel shows. Adaptive Cards (1.5, the highest Teams renders) where the channel renders them,
 * numbered plain text elsewhere. Each rendering also returns the choices in order, so a typed "2" can be
 * routed like a pressed button.
 */
export interface Rendered {
  /** Messages in the order they are sent; an emergency message is always the first and only one. */
  messages: OutgoingMessage[];
  choices: Choice[];
}

const CARD_VERSION = '1.5';

export function renderReply(reply: Reply, clinic: ClinicInfo, useCards: boolean): Rendered {
  const { alert, texts, body } = layoutReply(reply, clinic);
  const messages: Rendered['messages'] = [];
  // The alert's plain text rides along as the summary (Teams shows it in notifications and the chat list).
  if (alert) messages.push(useCards ? { attachments: [toAlertCard(alert)], summary: alertText(alert) } : { text: alertText(alert) });
  messages.push(...texts.map((text) => ({ text })));
  if (body) messages.push(useCards ? { attachments: [toCard(body)] } : { text: toText(body) });
  return { messages, choices: body ? body.buttons.map((b) => b.choice) : [] };
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
    messages: [useCards ? { attachments: [toCard({ blocks, buttons, links: [], hasFollowUps: false })] } : { text: toText({ blocks, buttons, links: [] }) }],
    choices: buttons.map((b) => b.choice),
  };
}

/**
 * Urgent or emergency advice as its own card: a coloured container (Adaptive Cards' "attention" style for an
 * emergency, "warning" for urgent: dark text on a light red or amber in Web Chat, Teams' own colours there), a
 * warning sign and the word "Emergency" or "Urgent" as its heading text, the advice, then buttons that call
 * (`tel:`) and book. The icon is a text character, so it has the text's contrast and needs no image.
 */
function toAlertCard(alert: Alert): CardAttachment {
  const actions = [
    ...alert.calls.map(callAction),
    ...(alert.booking ? [{ type: 'Action.OpenUrl', title: alert.booking.title, url: alert.booking.url }] : []),
  ];
  const lead = alert.lead.charAt(0).toUpperCase() + alert.lead.slice(1);
  return adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    speak: `${alert.label}. ${spoken([{ text: lead }, ...alert.blocks], false)}`,
    fallbackText: alertText(alert),
    body: [
      {
        type: 'Container',
        style: alert.level === 'emergency' ? 'attention' : 'warning',
        bleed: true,
        items: [
          { type: 'TextBlock', text: `\u26A0 ${alert.label}`, style: 'heading', weight: 'Bolder', size: 'Large', wrap: true },
          { type: 'TextBlock', text: lead, weight: 'Bolder', wrap: true },
          ...blockElements(alert.blocks),
          { type: 'ActionSet', actions },
        ],
      },
    ],
  });
}

/** A button that calls: its title names the number, so it can be read (and dialled by hand) too. */
function callAction(call: Call): Record<string, unknown> {
  return { type: 'Action.OpenUrl', title: call.title.includes(call.number) ? call.title : `${call.title} (${call.number})`, url: telUrl(call.number) };
}

/** `tel:` wants the digits (and a leading +) only: "+1 555 010 0199" becomes tel:+15550100199. */
export function telUrl(number: string): string {
  return `tel:${number.replace(/[^0-9+]/g, '')}`;
}

function blockElements(blocks: readonly Block[]): Record<string, unknown>[] {
  // style "heading" makes the renderer give titles a heading role, so a screen reader can jump between them.
  return blocks.map((b) => {
    if ('heading' in b) return { type: 'TextBlock', text: b.heading, style: 'heading', weight: 'Bolder', size: 'Medium', wrap: true };
    if ('subheading' in b) return { type: 'TextBlock', text: b.subheading, style: 'heading', weight: 'Bolder', spacing: 'Medium', wrap: true };
    if ('small' in b) return { type: 'TextBlock', text: b.small, size: 'Small', isSubtle: true, wrap: true, spacing: 'Small' };
    if ('source' in b) return { type: 'TextBlock', text: sourceMarkdown(b.source), size: 'Small', isSubtle: true, wrap: true, spacing: 'Small' };
    return { type: 'TextBlock', text: b.text, wrap: true };
  });
}

/** A source's title as a Markdown link to it when it has a web address (Web Chat and Teams render the link). */
function sourceMarkdown(source: SourceRef): string {
  if (!source.url) return sourceLine(source);
  const title = sourceTitle(source).replace(/[[\]\\]/g, (c) => `\\${c}`);
  return `[${title}](${source.url.replace(/[()\s]/g, encodeURIComponent)}) ${source.citation}`;
}

function toCard({ blocks, buttons, links, hasFollowUps, calls = [] }: Body): CardAttachment {
  const body = blockElements(blocks);
  const asks = buttons.filter((b) => b.choice.action !== 'feedback');
  const votes = buttons.filter((b) => b.choice.action === 'feedback');
  if (asks.length > 0) {
    if (hasFollowUps) body.push({ type: 'TextBlock', text: 'Related questions', style: 'heading', weight: 'Bolder', spacing: 'Medium', wrap: true });
    body.push({ type: 'ActionSet', actions: asks.map(submit) });
  }
  if (votes.length > 0) {
    body.push({ type: 'TextBlock', text: 'Was this helpful?', style: 'heading', weight: 'Bolder', spacing: 'Medium', wrap: true });
    body.push({ type: 'ActionSet', actions: votes.map(submit) });
  }
  const opens = [...calls.map(callAction), ...links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url }))];
  if (opens.length > 0) body.push({ type: 'ActionSet', actions: opens });
  return adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    // What Web Chat's screen-reader live region announces for a card (with its buttons): without it a patient who
    // cannot see the screen heard "Bot said: A card" and the button titles, never the answer itself.
    speak: spoken(blocks, votesFollow(buttons)),
    body,
  });
}

function votesFollow(buttons: readonly Button[]): boolean {
  return buttons.some((b) => b.choice.action === 'feedback');
}

/** The card's text as one would read it aloud: Markdown marks dropped, and the vote's question at the end. */
function spoken(blocks: readonly Block[], askHelpful: boolean): string {
  const lines = blocks.map((b) =>
    'heading' in b ? `${b.heading}.` : 'subheading' in b ? `${b.subheading}:` : 'small' in b ? b.small : 'source' in b ? sourceLine(b.source) : b.text,
  );
  if (askHelpful) lines.push('Was this helpful?');
  return lines
    .join('\n')
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*[-*]\s+/gm, '');
}

function submit(button: Button): Record<string, unknown> {
  return { type: 'Action.Submit', title: button.title, data: button.choice };
}

/** An Adaptive Card as a message attachment (what either SDK's CardFactory.adaptiveCard builds). */
function adaptiveCard(content: Record<string, unknown>): CardAttachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content };
}
