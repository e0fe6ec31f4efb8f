/** A list of records with ids, as the pages keep them in signals: one changed, one removed. */
interface WithId {
  id: string;
}

/** The list with `changed` in the place of the record that has its id. */
export function replacingById<T extends WithId>(changed: T): (list: T[]) => T[] {
  return (list) => list.map((each) => (each.id === changed.id ? changed : each));
}

/** The list without the record with this id. */
export function removingById<T extends WithId>(id: string): (list: T[]) => T[] {
  return (list) => list.filter((each) => each.id !== id);
}
