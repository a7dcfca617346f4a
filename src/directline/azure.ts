import { randomId } from './tokens.js';

/**
 * Azure Bot Service mode: the server trades the Direct Line secret for a short-lived token bound to one new
 * conversation, so the secret never reaches a browser. `fetch` is injected so tests never touch the network.
 */

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

export interface AzureToken {
  token: string;
  conversationId: string;
  expiresIn: number;
}

export class AzureDirectLineError extends Error {
  constructor(message: string, readonly upstreamStatus?: number) {
    super(message);
    this.name = 'AzureDirectLineError';
  }
}

const TIMEOUT_MS = 10_000;

export async function generateAzureToken(options: { endpoint: string; secret: string; fetch: FetchLike }): Promise<AzureToken> {
  // The `dl_` prefix is what Azure expects for user ids chosen by a token server; the id is random, not the patient.
  const userId = `dl_${randomId(12)}`;
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await options.fetch(`${options.endpoint}/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new AzureDirectLineError(`Direct Line token request failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new AzureDirectLineError(`Direct Line answered ${response.status}`, response.status);
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const token = body?.token;
  const conversationId = body?.conversationId;
  const expiresIn = body?.expires_in;
  if (typeof token !== 'string' || typeof conversationId !== 'string') {
    throw new AzureDirectLineError('Direct Line answered without a token');
  }
  return { token, conversationId, expiresIn: typeof expiresIn === 'number' ? expiresIn : 3600 };
}
