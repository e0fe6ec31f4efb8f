// Types of metadata-tree.mjs (see there).

export interface MetadataDescription {
  /** One line per entry: path, type, mode, uid, gid, size, mtime and (files, fifos) atime in ns. */
  stat: string[];
  /** `getfattr -d -m -` of every entry, ACLs included. */
  xattrs: string;
  /** `getfacl` of the files and folders. */
  acls: string;
  /** Allocated and apparent size of the sparse file. */
  du: string;
}

export declare function buildMetadataTree(
  root: string,
  options: { owner: number; privileged: boolean },
): Promise<void>;
export declare function describeMetadata(root: string): MetadataDescription;
