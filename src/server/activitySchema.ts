import { z } from 'zod';
import { valueAt } from '../valueAt.js';

/**
 * The shape an incoming Bot Framework activity must have before botbuilder sees it. botbuilder trusts its input
 * (a body of `{}` throws outside its own error handling), so anything a channel would never send is refused here
 * with a 400 that says which field is wrong. Unknown fields pass through: channels add their own.
 */
/**
 * Ids travel back out: botbuilder writes `conversation.id` and the activity `id` into the reply URL
 * (/v3/conversations/{conversation.id}/activities/{id}), `conversation.id` also into the x-ms-conversation-id
 * header, and account ids into the Teams member URLs. A lone surrogate cannot be percent-encoded ("URI malformed"),
 * a control character or anything beyond ASCII cannot be a header value, so such an activity could never be
 * answered: it is refused here, naming the field, before any reply is attempted. No channel sends such ids.
 */
export const URL_ID_RULE = 'must be text without control characters or unpaired surrogates (it travels in the reply URL)';
export const INVOKE_VALUE_RULE = 'must be a JSON object in an invoke activity';
export const CARD_ACTION_RULE = 'must be a JSON object (the card action) in an adaptiveCard/action invoke';
export const HEADER_ID_RULE = 'must be printable ASCII (it travels in the reply URL and an HTTP header)';
// In a `u` regex a well-formed surrogate pair is one code point, so the class matches unpaired halves only.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSENDABLE_IN_URL = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;
const urlId = (max: number) => z.string().max(max).refine((id) => !UNSENDABLE_IN_URL.test(id), URL_ID_RULE);
const headerId = z.string().min(1).max(1024).regex(/^[\x20-\x7e]+$/, HEADER_ID_RULE);

const account = z.looseObject({ id: urlId(512), name: z.string().max(512).optional() });

// botbuilder strips the bot's @mention by reading `mentioned.id` of every entity whose type is "mention".
const entity = z
  .looseObject({ type: z.string(), mentioned: account.optional() })
  .refine((e) => e.type.toLowerCase() !== 'mention' || e.mentioned !== undefined, { path: ['mentioned'] });

export const incomingActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: urlId(512).optional(),
  replyToId: urlId(512).optional(),
  // botbuilder keys conversation state on channelId ("missing activity.channelId" mid-turn otherwise).
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  conversation: z.looseObject({ id: headerId, isGroup: z.boolean().optional(), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  // Every Bot Framework channel names the sender; the bot keys per-user things on it.
  from: account,
  // The bot's own account: botbuilder reads recipient.id to strip @mentions and sends replies from it.
  recipient: account,
  text: z.string().optional(),
  name: z.string().max(1024).optional(),
  value: z.unknown().optional(),
  locale: z.string().max(32).optional(),
  entities: z.array(entity).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
})
  // ...and then cuts that mention out of `text`, so a message that mentions the bot must have one.
  .refine((a) => a.text !== undefined || !a.entities?.some((e) => e.type.toLowerCase() === 'mention' && e.mentioned?.id === a.recipient.id), {
    path: ['text'],
  })
  // botbuilder's invoke handlers read fields of `value` (an adaptiveCard/action's value.action.type) without a check,
  // so a string there threw mid-turn (the patient got an apology, the channel a 501).
  .refine((a) => a.type !== 'invoke' || a.value === undefined || a.value === null || isObject(a.value), { path: ['value'], message: INVOKE_VALUE_RULE })
  .refine((a) => a.type !== 'invoke' || a.name !== 'adaptiveCard/action' || !isObject(a.value) || isObject(a.value.action), {
    path: ['value', 'action'],
    message: CARD_ACTION_RULE,
  });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rules whose own message says what is wrong better than "has the wrong type or format". */
const EXPLAINED = new Set([URL_ID_RULE, HEADER_ID_RULE, INVOKE_VALUE_RULE, CARD_ACTION_RULE]);

export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

/** Validate a parsed JSON body; on failure, a short message naming the first bad field. */
export function checkActivity(body: unknown): { ok: true; activity: IncomingActivity } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'the body must be a JSON object (a Bot Framework activity)' };
  }
  const result = incomingActivitySchema.safeParse(body);
  if (result.success) return { ok: true, activity: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(body)';
  // zod does not keep the input on an issue, so look the field up: absent means "required", whatever the rule.
  const missing = valueAt(body, issue.path) === undefined;
  const problem = missing ? 'is required' : EXPLAINED.has(issue.message) ? issue.message : 'has the wrong type or format';
  return { ok: false, error: `activity field "${field}" ${problem}` };
}
