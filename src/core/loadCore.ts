import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadContent } from '../content/load.js';
import { parseContentPacks } from '../content/packs.js';
import { trainingHash } from '../content/hash.js';
import { utteranceKey } from '../content/text.js';
import { loadOrTrainModel, type IntentModel } from '../nlu/index.js';
import { SwappableModel } from '../nlu/swappable.js';
import { loadRedFlagRules, type RedFlagRules } from '../triage/index.js';
import { loadDermatologistCues } from '../triage/dermatologist.js';
import { loadDangerTopics } from '../triage/dangerTopics.js';
import { loadLanguages, vocabulary } from '../language/index.js';
import { createAnswerer, type Answerer, type ClinicInfo } from './answer.js';
import { liveModel, type LiveModel } from './liveModel.js';
import { loadContextLexicon } from './context/lexicon.js';
import type { Content } from './types.js';

export interface Core {
  content: Content;
  /** Always the answerer around the model in force (see liveModel.ts); the same object for the process's life. */
  answerer: Answerer;
  clinic: ClinicInfo;
  /** The model answering now; replaceable while the bot runs (a model announced by another instance). */
  model?: SwappableModel;
  /**
   * The model in force and the way to swap in a retrained one without a restart (the staff console). When the core
   * has `model`, the console puts its retrained model inside it, so both ways of replacing the model agree.
   */
  live: LiveModel;
  /** The red-flag rules the answerer triages with (the staff console re-checks their examples before a swap). */
  redFlags: RedFlagRules;
}

export interface LoadCoreOptions {
  /**
   * Training the model gets on top of intents/ (utterances staff taught in the console, kept in the store), per
   * intent. The saved model file is keyed by the hash of the whole set, so it is re-used while nothing changes.
   */
  extraTraining?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Load and validate everything the answer pipeline needs. Shared by the server, `npm run chat` and `npm run ask`
 * so all three answer the same way. Invalid content throws a ContentError naming the file, entry and field.
 */
export function loadCore(config: CoreConfig, logger: Logger, options: LoadCoreOptions = {}): Core {
  const content = loadContent(undefined, { packs: parseContentPacks(config.CONTENT_PACKS) });
  const training = options.extraTraining ? mergeTraining(content.training, options.extraTraining) : content.training;
  const hash = training === content.training ? content.trainingHash : trainingHash(training);
  const model = new SwappableModel(loadOrTrainModel({ training, trainingHash: hash, modelFile: config.MODEL_FILE, logger }));
  return { ...coreWith(config, content, model, training), model };
}

/** The answer pipeline around content and a model already at hand (the eval trains its own). */
export function coreWith(config: CoreConfig, content: Content, model: IntentModel, training: ReadonlyMap<string, readonly string[]> = content.training): Core {
  const clinic: ClinicInfo = {
    name: config.CLINIC_NAME,
    phone: config.CLINIC_PHONE,
    bookingUrl: config.CLINIC_BOOKING_URL,
    emergencyNumber: config.EMERGENCY_NUMBER,
  };
  const redFlags = loadRedFlagRules();
  const dermatologistCues = loadDermatologistCues();
  // The safety cards cite sources and name answers, so they are checked against the content just loaded.
  const dangerTopics = loadDangerTopics(content);
  // What counts as English on a short message: the words the model was taught (intents/ is English).
  const languages = loadLanguages(vocabulary(content.training));
  // Follow-ups' topics and aspects name intents and the entries' `covers` lists, so they are checked against them too.
  const context = loadContextLexicon(content);
  const build = (current: IntentModel) =>
    createAnswerer({ content, model: current, redFlags, dangerTopics, dermatologistCues, context, clinic, maxChars: config.MAX_MESSAGE_CHARS, languages });
  const live = liveModel(build, model, training);
  return { content, answerer: live.answerer, clinic, live, redFlags };
}

/**
 * intents/ plus extra utterances, per intent. An extra utterance already in intents/ (for example after it was
 * exported there) is not added twice (the content check's own sameness: case, punctuation and spacing aside); intents the content does not know are ignored, since the model may only
 * learn labels the catalog answers.
 */
export function mergeTraining(
  base: ReadonlyMap<string, readonly string[]>,
  extra: ReadonlyMap<string, readonly string[]>,
): Map<string, string[]> {
  const merged = new Map<string, string[]>([...base].map(([intent, texts]) => [intent, [...texts]]));
  const seen = new Set([...base.values()].flatMap((texts) => texts.map(utteranceKey)));
  for (const [intent, texts] of extra) {
    const list = merged.get(intent);
    if (!list) continue;
    for (const text of texts) {
      const key = utteranceKey(text);
      if (seen.has(key)) continue;
      seen.add(key);
      list.push(text);
    }
  }
  return merged;
}
