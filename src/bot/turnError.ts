import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../store/contract.js';
import { deliveryOutcome, type TurnLike } from './turn.js';

/** What the handler needs of a failed turn; either SDK's TurnContext fits it. */
export interface FailedTurn extends TurnLike {
  sendActivity(text: string): Promise<unknown>;
}

/**
 * Log the error with a reference, and tell the patient something went wrong — never a stack trace. When the store
 * is unreachable (the database is down) the bot cannot remember the conversation: the patient is asked to try
 * again shortly, and told where to turn in an emergency, since the bot cannot triage for the moment.
 */
export function turnErrorHandler(logger: Logger, emergencyNumber?: string) {
  return async (context: FailedTurn, error: Error): Promise<void> => {
    const ref = randomUUID().slice(0, 8);
    const unavailable = error instanceof StoreUnavailableError;
    if (unavailable) logger.warn({ ref, err: error.message, conversationId: context.activity.conversation?.id }, 'turn refused: store unavailable');
    else logger.error({ ref, err: { message: error.message, stack: error.stack }, conversationId: context.activity.conversation?.id }, 'turn failed');
    try {
      await context.sendActivity(
        unavailable
          ? `Sorry, I can't answer right now because of a short technical problem. Please try again in a few minutes.${emergencyNumber ? ` If this is an emergency, call ${emergencyNumber} now.` : ''}`
          : `Sorry, something went wrong on our side (reference ${ref}). Please try again, or contact the clinic.`,
      );
    } catch (sendError) {
      const outcome = deliveryOutcome(context);
      if (outcome) outcome.failed = true;
      logger.error({ ref, err: (sendError as Error).message }, 'could not send the apology');
    }
  };
}
