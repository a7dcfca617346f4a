/**
 * The shared vocabulary of the core (content, model, triage, answer). Nothing here knows about botbuilder.
 */

/** Level of the advice a reply carries, in increasing order of urgency. */
export type Escalation = 'none' | 'dermatologist' | 'urgent' | 'emergency';
export const ESCALATION_ORDER: readonly Escalation[] = ['none', 'dermatologist', 'urgent', 'emergency'];

/** The level a knowledge-base entry itself may carry (emergencies come only from triage). */
export type EntryEscalation = 'none' | 'dermatologist' | 'urgent';

export type IntentKind = 'faq' | 'conversation';

/** The entry the dermatologist rule answers with when the bot is unsure (see core/answer.ts). */
export const SEE_A_DERMATOLOGIST = 'see-a-dermatologist';

/** The label the model learns for questions the bot must decline. */
export const OUT_OF_SCOPE = 'out-of-scope';

export interface CatalogIntent {
  id: string;
  kind: IntentKind;
  /** The content pack the intent belongs to (data/catalog.yaml, packs:). */
  pack: string;
}

/** Where a pack's content comes from: the clinic's own article, or recognised public patient guidance. */
export type ContentOrigin = 'clinic-article' | 'public-guidance';

/** A promise the bot makes on its welcome, demo page, help answer and Teams commands, and the intents that keep it. */
export interface Topic {
  /** Short description ("Bathing, soaps and soap substitutes"). */
  label: string;
  /** A question a patient can send as is (a Teams command title, at most 32 characters). */
  ask: string;
  intents: string[];
}

/** A body of approved content a clinic can turn on or off (data/catalog.yaml, packs:). */
export interface ContentPack {
  id: string;
  title: string;
  origin: ContentOrigin;
  /** False: always on (the clinic's own content). True: CONTENT_PACKS or `enabled` decide. */
  optional: boolean;
  /** Whether the pack is on when CONTENT_PACKS does not say. */
  enabled: boolean;
  topics: Topic[];
}

export interface Source {
  id: string;
  /** Display title shown to patients. */
  title: string;
  /** Full citation (authors, journal, year) or the organisation's name. */
  citation: string;
  url?: string;
  /** Key terms and figures this source supports (drugs, cytokines, genes, cells, percentages). */
  terms: string[];
}

export interface KbEntry {
  intent: string;
  kind: IntentKind;
  /** The canonical patient question. */
  title: string;
  /** Plain-language answer (Markdown paragraphs). */
  answer: string;
  /** Source ids (registry keys). Empty only for conversation intents. */
  sources: string[];
  followUps: string[];
  /** Aspects the answer covers (ids of data/context.yaml's aspects): what a follow-up can honestly be told. */
  covers: string[];
  escalation: EntryEscalation;
  /** ISO date, YYYY-MM-DD. */
  reviewed: string;
  /** Where the answer comes from; the entry's `origin` field, or its pack's. */
  origin: ContentOrigin;
  /** Path of the file the entry came from, relative to the project root (for error messages). */
  file: string;
}

/**
 * A safety card (data/danger-topics.yaml): what to look for and what to do about a condition that needs care the
 * same day, shown with the answer to a question about that condition.
 */
export interface SafetyCard {
  /** The danger topic's id. */
  topic: string;
  title: string;
  /** One sentence: what the condition is and why it needs the same day. */
  reason: string;
  signs: string[];
  /** What to do, conditionally; may hold the clinic placeholders until the answer fills them. */
  action: string;
  note?: string;
  sources: Source[];
  /** ISO date, YYYY-MM-DD. */
  reviewed: string;
}

export interface Content {
  /** The intents of the packs that are on. */
  catalog: CatalogIntent[];
  /** Every pack in the catalog, with `enabled` saying whether it is on in this content. */
  packs: ContentPack[];
  /** What the bot promises to cover: the topics of the packs that are on, in catalog order. */
  topics: Topic[];
  entries: ReadonlyMap<string, KbEntry>;
  sources: ReadonlyMap<string, Source>;
  /** Training utterances per intent id, including OUT_OF_SCOPE. */
  training: ReadonlyMap<string, readonly string[]>;
  /** Held-out utterances per intent id (never trained on), including OUT_OF_SCOPE. */
  heldOut: ReadonlyMap<string, readonly string[]>;
  /** sha256 of everything the model is trained on, so a stale saved model can be detected. */
  trainingHash: string;
}
