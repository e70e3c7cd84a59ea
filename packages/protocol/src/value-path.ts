const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** keyPath names a map member: `args.price`, or `args["not an identifier"]`. */
export function keyPath(parent: string, key: string): string {
  return identifier.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** indexPath names a list item: `args.items[3]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
