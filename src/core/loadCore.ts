import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadContent } from '../content/load.js';
import { loadOrTrainModel, type IntentModel } from '../nlu/index.js';
import { SwappableModel } from '../nlu/swappable.js';
import { loadRedFlagRules } from '../triage/index.js';
import { loadDermatologistCues } from '../triage/dermatologist.js';
import { loadDangerTopics } from '../triage/dangerTopics.js';
import { createAnswerer, type Answerer, type ClinicInfo } from './answer.js';
import type { Content } from './types.js';

export interface Core {
  content: Content;
  answerer: Answerer;
  clinic: ClinicInfo;
  /** The model answering now; replaceable while the bot runs (a model announced by another instance). */
  model?: SwappableModel;
}

/**
 * Load and validate everything the answer pipeline needs. Shared by the server, `npm run chat` and `npm run ask`
 * so all three answer the same way. Invalid content throws a ContentError naming the file, entry and field.
 */
export function loadCore(config: CoreConfig, logger: Logger): Core {
  const content = loadContent();
  const model = new SwappableModel(loadOrTrainModel({ training: content.training, trainingHash: content.trainingHash, modelFile: config.MODEL_FILE, logger }));
  return { ...coreWith(config, content, model), model };
}

/** The answer pipeline around content and a model already at hand (the eval trains its own). */
export function coreWith(config: CoreConfig, content: Content, model: IntentModel): Core {
  const clinic: ClinicInfo = {
    name: config.CLINIC_NAME,
    phone: config.CLINIC_PHONE,
    bookingUrl: config.CLINIC_BOOKING_URL,
    emergencyNumber: config.EMERGENCY_NUMBER,
  };
  const answerer = createAnswerer({
    content,
    model,
    redFlags: loadRedFlagRules(),
    // The safety cards cite sources and name answers, so they are checked against the content just loaded.
    dangerTopics: loadDangerTopics(content),
    dermatologistCues: loadDermatologistCues(),
    clinic,
    maxChars: config.MAX_MESSAGE_CHARS,
  });
  return { content, answerer, clinic };
}
