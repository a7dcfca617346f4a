/**
 * What the bot answers to an invoke it has no handler for, the same on both SDKs. The bot implements no invoke
 * (its cards use Action.Submit, which Teams sends as a message with a value), and the Bot Framework activity
 * protocol says a receiver must ignore invoke names it does not understand: 200 with no body (501, which both
 * SDKs answer by default, shows "Unable to reach app" in Teams). An invoke the protocol defines whose value is
 * malformed is 400, as botbuilder's ActivityHandler answers it, so either SDK gives a Teams client the same answer.
 */
export interface InvokeAnswer {
  status: number;
  body?: unknown;
}

function badRequest(code: string, message: string): InvokeAnswer {
  return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

export function answerUnhandledInvoke(name: string | undefined, value: unknown, channelId: string | undefined): InvokeAnswer {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  if (name === 'adaptiveCard/action') {
    if (!v) return badRequest('BadRequest', 'Missing value property');
    const action = typeof v.action === 'object' && v.action !== null ? (v.action as Record<string, unknown>) : {};
    if (action.type !== 'Action.Execute') return badRequest('NotSupported', `The action '${String(action.type)}' is not supported.`);
  }
  if (name === 'application/search') {
    if (!v) return badRequest('BadRequest', 'Missing value property for search');
    if (!v.kind && channelId !== 'msteams') return badRequest('BadRequest', 'Missing kind property for search.');
    if (!v.queryText) return badRequest('BadRequest', 'Missing queryText for search.');
  }
  return { status: 200 };
}
