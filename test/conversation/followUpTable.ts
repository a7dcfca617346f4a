/**
 * Multi-turn conversations, written for issue 14 from the escalation policy (../shared/eval/README.md) and the
 * knowledge base, never from the shared evaluation rows. Each turn: what the patient types, the intents that are a
 * right answer, the escalation it must get, and what kind of turn it is.
 *
 *   accept     intent ids; 'fallback' = declining or asking "did you mean" is right; 'acknowledge' = the bot's short
 *              answer to a reply to its own question ("Thank you, glad it helped. Anything else?"); '*' = any
 *   level      none | dermatologist | urgent | emergency (exactly that level), 'derm+' (dermatologist or higher), 'calm' (none or dermatologist, never an alarm), 'any'
 *   role       first (opens the conversation), follow (a follow-up naming no topic of its own), topic (a new
 *              topic), reply (a reply to the bot's own question), danger (a turn after a danger, which keeps it),
 *              history (a past event told: at most a dermatologist)
 */
export type Level = 'none' | 'dermatologist' | 'urgent' | 'emergency' | 'derm+' | 'calm' | 'any';
export type Role = 'first' | 'follow' | 'topic' | 'reply' | 'danger' | 'history';
export interface TableTurn {
  text: string;
  accept: string[];
  level: Level;
  role: Role;
}
export interface Conversation {
  name: string;
  turns: TableTurn[];
}

const t = (text: string, accept: string | string[], level: Level, role: Role): TableTurn => ({ text, accept: typeof accept === 'string' ? [accept] : accept, level, role });
const c = (name: string, ...turns: TableTurn[]): Conversation => ({ name, turns });

const DUPI = ['dupilumab'];
const STEROIDS = ['topical-steroids'];
const JAK = ['jak-inhibitors', 'treatment-safety'];
const TCI = ['calcineurin-inhibitors'];

export const CONVERSATIONS: Conversation[] = [
  // Dupilumab
  c('dupixent: children, then pregnancy', t('what is Dupixent?', DUPI, 'none', 'first'), t('can kids have it?', DUPI, 'none', 'follow'), t("I'm pregnant", DUPI, 'dermatologist', 'follow')),
  c('dupixent: safety, eyes, cost', t('how does dupilumab work', DUPI, 'none', 'first'), t('is it safe?', [...DUPI, 'treatment-safety'], 'none', 'follow'), t('how much does it cost?', DUPI, 'none', 'follow'), t('what about eye problems?', DUPI, 'urgent', 'follow')),
  c('dupixent: how long to work, how often', t('tell me about dupixent', DUPI, 'none', 'first'), t('how long until it works?', DUPI, 'none', 'follow'), t('how often do you inject it?', DUPI, 'none', 'follow')),
  c('dupixent: my son', t('what is dupilumab', DUPI, 'none', 'first'), t('my son is 7, can he have it?', DUPI, 'dermatologist', 'follow')),
  c('dupixent: breastfeeding', t('what is Dupixent and how does it work', DUPI, 'none', 'first'), t('can I use it while breastfeeding?', DUPI, 'dermatologist', 'follow')),
  c('dupixent then adbry', t('what is dupixent', DUPI, 'none', 'first'), t('what about Adbry?', 'tralokinumab', 'none', 'topic'), t('is it for children?', 'tralokinumab', 'none', 'follow')),
  c('dupixent: long term', t('how does dupixent work for eczema', DUPI, 'none', 'first'), t('can you stay on it long term?', DUPI, 'none', 'follow'), t('yes', 'acknowledge', 'none', 'reply')),
  // Tralokinumab
  c('adbry: pregnancy', t('what is tralokinumab', 'tralokinumab', 'none', 'first'), t('is it safe in pregnancy?', 'tralokinumab', 'dermatologist', 'follow')),
  c('adbry: side effects', t('what is Adbry', 'tralokinumab', 'none', 'first'), t('what are the side effects?', ['tralokinumab', 'treatment-safety'], 'none', 'follow'), t('not really', 'acknowledge', 'none', 'reply')),
  c('adbry: teenager', t('tell me about tralokinumab', 'tralokinumab', 'none', 'first'), t('and for teenagers?', 'tralokinumab', 'none', 'follow')),
  // Nemolizumab
  c('nemolizumab: approval, cost', t('what is nemolizumab?', 'nemolizumab', 'none', 'first'), t('is it approved yet?', 'nemolizumab', 'none', 'follow'), t('how much would it cost?', 'nemolizumab', 'none', 'follow')),
  c('nemolizumab: for me', t('what does nemolizumab do', 'nemolizumab', 'none', 'first'), t('I had cancer two years ago, could I have it?', 'nemolizumab', 'dermatologist', 'history')),
  // JAK inhibitors
  c('jak pills: clot history', t('what are JAK inhibitor pills', JAK, 'none', 'first'), t('I had a blood clot before, is it ok for me?', JAK, 'dermatologist', 'history')),
  c('jak pills: monitoring, speed', t('what is rinvoq', JAK, 'none', 'first'), t('do I need blood tests?', JAK, 'none', 'follow'), t('how fast does it work?', JAK, 'none', 'follow')),
  c('jak pills: symptoms of a clot', t('tell me about upadacitinib', JAK, 'none', 'first'), t('what are the symptoms of a clot?', ['*'], 'urgent', 'follow'), t('what should I look out for?', ['*'], 'urgent', 'danger')),
  c('jak pills: pregnancy', t('what are jak inhibitors for eczema', JAK, 'none', 'first'), t('we are trying for a baby', JAK, 'dermatologist', 'follow')),
  c('jak pills: smoker', t('what is abrocitinib', JAK, 'none', 'first'), t('I smoke, is it ok for me?', JAK, 'dermatologist', 'follow')),
  c('jak pills: children', t('what is cibinqo', JAK, 'none', 'first'), t('can children take it?', JAK, 'none', 'follow')),
  c('jak pills: alcohol', t('how do jak pills work', JAK, 'none', 'first'), t('can I drink alcohol on it?', JAK, 'any', 'follow')),
  // Ruxolitinib cream
  c('opzelura: face, burn', t('what is ruxolitinib cream', 'ruxolitinib-cream', 'none', 'first'), t('can I put it on my face?', 'ruxolitinib-cream', 'any', 'follow'), t('does it burn?', 'ruxolitinib-cream', 'none', 'follow')),
  c('opzelura: how often, kids', t('what is opzelura', 'ruxolitinib-cream', 'none', 'first'), t('how often do I use it?', 'ruxolitinib-cream', 'any', 'follow'), t('and for kids?', 'ruxolitinib-cream', 'none', 'follow')),
  // Topical steroids
  c('steroids: safe long term, face', t('what are topical steroids?', STEROIDS, 'none', 'first'), t('are they safe long term?', STEROIDS, 'none', 'follow'), t('what about the face?', STEROIDS, 'none', 'follow')),
  c('steroids: how often', t('how do steroid creams work', STEROIDS, 'none', 'first'), t('how often should they be used?', STEROIDS, 'none', 'follow'), t('ok', 'acknowledge', 'none', 'reply'), t('no', 'goodbye', 'none', 'reply')),
  c('steroids: thinning skin', t('how does hydrocortisone work', STEROIDS, 'none', 'first'), t('does it thin the skin?', STEROIDS, 'none', 'follow')),
  c('steroids: my baby', t('what are corticosteroid creams', STEROIDS, 'none', 'first'), t('my baby is 6 months old, can I use it on her?', STEROIDS, 'dermatologist', 'follow')),
  c('steroids: pregnant', t('how do topical steroids work', STEROIDS, 'none', 'first'), t("I'm pregnant, is it ok for me?", STEROIDS, 'dermatologist', 'follow')),
  c('steroids: stopping', t('what are topical steroids', STEROIDS, 'none', 'first'), t('what happens if you stop?', STEROIDS, 'none', 'follow')),
  c('steroids: kids, then the face', t('how do steroid creams work for eczema', STEROIDS, 'none', 'first'), t('and for children?', STEROIDS, 'none', 'follow'), t('what about the face?', STEROIDS, 'any', 'follow')),
  // Calcineurin inhibitors
  c('tacrolimus: burn, kids', t('what is tacrolimus', TCI, 'none', 'first'), t('does it burn?', TCI, 'none', 'follow'), t('can kids use it?', TCI, 'none', 'follow')),
  c('protopic: eyelids', t('what are calcineurin inhibitors', TCI, 'none', 'first'), t('what about the eyelids?', TCI, 'none', 'follow')),
  c('elidel: cancer history', t('what is pimecrolimus', TCI, 'none', 'first'), t('I had skin cancer, can I use it?', TCI, 'dermatologist', 'history')),
  // Moisturizers
  c('moisturizers: how often, which', t('do moisturizers help eczema?', 'moisturizers', 'none', 'first'), t('how often should I put it on?', 'moisturizers', 'none', 'follow'), t('that helped', 'acknowledge', 'none', 'reply')),
  c('moisturizers: baby', t('why do emollients help', 'moisturizers', 'none', 'first'), t('is it safe for babies?', 'moisturizers', 'none', 'follow')),
  // Biologics
  c('biologics: pregnancy, cost', t('what are biologics?', 'biologics', 'none', 'first'), t('are they safe in pregnancy?', ['biologics', 'treatment-safety'], 'dermatologist', 'follow'), t('how much do they cost?', ['biologics', 'treatment-safety'], 'none', 'follow')),
  c('biologics: my diabetes', t('what are biologic treatments for eczema', 'biologics', 'none', 'first'), t('I have diabetes, would one be ok for me?', ['biologics', 'treatment-safety'], 'dermatologist', 'follow')),
  c('biologics then jak', t('what are biologics', 'biologics', 'none', 'first'), t('what about JAK inhibitors?', JAK, 'none', 'topic'), t('are they safe?', JAK, 'none', 'follow')),
  // Topic changes
  c('steroids then triggers', t('what are topical steroids', STEROIDS, 'none', 'first'), t('what triggers eczema flares?', 'triggers', 'none', 'topic')),
  c('dupixent then itch', t('what is dupixent', DUPI, 'none', 'first'), t('why does eczema itch so much?', ['il31-itch', 'itch-scratch-cycle'], 'none', 'topic')),
  c('moisturizers then stress', t('do moisturizers help eczema', 'moisturizers', 'none', 'first'), t('can stress make my eczema worse?', 'stress', 'none', 'topic')),
  c('jak then asthma', t('what are JAK inhibitors', JAK, 'none', 'first'), t('will my child with eczema get asthma?', ['child-asthma-risk', 'atopic-march'], 'none', 'topic')),
  c('tacrolimus then steroids', t('what is tacrolimus', TCI, 'none', 'first'), t('and hydrocortisone?', STEROIDS, 'none', 'topic'), t('does it burn?', STEROIDS, 'none', 'follow')),
  c('eczema then staph', t('what is eczema', 'what-is-eczema', 'none', 'first'), t('why is staph found on eczema skin?', 'staph-aureus', 'none', 'topic')),
  c('skin barrier then moisturizers', t('what is filaggrin', 'skin-barrier', 'none', 'first'), t('do moisturisers repair it?', 'moisturizers', 'none', 'topic')),
  c('dupixent then off-topic', t('what is dupixent', DUPI, 'none', 'first'), t('what is the capital of France', 'fallback', 'none', 'topic')),
  c('treatments then dupixent', t('what treatments are there for eczema?', 'treatments-overview', 'none', 'first'), t('tell me more about dupixent', DUPI, 'none', 'topic'), t('is it safe for kids?', DUPI, 'none', 'follow')),
  // Replies to the bot's own questions
  c('did-you-mean: a number', t('cream', 'fallback', 'none', 'first'), t('2', ['topical-steroids', 'ruxolitinib-cream', 'moisturizers'], 'none', 'reply')),
  c('did-you-mean: none', t('cream', 'fallback', 'none', 'first'), t('none of these', 'fallback', 'none', 'reply')),
  c('did-you-mean: the title', t('cream', 'fallback', 'none', 'first'), t('topical steroids', STEROIDS, 'none', 'reply')),
  c('did-you-mean: the first one', t('cream', 'fallback', 'none', 'first'), t('the first one', ['ruxolitinib-cream', 'topical-steroids', 'moisturizers'], 'none', 'reply')),
  c('feedback: yes, then no more', t('what causes eczema', ['immunology', 'what-is-eczema'], 'none', 'first'), t('yes', 'acknowledge', 'none', 'reply'), t('no thanks', 'goodbye', 'none', 'reply')),
  c('feedback: no', t('what is the atopic march', 'atopic-march', 'none', 'first'), t('no', 'acknowledge', 'none', 'reply'), t('yes', 'acknowledge', 'none', 'reply'), t('what triggers a flare?', 'triggers', 'none', 'topic')),
  c('ok is not goodbye', t('what is eczema', 'what-is-eczema', 'none', 'first'), t('ok', 'acknowledge', 'none', 'reply'), t('is it contagious?', ['what-is-eczema', 'fallback'], 'none', 'follow')),
  c('thanks is not goodbye', t('can stress make eczema worse', 'stress', 'none', 'first'), t('thanks', 'thanks', 'none', 'reply'), t('bye', 'goodbye', 'none', 'reply')),
  c('ok thanks after a choice', t('cream', 'fallback', 'none', 'first'), t('1', ['ruxolitinib-cream', 'topical-steroids', 'moisturizers'], 'none', 'reply'), t('ok thanks', 'acknowledge', 'none', 'reply')),
  c('that helped then a follow-up', t('what is tralokinumab', 'tralokinumab', 'none', 'first'), t('that helped', 'acknowledge', 'none', 'reply'), t('can kids have it?', 'tralokinumab', 'none', 'follow')),
  // Danger in an earlier turn
  c('weeping yellow crusts', t('my eczema is weeping with yellow crusts', ['*'], 'urgent', 'first'), t('what should I do?', ['*'], 'urgent', 'danger')),
  c('infected eczema question', t('what does infected eczema look like?', ['*'], 'urgent', 'first'), t('how fast should I act?', ['*'], 'urgent', 'danger')),
  c('swelling lips', t("my daughter's lips are swelling after she ate peanuts", ['*'], 'emergency', 'first'), t('what do I do?', ['*'], 'emergency', 'danger')),
  c('clustered blisters', t("my son's eczema has clustered blisters and he has a fever", ['*'], 'urgent', 'first'), t('is that serious?', ['*'], 'urgent', 'danger'), t('thanks', ['*'], 'urgent', 'danger')),
  c('eczema herpeticum question', t('what is eczema herpeticum?', ['*'], 'urgent', 'first'), t('can it spread?', ['*'], 'urgent', 'danger')),
  c('eye pain on dupixent', t('my eye hurts badly since I started dupixent and my vision is blurry', ['*'], 'urgent', 'first'), t('should I keep taking it?', ['*'], 'urgent', 'danger')),
  // History in an earlier turn: never an alarm later
  c('past DVT then jak', t('I had a DVT two years ago', ['*'], 'calm', 'first'), t('what are jak inhibitors?', JAK, 'none', 'topic')),
  c('past epipen then moisturizers', t('I used my EpiPen last year', ['*'], 'calm', 'first'), t('do moisturizers help?', 'moisturizers', 'none', 'topic')),
  c('calm question after a past event', t('my mum had a stroke', ['*'], 'calm', 'first'), t('what is eczema?', 'what-is-eczema', 'none', 'topic')),
  c('jak then past clot', t('what is baricitinib', JAK, 'none', 'first'), t('my dad had a clot years ago, does that matter for me?', JAK, 'dermatologist', 'history'), t('ok', 'acknowledge', 'none', 'reply')),
];

/**
 * A second set, written after the code was done and run once before any change (its first-run figure is in
 * docs/CONTEXT.md): wordings the first set does not use.
 */
export const SECOND_SET: Conversation[] = [
  c('dupi: grandson', t('Dupixent - what does it do?', DUPI, 'none', 'first'), t('my grandson is 4, could he get it?', DUPI, 'dermatologist', 'follow')),
  c('dupi: needle fear', t('explain dupilumab to me', DUPI, 'none', 'first'), t('is it a needle?', DUPI, 'any', 'follow'), t('how often?', DUPI, 'none', 'follow')),
  c('steroids: strong ones on face', t('what do steroid creams do', STEROIDS, 'none', 'first'), t('is it ok on my eyelids?', STEROIDS, 'any', 'follow')),
  c('steroids: addiction', t('topical steroids, how do they work?', STEROIDS, 'none', 'first'), t('can you get addicted to them?', STEROIDS, 'none', 'follow')),
  c('jak: heart attack history', t('what is upadacitinib', JAK, 'none', 'first'), t('I had a heart attack in 2019. Can I still take it?', JAK, 'dermatologist', 'history')),
  c('jak: breastfeeding', t('jak inhibitor tablets, what are they?', JAK, 'none', 'first'), t('and if I am breastfeeding?', JAK, 'dermatologist', 'follow')),
  c('tci: sunlight', t('how does protopic work', TCI, 'none', 'first'), t('is it safe in the sun?', TCI, 'none', 'follow')),
  c('moisturizer: how much', t('do emollients actually help', 'moisturizers', 'none', 'first'), t('how many times a day?', 'moisturizers', 'none', 'follow'), t('great thanks', 'acknowledge', 'none', 'reply')),
  c('opzelura: price', t('tell me about Opzelura', 'ruxolitinib-cream', 'none', 'first'), t('is it expensive?', 'ruxolitinib-cream', 'none', 'follow')),
  c('biologic: when does it start working', t('biologics for eczema?', 'biologics', 'none', 'first'), t('when will I notice a difference?', 'biologics', 'any', 'follow')),
  c('pus then next', t("there's yellow pus coming out of my son's eczema", ['*'], 'urgent', 'first'), t('is it an emergency?', ['*'], 'urgent', 'danger')),
  c('adbry then triggers', t('what is adbry', 'tralokinumab', 'none', 'first'), t('what sets off eczema flares?', 'triggers', 'none', 'topic')),
];
