import { Chunker } from '../chunker/chunker.js';
import { throwIfAborted } from '../errors.js';
import type { Repository } from '../repository/repository.js';
import { loadTree } from '../tree/load.js';
import { encodeTree, type TreeNode } from '../tree/tree.js';

/**
 * The slow path of copy: file content is read from the source and cut again with the target's
 * chunker and ids; trees are rebuilt around the new ids. Each tree and each file content is done
 * once, however many snapshots share it.
 */
export class Rechunker {
  blobsAdded = 0;
  private readonly trees = new Map<string, string>();
  private readonly contents = new Map<string, string[]>();

  constructor(
    private readonly source: Repository,
    private readonly target: Repository,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async copyTree(treeId: string): Promise<string> {
    const known = this.trees.get(treeId);
    if (known) return known;
    const nodes: TreeNode[] = [];
    for (const node of (await loadTree(this.source, treeId)).nodes) {
      throwIfAborted(this.signal);
      if (node.type === 'dir' && node.subtree)
        nodes.push({ ...node, subtree: await this.copyTree(node.subtree) });
      else if (node.content) nodes.push({ ...node, content: await this.copyContent(node.content) });
      else nodes.push(node);
    }
    const saved = await this.target.saveBlob('tree', encodeTree({ nodes }));
    this.count(saved.added);
    this.trees.set(treeId, saved.id);
    return saved.id;
  }

  private async copyContent(content: string[]): Promise<string[]> {
    const key = content.join();
    const known = this.contents.get(key);
    if (known) return known;
    const chunker = new Chunker(this.target.config.chunker, this.target.gearTable);
    const ids: string[] = [];
    const store = async (chunk: Buffer) => {
      const saved = await this.target.saveBlob('data', chunk);
      this.count(saved.added);
      ids.push(saved.id);
    };
    for (const id of content)
      for (const chunk of chunker.push(await this.source.loadBlob(id))) await store(chunk);
    const last = chunker.finish();
    if (last) await store(last);
    this.contents.set(key, ids);
    return ids;
  }

  private count(added: boolean): void {
    if (added) this.blobsAdded++;
  }
}
