import { type FunctionInfo, PluginError } from "@polyproc/protocol";
import { runHostFunction } from "./host-function-call.js";
import type { HostFunctionTable } from "./host-functions.js";
import type { InboundCall } from "./inbound-call.js";
import type { Caller, CallService } from "./inbound-calls.js";
import { Grants } from "./permissions.js";
import type { ResolvedPluginConfig } from "./plugin-options.js";
import type { PluginPool } from "./pool.js";
import { routeCall } from "./routed-call.js";

/**
 * PluginCalls is the host's CallService: it serves the calls plugins make (PROTOCOL.md
 * §5.4), to host functions (`target` empty) and to other plugins (routed through their
 * pools), each checked against the calling plugin's permissions (deny by default).
 */
export class PluginCalls implements CallService {
  private readonly grants = new Map<string, Grants>();

  constructor(
    private readonly functions: HostFunctionTable,
    private readonly pools: ReadonlyMap<string, PluginPool>,
    configs: readonly ResolvedPluginConfig[],
  ) {
    configs.forEach((config, index) => this.grants.set(config.name, new Grants(config.name, config.permissions, `plugins[${index}].permissions`)));
  }

  /**
   * setGrants replaces the permissions of one plugin (host.load, host.reload) or, given
   * undefined, forgets them (host.unload), and returns those it had.
   */
  setGrants(plugin: string, grants: Grants | undefined): Grants | undefined {
    const previous = this.grants.get(plugin);
    if (grants === undefined) this.grants.delete(plugin);
    else this.grants.set(plugin, grants);
    return previous;
  }

  hostFunctionsFor(plugin: string): FunctionInfo[] {
    const grants = this.grantsOf(plugin);
    return this.functions.specs((name) => grants.allows("hostFunctions", name));
  }

  serve(caller: Caller, call: InboundCall): void {
    const grants = this.grantsOf(caller.plugin);
    if (call.event.target !== "") return routeCall(caller, call, grants, this.pools);
    // §5.4.5: permission first, then existence, so that a plugin cannot probe for functions.
    const name = call.event.function;
    if (!grants.allows("hostFunctions", name)) return call.failWith(grants.denied("hostFunctions", name));
    const fn = this.functions.get(name);
    if (fn === undefined) return call.failWith(this.notFound(name, grants));
    runHostFunction(fn, caller, call);
  }

  private notFound(name: string, grants: Grants): PluginError {
    const names = this.functions.names((candidate) => grants.allows("hostFunctions", candidate));
    const list = names.length === 0 ? "it serves this plugin none" : `it serves this plugin: ${names.join(", ")}`;
    return new PluginError("NOT_FOUND", `the host has no function "${name}"; ${list}`);
  }

  private grantsOf(plugin: string): Grants {
    let grants = this.grants.get(plugin);
    if (grants === undefined) {
      grants = new Grants(plugin, {}, "permissions");
      this.grants.set(plugin, grants);
    }
    return grants;
  }
}
