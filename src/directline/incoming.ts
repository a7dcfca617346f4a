import { z } from 'zod';
import type { WireActivity } from './store.js';

/**
 * What a browser may post to our Direct Line. The server rebuilds the activity from these fields only:
 * identity (`from`), addressing and channel come from the token and the server, never from the client.
 */

export const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;

const clientActivitySchema = z.looseObject({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).regex(LOCALE).optional(),
  name: z.string().min(1).max(128).optional(),
  // A card button's data ({ action, intent, helpful }): a few flat fields. Anything bigger or nested is refused,
  // because the transcript keeps what clients post in memory, and a deep value broke every later poll.
  value: z
    .record(z.string().max(32), z.union([z.string().max(200), z.boolean(), z.number(), z.null()]))
    .refine((v) => Object.keys(v).length <= 8, 'has too many fields')
    .optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments (file uploads) are not accepted').optional(),
  channelData: z
    .looseObject({
      clientActivityID: z.string().max(128).optional(),
      clientTimestamp: z.string().max(64).optional(),
      postBack: z.boolean().optional(),
      messageBack: z.looseObject({ displayText: z.string().max(1000).optional() }).optional(),
    })
    .optional(),
});

export type ClientActivity = z.infer<typeof clientActivitySchema>;

export function parseClientActivity(body: unknown, maxTextChars: number): { ok: true; activity: ClientActivity } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'the body must be a JSON object (an activity)' };
  }
  const result = clientActivitySchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(body)';
    return { ok: false, error: `activity field "${field}": ${issue.message}` };
  }
  const activity = result.data;
  if (activity.text !== undefined && activity.text.length > maxTextChars) {
    return { ok: false, error: `the message is longer than ${maxTextChars} characters` };
  }
  if (activity.type === 'message' && !activity.text?.trim() && activity.value === undefined) {
    return { ok: false, error: 'a message needs text or a value' };
  }
  if (activity.type === 'event' && !activity.name) {
    return { ok: false, error: 'an event needs a name' };
  }
  return { ok: true, activity };
}

/** The activity the bot and the transcript see: client content, server identity. */
export function buildUserActivity(
  client: ClientActivity,
  where: { conversationId: string; userId: string; bot: { id: string; name: string }; serviceUrl: string },
): WireActivity {
  const channelData: Record<string, unknown> = {};
  // Web Chat matches its pending message to our echo through clientActivityID, and hides postBacks by this flag.
  const cd = client.channelData;
  if (cd?.clientActivityID !== undefined) channelData.clientActivityID = cd.clientActivityID;
  if (cd?.clientTimestamp !== undefined) channelData.clientTimestamp = cd.clientTimestamp;
  if (cd?.postBack !== undefined) channelData.postBack = cd.postBack;
  if (cd?.messageBack?.displayText !== undefined) channelData.messageBack = { displayText: cd.messageBack.displayText };

  const activity: WireActivity = {
    type: client.type,
    channelId: 'webchat',
    serviceUrl: where.serviceUrl,
    conversation: { id: where.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: where.userId, name: '', role: 'user' },
    recipient: { id: where.bot.id, name: where.bot.name, role: 'bot' },
  };
  if (client.text !== undefined) activity.text = client.text;
  if (client.textFormat !== undefined) activity.textFormat = client.textFormat;
  if (client.locale !== undefined) activity.locale = client.locale;
  if (client.value !== undefined) activity.value = client.value;
  if (client.type === 'event' && client.name !== undefined) activity.name = client.name;
  if (Object.keys(channelData).length > 0) activity.channelData = channelData;
  return activity;
}
