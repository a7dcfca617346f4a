/**
 * npm run train: trains the intent model on intents/ and writes it (var/model.json, or $MODEL_FILE) with the
 * hash of the content it was trained on, so the server loads it instead of training at start-up.
 */
import './explainStartupErrors.js';
import { relative } from 'node:path';
import { loadContent } from '../content/load.js';
import { loadNluConfig } from '../nlu/config.js';
import { NaiveBayesIntentModel } from '../nlu/model.js';
import { trainStats } from '../nlu/model.js';
import { modelFilePath, writeModelFile } from '../nlu/persist.js';

const started = process.hrtime.bigint();
const content = loadContent();
const config = loadNluConfig();
const saved = trainStats(content.training, config, content.trainingHash);
const model = new NaiveBayesIntentModel(saved, config);
const file = modelFilePath();
writeModelFile(file, saved);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const utterances = [...content.training.values()].reduce((a, u) => a + u.length, 0);
console.log(
  `trained on ${utterances} utterances, ${model.intents.length} intents, ${saved.stats.features.length} features ` +
    `in ${ms.toFixed(0)} ms → ${relative(process.cwd(), file) || file} (training hash ${content.trainingHash.slice(0, 12)})`,
);
