/**
 * Questions about the danger topics (data/danger-topics.yaml), written for these tests from the escalation policy
 * (not taken from the evaluation sets). Shared by the tests and by measure.ts.
 */

/** Questions ABOUT a condition that needs the same day: each gets that topic's safety card. */
export const DANGER_TOPIC_QUESTIONS: readonly (readonly [string, string])[] = [
  // infected eczema
  ['how can you tell when eczema is infected', 'infected-eczema'],
  ['what do the early signs of an eczema infection look like', 'infected-eczema'],
  ['can scratching make eczema get infected', 'infected-eczema'],
  ['is infected eczema an emergency', 'infected-eczema'],
  ['do kids with eczema need antibiotics when it flares', 'infected-eczema'],
  ['what does impetigo look like', 'infected-eczema'],
  ['how would i know if its infected or just a bad flare', 'infected-eczema'],
  ['wat does infeted eczema look like', 'infected-eczema'],
  // eczema herpeticum and cold sores near eczema
  ['what causes eczema herpeticum', 'eczema-herpeticum'],
  ['how serious is eczema herpaticum', 'eczema-herpeticum'],
  ['can my toddler catch a cold sore from his grandma if he has eczema', 'eczema-herpeticum'],
  ['is herpes more dangerous for people with atopic dermatitis', 'eczema-herpeticum'],
  ['my partner has a cold sore, is it risky for my eczema', 'eczema-herpeticum'],
  // cellulitis
  ['is cellulitis serious', 'cellulitis'],
  ['how do I know if my leg has cellulitis', 'cellulitis'],
  ['can cracked eczema skin lead to cellulitis', 'cellulitis'],
  // fever with a rash
  ['should I worry about a fever when my baby has eczema', 'fever-with-rash'],
  ['can a high temperature make a rash worse', 'fever-with-rash'],
  ['when is a rash with a fever a reason to go to hospital', 'fever-with-rash'],
  // clots on JAK inhibitors
  ['does upadacitinib increase the risk of a blood clot', 'jak-blood-clot'],
  ['what does a DVT feel like on a jak pill', 'jak-blood-clot'],
  ['signs of a pulmonary embolism', 'jak-blood-clot'],
  ['is the clot risk with cibinqo high', 'jak-blood-clot'],
  // eye pain or changed vision on treatment
  ['can adbry affect your vision', 'eye-on-treatment'],
  ['is eye pain on dupilumab normal', 'eye-on-treatment'],
  ['what eye problems can biologics cause', 'eye-on-treatment'],
  ['does blurry vision happen with dupixent', 'eye-on-treatment'],
  // erythroderma
  ['what is erythrodermic eczema', 'erythroderma'],
  ['can atopic dermatitis spread to the entire body and turn red', 'erythroderma'],
  ['how dangerous is erythroderma', 'erythroderma'],
  // a severe allergic reaction, asked about
  ['what happens in anaphylactic shock', 'severe-allergic-reaction'],
  ['how can you tell an allergic reaction to the injection is serious', 'severe-allergic-reaction'],
  // when to go for care today
  ['at what point should you take a baby with eczema to hospital', 'when-to-seek-care'],
  ['which symptoms mean a rash needs the ER', 'when-to-seek-care'],
  ['how do I know if a rash needs to be seen today', 'when-to-seek-care'],
  // infection reaching the blood
  ['can infected eczema lead to sepsis', 'infected-eczema'],
  // someone with a cold sore close to a child with eczema
  ['my aunt has a cold sore, is it ok for her to cuddle my daughter who has eczema', 'eczema-herpeticum'],
];

/** General questions, and questions about other things that share words with the topics: no card. */
export const NOT_DANGER_TOPICS: readonly string[] = [
  'is eczema contagious',
  'is atopic dermatitis infectious',
  'why do people with eczema carry staph on their skin',
  'my daughter has an ear infection and eczema on her arms',
  'I have a chest infection, can I still use my steroid cream',
  'can I use my moisturiser on a fungal infection',
  'is a yeast infection linked to eczema',
  'how do I stop my eczema itching at night',
  'why is my eczema worse in the winter',
  'does hay fever make eczema worse',
  'what is scarlet fever',
  'does the room temperature matter for eczema',
  'is it ok to have hot baths with eczema',
  'what are the side effects of jak inhibitors',
  'how does upadacitinib work',
  'how long does dupixent take to work',
  'can I put cream on my eyelids',
  'my eyes are dry and itchy',
  'what does a cold sore look like',
  'how do I get rid of a cold sore on my lip',
  'can I get a flu jab while on dupixent',
  'does eczema leave scars',
  'why is my face red after exercise',
  'can babies get eczema on their face',
  'how often should I use my steroid cream',
  'I have an injection of dupixent every two weeks',
  'is cellulite caused by eczema',
  'what is the difference between eczema and psoriasis',
  'can food allergies make eczema worse',
  'where is the dermatology clinic in the hospital',
  'are hives an allergy',
];

/** A danger topic told as history: no card, at most a dermatologist. */
export const TOPIC_HISTORY: readonly (readonly [string, string])[] = [
  ['I had cellulitis on my arm two years ago, can I have a biologic', 'cellulitis'],
  ['I used to get infected eczema all the time as a kid', 'infected-eczema'],
  ['my brother had a DVT, does that matter for rinvoq', 'jak-blood-clot'],
  ['in 2020 I had eczema herpeticum, should I avoid steroid creams', 'eczema-herpeticum'],
  ['when my son was a baby he had infected eczema, will his sister get it too', 'infected-eczema'],
];
