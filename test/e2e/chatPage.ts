import type { Frame, FrameLocator, Page } from 'playwright-core';

/** What a patient does in the chat, and what the tests read back from it (shared by the browser tests). */

export const WAIT = { timeout: 20_000 };

/** Sends a message the way a patient does: type in Web Chat's box, press Enter. */
export async function say(chat: FrameLocator | Page, text: string): Promise<void> {
  const input = chat.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

/** Text of every transcript entry (the patient's and the bot's), in order. */
export function transcript(frame: Frame | Page): Promise<string[]> {
  return frame.locator('.webchat__basic-transcript__activity').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).innerText));
}

export async function waitForActivities(frame: Frame | Page, atLeast: number): Promise<void> {
  await frame.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n, atLeast, WAIT);
}

/** Web Chat shows "Connecting…" until its first poll; screenshots wait for it to settle. */
export async function settled(frame: Frame | Page): Promise<void> {
  await frame.waitForFunction(() => !(document.querySelector('.webchat__connectivityStatus')?.textContent ?? '').includes('Connecting'), undefined, WAIT);
}

/** Asks a question and returns the text of the bot's reply (everything after the patient's own bubble). */
export async function ask(chat: FrameLocator | Page, frame: Frame | Page, text: string): Promise<string> {
  const before = (await transcript(frame)).length;
  await say(chat, text);
  // The reply is what follows the patient's own bubble ("You said: …" to a screen reader), not simply the next
  // entries: an activity still on its way when the patient typed (a late reply after a reconnect, say) can land
  // before that bubble, and must not be read as the answer.
  const own = await frame.waitForFunction(
    (from) => {
      const nodes = Array.from(document.querySelectorAll('.webchat__basic-transcript__activity')).slice(from);
      const mine = nodes.findIndex((n) => (n as HTMLElement).innerText.includes('You said'));
      return mine >= 0 && nodes.length > mine + 1 ? from + mine : false;
    },
    before,
    WAIT,
  );
  const index = (await own.jsonValue()) as number;
  return (await transcript(frame)).slice(index + 1).join('\n');
}

export function chatFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/embed'));
  if (!frame) throw new Error('the chat iframe is not on the page');
  return frame;
}
