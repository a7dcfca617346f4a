/**
 * The intent model's public face: everything outside src/nlu imports from here.
 */
export type { IntentScore, Decision, DeclineReason, Analysis } from './decide.js';
export type { IntentModel, TrainOptions, SavedModel } from './model.js';
export { trainModel, NaiveBayesIntentModel } from './model.js';
export { loadOrTrainModel, modelFilePath, writeModelFile, serialiseModel, DEFAULT_MODEL_FILE } from './persist.js';
export type { LoadOrTrainOptions } from './persist.js';
export { loadNluConfig, parseNluConfig, NluConfigError } from './config.js';
export type { NluConfig } from './config.js';
