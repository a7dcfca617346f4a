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
  // The reply is what follows the patient's own bubble for this text ("You said: …" to a screen reader), not simply
  // the next entries: an activity still on its way when the patient typed (a late reply, or a retried message's
  // bubble after a reconnect) can land in between, and must not be read as the answer.
  const own = await frame.waitForFunction(
    ({ from, sent }) => {
      const texts = Array.from(document.querySelectorAll('.webchat__basic-transcript__activity')).map((n) => (n as HTMLElement).innerText);
      // This text's bubble; else (markup the chat renders differently) the newest of the patient's bubbles.
      let mine = -1;
      let newest = -1;
      texts.forEach((t, i) => {
        if (i < from || !t.includes('You said')) return;
        newest = i;
        if (t.includes(sent)) mine = i;
      });
      if (mine < 0) mine = newest;
      return mine >= 0 && texts.slice(mine + 1).some((t) => !t.includes('You said')) ? mine : false;
    },
    { from: before, sent: text },
    WAIT,
  );
  const index = (await own.jsonValue()) as number;
  return (await transcript(frame))
    .slice(index + 1)
    .filter((t) => !t.includes('You said'))
    .join('\n');
}

export function chatFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/embed'));
  if (!frame) throw new Error('the chat iframe is not on the page');
  return frame;
}
