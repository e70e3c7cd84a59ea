import { PluginError, isValidPattern, topicMatches } from "@polyproc/protocol";

/**
 * PluginPermissions say what a plugin may do beyond answering the host's calls; everything
 * not granted is denied (PROTOCOL.md §5.4, §12.4, §17). Each list holds patterns with the
 * topic rules of §12.2: dot-separated segments, `*` for one segment, `>` for the rest.
 */
export interface PluginPermissions {
  /** Host functions the plugin may call (`ctx.host.call`), by name: `"db.query"`, `"db.*"`, `">"`. */
  hostFunctions?: string[];
  /** Functions of other plugins it may call (`ctx.call`), as `"plugin.function"`: `"kv.get"`, `"kv.>"`, `"*.health"`. */
  call?: string[];
  /** Topics it may publish on: `"orders.created"`, `"orders.>"`. */
  publish?: string[];
  /** Topics it may subscribe to; a subscription pattern must be covered by a granted one. */
  subscribe?: string[];
}

/** PermissionKind names one list of PluginPermissions. */
export type PermissionKind = keyof PluginPermissions;

const kinds: readonly PermissionKind[] = ["hostFunctions", "call", "publish", "subscribe"];

const what: Record<PermissionKind, string> = {
  hostFunctions: "call the host function",
  call: "call",
  publish: "publish on",
  subscribe: "subscribe to",
};

/**
 * checkPermissions checks a plugin's `permissions` option and returns a message naming the
 * first problem, or undefined when it is well-formed. `field` names the option in messages.
 */
export function checkPermissions(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `${field} must be an object with hostFunctions, call, publish and subscribe lists`;
  for (const [key, list] of Object.entries(value)) {
    if (!kinds.includes(key as PermissionKind)) return `${field}.${key} is not a permission; the permissions are ${kinds.join(", ")}`;
    if (!Array.isArray(list)) return `${field}.${key} must be an array of patterns such as "a.b", "a.*" or "a.>"`;
    for (const [index, pattern] of list.entries()) {
      if (typeof pattern !== "string" || !isValidPattern(pattern)) {
        return `${field}.${key}[${index}] must be a pattern of dot-separated segments, "*" for one segment and a final ">" for the rest (PROTOCOL.md §12.2); got ${JSON.stringify(pattern)}`;
      }
    }
  }
  return undefined;
}

/**
 * Grants answers permission questions for one plugin from its resolved permissions, and
 * makes the PERMISSION_DENIED errors that name the missing grant and where to add it.
 */
export class Grants {
  // Asked on every call a plugin makes: each list split once into the names it grants
  // exactly and the patterns with wildcards.
  private readonly compiled = new Map<PermissionKind, CompiledList>();

  constructor(
    private readonly plugin: string,
    private readonly permissions: PluginPermissions,
    /** Where the permissions are configured, for messages: `plugins[0].permissions`. */
    private readonly field: string,
  ) {}

  /** allows tells whether `subject` (a host function, `plugin.function`, or a topic) is granted. */
  allows(kind: PermissionKind, subject: string): boolean {
    let list = this.compiled.get(kind);
    if (list === undefined) {
      list = compile(this.permissions[kind] ?? []);
      this.compiled.set(kind, list);
    }
    return list.exact.has(subject) || list.wildcards.some((pattern) => topicMatches(pattern, subject));
  }

  /**
   * allowsPattern tells whether a subscription pattern is covered by a granted pattern: every
   * topic it can match is matched by the grant (segment by segment, `*` covers one segment,
   * a final `>` covers the rest).
   */
  allowsPattern(kind: "subscribe" | "publish", pattern: string): boolean {
    return (this.permissions[kind] ?? []).some((grant) => covers(grant, pattern));
  }

  /** denied makes the PERMISSION_DENIED PluginError for `subject` (§8.2). */
  denied(kind: PermissionKind, subject: string): PluginError {
    return new PluginError(
      "PERMISSION_DENIED",
      `plugin "${this.plugin}" may not ${what[kind]} ${subject}: add "${subject}" (or a pattern that matches it) to ${this.field}.${kind} in the host's options`,
    );
  }
}

interface CompiledList {
  /** The patterns without wildcards: the subjects they match are themselves. */
  exact: ReadonlySet<string>;
  wildcards: readonly string[];
}

function compile(patterns: readonly string[]): CompiledList {
  const wild = (pattern: string) => pattern.split(".").some((segment) => segment === "*" || segment === ">");
  return { exact: new Set(patterns.filter((pattern) => !wild(pattern))), wildcards: patterns.filter(wild) };
}

/** covers tells whether every topic `pattern` matches is matched by `grant` (§12.2 patterns). */
export function covers(grant: string, pattern: string): boolean {
  const g = grant.split(".");
  const p = pattern.split(".");
  for (let i = 0; i < g.length; i++) {
    const segment = g[i]!;
    if (segment === ">") return i < p.length;
    const other = p[i];
    if (other === undefined || other === ">") return false;
    if (segment !== "*" && (other === "*" || other !== segment)) return false;
  }
  return g.length === p.length;
}
