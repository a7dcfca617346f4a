import { escapeHtml, siteTop } from './pages.js';

/**
 * The privacy and terms pages (`/privacy`, `/terms`): what the assistant keeps, for how long, and what it is not.
 * Everything clinic-specific comes from configuration, so the Teams package's default privacy and terms URLs
 * (teams/package.ts) name pages that exist. Every configured value is escaped; no script, and the site's style
 * sheet (the demo page's).
 */

export const PRIVACY_PATH = '/privacy';
export const TERMS_PATH = '/terms';

export interface LegalFacts {
  clinicName: string;
  phone: string;
  email?: string;
  address?: string;
  emergencyNumber: string;
  /** RETENTION_DAYS: records and conversation state older than this are deleted (src/store/retention.ts). */
  retentionDays: number;
  /** DIRECT_LINE_CONVERSATION_IDLE_MINUTES: the built-in Direct Line drops an idle chat's messages after this. */
  chatIdleMinutes: number;
  /** DIRECT_LINE_SECRET set: the website's chat runs through Azure Direct Line, not the built-in one. */
  azureDirectLine: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function contactList(facts: LegalFacts): string {
  const items = [`<li>Phone: <a href="tel:${escapeHtml(facts.phone.replace(/[^+0-9]/g, ''))}">${escapeHtml(facts.phone)}</a></li>`];
  if (facts.email) items.push(`<li>Email: <a href="mailto:${escapeHtml(facts.email)}">${escapeHtml(facts.email)}</a></li>`);
  if (facts.address) items.push(`<li>Address: ${escapeHtml(facts.address)}</li>`);
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

function page(facts: LegalFacts, title: string, body: string): string {
  const name = escapeHtml(facts.clinicName);
  return `${siteTop(`${escapeHtml(title)} – ${name}`, name, `<a href="/">Home</a> <a href="${PRIVACY_PATH}">Privacy</a> <a href="${TERMS_PATH}">Terms of use</a>`)}
<h1>${escapeHtml(title)}</h1>
${body}
</main>
<footer class="site-footer"><p>${name} · eczema questions assistant</p></footer>
</body>
</html>
`;
}

export function renderPrivacyPage(facts: LegalFacts): string {
  const name = escapeHtml(facts.clinicName);
  const openChat = facts.azureDirectLine
    ? `<li>On the website, the chat window runs through Microsoft's Azure Bot Service, which holds the open chat under Microsoft's own terms.</li>`
    : `<li>On the website, the messages of an open chat are held only so the chat window can show them, and are dropped after ${plural(facts.chatIdleMinutes, 'minute')} without activity.</li>`;
  return page(
    facts,
    'Privacy',
    `<p>This page says what the eczema questions assistant of ${name} keeps when you use it, for how long, and who can see it.</p>
<h2>What is kept</h2>
<ul>
<li>For each reply: which topic the assistant answered, how sure it was, whether it advised a dermatologist or urgent care, the channel you used (the website or portal chat, or Microsoft Teams), the language your message was in, and a code that stands for the conversation. Not the words you typed.</li>
<li>The words of a question only when the assistant could not answer it, or when it advised urgent care or a doctor, so the clinic can improve its answers and check its safety rules. Names, email addresses, phone numbers, dates, street addresses and record numbers are removed before anything is saved.</li>
<li>Your feedback: whether an answer helped, and what you wrote about it, with the same details removed.</li>
<li>When clinic staff choose to teach the assistant a new way of asking, that wording (with the same details removed) becomes part of its training material.</li>
</ul>
<h2>What is not kept</h2>
<ul>
<li>Your name, your account or your patient record. The assistant does not ask who you are, and the website and the patient portal do not tell it.</li>
<li>The text of your messages in the system's logs.</li>
</ul>
<h2>How long</h2>
<ul>
<li>Everything listed above is deleted after ${plural(facts.retentionDays, 'day')}, except wordings staff taught the assistant.</li>
${openChat}
<li>In Microsoft Teams, your chat history stays in Teams as your organisation's Teams settings say.</li>
</ul>
<h2>Who can see it</h2>
<p>Staff of ${name} who sign in to the assistant's console, to improve its answers.</p>
<h2>Questions about your information</h2>
<p>Contact ${name}:</p>
${contactList(facts)}`,
  );
}

export function renderTermsPage(facts: LegalFacts): string {
  const name = escapeHtml(facts.clinicName);
  const emergency = escapeHtml(facts.emergencyNumber);
  return page(
    facts,
    'Terms of use',
    `<p>The eczema questions assistant of ${name} is an automated program. By using it you accept these terms.</p>
<h2>Not a diagnosis service</h2>
<p>The assistant gives general information about atopic dermatitis (eczema), taken from the clinic's approved material. It does not examine you, does not diagnose, and does not replace a visit to a doctor. Ask your doctor or the clinic before you start, stop or change a treatment.</p>
<h2>Not for emergencies</h2>
<p>In an emergency, such as trouble breathing or a swelling face or throat, call <a href="tel:${emergency}">${emergency}</a> now; do not wait for the assistant. If you are worried about your skin, call ${name} on <a href="tel:${escapeHtml(facts.phone.replace(/[^+0-9]/g, ''))}">${escapeHtml(facts.phone)}</a>.</p>
<h2>Using the assistant</h2>
<ul>
<li>You do not need to give your name or other personal details; please leave them out of your questions.</li>
<li>Answers can be incomplete or not fit your situation. The assistant may be unavailable at times.</li>
<li>The clinic may change the assistant and these terms. The <a href="${PRIVACY_PATH}">privacy page</a> says what is kept and for how long.</li>
</ul>
<h2>Contact</h2>
${contactList(facts)}`,
  );
}
