import type { Repository } from '../repository/repository.js';
import { decodeTree, type Tree } from './tree.js';

export async function loadTree(repo: Repository, id: string): Promise<Tree> {
  return decodeTree(await repo.loadBlob(id), `tree ${id.slice(0, 16)}`);
}
