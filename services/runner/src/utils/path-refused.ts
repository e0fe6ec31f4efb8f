/** A path a request may not touch: outside the source roots or the restore root. */
export class PathRefused extends Error {
  override readonly name = 'PathRefused';
}
