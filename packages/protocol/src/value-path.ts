const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** keyPath names a map member: `args.price`, or `args["not an identifier"]`. */
export function keyPath(parent: string, key: string): string {
  return identifier.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** indexPath names a list item: `args.items[3]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** PathSegment is one step into a value: a list index or a map key. */
export type PathSegment = PropertyKey | { readonly key: PropertyKey };

/** memberPath appends one step to a path (§9.8.3). */
export function memberPath(parent: string, segment: PathSegment): string {
  const key = typeof segment === "object" && segment !== null ? segment.key : segment;
  if (typeof key === "number") return indexPath(parent, key);
  if (typeof key === "symbol") return `${parent}[${key.toString()}]`;
  return keyPath(parent, key);
}

/** formatPath writes a whole path from a root (`args`) and its steps. */
export function formatPath(root: string, segments: readonly PathSegment[] | undefined): string {
  let path = root;
  if (segments !== undefined) for (const segment of segments) path = memberPath(path, segment);
  return path;
}
