import { z } from 'zod';
import { intIn } from '../config.js';

/** Environment variables of the staff console; the composition root parses them with parseEnv like the others. */
export const adminConfigSchema = z.object({
  /** A signed-in session ends after this many minutes without a request. */
  STAFF_SESSION_IDLE_MINUTES: intIn(5, 24 * 60, 30),
  /** And after this many hours whatever happens (sign in again). */
  STAFF_SESSION_MAX_HOURS: intIn(1, 7 * 24, 12),
});

export type AdminConfig = z.infer<typeof adminConfigSchema>;
