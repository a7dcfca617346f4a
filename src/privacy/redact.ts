/**
 * Replaces the personal details a patient may type with typed placeholders before anything is stored:
 * [NAME], [EMAIL], [PHONE], [DATE], [ADDRESS], [ID], [URL]. The question itself must survive (ages such as
 * "15-month-old", doses, "IL-13", drug names), because the clinic reads these records to improve the FAQ.
 *
 * It is pattern-based and errs on the side of removing: a number that could be an ID is removed. What it
 * cannot catch (a name typed with no cue, "Jane has eczema") is listed in docs/SAFETY.md.
 */

type Step = readonly [RegExp, string | ((match: string, ...groups: string[]) => string)];

const MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December|' +
  'Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec';
const DAY = String.raw`(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?:19|20)\d{2}`;

// A name: capitalised words (O'Brien, Mary-Jane, José, Siobhán), up to three of them. Letters are Unicode
// classes (the patterns using them carry the `u` flag): "José Álvarez" with ASCII classes kept "é Álvarez".
const NAME_WORD = String.raw`(?:\p{Lu}['\u2019])?\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}?\p{Ll}+)?`;
const NAME = String.raw`${NAME_WORD}(?:\s+${NAME_WORD}){0,2}`;
// After "I'm" / "this is", a capitalised word is a name only if what follows looks like the end of an
// introduction ("Hi, I'm Sarah, my son…", "this is Tom from…"), so "I'm Worried about" stays.
const INTRO_END = String.raw`(?=['\u2019]s\b|\s*(?:[,.!?;:()]|$|\s(?:and|from|here|mum|mom|dad|mother|father|the)\b))`;
// Words patients capitalise at the start of a clause that are never names.
const NOT_NAMES = new Set(
  ('Not So Very Really Just Still Also Now Here There Sorry Worried Concerned Pregnant Breastfeeding Allergic ' +
    'Using Taking Trying Looking Wondering Asking Writing Going Getting Having Currently Back Fine Okay Ok Good ' +
    'Better Worse Eczema Dermatitis Itchy The A An My Your Our His Her Their This That It Is Thanks Thank Hi Hello ' +
    'Hey Dear Yes No Doctor Dr Nurse Mum Mom Dad Mother Father Son Daughter Baby Please Help Regards Best Kind ' +
    'Cheers Sincerely Love Morning Afternoon Evening Team Clinic Monday Tuesday Wednesday Thursday Friday ' +
    'Saturday Sunday ' +
    // Medicines and brands patients name with a capital ("This is Dupixent.", "Dr. Google" is rarer).
    'Dupixent Dupilumab Adbry Adtralza Ebglyss Nemluvio Rinvoq Cibinqo Olumiant Protopic Elidel Opzelura Eucrisa ' +
    'Zoryve Vtama Eucerin Aveeno Cerave CeraVe Cetaphil Vaseline Aquaphor Benadryl Zyrtec Claritin Hydrocortisone ' +
    'Cortizone Google').split(' '),
);

const SIGN_OFF = String.raw`(?:(?:(?:[Bb]est|[Kk]ind|[Ww]arm)\s+)?(?:[Rr]egards|[Ww]ishes)|(?:[Tt]hanks|[Tt]hank\s+you)(?:\s+(?:so|very)\s+much)?|[Cc]heers|[Ss]incerely|[Ff]aithfully|[Rr]espectfully|[Tt]ake\s+care|[Yy]ours(?:\s+truly|\s+sincerely|\s+faithfully)?|[Bb]est(?=\s*[,\n])|[Ll]ove(?=\s*[,\n]))`;
// What follows "thanks" at the end of a message without being a name.
const NOT_SIGNATURES = /^(?:so|again|a|for|very|in|you|all|lot|lots|much|everyone|everybody|team|doc|doctor|guys|folks|mate|heaps|tons|loads|kindly|anyway|though|bot|both|bye|goodbye|ok|okay|x+|xoxo|it|that|this)$/i;

function keepUnlessName(prefix: string, name: string, suffix = ''): string {
  const first = name.split(/\s+/)[0];
  return NOT_NAMES.has(first) ? `${prefix}${name}${suffix}` : `${prefix}[NAME]${suffix}`;
}

const STEPS: readonly Step[] = [
  // A link with a query string or credentials can carry anything (tokens, names, record numbers).
  [/\b(?:https?:\/\/|www\.)[^\s<>"']*(?:\?|#|@)[^\s<>"']*/gi, '[URL]'],
  [/(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, '[EMAIL]'],

  // Record numbers named as such: keep the label, so the clinic sees a number was given.
  [
    new RegExp(
      String.raw`\b((?:MRN|medical record|hospital|chart|patient|NHS|insurance|member(?:ship)?|policy|group|subscriber|` +
        String.raw`account|case|claim|reference|ref|social security|SSN|ID)\b(?:\s+(?:id|number|no\.?|num|#))?` +
        String.raw`\s*(?:is|was|:|#|=)?\s*)([A-Za-z]{0,4}[-\s]?\d(?:[\dA-Za-z-]|\s(?=\d)){3,})`,
      'gi',
    ),
    (_m, label: string) => `${label}[ID]`,
  ],

  // Dates, written and numeric. A year alone stays (ages matter; a year does not identify).
  [new RegExp(String.raw`\b${DAY}(?:\s+of)?\s+(?:${MONTHS})\.?(?:,?\s+${YEAR})?\b`, 'g'), '[DATE]'],
  [new RegExp(String.raw`\b(?:${MONTHS})\.?\s+${DAY}(?:,?\s+${YEAR})?\b`, 'g'), '[DATE]'],
  [new RegExp(String.raw`\b(?:${MONTHS})\.?,?\s+${YEAR}\b`, 'g'), '[DATE]'],
  [/\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b/g, '[DATE]'],
  [/\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b/g, '[DATE]'],

  // Phone numbers: +44 20 7946 0958, (555) 123-4567, 555.123.4567, 07700 900123. Seven to fifteen digits in
  // groups; plain counts ("2 or 3 times") never form such groups.
  [
    /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,6}(?:[\s.-]\d{2,8}){1,4}(?![\w])/g,
    (m: string) => {
      const digits = m.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15 ? '[PHONE]' : m;
    },
  ],

  // Street addresses and flat numbers; postcodes and ZIP codes with a state.
  [
    /\b\d{1,5}[A-Za-z]?\s+(?:[A-Za-z][a-z]+\s+){1,3}(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|terrace|crescent|parkway|pkwy|highway|hwy)\b/gi,
    '[ADDRESS]',
  ],
  [/\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Way|Close|Place|Court|Square|Dr|Gardens|Grove|Row|Mews)\b/g, '[ADDRESS]'],
  [/\b(?:apt|apartment|flat|unit|suite|ste|room)\.?\s*#?\s*\d+[A-Za-z]?\b/gi, '[ADDRESS]'],
  [/\b(?:P\.?\s?O\.?\s+Box)\s+\d+\b/gi, '[ADDRESS]'],
  [/\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/g, '[ADDRESS]'],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/g, '[ADDRESS]'],

  // Any other long run of digits, or a code mixing letters with five or more digits, is taken for an ID.
  [/\b\d{6,}\b/g, '[ID]'],
  [/\b(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d){4})[A-Za-z\d-]{6,}\b/g, '[ID]'],

  // Names after a cue. Case matters: "my name is jane and my son" must stop at "jane".
  [
    new RegExp(String.raw`\b((?:[Mm]y\s+name\s+is|[Mm]y\s+name's|[Nn]ame:)\s+)(\p{L}[\p{L}'-]*(?:\s+(?:${NAME_WORD}|\p{Lu}{2,})){0,2})`, 'gu'),
    (_m, cue: string) => `${cue}[NAME]`,
  ],
  [new RegExp(String.raw`\b((?:[Cc]all\s+me|I\s+am\s+called|I\s+go\s+by)\s+)(${NAME})`, 'gu'), (_m, cue: string, n: string) => keepUnlessName(cue, n)],
  [new RegExp(String.raw`\b((?:Dr|Doctor|Prof|Mr|Mrs|Ms|Miss|Mx|Nurse)\.?\s+)(${NAME})`, 'gu'), (_m, t: string, n: string) => keepUnlessName(t, n)],
  // Introductions only where a message or sentence starts, or after a greeting: "Hi, I'm Sarah, ...".
  [
    new RegExp(String.raw`((?:^|[.!?\n]\s*|(?:Hi|Hello|Hey|Dear\s+\w+|Good\s+\w+)[,!]?\s+)(?:[Ii]'m|I\s+am|[Tt]his\s+is|[Ii]t's)\s+)(${NAME})${INTRO_END}`, 'gu'),
    (_m, cue: string, n: string) => keepUnlessName(cue, n),
  ],
  [
    new RegExp(String.raw`\b((?:my|our|My|Our)\s+(?:son|daughter|child|kid|baby|boy|girl|husband|wife|partner|mother|father|mum|mom|dad)\s+)(${NAME})(?![\p{L}\p{N}])`, 'gu'),
    (_m, cue: string, n: string) => keepUnlessName(cue, n),
  ],
  // Sign-offs at the very end: "Regards, Jane Doe", "Thanks\nJane", "thanks, sarah".
  [new RegExp(String.raw`((?:^|[\s.!?])${SIGN_OFF}[,!.]?\s*)(${NAME})\.?\s*$`, 'u'), (_m, cue: string, n: string) => keepUnlessName(cue, n)],
  [
    // Lower case, only one word: "thanks, sarah" yes, "thanks, that helps" no.
    new RegExp(String.raw`((?:^|[\s.!?])${SIGN_OFF}[,!.]?\s+)(\p{Ll}[\p{Ll}'-]+)[.!]?\s*$`, 'iu'),
    (m: string, cue: string, n: string) => (NOT_SIGNATURES.test(n) ? m : `${cue}[NAME]`),
  ],
];

export function redact(text: string): string {
  // Full-width digits and the hyphens a phone keyboard types become plain ones, so "５５５‑１２３‑４５６７" is a phone
  // number like any other. Nothing else is rewritten: "2½ year old" and "2023–2024" must reach the clinic as typed.
  let out = text.replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\u2010\u2011\uff0d]/g, '-');
  for (const [pattern, replacement] of STEPS) {
    // Both overloads of replace are wanted here; TypeScript cannot pick one from the union.
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement as (m: string, ...g: string[]) => string);
  }
  return out;
}

/** The text with personal details removed outright (no placeholders), for the classifier: they carry no intent. */
export function withoutPersonalDetails(text: string): string {
  return redact(text)
    .replace(/\[(?:NAME|EMAIL|PHONE|DATE|ADDRESS|ID|URL)\]/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
