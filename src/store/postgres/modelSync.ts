import type { Logger } from '../../logger.js';
import { loadNluConfig } from '../../nlu/config.js';
import { MODEL_FORMAT, NaiveBayesIntentModel, configHash, type SavedModel } from '../../nlu/model.js';
import type { SwappableModel } from '../../nlu/swappable.js';
import type { PgModelStore, PublishedModel } from './models.js';

export interface ModelSyncOptions {
  models: PgModelStore;
  model: SwappableModel;
  /** The intents this instance's content knows (intents/ and out-of-scope). */
  knownIntents: ReadonlySet<string>;
  logger: Logger;
  /** Who publishes, in the table (host and pid). */
  instance: string;
  checkEveryMs?: number;
}

/**
 * Why this instance cannot answer with a published model, or undefined when it can. A model is taken only when it
 * was saved in this code's format, with this data/nlu.yaml, and ranks no intent this instance's content lacks: during
 * a rolling deploy an older instance keeps its own model rather than classify into intents it has no answer for.
 */
export function unusable(saved: SavedModel, own: { configHash: string; knownIntents: ReadonlySet<string> }): string | undefined {
  if (saved.format !== MODEL_FORMAT) return `format ${saved.format}, this code reads ${MODEL_FORMAT}`;
  if (saved.configHash !== own.configHash) return 'trained with another data/nlu.yaml';
  const labels = saved.stats?.classes ?? [];
  const unknown = labels.filter((l) => !own.knownIntents.has(l));
  if (unknown.length > 0) return `ranks intents this content does not have (${unknown.slice(0, 3).join(', ')})`;
  return undefined;
}

/**
 * Keeps every instance answering with the same model. At start-up an instance whose content has no model in the
 * store yet (the first of a new deployment) publishes its own; otherwise it takes the newest published model it can
 * use. Then it loads each newly announced one (a retrain on another instance, `npm run train`, the staff console).
 */
export async function syncModel(options: ModelSyncOptions): Promise<{ stop(): Promise<void> }> {
  const { models, model, logger } = options;
  const own = { configHash: configHash(loadNluConfig()), knownIntents: options.knownIntents };
  let currentId: number | undefined;

  const adopt = (published: PublishedModel, why: string): boolean => {
    const problem = unusable(published.saved, own);
    if (problem) {
      logger.warn({ modelId: published.id, createdBy: published.createdBy, problem }, 'published intent model not used by this instance');
      return false;
    }
    model.replace(new NaiveBayesIntentModel(published.saved, loadNluConfig()));
    currentId = published.id;
    logger.info({ modelId: published.id, createdBy: published.createdBy, trainingHash: published.saved.trainingHash.slice(0, 12) }, why);
    return true;
  };

  const saved = model.current.saved;
  const latest = await models.latest();
  const ownPublished = await models.idFor(saved.trainingHash, saved.configHash);
  if (ownPublished === undefined) {
    currentId = await models.publish(saved, options.instance);
    logger.info({ modelId: currentId, trainingHash: saved.trainingHash.slice(0, 12) }, 'intent model published for the other instances');
  } else if (latest && latest.id !== ownPublished) {
    if (!adopt(latest, 'intent model taken from the shared store')) currentId = ownPublished;
  } else {
    currentId = ownPublished;
  }

  let loading = Promise.resolve();
  const watcher = models.watch({
    logger,
    knownId: () => currentId,
    checkEveryMs: options.checkEveryMs,
    onNew: (id) => {
      // One load at a time, newest wins; a model that cannot be read is logged and the old one kept.
      loading = loading.then(async () => {
        if (currentId !== undefined && id <= currentId) return;
        try {
          const published = await models.byId(id);
          if (!published) return;
          if (!adopt(published, 'new intent model loaded')) currentId = id;
        } catch (err) {
          logger.warn({ modelId: id, err: (err as Error).message }, 'announced intent model could not be loaded; keeping the current one');
        }
      });
    },
  });
  return {
    async stop() {
      await watcher.stop();
      await loading;
    },
  };
}
