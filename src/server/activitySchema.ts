import { z } from 'zod';

/**
 * The shape an incoming Bot Framework activity must have before botbuilder sees it. botbuilder trusts its input
 * (a body of `{}` throws outside its own error handling), so anything a channel would never send is refused here
 * with a 400 that says which field is wrong. Unknown fields pass through: channels add their own.
 */
const account = z.looseObject({ id: z.string().max(512), name: z.string().max(512).optional() });

export const incomingActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64).optional(),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  conversation: z.looseObject({ id: z.string().min(1).max(1024), isGroup: z.boolean().optional(), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  // Every Bot Framework channel names the sender; the bot keys per-user things on it.
  from: account,
  recipient: account.optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  locale: z.string().max(32).optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
  membersAdded: z.array(account).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
});

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
  // zod does not keep the input on an issue; its message says "received undefined" when the field is absent.
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const problem = missing ? 'is required' : 'has the wrong type or format';
  return { ok: false, error: `activity field "${field}" ${problem}` };
}
