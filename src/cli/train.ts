/**
 * npm run train: trains the intent model on intents/ and writes it (var/model.json, or $MODEL_FILE) with the
 * hash of the content it was trained on, so the server loads it instead of training at start-up.
 */
import './explainStartupErrors.js';
import { hostname } from 'node:os';
import { relative } from 'node:path';
import { createLogger } from '../logger.js';
import { describeDatabase, loadDatabaseConfig } from '../store/postgres/config.js';
import { openPostgresStore } from '../store/postgres/index.js';
import { loadContent } from '../content/load.js';
import { parseContentPacks } from '../content/packs.js';
import { loadNluConfig } from '../nlu/config.js';
import { NaiveBayesIntentModel } from '../nlu/model.js';
import { trainStats } from '../nlu/model.js';
import { modelFilePath, writeModelFile } from '../nlu/persist.js';

const started = process.hrtime.bigint();
// The packs the bot will run with (CONTENT_PACKS), so the saved model is the one start-up looks for.
const content = loadContent(undefined, { packs: parseContentPacks(process.env.CONTENT_PACKS) });
const config = loadNluConfig();
const saved = trainStats(content.training, config, content.trainingHash);
const model = new NaiveBayesIntentModel(saved, config);
const file = modelFilePath();
writeModelFile(file, saved);
// With DATABASE_URL, the model is also published: every running instance is told and loads it.
const database = loadDatabaseConfig(process.env);
let published = '';
if (database.DATABASE_URL) {
  const store = await openPostgresStore({ ...database, DATABASE_URL: database.DATABASE_URL }, { logger: createLogger(process.env.LOG_LEVEL ?? 'warn', true) });
  try {
    const id = await store.models.publish(saved, `npm run train on ${hostname()}`);
    published = ` and published to ${describeDatabase(database.DATABASE_URL)} as model ${id}`;
  } finally {
    await store.close();
  }
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const utterances = [...content.training.values()].reduce((a, u) => a + u.length, 0);
console.log(
  `trained on ${utterances} utterances, ${model.intents.length} intents, ${saved.stats.features.length} features ` +
    `in ${ms.toFixed(0)} ms → ${relative(process.cwd(), file) || file}${published} (training hash ${content.trainingHash.slice(0, 12)})`,
);
