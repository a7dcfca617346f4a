/**
 * What a file other files refer to by id (the catalog, the source registry) lets their checks conclude. When the
 * file itself cannot be read, or one of its entries is invalid, its own problem is reported once; saying again in
 * every answer that an id "is not in" it would bury that one line under dozens of wrong ones.
 */
export interface Registry {
  /** False when the file could not be read at all: nothing can be said about which ids it holds. */
  readable: boolean;
  /** Ids present in the file whose entry was reported invalid and left out. */
  rejected: ReadonlySet<string>;
}

/** Whether an id missing from the registry's valid entries may be reported as missing. */
export function isReallyAbsent(registry: Registry, id: string): boolean {
  return registry.readable && !registry.rejected.has(id);
}
